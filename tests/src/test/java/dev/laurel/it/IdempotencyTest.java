package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Each idempotency key takes effect at most once; a replay returns the first answer" and "a
 * rejected request changes nothing", for redeem (Idempotency-Key), earn (event type + id),
 * rollback and refunds (optional Idempotency-Key).
 */
class IdempotencyTest {
    static final String PID = "idem";
    static final String P = "/v1/programs/" + PID;

    static final String PROGRAM = """
            {"name": "Idempotency", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "grant", "trigger": "points.granted", "points": {"fixed": 100}}
             ],
             "rewards": [
               {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100},
               {"id": "gift", "type": "gift_card", "valueMinor": 500, "cost": 40},
               {"id": "once", "type": "gift_card", "valueMinor": 500, "cost": 10, "limits": {"perCustomer": 1}},
               {"id": "last-one", "type": "gift_card", "valueMinor": 500, "cost": 10, "limits": {"totalRedemptions": 1}},
               {"id": "pricey", "type": "gift_card", "valueMinor": 500, "cost": 100000}
             ],
             "expiry": {"afterDays": 365}}
            """;

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply earn(String customerId, String orderId, long totalMinor) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customerId, orderId, totalMinor, "2026-11-23T08:00:00Z"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    Api.Reply redeem(String body, String key) {
        return api.shop("POST", P + "/redeem", body, key(key));
    }

    static String redeemBody(String customerId, String rewardId, String orderId, long totalMinor) {
        return "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\", \"order\": {\"id\": \"" + orderId
                + "\", \"totalMinor\": " + totalMinor + ", \"currency\": \"EUR\"}}";
    }

    static String giftBody(String customerId, String rewardId) {
        return "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\"}";
    }

    static void assertReplayOf(Api.Reply replay, Api.Reply first) {
        assertThat(replay.status()).as("replay %s of %s", replay, first).isEqualTo(first.status());
        assertThat(replay.headers()).as("replay headers").containsEntry("idempotent-replayed", "true");
        assertThat(replay.body()).as("the replay answers the first answer").isEqualTo(first.body());
    }

    // ------------------------------------------------------------------ redeem

