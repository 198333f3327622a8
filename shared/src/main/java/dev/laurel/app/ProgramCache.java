package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.json.ProgramReader;
import dev.laurel.store.ProgramStore;
import dev.laurel.store.Records.StoredProgram;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Program definitions cached per container. A cached program is re-checked by version (a small
 * read) once it is older than {@code recheck}, so a kill switch lands within that time plus one
 * request; the default of 5 s keeps it well inside API.md's 10 seconds.
 */
public final class ProgramCache {
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(5);

    private record Cached(Program program, long checkedAtNanos) {
    }

    private final ProgramStore store;
    private final long recheckNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ProgramCache(ProgramStore store, Duration recheck) {
        this.store = store;
        this.recheckNanos = recheck.toNanos();
    }

    /** The program, from cache when fresh; empty when the tenant has no such program. */
    public Optional<Program> get(String tenant, String programId) {
        String k = tenant + "#" + programId;
        Cached c = cache.get(k);
        long now = System.nanoTime();
        if (c != null) {
            if (now - c.checkedAtNanos() < recheckNanos) {
                return Optional.of(c.program());
            }
            OptionalLong v = store.programVersion(tenant, programId);
            if (v.isPresent() && v.getAsLong() == c.program().version()) {
                cache.put(k, new Cached(c.program(), now));
                return Optional.of(c.program());
            }
        }
        Optional<StoredProgram> stored = store.program(tenant, programId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Program p = ProgramReader.read(programId, stored.get().version(), stored.get().definition())
                .withCreatedAt(stored.get().createdAt());
        cache.put(k, new Cached(p, now));
        return Optional.of(p);
    }

    /** Forgets every cached program (a SnapStart copy after its restore: its re-check times are from before). */
    public void forgetAll() {
        cache.clear();
    }

    /** Forgets a program this container just changed, so its next use reads the new version. */
    public void forget(String tenant, String programId) {
        cache.remove(tenant + "#" + programId);
    }
}
