package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.retry.Backoff;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The one optimistic-update helper: read, decide, write conditionally; a write that finds the
 * state changed since the read decides again (bounded, with {@link Backoff#DECISIONS} between
 * attempts). Also what a write that did not take effect answers: the first answer of a replay,
 * a refusal, or another attempt.
 */
final class Optimistic {
    private Optimistic() {
    }

    /** Thrown inside an attempt to decide and write again; {@code last} is what to answer if attempts run out. */
    static final class RetrySignal extends RuntimeException {
        final Refusal last;

        RetrySignal(String why, Refusal last) {
            super(why, null, false, false);
            this.last = last;
        }
    }

    static RetrySignal again(String why) {
        return new RetrySignal(why, null);
    }

    static RetrySignal again(String why, Refusal last) {
        return new RetrySignal(why, last);
    }

    /**
     * Runs {@code attempt} (given 1, 2, ...) until it returns; after an attempt that signals
     * {@link RetrySignal}, pauses and runs it again, at most {@link Backoff#MAX_ATTEMPTS} times
     * in all, then answers {@code exhausted} of the last signal.
     */
    static <T> T retrying(IntFunction<T> attempt, Function<RetrySignal, T> exhausted) {
        for (int i = 1; ; i++) {
            try {
                return attempt.apply(i);
            } catch (RetrySignal s) {
                if (i >= Backoff.MAX_ATTEMPTS) {
                    return exhausted.apply(s);
                }
                Backoff.DECISIONS.sleep(i);
            }
        }
    }

    /** {@link #retrying} for a write of one customer: out of attempts, 429 {@code rate_limited}, nothing changed. */
    static <T> Outcome<T> retrying(Supplier<Outcome<T>> attempt) {
        return retrying(i -> attempt.get(), s -> Outcome.declined(new Refusal(Refusal.Code.RATE_LIMITED,
                "too many concurrent changes to this customer; retry shortly", Map.of("retryAfterMs", 100))));
    }

    /**
     * What a write that did not take effect answers: the first answer when its idempotency key was
     * used by this same request ({@code idempotency_key_reused} when by another), its refusal, or
     * (the state changed) another attempt.
     */
    static <T> Outcome<T> notDone(Commit commit, String requestHash) {
        if (commit instanceof Commit.Replay r) {
            if (requestHash == null || !requestHash.equals(r.requestHash())) {
                return Outcome.declined(new Refusal(Refusal.Code.IDEMPOTENCY_KEY_REUSED,
                        "this idempotency key was used with a different request"));
            }
            return new Outcome.Replayed<>(r.status(), r.body());
        }
        if (commit instanceof Commit.Refused r) {
            return Outcome.declined(r.refusal());
        }
        if (commit instanceof Commit.Retry r) {
            throw again(r.why());
        }
        throw new IllegalStateException("unexpected " + commit);
    }

    /**
     * Refuses, unless this idempotency key already took effect: a retry of a request that went
     * through gets its first answer, whatever the state is now. The record is read only here, on
     * the refusal path; a key that is new, or none, refuses.
     */
    static <T> Outcome<T> refuseUnlessReplayed(CustomerStore store, String tenant, String programId, String scope,
                                               String key, String requestHash, Refusal refusal) {
        if (key != null) {
            var first = store.idempotency(tenant, programId, scope, key);
            if (first.isPresent()) {
                return notDone(first.get(), requestHash);
            }
        }
        return Outcome.declined(refusal);
    }
}
