package dev.laurel.api;

import dev.laurel.domain.Refusal;

/** The error mapping: each refusal code's HTTP status (API.md "Conventions"). */
public final class Errors {
    private Errors() {
    }

    public static int status(Refusal.Code code) {
        return switch (code) {
            case INVALID_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case INSUFFICIENT_POINTS, BUDGET_EXHAUSTED, LIMIT_REACHED, IDEMPOTENCY_KEY_REUSED, VERSION_CONFLICT,
                    ALREADY_ROLLED_BACK, ALREADY_USED, LAST_ADMIN_KEY -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case NOT_ELIGIBLE -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
