package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The notifications "sent" in local mode, in the order they were sent ({@code GET /local/outbox}).
 * For now the runner owns this in-memory list and nothing writes to it: the reminders function
 * (a later issue) will send through a channel the runner passes to its constructor, and a
 * program without a channel will land here. It is not persisted: a restart starts it empty.
 */
public final class Outbox {
    /** One notification, as {@code GET /local/outbox} lists it. */
    public record Notification(String customerId, String type, Instant at, JsonNode payload) {
        public Notification {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A limit on everything: the oldest notifications go first beyond this many. */
    public static final int MAX = 10_000;

    private final List<Notification> sent = new ArrayList<>();

    public synchronized void add(Notification n) {
        Objects.requireNonNull(n, "n");
        if (sent.size() == MAX) {
            sent.remove(0);
        }
        sent.add(n);
    }

    public synchronized List<Notification> all() {
        return List.copyOf(sent);
    }

    public synchronized void clear() {
        sent.clear();
    }
}
