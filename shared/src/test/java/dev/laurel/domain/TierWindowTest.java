package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.customer;
import static dev.laurel.domain.Fixtures.fields;
import static dev.laurel.domain.Fixtures.node;
import static dev.laurel.domain.Fixtures.orderPaid;
import static dev.laurel.domain.Fixtures.program;
import static dev.laurel.domain.Fixtures.rejected;
import static dev.laurel.domain.Fixtures.withCounters;
import static dev.laurel.domain.Fixtures.withTier;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The program's {@code tierPolicy}: windows, month counters, reviews and warnings (API.md Part 2). */
class TierWindowTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Program withPolicy(String window, String downgrade) {
        return program("""
                {"name": "t", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500},
                           {"id": "gold", "threshold": 2000}]
                 %s}""".formatted(window == null ? "" : ", \"tierPolicy\": {\"window\": \"" + window
                + "\", \"downgrade\": \"" + downgrade + "\"}"));
    }

    /** A member holding {@code tier} with {@code points} earned in each of these months ("2026-11" = 100, ...). */
    static Customer holding(String tier, Map<String, Long> months) {
        Map<String, Long> points = new HashMap<>();
        months.forEach((m, p) -> points.put(TierWindow.BUCKET + m, p));
        long lifetime = Math.max(0, months.values().stream().mapToLong(Long::longValue).sum());
        return withTier(withCounters(customer(lifetime, lifetime), Map.of(), points), tier);
    }

    static Instant at(String local) {
        return java.time.LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    @Test
    void withoutAPolicyTheWindowIsLifetimeAndNothingIsEverReviewed() {
        Program p = withPolicy(null, null);
        assertThat(p.tierPolicy()).isEqualTo(Program.TierPolicy.DEFAULT);
        Customer gold = holding("gold", Map.of("2020-01", 2500L));
        assertThat(TierWindow.points(p, gold, at("2026-06-01T00:00"))).isEqualTo(2500);
        assertThat(TierWindow.nextReview(p, gold, at("2026-06-01T00:00"))).isNull();
        assertThat(TierWindow.review(p, holding("gold", Map.of()), at("2027-01-01T00:00")).changed()).isFalse();
    }

    @Test
    void neverDowngradeKeepsEveryTierAndSchedulesNoReview() {
        Program p = withPolicy("calendar_year", "never");
        Customer gold = holding("gold", Map.of());
        assertThat(TierWindow.nextReview(p, gold, at("2026-06-01T00:00"))).isNull();
        assertThat(TierWindow.review(p, gold, at("2027-01-01T00:00")).changed()).isFalse();
        assertThat(TierWindow.warn(p, gold, at("2026-12-15T00:00"))).isFalse();
    }

    @Test
    void anEarnCountsInItsMonthInTheProgramsZone() {
        Program p = withPolicy("calendar_year", "end_of_window");
        // 23:30 UTC on 31 Dec is already January in Berlin
        var plan = Earning.plan(p, holding("bronze", Map.of()), orderPaid("2026-12-31T23:30:00Z", 30000), Map.of());
        assertThat(plan.capKeys().get("~tier:month@2027-01")).containsExactly(0, 300);
    }

    @Test
    void anUpgradeFollowsTheWindowsPointsNotTheLifetimes() {
        Program p = withPolicy("calendar_year", "end_of_window");
        Customer c = holding("bronze", Map.of("2025-06", 1900L, "2026-02", 400L));
        var plan = Earning.plan(p, c, orderPaid("2026-03-01T10:00:00Z", 10000), Map.of());
        assertThat(plan.tierAfter().id()).as("400 + 100 this year reach silver, not the 2,400 of all time").isEqualTo("silver");
        var lifetime = Earning.plan(withPolicy(null, null), c, orderPaid("2026-03-01T10:00:00Z", 10000), Map.of());
        assertThat(lifetime.tierAfter().id()).isEqualTo("gold");
        assertThat(lifetime.capKeys()).as("no month counters without a window").isEmpty();
    }

    @Test
    void calendarYearEndsAtMidnightOfNewYearInTheProgramsZone() {
        Program p = withPolicy("calendar_year", "end_of_window");
        assertThat(TierWindow.windowEnd(p, at("2026-03-10T12:00"))).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(TierWindow.nextReview(p, holding("silver", Map.of()), at("2026-03-10T12:00")))
                .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    }

    @Test
    void theLowestTierIsNeverReviewed() {
        Program p = withPolicy("calendar_year", "end_of_window");
        assertThat(TierWindow.nextReview(p, holding("bronze", Map.of()), at("2026-03-10T12:00"))).isNull();
    }

    @Test
    void aReviewMovesDownOneTierAtATimeEvenWithNoPoints() {
        Program p = withPolicy("calendar_year", "end_of_window");
        TierWindow.Review r = TierWindow.review(p, holding("gold", Map.of()), at("2027-01-01T00:00"));
        assertThat(r.from().id()).isEqualTo("gold");
        assertThat(r.to().id()).isEqualTo("silver");
        TierWindow.Review next = TierWindow.review(p, holding("silver", Map.of()), at("2028-01-01T00:00"));
        assertThat(next.to().id()).isEqualTo("bronze");
    }

    @Test
    void theWindowsPointsKeepTheTierTheyReach() {
        Program p = withPolicy("calendar_year", "end_of_window");
        assertThat(TierWindow.review(p, holding("gold", Map.of("2026-05", 2000L)), at("2027-01-01T00:00")).changed()).isFalse();
        TierWindow.Review r = TierWindow.review(p, holding("gold", Map.of("2026-05", 1999L)), at("2027-01-01T00:00"));
        assertThat(r.to().id()).isEqualTo("silver");
        assertThat(TierWindow.review(p, holding("gold", Map.of("2025-05", 5000L)), at("2027-01-01T00:00")).to().id())
                .as("last year's points keep nothing this year").isEqualTo("silver");
    }

    @Test
    void aRollingWindowCountsTheCurrentMonthAndTheElevenBeforeAndIsReviewedMonthly() {
        Program p = withPolicy("rolling_365_days", "end_of_window");
        Customer c = holding("silver", Map.of("2025-12", 300L, "2026-05", 250L, "2026-11", 1L));
        assertThat(TierWindow.points(p, c, at("2026-11-15T00:00"))).isEqualTo(551);
        assertThat(TierWindow.points(p, c, at("2026-12-15T00:00"))).as("December 2025 left the window").isEqualTo(251);
        assertThat(TierWindow.windowEnd(p, at("2026-11-15T00:00"))).isEqualTo(at("2026-12-01T00:00"));
        assertThat(TierWindow.review(p, c, at("2026-12-01T00:00")).changed()).isFalse();
        assertThat(TierWindow.review(p, c, at("2027-01-01T00:00")).to().id()).isEqualTo("bronze");
    }

    @Test
    void aRefundTakenFromAMonthNetsItsCounter() {
        Program p = withPolicy("calendar_year", "end_of_window");
        Customer c = holding("silver", Map.of("2026-05", 600L, "2026-06", -200L));
        assertThat(TierWindow.points(p, c, at("2026-12-01T00:00"))).isEqualTo(400);
        assertThat(TierWindow.points(p, holding("silver", Map.of("2026-06", -200L)), at("2026-12-01T00:00"))).isZero();
    }

    @Test
    void theWarningComesThirtyDaysBeforeADowngradeOnlyWhenThePointsFallShort() {
        Program p = withPolicy("calendar_year", "end_of_window");
        Customer shortOf = holding("gold", Map.of("2026-05", 100L));
        assertThat(TierWindow.warn(p, shortOf, at("2026-12-01T00:00"))).as("31 days before").isFalse();
        assertThat(TierWindow.warn(p, shortOf, at("2026-12-02T00:00"))).as("30 days before").isTrue();
        assertThat(TierWindow.warn(p, holding("gold", Map.of("2026-05", 2000L)), at("2026-12-20T00:00"))).isFalse();
    }

    @Test
    void aProfileKeepsAtMostThirteenMonthCounters() {
        List<String> keys = List.of("~tier:month@2025-10", "~tier:month@2025-11", "~tier:month@2026-11", "purchase@2025-10",
                "~velocity:day@2025-10-01");
        assertThat(TierWindow.staleKeys(keys, BERLIN, at("2026-11-15T00:00"))).containsExactly("~tier:month@2025-10");
    }

    @Test
    void aPolicyIsValidatedWholeWithFieldPaths() {
        var bad = node(withPolicy(null, null).definition());
        bad.putObject("tierPolicy").put("window", "weekly").put("downgrade", "sometimes").put("extra", 1);
        assertThat(fields(rejected(bad))).containsExactlyInAnyOrder("tierPolicy.window", "tierPolicy.downgrade",
                "tierPolicy.extra");
        var missing = node(withPolicy(null, null).definition());
        missing.putObject("tierPolicy");
        assertThat(fields(rejected(missing))).containsExactlyInAnyOrder("tierPolicy.window", "tierPolicy.downgrade");
        var lifetime = node(withPolicy(null, null).definition());
        lifetime.putObject("tierPolicy").put("window", "lifetime").put("downgrade", "end_of_window");
        assertThat(fields(rejected(lifetime))).containsExactly("tierPolicy.downgrade");
        var notObject = node(withPolicy(null, null).definition());
        notObject.put("tierPolicy", "calendar_year");
        assertThat(fields(rejected(notObject))).containsExactly("tierPolicy");
        assertThat(withPolicy("rolling_365_days", "end_of_window").tierPolicy().downgrades()).isTrue();
    }
}
