package dev.laurel.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * Something a customer did that may earn points: {@code type} is a rule's trigger
 * ({@code order.paid}, {@code newsletter.subscribed}, ...), {@code id} makes it idempotent.
 */
public record Event(String type, String id, Instant occurredAt, Order order, Map<String, Object> attributes) {
    public static final String ORDER_PAID = "order.paid";
    public static final String CUSTOMER_JOINED = "customer.joined";
    /** Fired by Laurel once, when a member first confirms their marketing consent (double opt-in). */
    public static final String CUSTOMER_CONFIRMED = "customer.confirmed";

    /** The idempotency key of an earn: the same type and id apply at most once per program. */
    public String key() {
        return key(type, id);
    }

    /** What makes an event type and id applied at most once (the earn's idempotency key). */
    public static String key(String type, String id) {
        return type + "#" + id;
    }

    /** The facts conditions may read under {@code event.*}, with day and hour in the program's zone. */
    public Map<String, Object> facts(ZoneId zone) {
        return facts(timeFacts(occurredAt, zone));
    }

    /** {@link #facts(ZoneId)} with the facts of its {@code occurredAt} made before ({@link #timeFacts}; not changed). */
    public Map<String, Object> facts(Map<String, Object> timeFacts) {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>(16);
        m.putAll(timeFacts);
        m.put("type", type);
        m.put("id", id);
        m.put("attributes", attributes);
        return m;
    }

    /** The facts under {@code event.*} of an instant: {@code occurredAt}, and its day and hour in {@code zone}. */
    public static Map<String, Object> timeFacts(Instant occurredAt, ZoneId zone) {
        ZonedDateTime local = occurredAt.atZone(zone);
        return Map.of("occurredAt", occurredAt.toString(), "dayOfWeek", local.getDayOfWeek().name(),
                "hour", (long) local.getHour(), "date", local.toLocalDate().toString());
    }
}
