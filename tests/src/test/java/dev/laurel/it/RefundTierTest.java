package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tier follows the points that count for it (lifetimeEarned) down after a refund (API.md, tiers). */
class RefundTierTest {
    static final String P = "/v1/programs/acme";

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, Api.minimalProgram()); // bronze 0, silver 500 (x1.5), gold 2000 (x2)
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    Api.Reply refund(String customer, String order, long amountMinor) {
        Api.Reply r = api.shop("POST", P + "/refunds",
                "{\"customerId\": \"" + customer + "\", \"orderId\": \"" + order + "\", \"amountMinor\": " + amountMinor + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    JsonNode tier(String customer) {
        return Invariants.wallet(api, "acme", customer).path("tier");
    }

    @Test
    void aFullRefundTakesTheTierBackDown() {
        Api.Reply e = earn("c-1", "o-1", 200000);                     // 2000 points: gold
        assertThat(e.body().path("tier").path("id").asText()).isEqualTo("gold");
        Api.Reply r = refund("c-1", "o-1", 200000);
        assertThat(r.body().path("balance").path("lifetimeEarned").asLong()).isZero();
        JsonNode t = tier("c-1");
        assertThat(t.path("id").asText()).as(t.toString()).isEqualTo("bronze");
        assertThat(t.path("next").asText()).isEqualTo("silver");
        assertThat(t.path("pointsToNext").asLong()).isEqualTo(500);
        assertThat(r.body().path("tier").path("id").asText()).as(r.toString()).isEqualTo("bronze");
        assertThat(r.body().path("tier").path("changed").asBoolean()).isTrue();
        // the next earn is at bronze (no multiplier), not at gold's x2
        Api.Reply again = earn("c-1", "o-2", 100000);
        assertThat(again.body().path("pointsEarned").asLong()).as(again.toString()).isEqualTo(1000);
        assertThat(again.body().path("tier").path("id").asText()).isEqualTo("silver");
        assertThat(again.body().path("tier").path("changed").asBoolean()).isTrue();
        Invariants.check(api, "acme", "c-1");
    }

    @Test
    void aPartialRefundAboveTheThresholdKeepsTheTier() {
        earn("c-2", "o-1", 300000);                                   // 3000 points: gold
        Api.Reply quarter = refund("c-2", "o-1", 75000);              // 750 back: 2250 still count
        assertThat(quarter.body().path("balance").path("lifetimeEarned").asLong()).isEqualTo(2250);
        assertThat(quarter.body().path("tier").path("id").asText()).as(quarter.toString()).isEqualTo("gold");
        assertThat(quarter.body().path("tier").path("changed").asBoolean()).isFalse();
        assertThat(tier("c-2").path("id").asText()).isEqualTo("gold");
        assertThat(tier("c-2").path("next").isNull()).isTrue();

        Api.Reply more = refund("c-2", "o-1", 75000);                 // 1500 count: silver
        assertThat(more.body().path("tier").path("id").asText()).as(more.toString()).isEqualTo("silver");
        assertThat(more.body().path("tier").path("changed").asBoolean()).isTrue();
        JsonNode t = tier("c-2");
        assertThat(t.path("id").asText()).as(t.toString()).isEqualTo("silver");
        assertThat(t.path("next").asText()).isEqualTo("gold");
        assertThat(t.path("pointsToNext").asLong()).isEqualTo(500);
        Invariants.check(api, "acme", "c-2");
    }
}
