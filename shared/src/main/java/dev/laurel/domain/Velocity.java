package dev.laurel.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The program's fraud limits (API.md "Fraud limits": {@code velocity}): a member's own earn calls
 * in the current hour and the points they earned in the current day, both in the program's time
 * zone, bound what one more call may earn. Calls beyond a limit are recorded (their ledger entry,
 * their counter) but earn only what still fits, possibly 0 (breakdown {@code capped: "velocity"}).
 *
 * <p>The counters live on the profile beside the rules' cap counters, under keys no rule id can
 * take ({@code ~velocity:hour@<hour start with its offset>}, {@code ~velocity:day@<date>}; rule
 * ids never hold '~'): the hour's key carries its UTC offset, so the repeated hour of a DST
 * change is two buckets. Only the current hour's and day's counters matter; a write drops the
 * others ({@link #staleKeys}), so the profile holds at most a few. They count the arrival of the
 * call (a back-dated event counts now, not in its own hour), and pending points count toward the
 * day's points: they were issued. {@code customer.joined} and {@code customer.confirmed} count
 * nowhere. A refund does not give back what a call counted.
 */
public final class Velocity {
    public static final String CAPPED = "velocity";
    static final String HOUR = "~velocity:hour@";
    static final String DAY = "~velocity:day@";
    /** Events Laurel fires itself: they never count toward, nor are capped by, a velocity limit. */
    public static final Set<String> NOT_COUNTED = Set.of(Event.CUSTOMER_JOINED, Event.CUSTOMER_CONFIRMED);

    private Velocity() {
    }

    /**
     * What one more call may still earn: {@code points} (0 when the hour's calls are used up), and
     * the counter keys the call adds to.
     */
    public record Allowance(long points, String hourKey, String dayKey) {
    }

    /** The allowance of a call arriving at {@code arrival}; null when no limit applies (none set, or an event not counted). */
    public static Allowance allowance(Program program, Customer c, Event event, Instant arrival) {
        Program.Velocity v = program.velocity();
        if (v == null || arrival == null || NOT_COUNTED.contains(event.type())) {
            return null;
        }
        String hour = hourKey(arrival, program.timezone());
        String day = dayKey(arrival, program.timezone());
        long left = Long.MAX_VALUE;
        if (v.eventsPerCustomerPerHour() != null && c.ruleCounts().getOrDefault(hour, 0L) >= v.eventsPerCustomerPerHour()) {
            left = 0;
        }
        if (v.pointsPerCustomerPerDay() != null) {
            left = Math.min(left, Math.max(0, v.pointsPerCustomerPerDay() - c.rulePoints().getOrDefault(day, 0L)));
        }
        return new Allowance(left, hour, day);
    }

    static String hourKey(Instant at, ZoneId zone) {
        ZonedDateTime h = at.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        return HOUR + h.toLocalDateTime() + h.getOffset();
    }

    static String dayKey(Instant at, ZoneId zone) {
        return DAY + at.atZone(zone).toLocalDate();
    }

    /** The velocity counters among {@code keys} that are not the current hour's or day's at {@code now}. */
    public static List<String> staleKeys(Collection<String> keys, ZoneId zone, Instant now) {
        String hour = hourKey(now, zone);
        String day = dayKey(now, zone);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if ((k.startsWith(HOUR) && !k.equals(hour)) || (k.startsWith(DAY) && !k.equals(day))) {
                out.add(k);
            }
        }
        return out;
    }
}
