package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Double opt-in on the change stream (API.md "Consent: double opt-in", "Outbound webhooks"): the
 * confirmation is the member's consent changing, so a real receiver gets one signed
 * {@code customer.updated} with {@code changed: ["consent"]} and {@code consent.marketing: true}
 * when the token is used, none while the consent is only pending, and the {@code customer.confirmed}
 * trigger's points as {@code points.earned}. ({@code customer.confirmed} is a trigger, not one of
 * API.md's webhook event types.)
 */
class ConsentConfirmedEventTest {
    static final String P = "/v1/programs/opt";
    static final String EVENTS = "[\"customer.joined\", \"customer.updated\", \"points.earned\"]";

    Hooks hooks = new Hooks();
    Api api = hooks.api;
    WebhookReceiver receiver;

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private List<JsonNode> got(String type) {
        return receiver.received(type).stream().map(WebhookReceiver.Received::envelope).toList();
    }

    @Test
    void aConfirmationIsOneCustomerUpdatedWithTheConsentAndItsBonusIsPointsEarned() throws Exception {
        receiver = new WebhookReceiver();
        assertThat(api.admin("PUT", P, """
                {"name": "Opt", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "confirmed-bonus", "trigger": "customer.confirmed", "points": {"fixed": 50}}],
                 "consent": {"doubleOptIn": true}}""").status()).isEqualTo(201);
        assertThat(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, EVENTS, null)).status()).isBetween(200, 201);
        Api.Reply up = api.shop("PUT", P + "/customers/c-1", "{\"email\": \"c1@example.com\", \"consent\": {\"marketing\": true}}");
        assertThat(up.body().at("/consent/marketing").asText()).as(up.toString()).isEqualTo("pending");
        hooks.drain();
        assertThat(got("customer.joined")).hasSize(1);
        assertThat(got("customer.joined").get(0).at("/data/consent/marketing").asBoolean()).as("pending is no consent yet").isFalse();
        assertThat(got("customer.updated")).isEmpty();

        String token = api.consentOutbox.all().get(0).notification().payload().path("token").asText();
        assertThat(api.call("POST", "/v1/consent/confirm", "{\"token\": \"" + token + "\"}", null, java.util.Map.of()).status())
                .isEqualTo(200);
        hooks.drain();
        List<JsonNode> updated = got("customer.updated");
        assertThat(updated).hasSize(1);
        JsonNode e = updated.get(0);
        assertThat(e.path("customerId").asText()).isEqualTo("c-1");
        assertThat(e.at("/data/changed").toString()).isEqualTo("[\"consent\"]");
        assertThat(e.at("/data/consent/marketing").asBoolean()).isTrue();
        OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), e);
        assertThat(got("points.earned")).hasSize(1);
        assertThat(got("points.earned").get(0).at("/data/points").asLong()).isEqualTo(50);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
    }

    @Test
    void underDoubleOptInTheWelcomeGoesOutOnlyAfterConfirmation() throws Exception {
        receiver = new WebhookReceiver();
        assertThat(api.admin("PUT", P, """
                {"name": "Opt", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "reminders": {"welcome": true},
                 "consent": {"doubleOptIn": true}}""").status()).isEqualTo(201);
        Jobs jobs = new Jobs(api);
        api.shop("PUT", P + "/customers/c-1", "{\"email\": \"c1@example.com\", \"consent\": {\"marketing\": true}}");
        jobs.reminders();
        assertThat(welcomes(jobs)).as("pending: no welcome yet").isEmpty();
        String token = api.consentOutbox.all().get(0).notification().payload().path("token").asText();
        assertThat(api.call("POST", "/v1/consent/confirm", "{\"token\": \"" + token + "\"}", null, java.util.Map.of()).status())
                .isEqualTo(200);
        jobs.reminders();
        jobs.reminders();
        assertThat(welcomes(jobs)).as("once, after the confirmation").hasSize(1);
        assertThat(welcomes(jobs).get(0).notification().customerId()).isEqualTo("c-1");
    }

    private static List<dev.laurel.notify.Outbox.Sent> welcomes(Jobs jobs) {
        return jobs.outbox.all().stream().filter(s -> s.notification().type().equals("welcome")).toList();
    }
}
