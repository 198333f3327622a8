package dev.laurel.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request that cannot be served as asked, carrying the API error it answers with.
 * Thrown by validation and by the service layer; the HTTP glue renders it in the one error shape.
 */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, ?> details) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Map.copyOf(new LinkedHashMap<>(details));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }

    /** Seconds a client waits before retrying a 503 (its {@code Retry-After} header). */
    public static final int RETRY_AFTER_SECONDS = 1;

    /**
     * 503 {@code unavailable}: the database is unreachable or throttles past its retries; the
     * answer carries {@code Retry-After}.
     */
    public static ApiException unavailable(String why) {
        return new ApiException(ErrorCode.UNAVAILABLE, why + "; retry shortly",
                Map.of("retryAfterSeconds", RETRY_AFTER_SECONDS));
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, field + ": " + message,
                Map.of("field", field, "errors", java.util.List.of(Map.of("field", field, "message", message))));
    }
}
