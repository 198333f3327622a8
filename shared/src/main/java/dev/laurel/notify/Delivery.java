package dev.laurel.notify;

import dev.laurel.retry.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Sends one notification with bounded retries inside one run: up to {@code attempts} tries, pausing
 * {@code firstBackoff × 2^(i-1)} ± {@link #JITTER_PERCENT}% ({@link Backoff}) after the i-th retryable failure (each pause at most
 * {@link #MAX_PAUSE}). A non-retryable failure stops at once. It never throws for a failed send, not even for a
 * channel's unexpected runtime exception (reported as not retryable), so one bad receiver cannot stop a run.
 */
public final class Delivery {
    /** Waits between tries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }

    /**
     * How a delivery ended.
     *
     * @param delivered true when a try succeeded
     * @param attempts  the number of tries made (at least 1)
     * @param retryable when not delivered: whether a later run may succeed (false when delivered)
     * @param lastError when not delivered: the last failure's message (null when delivered)
     */
    public record Outcome(boolean delivered, int attempts, boolean retryable, String lastError) {
    }

    /** The pause is uniformly random within ± this share of its nominal length; 20 keeps successive pauses growing. */
    public static final int JITTER_PERCENT = 20;
    public static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** A limit on everything: more tries than this in one run are refused. */
    public static final int MAX_ATTEMPTS = 20;

    private Delivery() {
    }

    /**
     * @throws IllegalArgumentException when attempts is not in 1..{@link #MAX_ATTEMPTS} or firstBackoff is negative
     */
    public static Outcome deliver(Channel channel, Notification n, int attempts, Duration firstBackoff, Sleeper sleeper) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(n, "n");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(sleeper, "sleeper");
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be 1.." + MAX_ATTEMPTS + ": " + attempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative: " + firstBackoff);
        }
        for (int i = 1; ; i++) {
            DeliveryException failure;
            try {
                channel.send(n);
                return new Outcome(true, i, false, null);
            } catch (DeliveryException e) {
                failure = e;
            } catch (RuntimeException e) {
                return new Outcome(false, i, false, channel.kind() + " channel failed unexpectedly: " + e);
            }
            if (!failure.retryable() || i == attempts) {
                return new Outcome(false, i, failure.retryable(), failure.getMessage());
            }
            try {
                sleeper.sleep(pause(firstBackoff, i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, i, true, failure.getMessage() + " (interrupted before the next try)");
            }
        }
    }

    /** The pause after the {@code failures}-th failure: firstBackoff × 2^(failures-1) ± jitter, at most MAX_PAUSE. */
    static Duration pause(Duration firstBackoff, int failures) {
        return new Backoff(firstBackoff, MAX_PAUSE, JITTER_PERCENT).delay(failures - 1);
    }
}
