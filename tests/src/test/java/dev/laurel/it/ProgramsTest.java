package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.service.ApiKeys;
import dev.laurel.service.Loyalty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admin program routes: create/replace with versions, If-Match, GET, and the kill switch. */
class ProgramsTest {
    static final String P = "/v1/programs/shop";

    /** A program with a purchase rule, a fixed bonus on every order, and a gift card reward. */
    static String program(String name) {
        return """
                {"name": "%s", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [
                   {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                   {"id": "bonus", "trigger": "order.paid", "points": {"fixed": 25}}
                 ],
                 "rewards": [
                   {"id": "gift", "type": "gift_card", "valueMinor": 500, "cost": 10}
                 ],
                 "expiry": {"afterDays": 365}}
                """.formatted(name);
    }

    static Api.Reply earn(Api api, String customerId, String orderId, long totalMinor) {
        return api.shop("POST", P + "/earn", Api.orderPaid(customerId, orderId, totalMinor, api.clock.instant().toString()));
    }

    static Api.Reply redeemGift(Api api, String customerId, String key) {
        return api.shop("POST", P + "/redeem", "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"gift\"}",
                Map.of("Idempotency-Key", key));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static JsonNode byId(JsonNode array, String field, String id) {
        for (JsonNode n : array) {
            if (id.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + " " + id + " in " + array);
    }

    @Test
    void putCreatesThenReplacesAndGetReturnsTheDefinitionWithItsVersion() {
        Api api = new Api();
        Api.Reply created = api.admin("PUT", P, program("First"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("programId").asText()).isEqualTo("shop");
        assertThat(created.body().path("version").asLong()).isEqualTo(1);

        Api.Reply got = api.admin("GET", P, null);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.body().path("version").asLong()).isEqualTo(1);
        assertThat(got.body().path("name").asText()).isEqualTo("First");
        assertThat(got.body().path("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(got.body().path("earningRules")).hasSize(2);
        assertThat(got.body().path("rewards").get(0).path("id").asText()).isEqualTo("gift");

        Api.Reply replaced = api.admin("PUT", P, program("Second"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.body().path("version").asLong()).isEqualTo(2);
        Api.Reply again = api.admin("GET", P, null);
        assertThat(again.body().path("version").asLong()).isEqualTo(2);
        assertThat(again.body().path("name").asText()).isEqualTo("Second");
    }

    static final String SECRET = "whsec-stored-0123456789";

    static String withChannel(String url, String secret) {
        String program = program("Hooks").strip();
        return program.substring(0, program.length() - 1) + ", \"channel\": {\"type\": \"webhook\", \"url\": \"" + url + "\""
                + (secret == null ? "" : ", \"secret\": \"" + secret + "\"") + "}}";
    }

    @Test
    void getNeverReturnsAWebhookSecretOnlyThatOneIsSet() {
        Api api = new Api();
        Api.Reply created = api.admin("PUT", P, withChannel("https://shop.example.com/hooks", SECRET));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Api.Reply got = api.admin("GET", P, null);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.body().path("channel")).as(got.toString()).isEqualTo(Json.object().put("type", "webhook")
                .put("url", "https://shop.example.com/hooks").put("secretSet", true));
        assertThat(got.body().toString()).doesNotContain(SECRET);
    }

    @Test
    void aPutWithoutTheSecretKeepsTheStoredOneWhileTheUrlIsUnchanged() {
        Api api = new Api();
        assertThat(api.admin("PUT", P, withChannel("https://shop.example.com/hooks", SECRET)).status()).isEqualTo(201);
        // what GET answered, sent back without programId, version and secretSet: the secret stays
        Api.Reply again = api.admin("PUT", P, withChannel("https://shop.example.com/hooks", null));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(api.store.program(api.tenant, "shop").orElseThrow().definition()).contains(SECRET);
        // a new URL needs its secret: 400 naming channel.secret, nothing changed
        Api.Reply moved = api.admin("PUT", P, withChannel("https://other.example.com/hooks", null));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(400);
        assertThat(moved.field()).isEqualTo("channel.secret");
        assertThat(api.admin("GET", P, null).body().path("version").asLong()).isEqualTo(2);
        // with its secret it is taken, and the new secret replaces the old one
        Api.Reply movedWithSecret = api.admin("PUT", P, withChannel("https://other.example.com/hooks", "whsec-new-0123456789abc"));
        assertThat(movedWithSecret.status()).as(movedWithSecret.toString()).isEqualTo(200);
        String stored = api.store.program(api.tenant, "shop").orElseThrow().definition();
        assertThat(stored).contains("whsec-new-0123456789abc").doesNotContain(SECRET);
        // a new program's webhook needs a secret
        Api.Reply fresh = api.admin("PUT", "/v1/programs/other", withChannel("https://shop.example.com/hooks", null));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(400);
        assertThat(fresh.field()).isEqualTo("channel.secret");
    }

    @Test
    void getOfAnUnknownProgramIs404() {
        Api api = new Api();
        Api.Reply r = api.admin("GET", "/v1/programs/nope", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void ifMatchWithTheCurrentVersionSucceedsAndAStaleOneIsAConflictThatChangesNothing() {
        Api api = new Api();
        api.admin("PUT", P, program("v1"));
        api.admin("PUT", P, program("v2"));

        Api.Reply current = api.call("PUT", P, program("v3"), api.adminKey, Map.of("If-Match", "2"));
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.body().path("version").asLong()).isEqualTo(3);

        Api.Reply stale = api.call("PUT", P, program("stale"), api.adminKey, Map.of("If-Match", "2"));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(stale.code()).isEqualTo("version_conflict");

        Api.Reply got = api.admin("GET", P, null);
        assertThat(got.body().path("version").asLong()).isEqualTo(3);
        assertThat(got.body().path("name").asText()).isEqualTo("v3");

        // the quoted ETag form the GET hands out works too
        Api.Reply quoted = api.call("PUT", P, program("v4"), api.adminKey, Map.of("If-Match", "\"3\""));
        assertThat(quoted.status()).as(quoted.toString()).isEqualTo(200);
        assertThat(quoted.body().path("version").asLong()).isEqualTo(4);
    }

    @Test
    void disablingAnEarningRuleStopsItAndReEnablingRestoresIt() {
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofSeconds(5));
        api.admin("PUT", P, program("Kill"));
        Api.Reply before = earn(api, "c-1", "o-1", 10000);
        assertThat(before.body().path("pointsEarned").asLong()).as(before.toString()).isEqualTo(125);

        Api.Reply off = api.admin("PATCH", P + "/earningRules/bonus", "{\"status\": \"disabled\"}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.body().path("version").asLong()).isEqualTo(2);
        JsonNode rule = byId(api.admin("GET", P, null).body().path("earningRules"), "id", "bonus");
        assertThat(rule.path("status").asText()).isEqualTo("disabled");

        Api.Reply during = earn(api, "c-1", "o-2", 10000);
        assertThat(during.status()).as(during.toString()).isEqualTo(200);
        assertThat(during.body().path("pointsEarned").asLong()).as(during.toString()).isEqualTo(100);
        for (JsonNode line : during.body().path("breakdown")) {
            if ("bonus".equals(line.path("ruleId").asText())) {
                assertThat(line.path("points").asLong()).as(during.toString()).isZero();
            }
        }

        Api.Reply on = api.admin("PATCH", P + "/earningRules/bonus", "{\"status\": \"active\"}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        Api.Reply after = earn(api, "c-1", "o-3", 10000);
        assertThat(after.body().path("pointsEarned").asLong()).as(after.toString()).isEqualTo(125);
    }

    @Test
    void aDisabledRewardIsNotEligibleOnRedeemValidateAndWalletUntilReEnabled() {
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofSeconds(5));
        api.admin("PUT", P, program("Kill"));
        earn(api, "c-1", "o-1", 10000);
        // cache the program with the reward active
        assertThat(api.shop("GET", P + "/customers/c-1", null).body().path("rewards").get(0).path("eligible").asBoolean()).isTrue();

        Api.Reply off = api.admin("PATCH", P + "/rewards/gift", "{\"status\": \"disabled\"}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);

        Api.Reply r = redeemGift(api, "c-1", "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("not_eligible");
        assertThat(strings(r.body().path("error").path("details").path("reasons"))).containsExactly("disabled");
        assertThat(api.shop("GET", P + "/customers/c-1", null).body().path("balance").path("available").asLong())
                .isEqualTo(125);

        Api.Reply v = api.shop("POST", P + "/validate", "{\"customerId\": \"c-1\", \"rewards\": [\"gift\"]}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        assertThat(v.body().path("valid").asBoolean()).isFalse();
        assertThat(strings(v.body().path("rewards").get(0).path("reasons"))).contains("disabled");

        JsonNode walletReward = api.shop("GET", P + "/customers/c-1", null).body().path("rewards").get(0);
        assertThat(walletReward.path("eligible").asBoolean()).as(walletReward.toString()).isFalse();

        Api.Reply on = api.admin("PATCH", P + "/rewards/gift", "{\"status\": \"active\"}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        Api.Reply ok = redeemGift(api, "c-1", "k-2");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.body().path("pointsSpent").asLong()).isEqualTo(10);
        Api.Reply v2 = api.shop("POST", P + "/validate", "{\"customerId\": \"c-1\", \"rewards\": [\"gift\"]}");
        assertThat(v2.body().path("valid").asBoolean()).as(v2.toString()).isTrue();
    }

    @Test
    void patchOfAnUnknownRuleOrRewardOrProgramIs404AndABadStatusIs400() {
        Api api = new Api();
        api.admin("PUT", P, program("Kill"));
        Api.Reply rule = api.admin("PATCH", P + "/earningRules/nope", "{\"status\": \"disabled\"}");
        assertThat(rule.status()).as(rule.toString()).isEqualTo(404);
        assertThat(rule.code()).isEqualTo("not_found");
        Api.Reply reward = api.admin("PATCH", P + "/rewards/nope", "{\"status\": \"disabled\"}");
        assertThat(reward.status()).as(reward.toString()).isEqualTo(404);
        assertThat(reward.code()).isEqualTo("not_found");
        // a rule id is not a reward id
        Api.Reply crossed = api.admin("PATCH", P + "/rewards/bonus", "{\"status\": \"disabled\"}");
        assertThat(crossed.status()).as(crossed.toString()).isEqualTo(404);
        Api.Reply program = api.admin("PATCH", "/v1/programs/nope/rewards/gift", "{\"status\": \"disabled\"}");
        assertThat(program.status()).as(program.toString()).isEqualTo(404);
        Api.Reply bad = api.admin("PATCH", P + "/rewards/gift", "{\"status\": \"off\"}");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_request");
        assertThat(api.admin("GET", P, null).body().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void aShopKeyCannotFlipTheKillSwitch() {
        Api api = new Api();
        api.admin("PUT", P, program("Kill"));
        Api.Reply r = api.shop("PATCH", P + "/earningRules/bonus", "{\"status\": \"disabled\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("forbidden");
    }

    /**
     * A second container (its own Loyalty and program cache, re-check 5 s) that cached the program
     * before the kill switch honours it once the re-check time has passed, well inside 10 s.
     */
    @Test
    void theKillSwitchReachesAnotherContainerWithinTheRecheckTime() throws InterruptedException {
        LocalClock clock = LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z"));
        Api api = new Api(clock, Duration.ofSeconds(5));
        api.admin("PUT", P, program("Kill"));
        EarnHandler other = new EarnHandler(new Loyalty(api.store, clock, Duration.ofSeconds(5)));

        JsonNode first = earnIn(api, other, "c-9", "o-1", 10000);
        assertThat(first.path("statusCode").asInt()).as(first.toString()).isEqualTo(200);
        assertThat(Json.read(first.path("body").asText()).path("pointsEarned").asLong()).isEqualTo(125);

        Api.Reply off = api.admin("PATCH", P + "/earningRules/bonus", "{\"status\": \"disabled\"}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        long disabledAt = System.nanoTime();

        Thread.sleep(5200);
        assertThat(Duration.ofNanos(System.nanoTime() - disabledAt)).isLessThan(Duration.ofSeconds(10));
        JsonNode later = earnIn(api, other, "c-9", "o-2", 10000);
        assertThat(later.path("statusCode").asInt()).as(later.toString()).isEqualTo(200);
        assertThat(Json.read(later.path("body").asText()).path("pointsEarned").asLong()).as(later.toString()).isEqualTo(100);
    }

    /** POST .../earn straight into a handler of another container, as API Gateway would call it. */
    static JsonNode earnIn(Api api, RequestStreamHandler handler, String customerId, String orderId, long totalMinor) {
        String path = P + "/earn";
        ObjectNode ev = Api.event("earn.json").deepCopy();
        ObjectNode headers = ev.putObject("headers");
        headers.put("content-type", "application/json");
        headers.put("authorization", "Bearer " + api.shopKey);
        ev.put("routeKey", "POST /v1/programs/{programId}/earn");
        ev.put("rawPath", path);
        ev.put("rawQueryString", "");
        ev.remove("queryStringParameters");
        ObjectNode ctx = (ObjectNode) ev.get("requestContext");
        ctx.put("routeKey", "POST /v1/programs/{programId}/earn");
        ((ObjectNode) ctx.get("http")).put("method", "POST").put("path", path);
        ev.putObject("pathParameters").put("programId", "shop");
        ev.put("body", Api.orderPaid(customerId, orderId, totalMinor, api.clock.instant().toString()));
        ev.put("isBase64Encoded", false);
        JsonNode auth = new AuthorizerHandler(new ApiKeys(api.store)).authorize("Bearer " + api.shopKey);
        ctx.putObject("authorizer").set("lambda", auth.get("context"));
        return Api.invoke(handler, ev);
    }
}
