package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every budget refuses a charge larger than its limit on its first use too (the budget item does
 * not exist yet), and validate and redeem agree on it.
 */
class BudgetsTest {
    static final String P = "/v1/programs/b";

    static final String PROGRAM = """
            {"name": "Budgets", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "grant", "trigger": "points.granted", "points": {"fixed": 1000}},
               {"id": "bonus", "trigger": "bonus.given", "points": {"fixed": 500}, "limits": {"total": {"points": 100}}},
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}},
                "limits": {"total": {"points": 120}}}
             ],
             "rewards": [
               {"id": "big-gift", "type": "gift_card", "valueMinor": 5000, "cost": 10, "limits": {"totalDiscountMinor": 1000}},
               {"id": "big-off", "type": "discount_amount", "valueMinor": 5000, "cost": 10, "limits": {"totalDiscountMinor": 1000}},
               {"id": "small-orders", "type": "gift_card", "valueMinor": 100, "cost": 10, "limits": {"totalOrderMinor": 1000}},
               {"id": "ship", "type": "free_shipping", "cost": 10},
               {"id": "amount", "type": "discount_amount", "valueMinor": 5000, "cost": 10}
             ]}
            """;

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        Api.Reply r = api.shop("POST", P + "/earn", """
                {"customerId": "c-1", "event": {"type": "points.granted", "id": "g-1"}}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    Api.Reply redeem(String rewardId, String order, String key) {
        String body = "{\"customerId\": \"c-1\", \"rewardId\": \"" + rewardId + "\""
                + (order == null ? "" : ", \"order\": " + order) + "}";
        return api.shop("POST", P + "/redeem", body, Map.of("Idempotency-Key", key));
    }

    JsonNode validate(String rewardId, String order) {
        Api.Reply v = api.shop("POST", P + "/validate", "{\"customerId\": \"c-1\", "
                + (order == null ? "" : "\"order\": " + order + ", ") + "\"rewards\": [\"" + rewardId + "\"]}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        return v.body().path("rewards").get(0);
    }

    static List<String> reasons(JsonNode reward) {
        List<String> out = new ArrayList<>();
        reward.path("reasons").forEach(n -> out.add(n.asText()));
        return out;
    }

    long available() {
        return api.shop("GET", P + "/customers/c-1", null).body().path("balance").path("available").asLong();
    }

    void assertRefusedOnFirstUse(String rewardId, String order) {
        assertThat(reasons(validate(rewardId, order))).as("validate of " + rewardId).contains("budget_exhausted");
        Api.Reply r = redeem(rewardId, order, "k-" + rewardId);
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("budget_exhausted");
        assertThat(available()).isEqualTo(1000);
        // nothing was charged: validate still says the same
        assertThat(reasons(validate(rewardId, order))).contains("budget_exhausted");
    }

    @Test
    void aValueAboveTheDiscountBudgetIsRefusedOnTheFirstRedemption() {
        assertRefusedOnFirstUse("big-gift", null);
    }

    @Test
    void aDiscountAboveTheDiscountBudgetIsRefusedOnTheFirstRedemption() {
        assertRefusedOnFirstUse("big-off", "{\"id\": \"o-1\", \"totalMinor\": 6000, \"currency\": \"EUR\"}");
    }

    @Test
    void anOrderAboveTheOrderBudgetIsRefusedOnTheFirstRedemption() {
        assertRefusedOnFirstUse("small-orders", "{\"id\": \"o-1\", \"totalMinor\": 5000, \"currency\": \"EUR\"}");
        // an order that fits goes through
        Api.Reply ok = redeem("small-orders", "{\"id\": \"o-2\", \"totalMinor\": 1000, \"currency\": \"EUR\"}", "k-ok");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(reasons(validate("small-orders", "{\"totalMinor\": 1, \"currency\": \"EUR\"}"))).contains("budget_exhausted");
    }

    @Test
    void aRuleBudgetGivesAtMostItsLimitOnItsFirstUse() {
        Api.Reply r = api.shop("POST", P + "/earn", "{\"customerId\": \"c-2\", \"event\": {\"type\": \"bonus.given\", \"id\": \"b-1\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsEarned").asLong()).isEqualTo(100);
        Api.Reply again = api.shop("POST", P + "/earn", "{\"customerId\": \"c-3\", \"event\": {\"type\": \"bonus.given\", \"id\": \"b-2\"}}");
        assertThat(again.body().path("pointsEarned").asLong()).as(again.toString()).isZero();
    }

    @Test
    void freeShippingAboveTheOrderTotalTakesOffAtMostTheTotal() {
        String order = "{\"id\": \"o-1\", \"totalMinor\": 1000, \"currency\": \"EUR\", \"shippingMinor\": 4000}";
        JsonNode v = validate("ship", order);
        assertThat(v.path("discountMinor").asLong()).as(v.toString()).isEqualTo(1000);
        Api.Reply r = redeem("ship", order, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("discountMinor").asLong()).isEqualTo(1000);
        // the order is fully discounted: nothing more fits on it, validate and redeem agree
        assertThat(reasons(validate("amount", order))).contains("stacking");
        Api.Reply more = redeem("amount", order, "k-2");
        assertThat(more.status()).as(more.toString()).isEqualTo(422);
        assertThat(available()).isEqualTo(990);
    }

    @Test
    void aDiscountAmountAboveTheOrderTotalTakesOffAtMostTheTotal() {
        String order = "{\"id\": \"o-1\", \"totalMinor\": 1000, \"currency\": \"EUR\"}";
        Api.Reply r = redeem("amount", order, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("discountMinor").asLong()).isEqualTo(1000);
    }

    @Test
    void earnPreviewShowsOnlyWhatFitsInARuleBudgetAlreadyUsed() {
        // purchase has a total budget of 120 points: another customer's order uses 100
        Api.Reply e = api.shop("POST", P + "/earn", Api.orderPaid("c-2", "o-0", 10000, "2026-11-23T09:00:00Z"));
        assertThat(e.body().path("pointsEarned").asLong()).as(e.toString()).isEqualTo(100);
        Api.Reply v = api.shop("POST", P + "/validate", """
                {"customerId": "c-1", "order": {"totalMinor": 5000, "currency": "EUR"}, "rewards": ["ship"]}""");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        assertThat(v.body().path("earnPreview").path("points").asLong()).as(v.toString()).isEqualTo(20);
        // and the earn gives what the preview said
        Api.Reply earned = api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 5000, "2026-11-23T09:00:00Z"));
        assertThat(earned.body().path("pointsEarned").asLong()).as(earned.toString()).isEqualTo(20);
    }
}
