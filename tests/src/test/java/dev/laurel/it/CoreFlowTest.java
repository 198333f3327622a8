package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The minimal program of API.md, to the letter, through the real handlers on DynamoDB Local. */
class CoreFlowTest {
    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", "/v1/programs/acme", Api.minimalProgram());
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.body().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void earnOnAnOrderGivesPointsPerAmountAndEnrolsTheCustomer() {
        Api.Reply r = api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "order-1001", 12999, "2026-11-23T09:00:00Z"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsEarned").asLong()).isEqualTo(129);
        assertThat(r.body().path("breakdown").get(0).path("ruleId").asText()).isEqualTo("purchase");
        assertThat(r.body().path("breakdown").get(0).path("points").asLong()).isEqualTo(129);
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(129);
        assertThat(r.body().path("tier").path("id").asText()).isEqualTo("bronze");
        assertThat(r.body().path("tier").path("changed").asBoolean()).isFalse();

        Api.Reply wallet = api.shop("GET", "/v1/programs/acme/customers/c-1", null);
        assertThat(wallet.status()).as(wallet.toString()).isEqualTo(200);
        assertThat(wallet.body().path("balance").path("available").asLong()).isEqualTo(129);
        assertThat(wallet.body().path("balance").path("lifetimeEarned").asLong()).isEqualTo(129);
        assertThat(wallet.body().path("tier").path("next").asText()).isEqualTo("silver");
        assertThat(wallet.body().path("tier").path("pointsToNext").asLong()).isEqualTo(500 - 129);
        // earned 2026-11-23 in Berlin, 365 days: last valid day 2027-11-23
        assertThat(wallet.body().path("expiring").get(0).path("on").asText()).isEqualTo("2027-11-23");
        assertThat(wallet.body().path("expiring").get(0).path("points").asLong()).isEqualTo(129);
        JsonNode reward = wallet.body().path("rewards").get(0);
        assertThat(reward.path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(reward.path("affordable").asBoolean()).isTrue();
        assertThat(reward.path("eligible").asBoolean()).isTrue();
    }

    @Test
    void germanCustomersEarnDoubleOnMondaysInTheProgramsTimezone() {
        api.clock.set(t("2026-11-24T12:00:00Z"));
        api.shop("PUT", "/v1/programs/acme/customers/de-1", "{\"attributes\": {\"country\": \"DE\"}}");
        // Monday 00:30 in Berlin is still Sunday 23:30 UTC
        Api.Reply monday = api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("de-1", "o-1", 10000, "2026-11-22T23:30:00Z"));
        assertThat(monday.body().path("pointsEarned").asLong()).as(monday.toString()).isEqualTo(200);
        // Tuesday 00:30 Berlin is Monday 23:30 UTC: no multiplier
        Api.Reply tuesday = api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("de-1", "o-2", 10000, "2026-11-23T23:30:00Z"));
        assertThat(tuesday.body().path("pointsEarned").asLong()).as(tuesday.toString()).isEqualTo(100);
        // a customer from FR on Monday: no multiplier
        api.shop("PUT", "/v1/programs/acme/customers/fr-1", "{\"attributes\": {\"country\": \"FR\"}}");
        Api.Reply fr = api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("fr-1", "o-3", 10000, "2026-11-23T10:00:00Z"));
        assertThat(fr.body().path("pointsEarned").asLong()).isEqualTo(100);
    }

    @Test
    void redeemSpendsPointsGivesACodeAndRollbackGivesThemBackOnce() {
        api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "o-1", 30000, "2026-11-23T09:00:00Z"));
        String body = "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": {\"id\": \"o-2\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}";
        Api.Reply r = api.shop("POST", "/v1/programs/acme/redeem", body, Map.of("Idempotency-Key", "k-1"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("pointsSpent").asLong()).isEqualTo(100);
        assertThat(r.body().path("discountMinor").asLong()).isEqualTo(1000);
        assertThat(r.body().path("code").asText()).matches("LR(-[2-9A-HJKMNP-Z]{5}){3}");
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(200);
        String redemptionId = r.body().path("redemptionId").asText();

        Api.Reply replay = api.shop("POST", "/v1/programs/acme/redeem", body, Map.of("Idempotency-Key", "k-1"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(replay.body()).isEqualTo(r.body());

        Api.Reply rb = api.shop("POST", "/v1/programs/acme/redemptions/" + redemptionId + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        assertThat(rb.body().path("pointsRestored").asLong()).isEqualTo(100);
        Api.Reply again = api.shop("POST", "/v1/programs/acme/redemptions/" + redemptionId + "/rollback", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_rolled_back");

        Api.Reply wallet = api.shop("GET", "/v1/programs/acme/customers/c-1", null);
        assertThat(wallet.body().path("balance").path("available").asLong()).isEqualTo(300);

        Api.Reply ledger = api.shop("GET", "/v1/programs/acme/customers/c-1/ledger?limit=10", null);
        assertThat(ledger.status()).as(ledger.toString()).isEqualTo(200);
        assertThat(ledger.body().path("entries")).hasSize(3);
        assertThat(ledger.body().path("entries").get(0).path("type").asText()).isEqualTo("rollback");
        assertThat(ledger.body().path("entries").get(1).path("type").asText()).isEqualTo("redeem");
        assertThat(ledger.body().path("entries").get(1).path("points").asLong()).isEqualTo(-100);
        assertThat(ledger.body().path("entries").get(2).path("type").asText()).isEqualTo("earn");
    }

    @Test
    void validateExplainsWhyARewardIsNotAvailable() {
        api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "o-1", 5000, "2026-11-23T09:00:00Z"));
        Api.Reply v = api.shop("POST", "/v1/programs/acme/validate",
                "{\"customerId\": \"c-1\", \"order\": {\"totalMinor\": 1500, \"currency\": \"EUR\"}, \"rewards\": [\"ten-off\"]}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        assertThat(v.body().path("valid").asBoolean()).isFalse();
        assertThat(Json.write(v.body().path("rewards").get(0).path("reasons"))).contains("min_order", "insufficient_points");
        assertThat(v.body().path("earnPreview").path("points").asLong()).isEqualTo(15);
    }

    @Test
    void refundClawsBackTheOrdersShare() {
        api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "o-1", 20000, "2026-11-23T09:00:00Z"));
        Api.Reply half = api.shop("POST", "/v1/programs/acme/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 10000}");
        assertThat(half.status()).as(half.toString()).isEqualTo(200);
        assertThat(half.body().path("pointsClawedBack").asLong()).isEqualTo(100);
        assertThat(half.body().path("balance").path("available").asLong()).isEqualTo(100);
    }

    @Test
    void shopKeyCannotUseAdminRoutes() {
        Api.Reply r = api.shop("GET", "/v1/programs/acme", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("forbidden");
        Api.Reply bad = api.call("GET", "/v1/programs/acme/customers/c-1", null, "not-a-key-at-all", Map.of());
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.code()).isEqualTo("unauthorized");
    }

    static Instant t(String s) {
        return Instant.parse(s);
    }
}
