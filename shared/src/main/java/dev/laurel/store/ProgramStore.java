package dev.laurel.store;

import dev.laurel.store.Records.StoredProgram;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Program definitions, versioned. */
public interface ProgramStore {
    Optional<StoredProgram> program(String tenant, String programId);

    /** The stored version only (a small read, used to re-check a cached program). */
    OptionalLong programVersion(String tenant, String programId);

    /**
     * Stores a definition and returns its new version; with {@code ifMatch}, only if the stored
     * version is that one (else empty: the program is at another version). The first save records
     * {@code createdAt} (as does the next save of a program stored before it was recorded).
     */
    OptionalLong saveProgram(String tenant, String programId, String definition, Long ifMatch, Instant now);
}
