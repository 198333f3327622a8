package dev.laurel.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The one settable clock: every local function sees it (handlers, the authorizer, the schedules),
 * and the tests (tests/, which depend on this module in test scope) move the functions' time with
 * it. It starts at the system time and keeps running; {@code POST /local/clock} moves it. After a
 * move it runs on from the new time at real speed, unless it is frozen, in which case it stands
 * still until moved again ({@link #frozenAt}: a clock that only moves when told, as tests want).
 */
public final class LocalClock extends Clock {
    /** Set once, read by every clock view: the state is one immutable value swapped atomically. */
    private record State(Duration offset, Instant frozenAt) {
    }

    private volatile State state = new State(Duration.ZERO, null);
    private final Clock system;

    public LocalClock() {
        this(Clock.systemUTC());
    }

    /** A local clock running on {@code system} (tests pass a fixed one). */
    public LocalClock(Clock system) {
        this.system = Objects.requireNonNull(system, "system");
    }

    @Override
    public Instant instant() {
        State s = state;
        return s.frozenAt != null ? s.frozenAt : system.instant().plus(s.offset);
    }

    /** A clock frozen at {@code now}: it moves only by {@link #set} and {@link #advance}. */
    public static LocalClock frozenAt(Instant now) {
        LocalClock clock = new LocalClock();
        clock.set(now, true);
        return clock;
    }

    /** Moves the clock to {@code now}, keeping it frozen or running as it was. */
    public synchronized void set(Instant now) {
        set(now, frozen());
    }

    /** Moves the clock to {@code now}; a frozen clock then stands still there. */
    public synchronized void set(Instant now, boolean frozen) {
        Objects.requireNonNull(now, "now");
        state = frozen ? new State(Duration.ZERO, now) : new State(Duration.between(system.instant(), now), null);
    }

    /** Moves the clock by {@code by} (negative goes back), keeping it frozen or running as it was. */
    public synchronized void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        State s = state;
        state = s.frozenAt != null ? new State(Duration.ZERO, s.frozenAt.plus(by)) : new State(s.offset.plus(by), null);
    }

    /** Back to the system time, running. */
    public synchronized void reset() {
        state = new State(Duration.ZERO, null);
    }

    public boolean frozen() {
        return state.frozenAt != null;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        LocalClock parent = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return parent.withZone(z);
            }

            @Override
            public Instant instant() {
                return parent.instant();
            }
        };
    }

    @Override
    public String toString() {
        return "LocalClock[" + instant() + (frozen() ? ", frozen" : "") + "]";
    }
}
