package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reward eligibility, limits, values, stacking and which lots a redemption spends. */
class RewardsTest {
    static final String P = "/v1/programs/r";

    static final String PROGRAM = """
            {"name": "Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "grant", "trigger": "points.granted", "points": {"fixed": 1000}},
               {"id": "like", "trigger": "social.liked", "points": {"fixed": 1}}
             ],
             "rewards": [
               {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000,
                "stacking": {"category": "loyalty"}},
               {"id": "five-off", "type": "discount_amount", "valueMinor": 500, "cost": 50,
                "stacking": {"category": "loyalty"}},
               {"id": "pct", "type": "discount_percent", "percent": 10, "maxDiscountMinor": 500, "cost": 20},
               {"id": "ship", "type": "free_shipping", "cost": 30},
               {"id": "gift", "type": "gift_card", "valueMinor": 2500, "cost": 40},
               {"id": "silver-only", "type": "gift_card", "valueMinor": 100, "cost": 10, "tiers": ["silver"]},
               {"id": "vip-only", "type": "gift_card", "valueMinor": 100, "cost": 10,
                "when": {"attr": "customer.attributes.segment", "op": "eq", "value": "vip"}},
               {"id": "limited", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"perCustomer": 5}},
               {"id": "solo", "type": "discount_amount", "valueMinor": 300, "cost": 10, "stacking": {"exclusive": true}},
               {"id": "huge", "type": "gift_card", "valueMinor": 100000, "cost": 1000000},
               {"id": "mug", "type": "product", "cost": 100},
               {"id": "free", "type": "product", "cost": 0}
             ],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 100000}],
             "expiry": {"afterDays": 365}}
            """;

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    void grant(String customerId, String eventId) {
        Api.Reply r = api.shop("POST", P + "/earn", """
                {"customerId": "%s", "event": {"type": "points.granted", "id": "%s"}}""".formatted(customerId, eventId));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsEarned").asLong()).isEqualTo(1000);
    }

    Api.Reply redeem(String customerId, String rewardId, String order, String key) {
        String body = "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\""
                + (order == null ? "" : ", \"order\": " + order) + "}";
        return api.shop("POST", P + "/redeem", body, Map.of("Idempotency-Key", key));
    }

    static String order(String id, long totalMinor) {
        return "{" + (id == null ? "" : "\"id\": \"" + id + "\", ") + "\"totalMinor\": " + totalMinor + ", \"currency\": \"EUR\"}";
    }

    long available(String customerId) {
        Api.Reply w = api.shop("GET", P + "/customers/" + customerId, null);
        assertThat(w.status()).as(w.toString()).isEqualTo(200);
        return w.body().path("balance").path("available").asLong();
    }

    int ledgerSize(String customerId) {
        return api.shop("GET", P + "/customers/" + customerId + "/ledger?limit=100", null).body().path("entries").size();
    }

    static List<String> reasons(Api.Reply r) {
        return strings(r.body().path("error").path("details").path("reasons"));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void assertNotEligible(Api.Reply r, String... reasons) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("not_eligible");
        assertThat(RewardsTest.reasons(r)).as(r.toString()).containsExactly(reasons);
    }

