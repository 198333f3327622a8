package dev.laurel.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Why a request is not served as asked: a stable code, a message for people and details for
 * programs. A value: use cases return it, the API layer maps its code to an HTTP status
 * ({@code dev.laurel.api.Errors}). Where a value cannot be returned (deep in a definition's
 * validation, an arithmetic overflow) it travels as a {@link Refused} exception.
 */
public record Refusal(Code code, String message, Map<String, Object> details) {
    /** The API's stable machine error codes (API.md "Conventions"); no HTTP status here. */
    public enum Code {
        INVALID_REQUEST,
        UNAUTHORIZED,
        FORBIDDEN,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        INSUFFICIENT_POINTS,
        BUDGET_EXHAUSTED,
        LIMIT_REACHED,
        IDEMPOTENCY_KEY_REUSED,
        VERSION_CONFLICT,
        ALREADY_ROLLED_BACK,
        ALREADY_USED,
        LAST_ADMIN_KEY,
        PAYLOAD_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        NOT_ELIGIBLE,
        RATE_LIMITED,
        UNAVAILABLE,
        INTERNAL;

        /** The code as it appears on the wire, e.g. {@code insufficient_points}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Refusal {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        details = details == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(details));
    }

    public Refusal(Code code, String message) {
        this(code, message, Map.of());
    }

    public static Refusal notFound(String what) {
        return new Refusal(Code.NOT_FOUND, what + " not found");
    }

    /** Seconds a client waits before retrying a 503 (its {@code Retry-After} header). */
    public static final int RETRY_AFTER_SECONDS = 1;

    /**
     * {@code unavailable}: the database is unreachable or throttles past its retries; the answer
     * carries {@code Retry-After}.
     */
    public static Refusal unavailable(String why) {
        return new Refusal(Code.UNAVAILABLE, why + "; retry shortly", Map.of("retryAfterSeconds", RETRY_AFTER_SECONDS));
    }

    public static Refusal invalid(String field, String message) {
        return new Refusal(Code.INVALID_REQUEST, field + ": " + message,
                Map.of("field", field, "errors", List.of(Map.of("field", field, "message", message))));
    }

    /** This refusal as an exception, for the places that cannot return it. */
    public Refused raise() {
        return new Refused(this);
    }
}
