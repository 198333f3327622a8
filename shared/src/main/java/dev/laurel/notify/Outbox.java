package dev.laurel.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The local mode's channel: records what it "sends", in order, and never fails. Bounded: beyond
 * {@link #DEFAULT_CAPACITY} notifications the oldest are dropped. Thread-safe. Not persisted.
 */
public final class Outbox implements Channel {
    /** One recorded send, at the outbox's clock time. */
    public record Sent(Notification notification, Instant at) {
        public Sent {
            Objects.requireNonNull(notification, "notification");
            Objects.requireNonNull(at, "at");
        }

        /** What a webhook would have received. */
        public ObjectNode envelope() {
            return Envelope.of(notification);
        }
    }

    public static final int DEFAULT_CAPACITY = 10_000;

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();

    public Outbox(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    /** @throws IllegalArgumentException when capacity is not positive */
    public Outbox(Clock clock, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public String kind() {
        return "outbox";
    }

    @Override
    public void send(Notification n) {
        Sent s = new Sent(Objects.requireNonNull(n, "n"), clock.instant());
        synchronized (sent) {
            if (sent.size() == capacity) {
                sent.removeFirst();
            }
            sent.addLast(s);
        }
    }

    /** Everything kept, oldest first, as a snapshot. */
    public List<Sent> all() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    public void clear() {
        synchronized (sent) {
            sent.clear();
        }
    }

    public int capacity() {
        return capacity;
    }
}