    @Test
    void anOrderBelowTheMinimumIsNotEligible() {
        grant("c-1", "g-1");
        assertNotEligible(redeem("c-1", "ten-off", order("o-1", 1999), "k-1"), "min_order");
        assertThat(available("c-1")).isEqualTo(1000);
        Api.Reply ok = redeem("c-1", "ten-off", order("o-2", 2000), "k-2");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.body().path("discountMinor").asLong()).isEqualTo(1000);
    }

    @Test
    void aTierOnlyRewardIsNotEligibleForOtherTiers() {
        grant("c-1", "g-1");
        assertNotEligible(redeem("c-1", "silver-only", null, "k-1"), "tier");
        assertThat(available("c-1")).isEqualTo(1000);
    }

    @Test
    void aSegmentRewardFollowsTheCustomersAttributes() {
        grant("c-1", "g-1");
        assertNotEligible(redeem("c-1", "vip-only", null, "k-1"), "segment");
        Api.Reply up = api.shop("PUT", P + "/customers/c-1", "{\"attributes\": {\"segment\": \"vip\"}}");
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        Api.Reply ok = redeem("c-1", "vip-only", null, "k-2");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void thePerCustomerLimitAnswersLimitReachedOnTheSixth() {
        grant("c-1", "g-1");
        for (int i = 1; i <= 5; i++) {
            Api.Reply r = redeem("c-1", "limited", null, "k-" + i);
            assertThat(r.status()).as("redemption " + i + ": " + r).isEqualTo(201);
        }
        Api.Reply sixth = redeem("c-1", "limited", null, "k-6");
        assertThat(sixth.status()).as(sixth.toString()).isEqualTo(409);
        assertThat(sixth.code()).isEqualTo("limit_reached");
        assertThat(available("c-1")).isEqualTo(995);
        // another customer has their own five
        grant("c-2", "g-2");
        assertThat(redeem("c-2", "limited", null, "k-7").status()).isEqualTo(201);
    }

    @Test
    void insufficientPointsIsAConflictThatChangesNothing() {
        grant("c-1", "g-1");
        int entries = ledgerSize("c-1");
        Api.Reply r = redeem("c-1", "huge", null, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("insufficient_points");
        assertThat(available("c-1")).isEqualTo(1000);
        assertThat(ledgerSize("c-1")).isEqualTo(entries);
        // nothing was remembered under the key either: it works for a redemption that can succeed
        Api.Reply other = redeem("c-1", "gift", null, "k-1");
        assertThat(other.status()).as(other.toString()).isEqualTo(201);
        assertThat(other.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(available("c-1")).isEqualTo(960);
    }

    @Test
    void aPercentDiscountIsCappedByMaxDiscount() {
        grant("c-1", "g-1");
        Api.Reply small = redeem("c-1", "pct", order("o-1", 3000), "k-1");
        assertThat(small.status()).as(small.toString()).isEqualTo(201);
        assertThat(small.body().path("discountMinor").asLong()).isEqualTo(300);
        Api.Reply big = redeem("c-1", "pct", order("o-2", 10000), "k-2");
        assertThat(big.status()).as(big.toString()).isEqualTo(201);
        assertThat(big.body().path("discountMinor").asLong()).isEqualTo(500);
        assertThat(big.body().path("pointsSpent").asLong()).isEqualTo(20);
    }

    @Test
    void freeShippingTakesOffTheShipping() {
        grant("c-1", "g-1");
        Api.Reply r = redeem("c-1", "ship", "{\"id\": \"o-1\", \"totalMinor\": 5000, \"currency\": \"EUR\", \"shippingMinor\": 495}", "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("discountMinor").asLong()).isEqualTo(495);
        assertThat(r.body().path("pointsSpent").asLong()).isEqualTo(30);
    }

    @Test
    void aGiftCardReturnsItsValue() {
        grant("c-1", "g-1");
        Api.Reply r = redeem("c-1", "gift", null, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("valueMinor").asLong()).isEqualTo(2500);
        assertThat(r.body().path("discountMinor").asLong()).isZero();
        assertThat(r.body().path("code").asText()).isNotEmpty();
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(960);
    }

    @Test
    void twoRewardsOfOneCategoryDoNotStackOnAnOrderUntilTheFirstIsRolledBack() {
        grant("c-1", "g-1");
        Api.Reply first = redeem("c-1", "ten-off", order("o-1", 5000), "k-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Reply second = redeem("c-1", "five-off", order("o-1", 5000), "k-2");
        assertNotEligible(second, "stacking");
        assertThat(available("c-1")).isEqualTo(900);
        // another order is fine
        assertThat(redeem("c-1", "five-off", order("o-2", 5000), "k-3").status()).isEqualTo(201);

        Api.Reply rb = api.shop("POST", P + "/redemptions/" + first.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        Api.Reply now = redeem("c-1", "five-off", order("o-1", 5000), "k-4");
        assertThat(now.status()).as(now.toString()).isEqualTo(201);
    }

    @Test
    void anExclusiveRewardCombinesWithNothingOnItsOrder() {
        grant("c-1", "g-1");
        Api.Reply solo = redeem("c-1", "solo", order("o-1", 5000), "k-1");
        assertThat(solo.status()).as(solo.toString()).isEqualTo(201);
        assertNotEligible(redeem("c-1", "pct", order("o-1", 5000), "k-2"), "stacking");
        assertNotEligible(redeem("c-1", "ten-off", order("o-1", 5000), "k-3"), "stacking");

        // and the other way round: something first, then the exclusive one
        assertThat(redeem("c-1", "pct", order("o-2", 5000), "k-4").status()).isEqualTo(201);
        assertNotEligible(redeem("c-1", "solo", order("o-2", 5000), "k-5"), "stacking");

        Api.Reply rb = api.shop("POST", P + "/redemptions/" + solo.body().path("redemptionId").asText() + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        Api.Reply freed = redeem("c-1", "pct", order("o-1", 5000), "k-6");
        assertThat(freed.status()).as(freed.toString()).isEqualTo(201);
    }

    @Test
    void validateReportsStackingOnTheSecondRewardOfACategory() {
        grant("c-1", "g-1");
        Api.Reply v = api.shop("POST", P + "/validate", """
                {"customerId": "c-1", "order": {"id": "o-1", "totalMinor": 5000, "currency": "EUR"},
                 "rewards": ["ten-off", "five-off", "pct"]}""");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        JsonNode rewards = v.body().path("rewards");
        assertThat(rewards.get(0).path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(rewards.get(0).path("valid").asBoolean()).as(v.toString()).isTrue();
        assertThat(rewards.get(0).path("discountMinor").asLong()).isEqualTo(1000);
        assertThat(rewards.get(1).path("rewardId").asText()).isEqualTo("five-off");
        assertThat(rewards.get(1).path("valid").asBoolean()).isFalse();
        assertThat(strings(rewards.get(1).path("reasons"))).containsExactly("stacking");
        assertThat(rewards.get(2).path("valid").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.body().path("valid").asBoolean()).isFalse();
        assertThat(v.body().path("earnPreview").path("points").asLong()).isEqualTo(50);

        // a reward already redeemed on the order counts too
        assertThat(redeem("c-1", "five-off", order("o-1", 5000), "k-1").status()).isEqualTo(201);
        Api.Reply after = api.shop("POST", P + "/validate", """
                {"customerId": "c-1", "order": {"id": "o-1", "totalMinor": 5000, "currency": "EUR"},
                 "rewards": ["ten-off"]}""");
        assertThat(strings(after.body().path("rewards").get(0).path("reasons"))).as(after.toString()).contains("stacking");
        assertThat(available("c-1")).isEqualTo(950);
    }

    @Test
    void validateReportsStackingForAnExclusiveRewardWithAnyOther() {
        grant("c-1", "g-1");
        String order = "{\"id\": \"o-1\", \"totalMinor\": 5000, \"currency\": \"EUR\"}";
        Api.Reply soloFirst = api.shop("POST", P + "/validate",
                "{\"customerId\": \"c-1\", \"order\": " + order + ", \"rewards\": [\"solo\", \"pct\"]}");
        assertThat(soloFirst.status()).as(soloFirst.toString()).isEqualTo(200);
        assertThat(soloFirst.body().path("rewards").get(0).path("valid").asBoolean()).as(soloFirst.toString()).isTrue();
        assertThat(strings(soloFirst.body().path("rewards").get(1).path("reasons"))).as(soloFirst.toString()).containsExactly("stacking");
        Api.Reply soloLast = api.shop("POST", P + "/validate",
                "{\"customerId\": \"c-1\", \"order\": " + order + ", \"rewards\": [\"pct\", \"solo\"]}");
        assertThat(soloLast.body().path("rewards").get(0).path("valid").asBoolean()).as(soloLast.toString()).isTrue();
        assertThat(strings(soloLast.body().path("rewards").get(1).path("reasons"))).as(soloLast.toString()).containsExactly("stacking");
        assertThat(soloLast.body().path("valid").asBoolean()).isFalse();
        // validate wrote nothing: both still redeem one at a time on other orders
        assertThat(available("c-1")).isEqualTo(1000);
    }

    @Test
    void validateWithoutRewardsListsOnlyWhatTheCustomerCouldRedeem() {
        // 60 points: enough for five-off (50), pct (20), ship (30), gift (40), solo (10), limited (1)
        Api.Reply e = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-0", 6000, "2026-11-23T09:00:00Z"));
        assertThat(e.body().path("pointsEarned").asLong()).isEqualTo(60);
        Api.Reply v = api.shop("POST", P + "/validate", """
                {"customerId": "c-1", "order": {"totalMinor": 1500, "currency": "EUR", "shippingMinor": 300}}""");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        assertThat(v.body().path("valid").asBoolean()).isTrue();
        List<String> ids = new ArrayList<>();
        for (JsonNode r : v.body().path("rewards")) {
            ids.add(r.path("rewardId").asText());
            assertThat(r.path("valid").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("reasons")).as(r.toString()).isEmpty();
        }
        // not ten-off (100 points, min order), silver-only (tier), vip-only (segment), huge and mug (points)
        assertThat(ids).containsExactlyInAnyOrder("five-off", "pct", "ship", "gift", "solo", "limited", "free");
    }

    /**
     * Every earn is a lot; a regular customer collects many small ones (a coffee a day). A reward
     * they can afford must be redeemable however many lots pay for it.
     */
    @Test
    void aRewardPaidFromManySmallLotsCanBeRedeemed() {
        for (int i = 1; i <= 100; i++) {
            Api.Reply r = api.shop("POST", P + "/earn",
                    "{\"customerId\": \"c-1\", \"event\": {\"type\": \"social.liked\", \"id\": \"like-" + i + "\"}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertThat(available("c-1")).isEqualTo(100);
        Api.Reply r = redeem("c-1", "mug", null, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("balance").path("available").asLong()).isZero();
        assertThat(available("c-1")).isZero();
    }

    @Test
    void aFreeRewardForAnUnknownCustomerIsNotFound() {
        Api.Reply r = redeem("nobody", "free", null, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(api.shop("GET", P + "/customers/nobody", null).status()).isEqualTo(404);
    }

    @Test
    void redemptionsSpendTheSoonestExpiringLotFirst() {
        Api lots = new Api();
        // silver lots live 30 days, bronze lots 365: a newer silver lot expires before an older bronze one
        Api.Reply put = lots.admin("PUT", P, """
                {"name": "Lots", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "rewards": [{"id": "gift", "type": "gift_card", "valueMinor": 100, "cost": 40}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 100, "expiryDays": 30}],
                 "expiry": {"afterDays": 365}}""");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        Api.Reply bronze = lots.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 5000, "2026-11-23T09:00:00Z"));
        assertThat(bronze.body().path("pointsEarned").asLong()).isEqualTo(50);
        lots.clock.advance(java.time.Duration.ofHours(1));
        lots.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-2", 6000, "2026-11-23T10:00:00Z"));
        lots.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-3", 5000, "2026-11-23T10:00:00Z"));
        LocalDate day = LocalDate.parse("2026-11-23");
        String longDay = day.plusDays(365).toString();
        String shortDay = day.plusDays(30).toString();
        Map<String, Long> before = expiring(lots);
        // o-1 (bronze) lives 365 days, o-3 (silver) 30; o-2, the crossing earn, either
        assertThat(before).as(before.toString()).containsOnlyKeys(longDay, shortDay);
        assertThat(before.get(longDay) + before.get(shortDay)).isEqualTo(160);
        assertThat(before.get(shortDay)).as(before.toString()).isIn(50L, 110L);

        lots.clock.advance(java.time.Duration.ofHours(1));
        Api.Reply r = lots.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"gift\"}",
                Map.of("Idempotency-Key", "k-1"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        Map<String, Long> after = expiring(lots);
        // the 365-day lot is untouched; the 30-day points paid
        assertThat(after).as(after.toString()).containsEntry(longDay, before.get(longDay));
        assertThat(after).as(after.toString()).containsEntry(shortDay, before.get(shortDay) - 40);
    }

    static Map<String, Long> expiring(Api api) {
        Api.Reply w = api.shop("GET", P + "/customers/c-1", null);
        Map<String, Long> out = new LinkedHashMap<>();
        w.body().path("expiring").forEach(e -> out.put(e.path("on").asText(), e.path("points").asLong()));
        return out;
    }
}
