package dev.laurel.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member's order statistics (API.md "Campaigns, segments and tiers": {@code customer.stats.*}),
 * kept on the profile in bounded form beside the rules' cap counters, under keys no rule id can
 * take (rule ids never hold '~'): {@code ~stats:total} (orders count; spent minor),
 * {@code ~stats:month@<yyyy-MM>} per calendar month of the order's {@code occurredAt} in the
 * program's zone (count; spent minor), and {@code ~stats:last} (the count slot holds the epoch
 * second of the latest order's {@code occurredAt}). Only the current month and the 12 before it
 * are kept ({@link #KEPT_MONTHS}); a write drops older buckets ({@link #staleKeys}), so a profile
 * holds at most 15 such keys whatever the member's order count.
 *
 * <p>Rules: an event with an order counts once (its idempotency makes a replay count nowhere);
 * spend is the order's {@code totalMinor}. A refund lowers spend only, never the count: the lifetime
 * spend, and the spend of its order's month while that bucket is kept (an older month is gone, so
 * only the total moves); neither goes below 0 (orders earned before statistics existed).
 *
 * <p>"Last N days" is exact over month buckets: the sum of the buckets of the calendar months from
 * the month holding the day {@code N - 1} days before today up to today's month, in the program's
 * zone (so {@code ordersLast30Days} on 4 December counts November and December; on 31 December
 * only December; {@code Last365Days} spans 13 months at most, which is why 13 are kept).
 * {@code daysSinceLastOrder} is whole calendar days from the latest order's day to today (absent
 * for a member who never ordered: a condition on it is false); {@code daysSinceJoined} is whole
 * days from the joining day (0 for a customer joining with this very event).
 */
public final class OrderStats {
    public static final int KEPT_MONTHS = 13;
    static final String TOTAL = "~stats:total";
    static final String LAST = "~stats:last";
    static final String MONTH = "~stats:month@";
    /** The windows of {@code ordersLast<N>Days} / {@code spentMinorLast<N>Days}. */
    public static final List<Integer> WINDOWS = List.of(30, 90, 365);
    /** {@link #WINDOWS} and their facts' names ({@code ordersLast30Days}, ...), made once, not per call. */
    private static final int[] WINDOW_DAYS = WINDOWS.stream().mapToInt(Integer::intValue).toArray();
    private static final String[] ORDERS_LAST = WINDOWS.stream().map(d -> "ordersLast" + d + "Days").toArray(String[]::new);
    private static final String[] SPENT_LAST = WINDOWS.stream().map(d -> "spentMinorLast" + d + "Days").toArray(String[]::new);

    private OrderStats() {
    }

    /**
     * The counter deltas (key to {count, spent minor}) of one order of {@code totalMinor} that
     * occurred at {@code occurredAt}, recorded at {@code now}, for a member whose counters are
     * {@code counts}.
     */
    public static Map<String, long[]> onOrder(Map<String, Long> counts, Instant occurredAt, long totalMinor, ZoneId zone,
                                              Instant now) {
        if (totalMinor < 0) {
            throw new IllegalArgumentException("an order's total is negative: " + totalMinor);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put(TOTAL, new long[] {1, totalMinor});
        YearMonth month = YearMonth.from(occurredAt.atZone(zone));
        if (kept(month, zone, now)) {
            out.put(MONTH + month, new long[] {1, totalMinor});
        }
        long last = counts.getOrDefault(LAST, 0L);
        long at = occurredAt.getEpochSecond();
        if (at > last) {
            out.put(LAST, new long[] {Arith.subtract(at, last), 0});
        }
        return out;
    }

    /** The month ("yyyy-MM") whose bucket an earn's counter deltas add to; null when the order counts in totals only. */
    public static String bucketMonth(Map<String, long[]> deltas) {
        for (String k : deltas.keySet()) {
            if (k.startsWith(MONTH)) {
                return k.substring(MONTH.length());
            }
        }
        return null;
    }

    /**
     * The spend deltas (key to {0, -minor}) of refunding {@code refundMinor} of an order counted in
     * {@code orderMonth} ("yyyy-MM"; null when unknown: only the total moves), for a member whose
     * spend counters are {@code spent}.
     */
    public static Map<String, long[]> onRefund(Map<String, Long> spent, String orderMonth, long refundMinor) {
        if (refundMinor < 0) {
            throw new IllegalArgumentException("a refund is negative: " + refundMinor);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        long total = Math.min(refundMinor, spent.getOrDefault(TOTAL, 0L));
        if (total > 0) {
            out.put(TOTAL, new long[] {0, -total});
        }
        if (orderMonth != null) {
            long inMonth = Math.min(refundMinor, spent.getOrDefault(MONTH + orderMonth, 0L));
            if (inMonth > 0) {
                out.put(MONTH + orderMonth, new long[] {0, -inMonth});
            }
        }
        return out;
    }

    private static boolean kept(YearMonth month, ZoneId zone, Instant now) {
        return !month.isBefore(YearMonth.from(now.atZone(zone)).minusMonths(KEPT_MONTHS - 1));
    }

    /** The month buckets among {@code keys} older than the {@link #KEPT_MONTHS} kept at {@code now}. */
    public static List<String> staleKeys(Collection<String> keys, ZoneId zone, Instant now) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (k.startsWith(MONTH)) {
                YearMonth m = parse(k);
                if (m == null || !kept(m, zone, now)) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    private static YearMonth parse(String key) {
        try {
            return YearMonth.parse(key.substring(MONTH.length()));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The facts under {@code customer.stats} of a member with these counters, seen at {@code at}
     * (the event's {@code occurredAt}, or now) in {@code zone}.
     */
    public static Map<String, Object> facts(Map<String, Long> counts, Map<String, Long> spent, ZoneId zone, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ordersCount", counts.getOrDefault(TOTAL, 0L));
        m.put("spentMinor", spent.getOrDefault(TOTAL, 0L));
        LocalDate today = at.atZone(zone).toLocalDate();
        List<String> months = new ArrayList<>();
        for (String k : counts.keySet()) {
            if (k.startsWith(MONTH)) {
                months.add(k);
            }
        }
        for (int w = 0; w < WINDOW_DAYS.length; w++) {
            int days = WINDOW_DAYS[w];
            String from = MONTH + YearMonth.from(today.minusDays(days - 1L)); // "yyyy-MM" keys compare as their months
            long orders = 0;
            long minor = 0;
            for (String k : months) {
                if (k.compareTo(from) >= 0) {
                    orders = Arith.add(orders, counts.get(k));
                    minor = Arith.add(minor, spent.getOrDefault(k, 0L));
                }
            }
            m.put(ORDERS_LAST[w], orders);
            m.put(SPENT_LAST[w], minor);
        }
        Long last = counts.get(LAST);
        if (last != null && last > 0) {
            LocalDate day = Instant.ofEpochSecond(last).atZone(zone).toLocalDate();
            m.put("daysSinceLastOrder", Math.max(0, ChronoUnit.DAYS.between(day, today)));
        }
        return m;
    }

    /** Whole days from {@code joinedAt}'s day to {@code at}'s day in {@code zone}; 0 when not joined yet. */
    public static long daysSinceJoined(Instant joinedAt, ZoneId zone, Instant at) {
        return joinedAt == null ? 0 : Math.max(0, ChronoUnit.DAYS.between(joinedAt.atZone(zone).toLocalDate(),
                at.atZone(zone).toLocalDate()));
    }
}
