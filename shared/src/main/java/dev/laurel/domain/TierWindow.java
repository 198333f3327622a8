package dev.laurel.domain;

import dev.laurel.domain.Program.Tier;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Tier windows (API.md "Campaigns, segments and tiers": {@code tierPolicy}): with a window other
 * than {@code lifetime}, a tier is kept by the points earned in it, net of refunds.
 *
 * <p>The points are counted on the profile in bounded form: one counter per calendar month in the
 * program's time zone, beside the rules' cap counters under keys no rule id can take
 * ({@code ~tier:month@2026-11}; rule ids never hold '~'), at most {@link #MAX_BUCKETS}. An earn
 * adds to the month of its {@code occurredAt}; a refund takes from the month its lot was earned in.
 * The {@code calendar_year} window is the year in the program's zone; {@code rolling_365_days} is
 * counted in whole months: the current month and the eleven before it. Its window ends (and a
 * member's tier is reviewed) at the end of each month; a calendar year's at the year end.
 *
 * <p>At a review ({@link #review}) a member whose window's points keep a lower tier than the one
 * they hold moves down one tier, never more, and never below the tier those points keep. A tier
 * set by an import holds until the end of the window it was imported in, as any tier does.
 */
public final class TierWindow {
    static final String BUCKET = "~tier:month@";
    /** The most month counters a profile keeps: the rolling window's twelve and the month before. */
    public static final int MAX_BUCKETS = 13;
    /** How long before a downgrade the member is warned ({@code tier_downgrade_warning}). */
    public static final int WARNING_DAYS = 30;

    private TierWindow() {
    }

    public enum Window {
        LIFETIME, ROLLING_365_DAYS, CALENDAR_YEAR;

        public static final Map<String, Window> WIRE = Map.of("lifetime", LIFETIME,
                "rolling_365_days", ROLLING_365_DAYS, "calendar_year", CALENDAR_YEAR);

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Downgrade {
        NEVER, END_OF_WINDOW;

        public static final Map<String, Downgrade> WIRE = Map.of("never", NEVER, "end_of_window", END_OF_WINDOW);

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The counter an earn that occurred at {@code at} adds its points to; null with the lifetime window. */
    public static String bucket(Program program, Instant at) {
        if (program.tierPolicy().window() == Window.LIFETIME) {
            return null;
        }
        return BUCKET + YearMonth.from(at.atZone(program.timezone()));
    }

    /** The first month of the window that holds {@code month}. */
    static YearMonth firstMonth(Window window, YearMonth month) {
        return window == Window.CALENDAR_YEAR ? YearMonth.of(month.getYear(), 1) : month.minusMonths(11);
    }

    /** The points that count for tiers at {@code at}: lifetime earned, or those earned in the window holding {@code at} (never below 0). */
    public static long points(Program program, Customer c, Instant at) {
        Window window = program.tierPolicy().window();
        if (window == Window.LIFETIME) {
            return c.lifetimeEarned();
        }
        return points(program, c.rulePoints(), at);
    }

    private static long points(Program program, Map<String, Long> counters, Instant at) {
        Window window = program.tierPolicy().window();
        YearMonth last = YearMonth.from(at.atZone(program.timezone()));
        YearMonth first = firstMonth(window, last);
        long sum = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            YearMonth m = month(e.getKey());
            if (m != null && !m.isBefore(first) && !m.isAfter(last)) {
                sum = Arith.add(sum, e.getValue());
            }
        }
        return Math.max(0, sum);
    }

    /**
     * The counter delta a refund that takes back {@code points} of an order earned in
     * {@code orderMonth} ("yyyy-MM" in the program's zone; null: none kept) makes: the month's
     * counter goes down by those points, never below zero; empty with the lifetime window.
     */
    public static Map<String, long[]> onRefund(Program program, Customer c, String orderMonth, long points) {
        if (program.tierPolicy().window() == Window.LIFETIME || orderMonth == null || points <= 0) {
            return Map.of();
        }
        long held = c.rulePoints().getOrDefault(BUCKET + orderMonth, 0L);
        long taken = Math.min(points, held);
        return taken <= 0 ? Map.of() : Map.of(BUCKET + orderMonth, new long[] {0, -taken});
    }

    /**
     * Adds to {@code deltas} the take-back of {@code points} credited at {@code creditedAt} (a
     * cancelled referral award): its month's counter goes down by them, never below what it holds
     * after the deltas already there; nothing with the lifetime window.
     */
    public static void takeBack(Program program, Customer c, Map<String, long[]> deltas, Instant creditedAt, long points) {
        String key = bucket(program, creditedAt);
        if (key == null || points <= 0) {
            return;
        }
        long already = deltas.containsKey(key) ? deltas.get(key)[1] : 0;
        long taken = Math.min(points, Arith.add(c.rulePoints().getOrDefault(key, 0L), already));
        if (taken > 0) {
            deltas.put(key, new long[] {0, Arith.subtract(already, taken)});
        }
    }

    /**
     * The tier after a refund under a window: when the window's points reached the tier held and
     * the refund's {@code deltas} leave them below it, the tier follows them down (to the tier they
     * still reach, never up); a tier held from an earlier window's points stays until its review.
     * Null with the lifetime window (the caller follows lifetime points).
     */
    public static Tier afterRefund(Program program, Customer c, Tier current, Map<String, long[]> deltas, Instant now) {
        if (program.tierPolicy().window() == Window.LIFETIME || current == null) {
            return null;
        }
        long before = points(program, c, now);
        java.util.Map<String, Long> counters = new java.util.HashMap<>(c.rulePoints());
        deltas.forEach((k, d) -> counters.merge(k, d[1], Arith::add));
        long after = points(program, counters, now);
        Tier reachedBefore = program.tierFor(before);
        Tier reachedAfter = program.tierFor(after);
        if (reachedBefore == null || reachedBefore.threshold() < current.threshold()
                || (reachedAfter != null && reachedAfter.threshold() >= current.threshold())) {
            return current;
        }
        return reachedAfter == null ? program.tiers().get(0) : reachedAfter;
    }

    private static YearMonth month(String key) {
        if (!key.startsWith(BUCKET)) {
            return null;
        }
        try {
            return YearMonth.parse(key.substring(BUCKET.length()));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The end of the window that holds {@code at} (the next review); null with the lifetime window. */
    public static Instant windowEnd(Program program, Instant at) {
        Window window = program.tierPolicy().window();
        if (window == Window.LIFETIME) {
            return null;
        }
        YearMonth m = YearMonth.from(at.atZone(program.timezone()));
        YearMonth next = window == Window.CALENDAR_YEAR ? YearMonth.of(m.getYear() + 1, 1) : m.plusMonths(1);
        return next.atDay(1).atStartOfDay(program.timezone()).toInstant();
    }

    /**
     * When the member's tier is next reviewed, as of {@code now}: when the program downgrades and
     * the member holds a tier above the lowest, the start of the current window if its review is
     * still to be done ({@link #reviewDue}), else the end of the current window; otherwise null
     * (no review: the profile leaves the due index for tiers).
     */
    public static Instant nextReview(Program program, Customer c, Instant now) {
        if (!reviewed(program, c)) {
            return null;
        }
        Instant due = reviewDue(program, c, now);
        return due != null ? due : windowEnd(program, now);
    }

    private static boolean reviewed(Program program, Customer c) {
        if (!program.tierPolicy().downgrades() || program.tiers().isEmpty()) {
            return false;
        }
        Tier held = held(program, c);
        return held != null && held.threshold() > program.tiers().get(0).threshold();
    }

    /**
     * The counter that holds since when the member's tier stands: the start (epoch second) of the
     * window in which it was last set by an upgrade or confirmed by a review. Absent (a tier from
     * before the policy, or an import), the window of joining counts: an imported tier holds until
     * the end of the window it was imported in.
     */
    public static final String SINCE = "~tier:since";

    /** The start of the window that holds {@code at}. */
    public static Instant windowStart(Program program, Instant at) {
        YearMonth m = YearMonth.from(at.atZone(program.timezone()));
        YearMonth first = program.tierPolicy().window() == Window.CALENDAR_YEAR ? YearMonth.of(m.getYear(), 1) : m;
        return first.atDay(1).atStartOfDay(program.timezone()).toInstant();
    }

    /** The start of the window in which the member's tier was last set or confirmed. */
    static long since(Program program, Customer c) {
        Long s = c.rulePoints().get(SINCE);
        if (s != null) {
            return s;
        }
        return c.joinedAt() == null ? Long.MIN_VALUE : windowStart(program, c.joinedAt()).getEpochSecond();
    }

    /**
     * The review the daily run owes the member at {@code now}: the start of the current window (the
     * end of the one before) when their tier stands from an earlier window; null when none is owed.
     * However many windows passed, one review (one tier down) is owed: the next comes at the end of
     * the current window.
     */
    public static Instant reviewDue(Program program, Customer c, Instant now) {
        if (!reviewed(program, c)) {
            return null;
        }
        Instant start = windowStart(program, now);
        return since(program, c) < start.getEpochSecond() ? start : null;
    }

    /**
     * The change to {@link #SINCE} a write that sets the tier at {@code at} makes (counters only
     * add: the write is conditional on the profile's seq, so the delta lands on the value read);
     * null when the program has no window.
     */
    public static long[] sinceDelta(Program program, Customer c, Instant at) {
        if (program.tierPolicy().window() == Window.LIFETIME) {
            return null;
        }
        long to = windowStart(program, at).getEpochSecond();
        return new long[] {0, Arith.subtract(to, c.rulePoints().getOrDefault(SINCE, 0L))};
    }

    /** The tier the member holds as stored (or by points when none is stored yet). */
    static Tier held(Program program, Customer c) {
        Tier stored = c.tierId() == null ? null : program.tier(c.tierId()).orElse(null);
        return stored != null ? stored : program.tierFor(points(program, c, Instant.EPOCH));
    }

    /** A review's outcome: the tier held before and after it (the same when the window kept it). */
    public record Review(Tier from, Tier to) {
        public boolean changed() {
            return from != to;
        }
    }

    /**
     * The review at {@code due}, the end of a window: the points of the window that just ended
     * keep some tier; a member above it moves down one tier (to the next lower tier, which is never
     * below the kept one). Without a downgrading policy, nothing changes.
     */
    public static Review review(Program program, Customer c, Instant due) {
        Tier held = held(program, c);
        if (!program.tierPolicy().downgrades() || held == null) {
            return new Review(held, held);
        }
        Tier kept = program.tierFor(points(program, c, due.minusNanos(1)));
        if (kept != null && kept.threshold() >= held.threshold()) {
            return new Review(held, held);
        }
        Tier below = null;
        for (Tier t : program.tiers()) {
            if (t.threshold() < held.threshold()) {
                below = t;
            }
        }
        return new Review(held, below == null ? held : below);
    }

    /**
     * Whether a {@code tier_downgrade_warning} is due at {@code now}: the next review is at most
     * {@link #WARNING_DAYS} days away and the points earned so far in the window would not keep
     * the tier held. Its subject is the review instant, so it goes out at most once per window.
     */
    public static boolean warn(Program program, Customer c, Instant now) {
        Instant review = nextReview(program, c, now);
        if (review == null || now.isBefore(review.minus(java.time.Duration.ofDays(WARNING_DAYS)))) {
            return false;
        }
        return review(program, c, review).changed();
    }

    /**
     * When a member's {@code tier_downgrade_warning} is next due, as of {@code now}: {@link #WARNING_DAYS}
     * days before their next review (or now, when that is sooner); null when no review is coming.
     * The reminders run visits them then and decides with {@link #warn}.
     */
    public static Instant warningAt(Program program, Customer c, Instant now) {
        Instant review = nextReview(program, c, now);
        if (review == null || !review.isAfter(now)) {
            return null;
        }
        Instant at = review.minus(java.time.Duration.ofDays(WARNING_DAYS));
        return at.isBefore(now) ? now : at;
    }

    /** The month counters among {@code keys} older than the {@link #MAX_BUCKETS} months up to {@code now}'s: a write drops them. */
    public static List<String> staleKeys(Collection<String> keys, ZoneId zone, Instant now) {
        YearMonth oldest = YearMonth.from(now.atZone(zone)).minusMonths(MAX_BUCKETS - 1);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            YearMonth m = month(k);
            if (m != null && m.isBefore(oldest)) {
                out.add(k);
            }
        }
        return out;
    }
}
