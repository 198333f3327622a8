package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.SessionKeys;
import dev.laurel.app.Sessions;
import dev.laurel.functions.customers.CustomersHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API.md "The customer's own session": signed 15-minute tokens for one member, and what they may call. */
class MemberSessionsTest {
    static final String P = "/v1/programs/wallet";
    static final String PROGRAM = """
            {"name": "Wallet", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "grant", "trigger": "points.granted", "points": {"fixed": 500}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}],
             "expiry": {"afterDays": 365}}
            """;

    Api api;
    String tokenA;
    String codeB;

    @BeforeEach
    void twoMembers() {
        api = new Api();
        expect(api.admin("PUT", P, PROGRAM), 201);
        for (String c : new String[] {"c-a", "c-b"}) {
            expect(api.shop("POST", P + "/earn", "{\"customerId\": \"" + c + "\", \"event\": {\"type\": \"points.granted\", \"id\": \"g-" + c + "\"}}"), 200);
        }
        codeB = expect(api.shop("POST", P + "/redeem", "{\"customerId\": \"c-b\", \"rewardId\": \"mug\"}", Map.of("Idempotency-Key", "kb")), 201)
                .body().path("code").asText();
        tokenA = session("c-a");
    }

    static Api.Reply expect(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    String session(String customerId) {
        Api.Reply r = expect(api.shop("POST", P + "/customers/" + customerId + "/sessions", null), 201);
        assertThat(r.body().path("expiresAt").asText()).isEqualTo(api.clock.instant().plus(Duration.ofMinutes(15)).toString());
        return r.body().path("token").asText();
    }

    Api.Reply as(String token, String method, String path, String body) {
        return api.call(method, path, body, token, Map.of());
    }

    Api.Reply as(String token, String method, String path, String body, Map<String, String> headers) {
        return api.call(method, path, body, token, headers);
    }

    @Test
    void aMemberSeesAndRedeemsForItselfAndSeesItsOwnCodes() {
        assertThat(tokenA).startsWith("v1.k1.");
        assertThat(expect(as(tokenA, "GET", P + "/customers/c-a", null), 200).body().path("balance").path("available").asLong())
                .isEqualTo(500);
        expect(as(tokenA, "GET", P + "/customers/c-a/ledger?limit=5", null), 200);
        Api.Reply redeemed = expect(as(tokenA, "POST", P + "/redeem", "{\"customerId\": \"c-a\", \"rewardId\": \"mug\"}",
                Map.of("Idempotency-Key", "ka")), 201);
        String code = redeemed.body().path("code").asText();
        expect(as(tokenA, "GET", P + "/codes/" + code, null), 200);
        assertThat(expect(as(tokenA, "GET", P + "/codes/" + code + "/qr.svg", null), 200).headers().get("content-type"))
                .isEqualTo("image/svg+xml");
    }

    @Test
    void anotherMembersResourcesAre404() {
        assertThat(as(tokenA, "GET", P + "/customers/c-b", null).code()).isEqualTo("not_found");
        assertThat(as(tokenA, "GET", P + "/customers/c-b/ledger", null).code()).isEqualTo("not_found");
        assertThat(as(tokenA, "POST", P + "/redeem", "{\"customerId\": \"c-b\", \"rewardId\": \"mug\"}", Map.of("Idempotency-Key", "kb"))
                .status()).as("B's key and body: never B's first answer").isEqualTo(404);
        assertThat(as(tokenA, "GET", P + "/codes/" + codeB, null).status()).isEqualTo(404);
        assertThat(as(tokenA, "GET", P + "/codes/" + codeB + "/qr.svg", null).status()).isEqualTo(404);
        expect(api.admin("PUT", "/v1/programs/other", PROGRAM), 201);
        assertThat(as(tokenA, "GET", "/v1/programs/other/customers/c-a", null).status()).as("another program").isEqualTo(404);
        assertThat(api.shop("GET", P + "/customers/c-b", null).body().path("balance").path("available").asLong()).isEqualTo(400);
    }

    @Test
    void adminAndShopOnlyRoutesAre403() {
        assertThat(as(tokenA, "GET", P, null).code()).as("admin route").isEqualTo("forbidden");
        assertThat(as(tokenA, "GET", P + "/reports/summary?from=2026-11-01&to=2026-11-30", null).status()).isEqualTo(403);
        assertThat(as(tokenA, "POST", P + "/earn", "{\"customerId\": \"c-a\", \"event\": {\"type\": \"points.granted\", \"id\": \"x\"}}")
                .code()).as("earn").isEqualTo("forbidden");
        assertThat(as(tokenA, "PUT", P + "/customers/c-a", "{\"email\": \"a@example.com\"}").status()).isEqualTo(403);
        assertThat(as(tokenA, "POST", P + "/customers/c-a/sessions", null).status()).as("a session makes no session").isEqualTo(403);
        assertThat(as(tokenA, "POST", P + "/codes/" + codeB + "/use", "{\"orderId\": \"o-1\"}").status()).isEqualTo(403);
        assertThat(as(tokenA, "POST", P + "/validate", "{\"customerId\": \"c-a\"}").status()).isEqualTo(403);
        assertThat(api.shop("GET", P + "/codes/" + codeB, null).body().path("status").asText()).isEqualTo("issued");
    }

    @Test
    void expiredTamperedAndForeignTokensAre401() {
        String tampered = tokenA.substring(0, tokenA.length() - 2) + (tokenA.endsWith("AA") ? "BB" : "AA");
        assertThat(as(tampered, "GET", P + "/customers/c-a", null).status()).as("tampered signature").isEqualTo(401);
        String[] parts = tokenA.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8).replace("|c-a|", "|c-b|");
        String swapped = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[3];
        assertThat(as(swapped, "GET", P + "/customers/c-b", null).code()).as("payload changed to B").isEqualTo("unauthorized");

        Api other = new Api();
        expect(other.admin("PUT", P, PROGRAM), 201);
        expect(other.shop("POST", P + "/earn", "{\"customerId\": \"c-a\", \"event\": {\"type\": \"points.granted\", \"id\": \"g\"}}"), 200);
        String foreign = other.shop("POST", P + "/customers/c-a/sessions", null).body().path("token").asText();
        assertThat(as(foreign, "GET", P + "/customers/c-a", null).status()).as("another tenant's key").isEqualTo(401);
        // this tenant's own key id, another secret: the signature fails
        String forged = Sessions.sign(Api.randomKey("k1"), new Sessions.Claims(api.tenant, "wallet", "c-a",
                api.clock.instant().plusSeconds(600)));
        assertThat(as(forged, "GET", P + "/customers/c-a", null).status()).isEqualTo(401);

        for (String hostile : new String[] {"v1.", "v1.k1..", "v1.k1.!!.??", "v1." + "A".repeat(5000), "v1.k1.a.b.c",
                "v1.nokey.YQ.YQ", "v1.k1." + "%%%" + ".x"}) {
            assertThat(as(hostile, "GET", P + "/customers/c-a", null).status()).as(hostile.length() > 40 ? "long" : hostile).isEqualTo(401);
        }

        api.clock.advance(Duration.ofMinutes(15));
        assertThat(as(tokenA, "GET", P + "/customers/c-a", null).code()).as("expired").isEqualTo("unauthorized");
    }

