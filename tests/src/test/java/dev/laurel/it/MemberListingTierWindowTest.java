package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The member listing ({@code GET .../customers}) shows a member's tier progress as the wallet does:
 * under a tier window ({@code tierPolicy}) {@code pointsToNext} counts the window's points, not the
 * lifetime's. Through the real routes on DynamoDB Local.
 */
class MemberListingTierWindowTest {
    final Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-03-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
    int order;

    void program(String window) {
        Api.Reply put = api.admin("PUT", "/v1/programs/p", """
                {"name": "Tiers", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500}, {"id": "gold", "threshold": 2000}],
                 "tierPolicy": {"window": "%s", "downgrade": "%s"}}
                """.formatted(window, window.equals("lifetime") ? "never" : "end_of_window"));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    void earn(String customer, long points) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn",
                Api.orderPaid(customer, "o-" + ++order, points * 100, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
    }

    JsonNode listed(String customer) {
        Api.Reply r = api.admin("GET", "/v1/programs/p/customers", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode m : r.body().path("customers")) {
            if (m.path("customerId").asText().equals(customer)) {
                return m.path("tier");
            }
        }
        throw new AssertionError(customer + " is not listed: " + r);
    }

    JsonNode wallet(String customer) {
        return Invariants.wallet(api, "p", customer).path("tier");
    }

    @Test
    void underACalendarYearWindowTheListingCountsTheWindowsPointsAsTheWalletDoes() {
        program("calendar_year");
        earn("c-1", 1500);
        assertThat(listed("c-1")).isEqualTo(wallet("c-1"));
        assertThat(listed("c-1").path("pointsToNext").asLong()).isEqualTo(500);
        api.clock.advance(Duration.ofDays(400)); // April 2027: none of the 1500 count in this year's window
        earn("c-1", 100);
        assertThat(wallet("c-1").path("pointsToNext").asLong()).as("the wallet").isEqualTo(1900);
        assertThat(listed("c-1")).as("the listing, not 2000 - 1600 lifetime").isEqualTo(wallet("c-1"));
    }

    @Test
    void underTheLifetimeWindowTheListingCountsLifetimePoints() {
        program("lifetime");
        earn("c-1", 1500);
        api.clock.advance(Duration.ofDays(400));
        earn("c-1", 100);
        assertThat(listed("c-1").path("pointsToNext").asLong()).isEqualTo(400);
        assertThat(listed("c-1")).isEqualTo(wallet("c-1"));
    }
}
