package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records.LedgerPage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A member's ledger, newest first, a page at a time. */
public final class Ledger {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    /** {@code cursor} is null for the first page, else one a previous page returned. */
    public record Query(String tenant, String programId, String customerId, int limit, String cursor) {
    }

    private final CustomerStore store;

    public Ledger(CustomerStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public Outcome<LedgerPage> run(Query q) {
        Optional<LedgerPage> page = store.ledger(q.tenant(), q.programId(), q.customerId(), q.limit(), q.cursor());
        if (page.isEmpty()) {
            return Outcome.declined(Refusal.invalid("cursor", "is not a cursor this API returned"));
        }
        if (page.get().entries().isEmpty()
                && !store.readForEarn(q.tenant(), q.programId(), q.customerId(), List.of()).customer().member()) {
            return Outcome.declined(Refusal.notFound("customer " + q.customerId()));
        }
        return Outcome.done(page.get());
    }
}
