package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderStatsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** A member's counters as the earn writes leave them (deltas added, stale buckets dropped). */
    private static final class Member {
        final Map<String, Long> counts = new HashMap<>();
        final Map<String, Long> spent = new HashMap<>();

        void order(String occurredAt, long minor, String now) {
            apply(OrderStats.onOrder(counts, Instant.parse(occurredAt), minor, BERLIN, Instant.parse(now)));
            prune(now);
        }

        void refund(String month, long minor) {
            apply(OrderStats.onRefund(spent, month, minor));
        }

        void apply(Map<String, long[]> deltas) {
            deltas.forEach((k, d) -> {
                counts.merge(k, d[0], Arith::add);
                spent.merge(k, d[1], Arith::add);
            });
        }

        void prune(String now) {
            for (String k : OrderStats.staleKeys(new java.util.TreeSet<>(counts.keySet()), BERLIN, Instant.parse(now))) {
                counts.remove(k);
                spent.remove(k);
            }
        }

        Map<String, Object> facts(String at) {
            return OrderStats.facts(counts, spent, BERLIN, Instant.parse(at));
        }
    }

    @Test
    void anOrderCountsOnceInTotalsAndInItsMonthInTheProgramsZone() {
        Member m = new Member();
        m.order("2026-11-30T23:30:00Z", 1999, "2026-12-01T00:00:00Z"); // 1 December 00:30 in Berlin
        assertThat(m.counts).containsEntry("~stats:total", 1L).containsEntry("~stats:month@2026-12", 1L);
        assertThat(m.spent).containsEntry("~stats:total", 1999L).containsEntry("~stats:month@2026-12", 1999L);
        assertThat(m.facts("2026-12-01T12:00:00Z")).containsEntry("ordersCount", 1L).containsEntry("spentMinor", 1999L)
                .containsEntry("daysSinceLastOrder", 0L);
    }

    @Test
    void aMemberWhoNeverOrderedHasZerosAndNoDaysSinceLastOrder() {
        Map<String, Object> f = new Member().facts("2026-12-04T10:00:00Z");
        assertThat(f).containsEntry("ordersCount", 0L).containsEntry("ordersLast30Days", 0L).doesNotContainKey("daysSinceLastOrder");
    }

    @Test
    void lastNDaysSumsTheMonthsFromTheOneHoldingTheDayNMinusOneBeforeToday() {
        Member m = new Member();
        m.order("2026-03-15T10:00:00Z", 50, "2026-12-04T10:00:00Z");
        m.order("2026-08-31T10:00:00Z", 50, "2026-12-04T10:00:00Z");
        m.order("2026-09-15T10:00:00Z", 100, "2026-12-04T10:00:00Z");
        m.order("2026-10-15T10:00:00Z", 200, "2026-12-04T10:00:00Z");
        m.order("2026-11-01T10:00:00Z", 400, "2026-12-04T10:00:00Z");
        m.order("2026-12-02T10:00:00Z", 800, "2026-12-04T10:00:00Z");
        // 4 December: 29 days before is 5 November -> November and December
        assertThat(m.facts("2026-12-04T10:00:00Z")).containsEntry("ordersLast30Days", 2L)
                .containsEntry("spentMinorLast30Days", 1200L)
                .containsEntry("ordersLast90Days", 4L) // 89 days before is 6 September: September on, not August
                .containsEntry("spentMinorLast90Days", 1500L)
                .containsEntry("ordersLast365Days", 6L);
        // 31 December: 29 days before is 2 December -> December only
        assertThat(m.facts("2026-12-31T10:00:00Z")).containsEntry("ordersLast30Days", 1L).containsEntry("spentMinorLast30Days", 800L);
    }

    @Test
    void daysSinceLastOrderIsWholeCalendarDaysAndABackdatedOrderDoesNotMoveItBack() {
        Member m = new Member();
        m.order("2026-11-20T22:30:00Z", 100, "2026-11-21T08:00:00Z"); // 20 November 23:30 Berlin
        m.order("2026-10-01T10:00:00Z", 100, "2026-11-22T08:00:00Z"); // back-dated
        assertThat(m.facts("2026-11-22T00:10:00Z")).containsEntry("daysSinceLastOrder", 2L).containsEntry("ordersCount", 2L);
    }

    @Test
    void aRefundLowersSpendOfTheOrdersMonthAndTotalsNeverTheCount() {
        Member m = new Member();
        m.order("2026-12-02T10:00:00Z", 5000, "2026-12-02T10:00:00Z");
        m.refund("2026-12", 1500);
        assertThat(m.facts("2026-12-04T10:00:00Z")).containsEntry("ordersCount", 1L).containsEntry("spentMinor", 3500L)
                .containsEntry("spentMinorLast30Days", 3500L).containsEntry("ordersLast30Days", 1L);
    }

    @Test
    void aRefundOfAnOrderWhoseMonthIsGoneLowersOnlyTotalsAndNothingGoesBelowZero() {
        Member m = new Member();
        m.order("2026-12-02T10:00:00Z", 5000, "2026-12-02T10:00:00Z");
        m.refund(null, 1000);
        m.refund("2024-01", 1000); // a bucket no longer kept
        assertThat(m.spent).containsEntry("~stats:total", 3000L).containsEntry("~stats:month@2026-12", 5000L);
        m.refund("2026-12", 99_999);
        assertThat(m.spent).containsEntry("~stats:total", 0L).containsEntry("~stats:month@2026-12", 0L);
    }

    @Test
    void anOrderOlderThanTheKeptMonthsCountsInTotalsOnly() {
        Member m = new Member();
        m.order("2025-11-30T10:00:00Z", 100, "2026-12-04T10:00:00Z"); // 13 months before December: gone
        m.order("2025-12-01T10:00:00Z", 100, "2026-12-04T10:00:00Z"); // the oldest kept month
        assertThat(m.counts).containsEntry("~stats:total", 2L).doesNotContainKey("~stats:month@2025-11")
                .containsKey("~stats:month@2025-12");
        assertThat(OrderStats.bucketMonth(OrderStats.onOrder(m.counts, Instant.parse("2025-11-30T10:00:00Z"), 1, BERLIN,
                Instant.parse("2026-12-04T10:00:00Z")))).isNull();
    }

    @Test
    void aThousandOrdersOverThreeYearsKeepAtMostFifteenKeys() {
        Member m = new Member();
        Instant t = Instant.parse("2024-01-01T09:00:00Z");
        long minor = 0;
        int maxKeys = 0;
        for (int i = 0; i < 1000; i++) {
            Instant at = t.plusSeconds(i * 94_608L); // ~3 years in 1,000 steps
            m.order(at.toString(), 1234, at.toString());
            minor += 1234;
            maxKeys = Math.max(maxKeys, m.counts.size());
        }
        assertThat(maxKeys).isLessThanOrEqualTo(OrderStats.KEPT_MONTHS + 2);
        assertThat(m.counts).containsEntry("~stats:total", 1000L);
        assertThat(m.spent).containsEntry("~stats:total", minor);
    }

    @Test
    void spendBeyondLongOverflowsLoudly() {
        Member m = new Member();
        m.spent.put("~stats:total", Long.MAX_VALUE);
        m.counts.put("~stats:total", 1L);
        assertThrows(Refused.class, () -> m.apply(OrderStats.onOrder(m.counts, Instant.parse("2026-12-01T00:00:00Z"), 1, BERLIN,
                Instant.parse("2026-12-01T00:00:00Z"))));
    }

    @Test
    void daysSinceJoinedIsWholeDaysAndZeroBeforeJoining() {
        assertThat(OrderStats.daysSinceJoined(null, BERLIN, Instant.parse("2026-12-04T10:00:00Z"))).isZero();
        assertThat(OrderStats.daysSinceJoined(Instant.parse("2026-12-01T23:30:00Z"), BERLIN, Instant.parse("2026-12-04T10:00:00Z")))
                .isEqualTo(2L); // joined 2 December 00:30 in Berlin
    }
}
