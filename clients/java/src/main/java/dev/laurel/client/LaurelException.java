package dev.laurel.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.client.invoker.ApiException;
import java.io.IOException;

/**
 * A call that failed, as one type: Laurel's error shape ({@code {"error": {"code", "message", "details"}}}) and API
 * Gateway's own {@code 401 {"message": "Unauthorized"}} alike have a {@link #code()} from the document's list
 * ({@code unauthorized} for the latter), so a caller switches on it. {@link #status()} is 0 when no answer came.
 */
public final class LaurelException extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String code;
    private final JsonNode details;
    private final long retryAfterSeconds;
    private final boolean unreachable;

    LaurelException(Throwable cause, boolean unreachable, String message) {
        this(cause, 0, "unavailable", message, JSON.createObjectNode(), -1, unreachable);
    }

    private LaurelException(Throwable cause, int status, String code, String message, JsonNode details, long retryAfterSeconds,
            boolean unreachable) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
        this.unreachable = unreachable;
    }

    /** The exception for a failed generated call; {@code unreachable} when it failed on every attempt. */
    public static LaurelException of(ApiException e, boolean unreachable) {
        if (e.getCode() == 0) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new LaurelException(e, 0, "unavailable", c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()),
                    JSON.createObjectNode(), -1, unreachable);
        }
        String body = e.getResponseBody();
        try {
            JsonNode answer = body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            JsonNode error = answer.path("error");
            if (error.path("code").isTextual()) {
                return new LaurelException(e, e.getCode(), error.path("code").asText(), error.path("message").asText(),
                        error.path("details"), retryAfterSeconds(e), unreachable);
            }
            if (answer.path("message").isTextual()) {
                return new LaurelException(e, e.getCode(), codeOfStatus(e.getCode()), answer.path("message").asText(),
                        JSON.createObjectNode(), retryAfterSeconds(e), unreachable);
            }
        } catch (IOException notJson) {
            // below
        }
        String b = body == null ? "" : body.strip();
        return new LaurelException(e, e.getCode(), codeOfStatus(e.getCode()), b.length() > 200 ? b.substring(0, 200) + "..." : b,
                JSON.createObjectNode(), retryAfterSeconds(e), unreachable);
    }

    /** The code an answer without Laurel's body stands for (API Gateway's own answers, a proxy's). */
    static String codeOfStatus(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> "internal";
        };
    }

    /** The answer's {@code Retry-After} in seconds (a number of seconds), or -1. */
    static long retryAfterSeconds(ApiException e) {
        if (e.getResponseHeaders() == null) {
            return -1;
        }
        return e.getResponseHeaders().firstValue("Retry-After").map(v -> {
            try {
                return Math.max(0, Long.parseLong(v.strip()));
            } catch (NumberFormatException notSeconds) {
                return -1L;
            }
        }).orElse(-1L);
    }

    /** The HTTP status, 0 when no answer came (a network error). */
    public int status() {
        return status;
    }

    /** The machine code: one of the document's error codes. */
    public String code() {
        return code;
    }

    /** The error's {@code details} ({@code field}, {@code errors}, {@code reasons}, ...); an empty object when none. */
    public JsonNode details() {
        return details;
    }

    /** The answer's Retry-After in seconds, or -1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** True when the call was tried {@code maxAttempts} times and failed each time with a network error, 429 or 5xx. */
    public boolean unreachable() {
        return unreachable;
    }

    /** {@code status code: message}, such as {@code 503 unavailable: try later}. */
    public String describe() {
        return status == 0 ? getMessage() : status + " " + code + ": " + getMessage();
    }
}
