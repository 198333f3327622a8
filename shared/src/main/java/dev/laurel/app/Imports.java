package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.domain.Refusal;
import dev.laurel.store.ImportStore;
import dev.laurel.store.ImportStore.ImportDef;
import dev.laurel.store.ImportStore.ImportStatus;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * An import as a resource: created once per id (the same body again answers it, another body is
 * {@code idempotency_key_reused}), and its status with exact counters and the first errors.
 */
public final class Imports {
    /** Errors a status shows (API.md: the first 100, in row order). */
    public static final int MAX_ERRORS = 100;
    public static final String ADD = "add";
    public static final String SET = "set";

    /** {@code fingerprint} is the canonical body's fingerprint. */
    public record Create(String tenant, Program program, String importId, boolean dryRun, String mode, String ruleId,
                         String fingerprint) {
    }

    /** The import as it is, and whether this call created it. */
    public record Created(ImportStatus status, boolean created) {
    }

    private final ImportStore store;
    private final Clock clock;

    public Imports(ImportStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Created> create(Create c) {
        if (c.ruleId() != null && c.program().earningRules().stream().noneMatch(r -> r.id().equals(c.ruleId()))) {
            return Outcome.declined(Refusal.invalid("retroactive.ruleId", "names no earning rule of program "
                    + c.program().programId()));
        }
        ImportDef want = new ImportDef(c.importId(), c.fingerprint(), c.dryRun(), c.mode(), c.ruleId(), clock.instant());
        ImportDef got = store.createImport(c.tenant(), c.program().programId(), want);
        if (!got.fingerprint().equals(c.fingerprint())) {
            return Outcome.declined(new Refusal(Refusal.Code.IDEMPOTENCY_KEY_REUSED,
                    "import " + c.importId() + " was created with another body"));
        }
        ImportStatus status = store.importStatus(c.tenant(), c.program().programId(), c.importId(), MAX_ERRORS).orElseThrow();
        return Outcome.done(new Created(status, got == want));
    }

    /** Marks the import complete (its last chunk came: {@code ?final=true}); the stream makes {@code import.completed} of it. */
    public void complete(String tenant, String programId, String importId) {
        store.importComplete(tenant, programId, importId, clock.instant());
    }

    public Optional<ImportStatus> status(String tenant, String programId, String importId) {
        return store.importStatus(tenant, programId, importId, MAX_ERRORS);
    }
}
