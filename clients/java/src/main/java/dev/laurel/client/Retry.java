package dev.laurel.client;

import dev.laurel.client.invoker.ApiException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries for the generated client, written by hand beside it (generators retry badly or not at all). A network
 * error (an {@link ApiException} of status 0 from an {@code IOException}), 429 or a 5xx is tried again with
 * jittered exponential backoff that honours {@code Retry-After}, at most {@code maxAttempts} attempts in all.
 * {@link #idempotent} makes one {@code Idempotency-Key} and gives it to every attempt, so the server applies the
 * call at most once. Anything else is thrown at once as a
 * {@link LaurelException}; after the last attempt too, with {@link LaurelException#unreachable()} true.
 */
public final class Retry {
    /** The header that makes a retried POST safe (redeem, donations, rollback). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<Integer> RETRIED_4XX = Set.of(429);
    private static final long MAX_DELAY_MS = 8_000;
    private static final long MAX_RETRY_AFTER_MS = 30_000;

    /** One attempt of a generated call. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws ApiException;
    }

    /**
     * One attempt of a generated call that takes an Idempotency-Key: the generated methods of the routes that
     * take one have it as their first parameter ({@code redeem(idempotencyKey, programId, body)}).
     */
    @FunctionalInterface
    public interface Keyed<T> {
        T call(String idempotencyKey) throws ApiException;
    }

    /** How the retries wait (tests pass one that records and does not sleep). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final int maxAttempts;
    private final long baseDelayMs;
    private final Sleeper sleeper;
    private int retries;

    public Retry(int maxAttempts, long baseDelayMs, Sleeper sleeper) {
        if (maxAttempts < 1 || baseDelayMs < 0) {
            throw new IllegalArgumentException("maxAttempts >= 1 and baseDelayMs >= 0");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelayMs = baseDelayMs;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Five attempts from 250 ms, sleeping for real. */
    public static Retry defaults() {
        return new Retry(5, 250, Thread::sleep);
    }

    /** A new Idempotency-Key: a random UUID (it matches the document's id pattern). */
    public static String newIdempotencyKey() {
        return UUID.randomUUID().toString();
    }

    /** Attempts tried again so far, over every call of this instance. */
    public int retries() {
        return retries;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@code call} with retries (reads, and writes that are idempotent by themselves). */
    public <T> T call(Call<T> call) {
        Objects.requireNonNull(call, "call");
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (ApiException e) {
                if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new LaurelException(e, false, "interrupted");
                }
                boolean retried = e.getCode() == 0 || RETRIED_4XX.contains(e.getCode()) || e.getCode() >= 500;
                if (!retried) {
                    throw LaurelException.of(e, false);
                }
                if (attempt >= maxAttempts) {
                    throw LaurelException.of(e, true);
                }
                retries++;
                pause(attempt, LaurelException.retryAfterSeconds(e));
            }
        }
    }

    /** {@code call} with retries and one new Idempotency-Key, the same for all of its attempts. */
    public <T> T idempotent(Keyed<T> call) {
        return idempotent(newIdempotencyKey(), call);
    }

    /** {@code call} with retries, each attempt sending {@code key} (keep it to retry the same call later, after a crash). */
    public <T> T idempotent(String key, Keyed<T> call) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(call, "call");
        return call(() -> call.call(key));
    }

    /** Waits between half and all of min(8 s, base * 2^(attempt-1)), and at least the Retry-After (at most 30 s). */
    private void pause(int attempt, long retryAfterSeconds) {
        long cap = Math.min(MAX_DELAY_MS, baseDelayMs << Math.min(attempt - 1, 20));
        long wait = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        if (retryAfterSeconds >= 0) {
            wait = Math.max(wait, Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS));
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaurelException(e, false, "interrupted");
        }
    }
}
