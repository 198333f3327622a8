package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 under a tier window ({@code tierPolicy}), through the real routes on DynamoDB Local:
 * a refund takes its points out of the window's month counter (net, as order statistics are), so
 * they no longer count toward the tier; and a referral award counts in the window and upgrades.
 */
class TierWindowRefundTest {
    Api api;
    int order;

    void start(String extra) {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        Api.Reply put = api.admin("PUT", "/v1/programs/p", """
                {"name": "Tiers", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500},
                           {"id": "gold", "threshold": 2000}],
                 "tierPolicy": {"window": "calendar_year", "downgrade": "end_of_window"}%s}
                """.formatted(extra));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    String earn(String customer, long points) {
        String id = "o-" + ++order;
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn",
                Api.orderPaid(customer, id, points * 100, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return id;
    }

    void refund(String customer, String orderId, long amountMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"" + customer + "\", \"orderId\": \"" + orderId + "\", \"amountMinor\": " + amountMinor + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
    }

    String tier(String customer) {
        return Invariants.wallet(api, "p", customer).path("tier").path("id").asText();
    }

    @Test
    void aRefundedOrdersPointsNoLongerCountTowardTheTierInItsWindow() {
        start("");
        String first = earn("c-1", 1500);
        assertThat(tier("c-1")).isEqualTo("silver");
        refund("c-1", first, 100000); // 1000 of the 1500 points back: 500 count in 2026
        assertThat(tier("c-1")).isEqualTo("silver");
        earn("c-1", 600); // 1100 in the window, not 2100: still silver
        assertThat(tier("c-1")).isEqualTo("silver");
        earn("c-1", 900); // 2000: gold
        assertThat(tier("c-1")).isEqualTo("gold");
    }

    @Test
    void aRefundThatTakesTheWindowsPointsBelowTheTierTheyReachedLowersIt() {
        start("");
        String big = earn("c-1", 2500);
        assertThat(tier("c-1")).isEqualTo("gold");
        refund("c-1", big, 200000); // 500 left in the window
        assertThat(tier("c-1")).isEqualTo("silver");
    }

    @Test
    void aReferralAwardCountsInTheWindowAndUpgradesTheReferrer() {
        start(", \"referrals\": {\"referrer\": {\"points\": 500}, \"referee\": {\"points\": 200}, \"minOrderMinor\": 2000}");
        earn("ada", 400);
        assertThat(tier("ada")).isEqualTo("bronze");
        String code = Invariants.wallet(api, "p", "ada").path("referral").path("code").asText();
        assertThat(api.shop("PUT", "/v1/programs/p/customers/bob", "{\"referredBy\": \"" + code + "\"}").status()).isEqualTo(201);
        earn("bob", 400); // bob: 400 + 200 referral = 600 in the window, silver
        assertThat(tier("ada")).as("400 + 500 referral points in the window").isEqualTo("silver");
        assertThat(tier("bob")).isEqualTo("silver");
        // the award stays counted: 1100 more make gold (400 + 500 + 1100 = 2000)
        earn("ada", 1100);
        assertThat(tier("ada")).isEqualTo("gold");
    }
}
