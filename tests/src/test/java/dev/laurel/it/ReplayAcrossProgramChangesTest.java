package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 1: a replay is the first answer, whatever changed since. A client that retries a
 * write after a timeout must learn what the write did, even when the program was replaced in
 * between (a reward removed or repriced, the currency, rules or time zone changed); a request
 * whose key never took effect is decided afresh. Through the real handlers on DynamoDB Local.
 */
class ReplayAcrossProgramChangesTest {
    static final String P = "/v1/programs/p";
    static final String PROGRAM = """
            {"name": "Replays", "currency": "%s", "timezone": "%s",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": %d, "amountMinor": 100}}}],
             "rewards": [%s],
             "expiry": {"afterDays": 365}}
            """;
    static final String MUG = "{\"id\": \"mug\", \"type\": \"product\", \"cost\": 100}";
    static final String TEN_OFF = "{\"id\": \"ten-off\", \"type\": \"discount_amount\", \"valueMinor\": 1000, \"cost\": 100}";

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(100), LocalDynamo.freshTable());
        program("EUR", "Europe/Berlin", 1, MUG + ", " + TEN_OFF);
        Api.Reply earn = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 30000, "2026-11-23T09:00:00Z"));
        assertThat(earn.status()).as(earn.toString()).isEqualTo(200);
    }

    /** A new version of the program; the clock moves past every function's program cache. */
    void program(String currency, String zone, int pointsPerEuro, String rewards) {
        Api.Reply r = api.admin("PUT", P, PROGRAM.formatted(currency, zone, pointsPerEuro, rewards));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        api.clock.advance(Duration.ofMinutes(1));
    }

    long available() {
        return api.shop("GET", P + "/customers/c-1", null).body().path("balance").path("available").asLong();
    }

    static void assertReplayOf(Api.Reply replay, Api.Reply first) {
        assertThat(replay.status()).as(replay.toString()).isEqualTo(first.status());
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().get("idempotent-replayed")).isEqualTo("true");
    }

    static String mug(String customerId) {
        return "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"mug\"}";
    }

    static String tenOff(String currency) {
        return "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": {\"id\": \"b-1\", \"totalMinor\": 5000, \"currency\": \""
                + currency + "\"}}";
    }

    @Test
    void aRedeemReplayedAfterItsRewardWasRemovedIsTheFirstAnswer() {
        Api.Reply first = api.shop("POST", P + "/redeem", mug("c-1"), key("K1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        program("EUR", "Europe/Berlin", 1, TEN_OFF);   // the mug is gone

        assertReplayOf(api.shop("POST", P + "/redeem", mug("c-1"), key("K1")), first);
        assertThat(available()).isEqualTo(200);          // spent once
        // the same key with another request is still a reuse, not a missing reward
        Api.Reply other = api.shop("POST", P + "/redeem", mug("c-2"), key("K1"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        // a new key for the removed reward: no replay to find, the refusal
        Api.Reply fresh = api.shop("POST", P + "/redeem", mug("c-1"), key("K2"));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(404);
        assertThat(fresh.headers()).doesNotContainKey("idempotent-replayed");
    }

    @Test
    void aRedeemReplayedAfterARepriceIsTheFirstAnswerAndSpendsNothingMore() {
        Api.Reply first = api.shop("POST", P + "/redeem", mug("c-1"), key("K1"));
        program("EUR", "Europe/Berlin", 1, MUG.replace("100", "250") + ", " + TEN_OFF); // now unaffordable
        Api.Reply replay = api.shop("POST", P + "/redeem", mug("c-1"), key("K1"));
        assertReplayOf(replay, first);
        assertThat(replay.body().path("pointsSpent").asLong()).isEqualTo(100);
        program("EUR", "Europe/Berlin", 1, MUG.replace("100", "50") + ", " + TEN_OFF);  // now cheaper
        assertReplayOf(api.shop("POST", P + "/redeem", mug("c-1"), key("K1")), first);
        assertThat(available()).isEqualTo(200);
    }

    @Test
    void aRedeemReplayedAfterTheCurrencyChangedAndTheRewardWasRemovedIsTheFirstAnswer() {
        Api.Reply first = api.shop("POST", P + "/redeem", tenOff("EUR"), key("K1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        program("USD", "Europe/Berlin", 1, MUG + ", " + TEN_OFF);
        assertReplayOf(api.shop("POST", P + "/redeem", tenOff("EUR"), key("K1")), first);
        program("USD", "America/New_York", 1, MUG);
        assertReplayOf(api.shop("POST", P + "/redeem", tenOff("EUR"), key("K1")), first);
        assertThat(available()).isEqualTo(200);
    }

    @Test
    void anEarnReplayedAfterTheCurrencyChangedIsTheFirstAnswer() {
        String body = Api.orderPaid("c-1", "o-2", 10000, "2026-11-23T09:00:00Z");
        Api.Reply first = api.shop("POST", P + "/earn", body);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        program("USD", "Europe/Berlin", 1, MUG);
        assertReplayOf(api.shop("POST", P + "/earn", body), first);
        assertThat(available()).isEqualTo(400);
        // another order in the old currency was never applied: refused
        Api.Reply fresh = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-3", 10000, "2026-11-23T09:00:00Z"));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(400);
        assertThat(fresh.field()).isEqualTo("event.order.currency");
        // the same event with another body: a reuse
        Api.Reply other = api.shop("POST", P + "/earn", body.replace("10000", "20000"));
        assertThat(other.code()).as(other.toString()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void anEarnReplayedAfterTheRulesChangedIsTheFirstAnswerAndEarnsNoSecondLot() {
        String body = Api.orderPaid("c-1", "o-2", 10000, "2026-11-23T09:00:00Z");
        Api.Reply first = api.shop("POST", P + "/earn", body);
        program("EUR", "Asia/Tokyo", 3, MUG);
        assertReplayOf(api.shop("POST", P + "/earn", body), first);
        assertThat(available()).isEqualTo(400);
    }

    @Test
    void anEarnRefusedBeforeIsDecidedAfreshAfterTheProgramChanged() {
        String usd = Api.orderPaid("c-1", "o-2", 10000, "2026-11-23T09:00:00Z").replace("EUR", "USD");
        Api.Reply refused = api.shop("POST", P + "/earn", usd);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        program("USD", "Europe/Berlin", 1, MUG);
        Api.Reply now = api.shop("POST", P + "/earn", usd);
        assertThat(now.status()).as(now.toString()).isEqualTo(200);
        assertThat(now.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(now.body().path("pointsEarned").asLong()).isEqualTo(100);
    }

    @Test
    void aRollbackReplayedAfterItsRewardWasRemovedIsTheFirstAnswer() {
        Api.Reply redeemed = api.shop("POST", P + "/redeem", mug("c-1"), key("K1"));
        String path = P + "/redemptions/" + redeemed.body().path("redemptionId").asText() + "/rollback";
        Api.Reply first = api.shop("POST", path, "{\"reason\": \"basket abandoned\"}", key("R1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        program("USD", "Europe/Berlin", 1, TEN_OFF);
        assertReplayOf(api.shop("POST", path, "{\"reason\": \"basket abandoned\"}", key("R1")), first);
        assertThat(available()).isEqualTo(300);
    }

    @Test
    void aRefundReplayedAfterTheProgramChangedIsTheFirstAnswer() {
        String body = "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 30000}";
        Api.Reply first = api.shop("POST", P + "/refunds", body, key("F1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        program("USD", "Asia/Tokyo", 2, MUG);
        assertReplayOf(api.shop("POST", P + "/refunds", body, key("F1")), first);
        assertThat(available()).isZero();
    }

    @Test
    void aDonationReplayedAfterItsCharityWasRemovedAndTheCurrencyChangedIsTheFirstAnswer() {
        String withCharity = PROGRAM.formatted("EUR", "Europe/Berlin", 1, MUG).replace("\"expiry\"",
                "\"charities\": [{\"id\": \"trees\", \"name\": \"Trees\", \"pointValueMinor\": 2}], \"expiry\"");
        assertThat(api.admin("PUT", P, withCharity).status()).isEqualTo(200);
        api.clock.advance(Duration.ofMinutes(1));
        String body = "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 120}";
        Api.Reply first = api.shop("POST", P + "/donations", body, key("D1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.body().path("valueMinor").asLong()).isEqualTo(240);
        program("USD", "Asia/Tokyo", 2, MUG); // the charity is gone
        assertReplayOf(api.shop("POST", P + "/donations", body, key("D1")), first);
        assertThat(available()).isEqualTo(180);
        Api.Reply other = api.shop("POST", P + "/donations", body.replace("120", "121"), key("D1"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        Api.Reply fresh = api.shop("POST", P + "/donations", body, key("D2"));
        assertThat(fresh.status()).as(fresh.toString()).isEqualTo(404);
    }

    @Test
    void aReplayToAProgramThatDoesNotExistIsNotFound() {
        Api.Reply first = api.shop("POST", P + "/redeem", mug("c-1"), key("K1"));
        assertThat(first.status()).isEqualTo(201);
        // the key belongs to program p: another program knows nothing of it
        Api.Reply elsewhere = api.shop("POST", "/v1/programs/q/redeem", mug("c-1"), key("K1"));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(404);
    }
}
