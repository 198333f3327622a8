package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A double opt-in token is single use under concurrency: 16 confirmations racing with the same token
 * get one 200 and fifteen 404, and customer.confirmed pays its bonus once (through the real customers
 * function on DynamoDB Local; the token from the consent_confirmation message).
 */
class ConsentConfirmRaceTest {
    static final String PROGRAM = """
            {"name": "Race", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "confirmed-bonus", "trigger": "customer.confirmed", "points": {"fixed": 50}}],
             "consent": {"doubleOptIn": true}}""";

    @Test
    void sixteenConfirmationsOfOneTokenConfirmOnceAndPayOnce() throws Exception {
        Api api = new Api();
        assertThat(api.admin("PUT", "/v1/programs/race", PROGRAM).status()).isEqualTo(201);
        Api.Reply up = api.shop("PUT", "/v1/programs/race/customers/c-1", "{\"consent\": {\"marketing\": true}}");
        assertThat(up.body().at("/consent/marketing").asText()).as(up.toString()).isEqualTo("pending");
        assertThat(api.consentOutbox.all()).hasSize(1);
        String token = api.consentOutbox.all().get(0).notification().payload().path("token").asText();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Callable<Integer> c = () -> api.call("POST", "/v1/consent/confirm", "{\"token\": \"" + token + "\"}", null,
                        java.util.Map.of()).status();
                answers.add(pool.submit(c));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).as(statuses.toString()).containsOnly(200, 404);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        var wallet = api.shop("GET", "/v1/programs/race/customers/c-1", null).body();
        assertThat(wallet.at("/consent/marketing").asText()).isEqualTo("confirmed");
        assertThat(wallet.at("/balance/available").asLong()).isEqualTo(50);
        // a later marketing: true changes nothing and sends nothing: confirmed already
        Api.Reply again = api.shop("PUT", "/v1/programs/race/customers/c-1", "{\"consent\": {\"marketing\": true}}");
        assertThat(again.body().at("/consent/marketing").asText()).isEqualTo("confirmed");
        assertThat(api.consentOutbox.all()).hasSize(1);
        // customer.confirmed is Laurel's own event: a shop cannot send it
        Api.Reply forged = api.shop("POST", "/v1/programs/race/earn", "{\"customerId\": \"c-1\", \"event\": "
                + "{\"type\": \"customer.confirmed\", \"id\": \"x\"}}");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.field()).isEqualTo("event.type");
        Invariants.check(api, "race", "c-1");
    }
}
