package dev.laurel.app;

import dev.laurel.store.CustomerStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The first answer of an idempotency key, whatever changed since (issue 16): a request whose key
 * took effect earlier answers what it answered then, even when the program it was computed under
 * has since lost the reward, changed its currency or its rules, so that a client retrying after
 * a timeout never believes a write failed that went through.
 *
 * <p>Every mutating route names its request's replay identity (scope, key and fingerprint, all
 * read from the request alone, without the program) and asks here whenever something that
 * depends on the program or the state refuses it. A request that would go through needs no
 * lookup: its write carries the idempotency record conditionally, and a replay is stopped there
 * ({@link Optimistic#notDone}). So the record is read only on the refusal path, and the success
 * path keeps its one read and one write.
 */
public final class Replays {
    /** What a mutating request is remembered by: {@code scope} (earn, redeem, rollback, refund), its key and fingerprint. */
    public record Identity(String programId, String scope, String key, String requestHash) {
        public Identity {
            Objects.requireNonNull(programId, "programId");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestHash, "requestHash");
        }
    }

    private final CustomerStore store;

    public Replays(CustomerStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The answer a request with this identity gets because its key took effect before: the first
     * answer when the request is the same, 409 {@code idempotency_key_reused} when it is another;
     * empty when the key never took effect (the request is decided afresh).
     */
    public <T> Optional<Outcome<T>> first(String tenant, Identity id) {
        return store.idempotency(tenant, id.programId(), id.scope(), id.key())
                .map(first -> Optimistic.notDone(first, id.requestHash()));
    }
}
