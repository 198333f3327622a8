package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.notify.Signature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md Part 2 "Consent: double opt-in", through ./laurel local (real HTTP, the real customers function,
 * DynamoDB Local) and a real webhook receiver as the program's channel: the consent_confirmation message
 * carries the token in the member's language; POST /v1/consent/confirm without a key confirms once (again,
 * forged, expired: 404; hostile bodies: 400/404, never 5xx); customer.confirmed pays its bonus once; reminders
 * wait for the confirmation; a replayed upsert sends nothing new.
 */
class ConsentLocalTest {
    static final String SECRET = "whsec-consent-0123456789";
    static LocalServer server;
    static Http http;
    static HttpServer receiver;
    static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            boolean valid = Signature.verify(SECRET, ex.getRequestHeaders().getFirst(Signature.HEADER), body,
                    System.currentTimeMillis() / 1000, 300);
            if (valid) {
                RECEIVED.add(Http.JSON.readTree(body));
            }
            ex.sendResponseHeaders(valid ? 200 : 400, -1);
            ex.close();
        });
        receiver.start();
        String program = """
                {"name": "Kaffeehaus", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                                  {"id": "confirmed-bonus", "trigger": "customer.confirmed", "points": {"fixed": 50}}],
                 "rewards": [{"id": "mug", "type": "product", "cost": 500}],
                 "reminders": {"welcome": true, "rewardAvailable": true},
                 "consent": {"doubleOptIn": true},
                 "channel": {"type": "webhook", "url": "http://127.0.0.1:%d/hook", "secret": "%s"}}
                """.formatted(receiver.getAddress().getPort(), SECRET);
        Http.Reply put = http.admin("PUT", "/v1/programs/optin", program);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @AfterEach
    void resetClock() {
        server.clock().reset();
    }

    static Http.Reply upsert(String customer, String locale) {
        return http.shop("PUT", "/v1/programs/optin/customers/" + customer, "{\"email\": \"" + customer
                + "@example.com\", \"locale\": \"" + locale + "\", \"consent\": {\"marketing\": true}}");
    }

    static Http.Reply confirm(String body) {
        return http.send("POST", "/v1/consent/confirm", body, null, Map.of());
    }

    static Http.Reply confirmToken(String token) {
        return confirm("{\"token\": \"" + token + "\"}");
    }

    static List<JsonNode> received(String customer, String type) {
        return RECEIVED.stream().filter(e -> e.path("customerId").asText().equals(customer) && e.path("type").asText().equals(type))
                .toList();
    }

    static JsonNode wallet(String customer) {
        return http.shop("GET", "/v1/programs/optin/customers/" + customer, null).json();
    }

    static void reminders() {
        Http.Reply run = http.send("POST", "/local/schedules/reminders/run", null, null, Map.of());
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
    }

    static Http.Reply earn(String customer, String order, long totalMinor) {
        Http.Reply r = http.shop("POST", "/v1/programs/optin/earn", LocalServerTest.earn(customer, order, totalMinor));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    @Test
    void theTokenFromTheReceiverConfirmsOncePaysTheBonusAndOpensTheReminders() {
        Http.Reply first = upsert("c-1", "de");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("consent").path("marketing").asText()).isEqualTo("pending");
        assertThat(first.json().path("consent").path("confirmationSent").asBoolean()).isTrue();
        assertThat(first.json().path("signupPoints").asLong()).as("no customer.joined rule: nothing for joining").isZero();
        List<JsonNode> messages = received("c-1", "consent_confirmation");
        assertThat(messages).hasSize(1);
        JsonNode message = messages.get(0);
        String token = message.path("data").path("token").asText();
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(message.path("locale").asText()).isEqualTo("de");
        assertThat(message.path("message").path("subject").asText()).isEqualTo("Bitte bestätige, dass du von Kaffeehaus hören möchtest");
        assertThat(message.path("message").path("text").asText()).contains(token).contains("Ohne deine Bestätigung");

        // the same upsert again (a client's retry): nothing new is sent, still pending
        Http.Reply again = upsert("c-1", "de");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("consent").path("marketing").asText()).isEqualTo("pending");
        assertThat(again.json().path("consent").has("confirmationSent")).isFalse();
        assertThat(received("c-1", "consent_confirmation")).hasSize(1);
        assertThat(wallet("c-1").path("consent").path("marketing").asText()).isEqualTo("pending");

        // pending: the reminders wait (a crossing of the mug's cost records nothing)
        earn("c-1", "o-1", 60_000);
        reminders();
        assertThat(RECEIVED.stream().filter(e -> e.path("customerId").asText().equals("c-1"))).hasSize(1);

        Http.Reply ok = confirmToken(token);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("programId").asText()).isEqualTo("optin");
        assertThat(ok.json().path("customerId").asText()).isEqualTo("c-1");
        assertThat(ok.json().path("consent").asText()).isEqualTo("confirmed");
        JsonNode w = wallet("c-1");
        assertThat(w.path("consent").path("marketing").asText()).isEqualTo("confirmed");
        assertThat(w.path("balance").path("available").asLong()).as("600 + the customer.confirmed bonus").isEqualTo(650);
        JsonNode ledger = http.shop("GET", "/v1/programs/optin/customers/c-1/ledger", null).json();
        assertThat(ledger.path("entries")).filteredOn(e -> "confirmed-bonus".equals(e.path("ruleId").asText())).hasSize(1);

        Http.Reply used = confirmToken(token);
        assertThat(used.status()).as(used.toString()).isEqualTo(404);
        assertThat(used.code()).isEqualTo("not_found");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).as("the bonus once").isEqualTo(650);

        // confirmed: reminders go out again
        http.shop("POST", "/v1/programs/optin/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Map.of("Idempotency-Key", "mug-1"));
        earn("c-1", "o-2", 50_000);
        reminders();
        assertThat(received("c-1", "reward_available")).hasSize(1);
    }

    @Test
    void forgedExpiredAndHostileTokensAreRefusedWithoutA5xx() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Http.Reply f = confirmToken(forged);
        assertThat(f.status()).as(f.toString()).isEqualTo(404);
        assertThat(f.code()).isEqualTo("not_found");

        assertThat(upsert("c-2", "ja").status()).isEqualTo(201);
        String token = received("c-2", "consent_confirmation").get(0).path("data").path("token").asText();
        assertThat(received("c-2", "consent_confirmation").get(0).path("message").path("subject").asText())
                .isEqualTo("Kaffeehausからのお知らせの受け取りを確認してください");
        server.clock().set(server.clock().instant().plus(Duration.ofDays(7)).plusSeconds(1));
        Http.Reply expired = confirmToken(token);
        assertThat(expired.status()).as(expired.toString()).isEqualTo(404);
        assertThat(expired.body()).isEqualTo(f.body().replace(forged, token));
        assertThat(wallet("c-2").path("consent").path("marketing").asText()).isEqualTo("pending");
        assertThat(wallet("c-2").path("balance").path("available").asLong()).isZero();

        // asked again after the resend interval: a new token, which replaces the old one
        Http.Reply resend = upsert("c-2", "ja");
        assertThat(resend.json().path("consent").path("confirmationSent").asBoolean()).as(resend.toString()).isTrue();
        List<JsonNode> both = received("c-2", "consent_confirmation");
        assertThat(both).hasSize(2);
        String fresh = both.get(1).path("data").path("token").asText();
        assertThat(fresh).isNotEqualTo(token);
        server.clock().reset();
        assertThat(confirmToken(token).status()).as("the replaced token").isEqualTo(404);
        server.clock().set(server.clock().instant().plus(Duration.ofDays(7)));
        assertThat(confirmToken(fresh).status()).isEqualTo(200);

        for (String body : List.of("{\"token\": \"" + "A".repeat(10_000) + "\"}", "{\"token\": \"\"}", "{\"token\": 42}",
                "{}", "{\"token\": \"" + forged + "\", \"customerId\": \"c-2\"}", "not json", "[]", "{\"token\": null}")) {
            Http.Reply r = confirm(body);
            assertThat(r.status()).as(body + " → " + r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_request");
        }
        for (String token2 : List.of("!".repeat(43), "A".repeat(42), "A".repeat(44), "é".repeat(43), "../../etc/passwd",
                forged.substring(0, 42) + "=", "\\u0000".repeat(10))) {
            Http.Reply r = confirmToken(token2);
            assertThat(r.status()).as(token2 + " → " + r).isEqualTo(404);
        }
        Http.Reply withKey = http.send("POST", "/v1/consent/confirm", "{\"token\": \"" + forged + "\"}", "Bearer nonsense", Map.of());
        assertThat(withKey.status()).as("a key is neither needed nor looked at").isEqualTo(404);
    }

    @Test
    void withdrawingConsentVoidsThePendingToken() {
        assertThat(upsert("c-3", "en").status()).isEqualTo(201);
        String token = received("c-3", "consent_confirmation").get(0).path("data").path("token").asText();
        Http.Reply off = http.shop("PUT", "/v1/programs/optin/customers/c-3", "{\"consent\": {\"marketing\": false}}");
        assertThat(off.json().path("consent").path("marketing").asText()).as(off.toString()).isEqualTo("none");
        assertThat(confirmToken(token).status()).isEqualTo(404);
        assertThat(wallet("c-3").path("consent").path("marketing").asText()).isEqualTo("none");
        assertThat(received("c-3", "consent_confirmation")).hasSize(1);
    }
}
