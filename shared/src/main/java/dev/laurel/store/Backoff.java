package dev.laurel.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded, jittered exponential backoff: between decisions of a write that conflicted, between
 * sends of one transaction whose outcome is not known yet ({@link Tx}), and between reads of
 * unprocessed keys.
 */
public final class Backoff {
    /** How many times an operation is decided and written again before the caller is told to retry. */
    public static final int MAX_ATTEMPTS = 10;
    /**
     * How many times one transaction is sent (with one client request token) when a send ends
     * throttled or without an answer. Each send already carries the SDK's own retries.
     */
    public static final int MAX_SENDS = 4;

    private Backoff() {
    }

    /** Sleeps a random time up to 5 ms × 2^attempt, capped at 200 ms ("full jitter"). */
    public static void pause(int attempt) {
        long cap = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** Sleeps a random time up to 50 ms × 2^send, capped at 800 ms, before sending a transaction again. */
    static void pauseBeforeSend(int send) {
        long cap = Math.min(800, 50L << Math.min(send, 4));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /**
     * {@link #pause} before another attempt of a read, or 503 {@code unavailable} when
     * {@code attempt} has reached {@link #MAX_ATTEMPTS}.
     *
     * @throws dev.laurel.domain.ApiException 503 when the attempts are used up
     */
    public static void pauseOrGiveUp(int attempt, String what) {
        if (attempt >= MAX_ATTEMPTS) {
            throw dev.laurel.domain.ApiException.unavailable("the database keeps throttling " + what);
        }
        pause(attempt);
    }
}
