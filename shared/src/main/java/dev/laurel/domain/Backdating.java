package dev.laurel.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How far in the past an event may have occurred: no earlier than its program's creation less the
 * backdating window (a year), so that imports and late events of the program's first year count,
 * and no timestamp, however odd, reaches the date arithmetic of lots, caps and the scheduled runs.
 */
public final class Backdating {
    /** How long before its program's creation an event may have occurred. */
    public static final Duration WINDOW = Duration.ofDays(365);
    /** The creation instant of a program stored before programs recorded it (until its next save). */
    public static final Instant LEGACY_CREATED_AT = Instant.parse("2000-01-01T00:00:00Z");

    private Backdating() {
    }

    /** The earliest {@code occurredAt} a program created at {@code createdAt} accepts. */
    public static Instant earliest(Instant createdAt) {
        return (createdAt == null ? LEGACY_CREATED_AT : createdAt).minus(WINDOW);
    }

    /** Why an earlier event is refused, naming the earliest instant allowed. */
    public static String refusal(Instant createdAt) {
        return "may not lie before " + earliest(createdAt) + " (the program's creation, "
                + (createdAt == null ? LEGACY_CREATED_AT : createdAt) + ", less the backdating window of "
                + WINDOW.toDays() + " days)";
    }
}
