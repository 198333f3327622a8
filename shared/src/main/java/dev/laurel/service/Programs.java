package dev.laurel.service;

import dev.laurel.domain.ApiException;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.store.DynamoStore;
import dev.laurel.store.Records.StoredProgram;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Program definitions cached per container. A cached program is re-checked by version (a small
 * read) once it is older than {@code recheck}, so a kill switch lands within that time plus one
 * request; the default of 5 s keeps it well inside API.md's 10 seconds.
 */
public final class Programs {
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(5);

    private record Cached(Program program, long checkedAtNanos) {
    }

    private final DynamoStore store;
    private final long recheckNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Programs(DynamoStore store, Duration recheck) {
        this.store = store;
        this.recheckNanos = recheck.toNanos();
    }

    /** The program, from cache when fresh; 404 when the tenant has no such program. */
    public Program get(String tenant, String programId) {
        String k = tenant + "#" + programId;
        Cached c = cache.get(k);
        long now = System.nanoTime();
        if (c != null) {
            if (now - c.checkedAtNanos() < recheckNanos) {
                return c.program();
            }
            OptionalLong v = store.programVersion(tenant, programId);
            if (v.isPresent() && v.getAsLong() == c.program().version()) {
                cache.put(k, new Cached(c.program(), now));
                return c.program();
            }
        }
        StoredProgram stored = store.program(tenant, programId)
                .orElseThrow(() -> ApiException.notFound("program " + programId));
        Program p = Program.parse(programId, stored.version(), Json.read(stored.definition())).withCreatedAt(stored.createdAt());
        cache.put(k, new Cached(p, now));
        return p;
    }

    /** Forgets a program this container just changed, so its next use reads the new version. */
    public void forget(String tenant, String programId) {
        cache.remove(tenant + "#" + programId);
    }
}
