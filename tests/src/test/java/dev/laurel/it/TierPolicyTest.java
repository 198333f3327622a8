package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.local.LocalClock;
import dev.laurel.notify.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The program's {@code tierPolicy} through the real earn route and the real expiry function
 * (its EventBridge event) on DynamoDB Local, the clock moved: one tier down per window at its end
 * in the program's zone, never below what the window's points keep, {@code never} never, a
 * zero-point {@code tier_changed} ledger entry each time, and nothing twice.
 */
class TierPolicyTest {
    Api api;
    Jobs jobs;

    void start(String window, String downgrade, String at) {
        api = new Api(LocalClock.frozenAt(Instant.parse(at)), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", """
                {"name": "Tiers", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500},
                           {"id": "gold", "threshold": 2000}],
                 "reminders": {"tierDowngradeWarning": true},
                 "tierPolicy": {"window": "%s", "downgrade": "%s"}}
                """.formatted(window, downgrade));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    void at(String instant) {
        api.clock.set(Instant.parse(instant));
    }

    int order;

    void earn(String customer, long points) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn",
                Api.orderPaid(customer, "o-" + ++order, points * 100, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    String tier(String customer) {
        return Invariants.wallet(api, "p", customer).path("tier").path("id").asText();
    }

    List<JsonNode> tierEntries(String customer) {
        Api.Reply r = api.admin("GET", "/v1/programs/p/customers/" + customer + "/ledger?limit=100", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.body().path("entries").forEach(e -> {
            if (e.path("type").asText().equals("tier_changed")) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void calendarYearMovesDownOneTierAtEachYearEndInTheProgramsZoneAndOnlyOnce() {
        start("calendar_year", "end_of_window", "2026-03-01T10:00:00Z");
        earn("c-1", 2500);
        assertThat(tier("c-1")).isEqualTo("gold");
        // 2026's points keep gold for 2027
        at("2026-12-31T23:00:00Z"); // midnight in Berlin
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("gold");
        assertThat(tierEntries("c-1")).isEmpty();
        // nothing earned in 2027: a second before the year ends in Berlin, nothing; at its end, one tier down
        at("2027-12-31T22:59:59Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("gold");
        at("2027-12-31T23:00:00Z");
        jobs.expiry();
        jobs.expiry(); // a repeated run changes nothing
        assertThat(tier("c-1")).isEqualTo("silver");
        List<JsonNode> entries = tierEntries("c-1");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("points").asLong()).isZero();
        assertThat(Invariants.wallet(api, "p", "c-1").path("balance").path("available").asLong()).isEqualTo(2500);
        at("2028-06-01T10:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).as("one tier per window").isEqualTo("silver");
        at("2028-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("bronze");
        at("2029-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("bronze");
        assertThat(tierEntries("c-1")).hasSize(2);
    }

    @Test
    void theWindowsPointsKeepTheirTierAndAMemberNeverFallsBelowIt() {
        start("calendar_year", "end_of_window", "2026-03-01T10:00:00Z");
        earn("keeps", 2500);
        earn("short", 2500);
        at("2027-05-01T10:00:00Z");
        earn("keeps", 2000);
        earn("short", 600);
        at("2027-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("keeps")).isEqualTo("gold");
        assertThat(tier("short")).isEqualTo("silver");
        at("2028-03-01T10:00:00Z");
        earn("short", 2000); // earned back within the window: up again at once
        assertThat(tier("short")).isEqualTo("gold");
        at("2028-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("short")).isEqualTo("gold");
    }

    @Test
    void neverDowngradeKeepsTheTier() {
        start("calendar_year", "never", "2026-03-01T10:00:00Z");
        earn("c-1", 2500);
        for (String end : List.of("2026-12-31T23:00:00Z", "2027-12-31T23:00:00Z", "2028-12-31T23:00:00Z")) {
            at(end);
            jobs.expiry();
        }
        assertThat(tier("c-1")).isEqualTo("gold");
        assertThat(tierEntries("c-1")).isEmpty();
    }

    @Test
    void aRollingWindowIsReviewedAtEachMonthEnd() {
        start("rolling_365_days", "end_of_window", "2026-01-15T10:00:00Z");
        earn("c-1", 2500);
        // January 2026 stays in the window up to the end of December 2026
        at("2026-12-01T10:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("gold");
        at("2026-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("gold");
        at("2027-01-31T23:00:00Z"); // the end of January in Berlin: January 2026 has left the window
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("silver");
        at("2027-02-28T23:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("bronze");
        assertThat(tierEntries("c-1")).hasSize(2);
    }

    @Test
    void theWarningComesOnceThirtyDaysBeforeADowngradeAndOnlyWithConsent() {
        start("calendar_year", "end_of_window", "2026-03-01T10:00:00Z");
        for (String c : List.of("yes", "no")) {
            Api.Reply put = api.shop("PUT", "/v1/programs/p/customers/" + c,
                    "{\"email\": \"" + c + "@example.com\", \"consent\": {\"marketing\": " + c.equals("yes") + "}}");
            assertThat(put.status()).as(put.toString()).isLessThan(300);
            earn(c, 2500);
        }
        at("2026-12-31T23:00:00Z"); // 2026's points keep gold for 2027: the daily run confirms it
        jobs.expiry();
        jobs.reminders();
        assertThat(warnings()).isEmpty();
        at("2027-12-01T10:00:00Z"); // 31 days before the year ends in Berlin
        jobs.reminders();
        assertThat(warnings()).isEmpty();
        at("2027-12-02T10:00:00Z");
        jobs.reminders();
        jobs.reminders();
        at("2027-12-20T10:00:00Z");
        jobs.reminders();
        List<Outbox.Sent> sent = warnings();
        assertThat(sent).as("once, and only to the member who agreed").hasSize(1);
        assertThat(sent.get(0).notification().customerId()).isEqualTo("yes");
        assertThat(sent.get(0).notification().payload().path("nextTierId").asText()).isEqualTo("silver");
        assertThat(sent.get(0).notification().payload().path("pointsToKeep").asLong()).isEqualTo(2000);
    }

    List<Outbox.Sent> warnings() {
        return jobs.outbox.all().stream().filter(s -> s.notification().type().equals("tier_downgrade_warning")).toList();
    }

    @Test
    void anImportedTierHoldsUntilTheEndOfTheWindowItWasImportedIn() {
        start("calendar_year", "end_of_window", "2026-06-01T10:00:00Z");
        Api.Reply imp = api.admin("PUT", "/v1/programs/p/imports/i-1", "{}");
        assertThat(imp.status()).as(imp.toString()).isEqualTo(201);
        Api.Reply rows = api.call("POST", "/v1/programs/p/imports/i-1/rows?offset=0",
                "customerId,email,points,tier\nc-1,c1@example.com,10,gold\n", api.adminKey,
                java.util.Map.of("content-type", "text/csv; charset=utf-8"));
        assertThat(rows.status()).as(rows.toString()).isLessThan(300);
        assertThat(tier("c-1")).isEqualTo("gold");
        at("2026-12-31T22:59:59Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("gold");
        at("2026-12-31T23:00:00Z");
        jobs.expiry();
        assertThat(tier("c-1")).isEqualTo("silver");
    }
}
