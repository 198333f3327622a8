package dev.laurel.store;

import java.util.concurrent.ThreadLocalRandom;

/** Bounded, jittered exponential backoff between retries of a conflicting write or unprocessed keys. */
public final class Backoff {
    /** How many times an operation is decided and written again before the caller is told to retry. */
    public static final int MAX_ATTEMPTS = 10;

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
}