    @Test
    void redeemReplayAnswersTheFirstAnswer() {
        earn("c-1", "o-1", 50000);
        String body = redeemBody("c-1", "ten-off", "o-2", 5000);
        Api.Reply first = redeem(body, "k-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.headers()).doesNotContainKey("idempotent-replayed");
        for (int i = 0; i < 3; i++) {
            Api.Reply replay = redeem(body, "k-1");
            assertReplayOf(replay, first);
            assertThat(replay.body().path("redemptionId").asText()).isEqualTo(first.body().path("redemptionId").asText());
            assertThat(replay.body().path("code").asText()).isEqualTo(first.body().path("code").asText());
        }
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.available()).isEqualTo(400);
        assertThat(s.ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemReplayWithKeysInAnotherOrderIsStillTheSameRequest() {
        earn("c-1", "o-1", 50000);
        Api.Reply first = redeem(giftBody("c-1", "gift"), "k-order");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Reply replay = redeem("{\"rewardId\": \"gift\", \"customerId\": \"c-1\"}", "k-order");
        assertReplayOf(replay, first);
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemReplayAfterTheBalanceWasSpentStillAnswersTheFirstAnswer() {
        earn("c-1", "o-1", 4000); // 40 points: exactly one gift
        Api.Reply first = redeem(giftBody("c-1", "gift"), "k-spend");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.body().path("balance").path("available").asLong()).isZero();
        // a client that lost the first answer retries: it must get it, not insufficient_points
        Api.Reply replay = redeem(giftBody("c-1", "gift"), "k-spend");
        assertReplayOf(replay, first);
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemReplayAfterThePerCustomerLimitWasReachedStillAnswersTheFirstAnswer() {
        earn("c-1", "o-1", 50000);
        Api.Reply first = redeem(giftBody("c-1", "once"), "k-once");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Reply replay = redeem(giftBody("c-1", "once"), "k-once");
        assertReplayOf(replay, first);
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemReplayAfterTheBudgetWasUsedUpStillAnswersTheFirstAnswer() {
        earn("c-1", "o-1", 50000);
        Api.Reply first = redeem(giftBody("c-1", "last-one"), "k-last");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Reply replay = redeem(giftBody("c-1", "last-one"), "k-last");
        assertReplayOf(replay, first);
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemReplayAfterARollbackAnswersTheFirstAnswerAndDoesNotRedeemAgain() {
        earn("c-1", "o-1", 50000);
        Api.Reply first = redeem(giftBody("c-1", "gift"), "k-rb");
        assertThat(first.status()).isEqualTo(201);
        Api.Reply rb = api.shop("POST", P + "/redemptions/" + first.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        Api.Reply replay = redeem(giftBody("c-1", "gift"), "k-rb");
        assertReplayOf(replay, first);
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.ofType("redeem")).hasSize(1);
        assertThat(s.available()).isEqualTo(500);
    }

    @Test
    void redeemKeyReusedWithADifferentBodyIsRefusedAndChangesNothing() {
        earn("c-1", "o-1", 50000);
        earn("c-2", "o-9", 50000);
        Api.Reply first = redeem(redeemBody("c-1", "ten-off", "o-2", 5000), "k-1");
        assertThat(first.status()).isEqualTo(201);
        Invariants.Snapshot before1 = Invariants.check(api, PID, "c-1");
        Invariants.Snapshot before2 = Invariants.check(api, PID, "c-2");

        for (String other : new String[] {
                redeemBody("c-1", "ten-off", "o-2", 6000),   // another order total
                redeemBody("c-1", "ten-off", "o-3", 5000),   // another order
                giftBody("c-1", "gift"),                       // another reward
                redeemBody("c-2", "ten-off", "o-2", 5000)}) { // another customer
            Api.Reply reused = redeem(other, "k-1");
            assertThat(reused.status()).as("%s with key k-1: %s", other, reused).isEqualTo(409);
            assertThat(reused.code()).as(reused.toString()).isEqualTo("idempotency_key_reused");
            assertThat(reused.headers()).doesNotContainKey("idempotent-replayed");
        }
        Invariants.Snapshot after1 = Invariants.check(api, PID, "c-1");
        Invariants.Snapshot after2 = Invariants.check(api, PID, "c-2");
        assertThat(after1.available()).isEqualTo(before1.available());
        assertThat(after1.entries()).isEqualTo(before1.entries());
        assertThat(after2.available()).isEqualTo(before2.available());
        assertThat(after2.entries()).isEqualTo(before2.entries());
        // and the first request still replays
        assertReplayOf(redeem(redeemBody("c-1", "ten-off", "o-2", 5000), "k-1"), first);
    }

    @Test
    void redeemKeyReusedForARequestThatWouldFailAnywayIsStillKeyReused() {
        earn("c-1", "o-1", 50000);
        Api.Reply first = redeem(giftBody("c-1", "gift"), "k-x");
        assertThat(first.status()).isEqualTo(201);
        Api.Reply reused = redeem(giftBody("c-1", "pricey"), "k-x");
        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.code()).as("the key decides first: %s", reused).isEqualTo("idempotency_key_reused");
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).hasSize(1);
    }

    @Test
    void redeemWithoutIdempotencyKeyIsRefused() {
        earn("c-1", "o-1", 50000);
        Api.Reply r = api.shop("POST", P + "/redeem", giftBody("c-1", "gift"));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(Invariants.check(api, PID, "c-1").ofType("redeem")).isEmpty();
    }

    // ------------------------------------------------------------------ earn

    @Test
    void earnReplayAnswersTheFirstAnswer() {
        Api.Reply first = earn("c-1", "o-1", 12999);
        assertThat(first.headers()).doesNotContainKey("idempotent-replayed");
        Api.Reply replay = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 12999, "2026-11-23T08:00:00Z"));
        assertReplayOf(replay, first);
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, "c-1");
        assertThat(s.available()).isEqualTo(129);
        assertThat(s.ofType("earn")).hasSize(1);
    }

