package dev.laurel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Laurel's HTTP API from the command line: GET with the key, JSON answers. A network error, a
 * timeout, 429, 502, 503 or 504 is tried again with jittered exponential backoff (honouring
 * {@code Retry-After}), up to {@link #MAX_ATTEMPTS} attempts in all; then {@link Main#UNREACHABLE}.
 * Any other error is Laurel's refusal, reported with its code and message ({@link Main#REFUSED}).
 */
final class LaurelClient {
    static final int MAX_ATTEMPTS = 8;
    private static final Set<Integer> RETRIED = Set.of(429, 502, 503, 504);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the client waits between attempts (tests pass one that does not sleep). */
    interface Sleeper {
        Sleeper REAL = Thread::sleep;

        void sleep(long millis) throws InterruptedException;
    }

    private final URI base;
    private final String key;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final long baseDelayMs;
    private int retries;

    LaurelClient(URI base, String key, Sleeper sleeper, long baseDelayMs) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.key = key;
        this.sleeper = sleeper;
        this.baseDelayMs = baseDelayMs;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Attempts that were tried again so far (network errors and retried statuses). */
    int retries() {
        return retries;
    }

    /** GET {@code pathAndQuery} (starting with {@code /}); the answer's JSON. */
    JsonNode get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null);
    }

    /** {@code method} on {@code pathAndQuery} with a body of {@code contentType} (none when null); the answer's JSON (2xx). */
    JsonNode send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        HttpRequest request = b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, java.nio.charset.StandardCharsets.UTF_8)).build();
        String problem = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long retryAfterMs = -1;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 200 && r.statusCode() < 300) {
                    return JSON.readTree(r.body());
                }
                if (!RETRIED.contains(r.statusCode())) {
                    throw refused(r);
                }
                problem = r.statusCode() + " " + describe(r.body());
                retryAfterMs = r.headers().firstValue("Retry-After").map(LaurelClient::seconds).orElse(-1L);
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Main.Failure(Main.UNREACHABLE, "interrupted");
            }
            if (attempt < MAX_ATTEMPTS) {
                retries++;
                pause(attempt, retryAfterMs);
            }
        }
        throw new Main.Failure(Main.UNREACHABLE, base + " did not answer after " + MAX_ATTEMPTS + " attempts (last: " + problem + ")");
    }

    private void pause(int attempt, long retryAfterMs) {
        long cap = Math.min(8_000, baseDelayMs << Math.min(attempt - 1, 20));
        long wait = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        if (retryAfterMs >= 0) {
            wait = Math.max(wait, Math.min(retryAfterMs, 30_000));
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Main.Failure(Main.UNREACHABLE, "interrupted");
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Main.Failure refused(HttpResponse<String> r) {
        String what = r.statusCode() + " " + describe(r.body());
        return switch (r.statusCode()) {
            case 401 -> new Main.Failure(Main.REFUSED, "the key was refused (" + what + "): pass --key or set LAUREL_KEY");
            case 403 -> new Main.Failure(Main.REFUSED, "the key may not do this (" + what + "): exporting needs an admin key");
            default -> new Main.Failure(Main.REFUSED, "Laurel answered " + what);
        };
    }

    /** An error answer as {@code code: message}, or its first characters when it is not Laurel's error shape. */
    private static String describe(String body) {
        try {
            JsonNode e = JSON.readTree(body).path("error");
            if (e.has("code")) {
                return e.path("code").asText() + ": " + e.path("message").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // below
        }
        String b = body == null ? "" : body.strip();
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }
}
