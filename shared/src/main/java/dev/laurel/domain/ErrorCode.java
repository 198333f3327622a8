package dev.laurel.domain;

/** The API's stable machine error codes, each with its HTTP status (API.md "Conventions"). */
public enum ErrorCode {
    INVALID_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    INSUFFICIENT_POINTS(409),
    BUDGET_EXHAUSTED(409),
    LIMIT_REACHED(409),
    IDEMPOTENCY_KEY_REUSED(409),
    VERSION_CONFLICT(409),
    ALREADY_ROLLED_BACK(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    NOT_ELIGIBLE(422),
    RATE_LIMITED(429),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code as it appears on the wire, e.g. {@code insufficient_points}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