    @Test
    void aCachedAuthorizerAnswerPastTheTokensExpiryIs401AtTheFunction() {
        ObjectNode event = (ObjectNode) Api.event("customers-get.json");
        ObjectNode ctx = (ObjectNode) event.path("requestContext").path("authorizer").path("lambda");
        ctx.put("tenant", api.tenant).put("role", "member").put("program", "wallet").put("customer", "c-a")
                .put("exp", api.clock.instant().getEpochSecond());
        ((ObjectNode) event.get("pathParameters")).put("programId", "wallet").put("customerId", "c-a");
        CustomersHandler handler = new CustomersHandler(new dev.laurel.app.Laurel(api.store, api.clock, Duration.ofSeconds(1)),
                api.sessionKeys);
        JsonNode answer = Api.invoke(handler, event);
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(401);
        ctx.put("exp", api.clock.instant().plusSeconds(60).getEpochSecond());
        assertThat(Api.invoke(handler, event).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheirKeyIsRemoved() {
        SessionKeys.Key k1 = api.sessionKeys.current();
        SessionKeys.Key k2 = Api.randomKey("k2");
        api.sessionKeys.set(k2, k1);
        expect(as(tokenA, "GET", P + "/customers/c-a", null), 200);
        String newer = session("c-a");
        assertThat(newer).startsWith("v1.k2.");
        api.sessionKeys.set(k2);
        assertThat(as(tokenA, "GET", P + "/customers/c-a", null).status()).as("k1 removed").isEqualTo(401);
        expect(as(newer, "GET", P + "/customers/c-a", null), 200);
        assertThat(expect(api.shop("GET", P + "/customers/c-a", null), 200).body().path("customerId").asText()).isEqualTo("c-a");
    }

    @Test
    void onlyMembersGetSessionsAndTheBodyIsStrict() {
        assertThat(api.shop("POST", P + "/customers/nobody/sessions", null).code()).isEqualTo("not_found");
        assertThat(api.shop("POST", "/v1/programs/none/customers/c-a/sessions", null).status()).isEqualTo(404);
        assertThat(api.shop("POST", P + "/customers/c-a/sessions", "{\"ttl\": 99}").field()).isEqualTo("ttl");
        assertThat(Instant.parse(expect(api.admin("POST", P + "/customers/c-a/sessions", "{}"), 201).body().path("expiresAt").asText()))
                .isEqualTo(api.clock.instant().plus(Sessions.VALID));
    }

    @Test
    void theProfilesLocaleIsKeptAndShownInTheWallet() {
        assertThat(api.shop("GET", P + "/customers/c-a", null).body().path("locale").asText()).as("default").isEqualTo("en");
        expect(api.shop("PUT", P + "/customers/c-a", "{\"locale\": \"ja\"}"), 200);
        assertThat(as(tokenA, "GET", P + "/customers/c-a", null).body().path("locale").asText()).isEqualTo("ja");
        expect(api.shop("PUT", P + "/customers/c-a", "{\"email\": \"a@example.com\"}"), 200);
        assertThat(api.shop("GET", P + "/customers/c-a", null).body().path("locale").asText()).as("kept").isEqualTo("ja");
        expect(api.shop("PUT", P + "/customers/c-new", "{\"locale\": \"tr\"}"), 201);
        assertThat(api.shop("GET", P + "/customers/c-new", null).body().path("locale").asText()).isEqualTo("tr");
        Api.Reply bad = api.shop("PUT", P + "/customers/c-a", "{\"locale\": \"fr\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.field()).isEqualTo("locale");
    }
}
