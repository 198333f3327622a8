package dev.laurel.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One reminder to deliver.
 *
 * @param id          deterministic and unique per program, customer, type and subject (for example
 *                    {@code "points_expiring:2027-01-31"}); receivers dedupe on it, so a retried send is harmless
 * @param type        {@code points_expiring}, {@code welcome}, {@code reward_available}, {@code tier_upgraded}
 *                    (channels accept any other type too; {@link Templates} renders it as a generic message)
 * @param programName the program's display name, or null (templates then use the program id)
 * @param email       the customer's address, or null (an {@link EmailChannel} then refuses, not retryable)
 * @param payload     the type's data, for example {@code {"points": 40, "expiresAt": "...", "lotId": "..."}},
 *                    {@code {"tierId": "gold", "previousTierId": "silver"}},
 *                    {@code {"rewardId": "ten-off", "cost": 100, "available": 120}} or {@code {"signupPoints": 25}}.
 *                    The record keeps its own copy, so a caller reusing its node cannot change a notification.
 * @param locale      the member's language ({@link Messages#LANGUAGES}: {@code en}, {@code de}, {@code tr}, {@code ja});
 *                    null or another value is the default, {@code en}
 */
public record Notification(String id, String type, String programId, String programName, String customerId,
                           String email, Instant createdAt, ObjectNode payload, String locale) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(payload, "payload");
        payload = payload.deepCopy();
        locale = locale != null && Messages.LANGUAGES.contains(locale) ? locale : Messages.LANGUAGES.get(0);
    }

    /** A notification in the default language. */
    public Notification(String id, String type, String programId, String programName, String customerId, String email,
                        Instant createdAt, ObjectNode payload) {
        this(id, type, programId, programName, customerId, email, createdAt, payload, null);
    }

    /** The same notification in another language. */
    public Notification withLocale(String language) {
        return new Notification(id, type, programId, programName, customerId, email, createdAt, payload, language);
    }

    /** A notification whose payload is JSON text (as stored with a queued reminder). */
    public static Notification of(String id, String type, String programId, String programName, String customerId,
                                  String email, Instant createdAt, String payloadJson, String locale) {
        return new Notification(id, type, programId, programName, customerId, email, createdAt,
                (ObjectNode) Json.read(payloadJson), locale);
    }
}
