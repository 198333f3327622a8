package dev.laurel.retry;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * Laurel's one backoff: bounded, jittered, exponential. The n-th pause is {@code first × 2^n},
 * at most {@code max}, jittered either fully (uniform from 1 ms up to it) or by ± a share of it.
 * Used between decisions of a write that conflicted ({@link #DECISIONS}), between sends of one
 * transaction whose outcome is not known yet ({@link #SENDS}), between reads of unprocessed keys,
 * and between tries of a notification's delivery.
 */
public record Backoff(Duration first, Duration max, int jitterPercent) {
    /** How many times an operation is decided and written again before the caller is told to retry. */
    public static final int MAX_ATTEMPTS = 10;
    /**
     * How many times one transaction is sent (with one client request token) when a send ends
     * throttled or without an answer. Each send already carries the SDK's own retries.
     */
    public static final int MAX_SENDS = 4;
    /** {@code jitterPercent} for "full jitter": uniform from 1 ms up to the nominal pause. */
    public static final int FULL = 100;
    /** Between decisions of a write: up to 5 ms × 2^attempt, capped at 200 ms, full jitter. */
    public static final Backoff DECISIONS = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200), FULL);
    /** Between sends of one transaction: up to 50 ms × 2^send, capped at 800 ms, full jitter. */
    public static final Backoff SENDS = new Backoff(Duration.ofMillis(50), Duration.ofMillis(800), FULL);

    /**
     * The jitter's source: not ThreadLocalRandom, whose state every copy restored from one SnapStart
     * snapshot shares (their retries would fall in step); api/Priming has it reseeded after each restore.
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || max.isNegative() || jitterPercent < 0 || jitterPercent > FULL) {
            throw new IllegalArgumentException("first and max must not be negative, jitterPercent must be 0..100");
        }
    }

    /** The jitter's random source (reseeded after a SnapStart restore: domain/Entropy, through api/Priming). */
    public static SecureRandom random() {
        return RANDOM;
    }

    /** The nominal pause after {@code step} (0, 1, 2, ...): first × 2^step, at most max. */
    public Duration nominal(int step) {
        long nanos;
        try {
            nanos = Math.multiplyExact(first.toNanos(), 1L << Math.min(Math.max(step, 0), 62));
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return Duration.ofNanos(Math.min(nanos, max.toNanos()));
    }

    /** The jittered pause after {@code step}. */
    public Duration delay(int step) {
        long nominal = nominal(step).toNanos();
        if (jitterPercent == FULL) {
            long capMs = Math.max(1, nominal / 1_000_000);
            return Duration.ofMillis(RANDOM.nextLong(1, capMs + 1));
        }
        long spread = nominal / 100 * jitterPercent;
        long jittered = spread == 0 ? nominal : nominal - spread + RANDOM.nextLong(2 * spread + 1);
        return Duration.ofNanos(Math.min(jittered, max.toNanos()));
    }

    /** Sleeps {@link #delay}({@code step}). */
    public void sleep(int step) {
        try {
            Thread.sleep(delay(step).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