    @Test
    void earnReplayAfterTheBalanceMovedStillAnswersTheFirstAnswer() {
        Api.Reply first = earn("c-1", "o-1", 12999);
        earn("c-1", "o-2", 5000);
        Api.Reply spent = redeem(giftBody("c-1", "gift"), "k-1");
        assertThat(spent.status()).isEqualTo(201);
        Api.Reply replay = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 12999, "2026-11-23T08:00:00Z"));
        assertReplayOf(replay, first);
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, "c-1");
        assertThat(s.available()).isEqualTo(129 + 50 - 40);
        assertThat(s.ofType("earn")).hasSize(2);
    }

    @Test
    void earnWithTheSameEventAndADifferentBodyIsRefusedAndChangesNothing() {
        Api.Reply first = earn("c-1", "o-1", 12999);
        Invariants.Snapshot before = Invariants.check(api, PID, "c-1");
        for (String other : new String[] {
                Api.orderPaid("c-1", "o-1", 13000, "2026-11-23T08:00:00Z"),   // another total
                Api.orderPaid("c-1", "o-1", 12999, "2026-11-23T08:30:00Z"),   // another time
                Api.orderPaid("c-2", "o-1", 12999, "2026-11-23T08:00:00Z")}) { // another customer
            Api.Reply reused = api.shop("POST", P + "/earn", other);
            assertThat(reused.status()).as("%s: %s", other, reused).isEqualTo(409);
            assertThat(reused.code()).as(reused.toString()).isEqualTo("idempotency_key_reused");
        }
        Invariants.Snapshot after = Invariants.checkWithLifetime(api, PID, "c-1");
        assertThat(after.available()).isEqualTo(before.available());
        assertThat(after.entries()).isEqualTo(before.entries());
        Api.Reply c2 = api.shop("GET", P + "/customers/c-2", null);
        assertThat(c2.status()).as("a refused earn enrols nobody: %s", c2).isEqualTo(404);
        assertReplayOf(api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 12999, "2026-11-23T08:00:00Z")), first);
    }

    @Test
    void sameEventIdWithAnotherTypeIsAnotherEvent() {
        earn("c-1", "e-1", 10000);
        Api.Reply grant = api.shop("POST", P + "/earn",
                "{\"customerId\": \"c-1\", \"event\": {\"type\": \"points.granted\", \"id\": \"e-1\"}}");
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        assertThat(grant.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(grant.body().path("pointsEarned").asLong()).isEqualTo(100);
        assertThat(Invariants.checkWithLifetime(api, PID, "c-1").available()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void rollbackWithARepeatedIdempotencyKeyReplaysAndRestoresOnce() {
        earn("c-1", "o-1", 50000);
        Api.Reply r = redeem(giftBody("c-1", "gift"), "k-1");
        String path = P + "/redemptions/" + r.body().path("redemptionId").asText() + "/rollback";
        Api.Reply first = api.shop("POST", path, null, key("rb-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("pointsRestored").asLong()).isEqualTo(40);
        for (int i = 0; i < 2; i++) {
            assertReplayOf(api.shop("POST", path, null, key("rb-1")), first);
        }
        // without the key, or with another, a second rollback is a conflict
        Api.Reply again = api.shop("POST", path, null);
        assertThat(again.code()).as(again.toString()).isEqualTo("already_rolled_back");
        Api.Reply otherKey = api.shop("POST", path, null, key("rb-2"));
        assertThat(otherKey.status()).as(otherKey.toString()).isEqualTo(409);
        assertThat(otherKey.code()).isEqualTo("already_rolled_back");
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.available()).isEqualTo(500);
        assertThat(s.ofType("rollback")).hasSize(1);
    }

    @Test
    void rollbackKeyReusedForAnotherRedemptionIsRefusedAndRollsNothingBack() {
        earn("c-1", "o-1", 50000);
        Api.Reply r1 = redeem(giftBody("c-1", "gift"), "k-1");
        Api.Reply r2 = redeem(giftBody("c-1", "gift"), "k-2");
        Api.Reply first = api.shop("POST", P + "/redemptions/" + r1.body().path("redemptionId").asText() + "/rollback", null,
                key("rb-1"));
        assertThat(first.status()).isEqualTo(200);
        String path2 = P + "/redemptions/" + r2.body().path("redemptionId").asText() + "/rollback";
        Api.Reply reused = api.shop("POST", path2, null, key("rb-1"));
        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.ofType("rollback")).hasSize(1);
        assertThat(s.available()).isEqualTo(500 - 40);
        // r2 can still be rolled back
        Api.Reply rb2 = api.shop("POST", path2, null, key("rb-2"));
        assertThat(rb2.status()).as(rb2.toString()).isEqualTo(200);
    }

    @Test
    void rollbackKeyRepeatedWithAnotherReasonIsKeyReused() {
        earn("c-1", "o-1", 50000);
        Api.Reply r = redeem(giftBody("c-1", "gift"), "k-1");
        String path = P + "/redemptions/" + r.body().path("redemptionId").asText() + "/rollback";
        Api.Reply first = api.shop("POST", path, "{\"reason\": \"order cancelled\"}", key("rb-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        Api.Reply reused = api.shop("POST", path, "{\"reason\": \"something else\"}", key("rb-1"));
        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        assertReplayOf(api.shop("POST", path, "{\"reason\": \"order cancelled\"}", key("rb-1")), first);
    }

    // ------------------------------------------------------------------ refunds

    static String refundBody(String customerId, String orderId, long amountMinor) {
        return "{\"customerId\": \"" + customerId + "\", \"orderId\": \"" + orderId + "\", \"amountMinor\": " + amountMinor + "}";
    }

    @Test
    void partialRefundWithARepeatedIdempotencyKeyReplaysAndClawsBackOnce() {
        earn("c-1", "o-1", 20000); // 200 points
        Api.Reply first = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 5000), key("rf-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("pointsClawedBack").asLong()).isEqualTo(50);
        for (int i = 0; i < 2; i++) {
            assertReplayOf(api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 5000), key("rf-1")), first);
        }
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.available()).as("clawed back once").isEqualTo(150);
        assertThat(s.ofType("refund")).hasSize(1);
        // a second refund with its own key is a new refund
        Api.Reply second = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 5000), key("rf-2"));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(Invariants.check(api, PID, "c-1").available()).isEqualTo(100);
        // and the first still replays its own answer
        assertReplayOf(api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 5000), key("rf-1")), first);
        assertThat(Invariants.check(api, PID, "c-1").ofType("refund")).hasSize(2);
    }

    @Test
    void fullRefundWithARepeatedIdempotencyKeyReplays() {
        earn("c-1", "o-1", 20000);
        Api.Reply first = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 20000), key("rf-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("pointsClawedBack").asLong()).isEqualTo(200);
        assertReplayOf(api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 20000), key("rf-1")), first);
        Invariants.Snapshot s = Invariants.check(api, PID, "c-1");
        assertThat(s.available()).isZero();
        assertThat(s.ofType("refund")).hasSize(1);
    }

    @Test
    void refundKeyReusedWithAnotherAmountIsRefusedAndChangesNothing() {
        earn("c-1", "o-1", 20000);
        Api.Reply first = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 5000), key("rf-1"));
        assertThat(first.status()).isEqualTo(200);
        Invariants.Snapshot before = Invariants.check(api, PID, "c-1");
        Api.Reply reused = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 6000), key("rf-1"));
        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.code()).isEqualTo("idempotency_key_reused");
        Invariants.Snapshot after = Invariants.check(api, PID, "c-1");
        assertThat(after.available()).isEqualTo(before.available());
        assertThat(after.entries()).isEqualTo(before.entries());
        // the order still has 15,000 to refund: its total has not moved
        Api.Reply rest = api.shop("POST", P + "/refunds", refundBody("c-1", "o-1", 15000), key("rf-3"));
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        assertThat(rest.body().path("pointsClawedBack").asLong()).isEqualTo(150);
        JsonNode w = Invariants.wallet(api, PID, "c-1");
        assertThat(w.path("balance").path("available").asLong()).isZero();
    }
}
