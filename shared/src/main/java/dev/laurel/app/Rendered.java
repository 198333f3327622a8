package dev.laurel.app;

/**
 * An answer as the API layer renders it (status and body). An idempotent use case is given a
 * renderer so that it stores exactly this as the first answer, which a replay gets back.
 */
public record Rendered(int status, String body) {
}
