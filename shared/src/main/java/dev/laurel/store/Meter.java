package dev.laurel.store;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What one request (or one scheduled or stream batch) cost and did: the DynamoDB round trips it
 * made, the capacity they consumed (as DynamoDB reported it with {@code ReturnConsumedCapacity}
 * {@code TOTAL}), and the business counts the use cases add (points earned, redeemed). A meter is
 * bound to the thread serving the request ({@link #start()} … {@link #close()}), so two requests
 * served at once by the local runner's threads each count their own; work handed to other threads
 * carries it along with {@link #carried(Supplier)}. Nothing here is shared between requests.
 * Capacity is kept in thousandths of a unit (DynamoDB reports halves for eventually consistent reads).
 */
public final class Meter implements AutoCloseable {
    private static final ThreadLocal<Meter> CURRENT = new ThreadLocal<>();

    private final Meter previous;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong readMilliUnits = new AtomicLong();
    private final AtomicLong writeMilliUnits = new AtomicLong();
    private final Map<String, AtomicLong> counts = new TreeMap<>();

    private Meter(Meter previous) {
        this.previous = previous;
    }

    /** A new meter bound to this thread until {@link #close()} (which puts back any meter bound before). */
    public static Meter start() {
        Meter m = new Meter(CURRENT.get());
        CURRENT.set(m);
        return m;
    }

    /** The meter bound to this thread, or null when none is (a test, a benchmark, the CLI). */
    public static Meter current() {
        return CURRENT.get();
    }

    /** Counts one DynamoDB round trip on this thread's meter, if any, with the capacity it consumed. */
    public static void roundTrip(double readUnits, double writeUnits) {
        Meter m = CURRENT.get();
        if (m != null) {
            m.calls.incrementAndGet();
            m.readMilliUnits.addAndGet(Math.round(readUnits * 1000));
            m.writeMilliUnits.addAndGet(Math.round(writeUnits * 1000));
        }
    }

    /** Adds {@code n} to a business count (e.g. {@code PointsEarned}) on this thread's meter, if any. */
    public static void count(String name, long n) {
        Meter m = CURRENT.get();
        if (m != null) {
            synchronized (m.counts) {
                m.counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
            }
        }
    }

    /** {@code work} as a task that counts on this thread's meter when another thread runs it. */
    public static <T> Supplier<T> carried(Supplier<T> work) {
        Meter m = CURRENT.get();
        if (m == null) {
            return work;
        }
        return () -> {
            Meter before = CURRENT.get();
            CURRENT.set(m);
            try {
                return work.get();
            } finally {
                CURRENT.set(before);
            }
        };
    }

    public long calls() {
        return calls.get();
    }

    public double readUnits() {
        return readMilliUnits.get() / 1000.0;
    }

    public double writeUnits() {
        return writeMilliUnits.get() / 1000.0;
    }

    /** The business counts added, by name (sorted). */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        synchronized (counts) {
            counts.forEach((k, v) -> out.put(k, v.get()));
        }
        return out;
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
