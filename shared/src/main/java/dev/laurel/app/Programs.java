package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.json.Definitions;
import dev.laurel.json.ProgramReader;
import dev.laurel.store.ProgramStore;
import dev.laurel.store.Records.StoredProgram;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The admin's program use cases: create or replace a definition (optionally only at a version),
 * read it, and the kill switch (an earning rule's or reward's status), which lands everywhere
 * within the cache's re-check time.
 */
public final class Programs {
    /** {@code definition} is JSON (validated by {@link #put}); {@code ifMatch} null = whatever the stored version is. */
    public record Put(String tenant, String programId, String definition, Long ifMatch) {
    }

    public record Saved(String programId, long version) {
        public boolean created() {
            return version == 1;
        }
    }

    /** {@code collection} is {@code earningRules} or {@code rewards}. */
    public record SetStatus(String tenant, String programId, String collection, String itemId, String status) {
    }

    public record StatusSet(String programId, long version, String collection, String itemId, String status) {
    }

    private final ProgramStore store;
    private final ProgramCache cache;
    private final Clock clock;

    public Programs(ProgramStore store, ProgramCache cache, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Validates the definition whole (a webhook's omitted secret is kept: {@link Definitions#withStoredSecret}) and saves it. */
    public Outcome<Saved> put(Put cmd) {
        String definition = cmd.definition();
        if (Definitions.omitsSecret(definition)) {
            definition = Definitions.withStoredSecret(definition,
                    store.program(cmd.tenant(), cmd.programId()).map(StoredProgram::definition).orElse(null));
        }
        try {
            ProgramReader.read(cmd.programId(), 0, definition);
        } catch (Refused e) {
            return Outcome.declined(e.refusal());
        }
        OptionalLong version = store.saveProgram(cmd.tenant(), cmd.programId(), definition, cmd.ifMatch(), clock.instant());
        if (version.isEmpty()) {
            return Outcome.declined(conflict(cmd.ifMatch()));
        }
        cache.forget(cmd.tenant(), cmd.programId());
        return Outcome.done(new Saved(cmd.programId(), version.getAsLong()));
    }

    public Outcome<StoredProgram> get(String tenant, String programId) {
        Optional<StoredProgram> p = store.program(tenant, programId);
        return p.<Outcome<StoredProgram>>map(Outcome::done).orElseGet(() -> Outcome.declined(Refusal.notFound("program " + programId)));
    }

    /** The kill switch: sets an item's status in the stored definition, deciding again when another change came first. */
    public Outcome<StatusSet> setStatus(SetStatus cmd) {
        return Optimistic.retrying(attempt -> {
            Optional<StoredProgram> found = store.program(cmd.tenant(), cmd.programId());
            if (found.isEmpty()) {
                return Outcome.declined(Refusal.notFound("program " + cmd.programId()));
            }
            StoredProgram p = found.get();
            Optional<String> edited = Definitions.withStatus(p.definition(), cmd.collection(), cmd.itemId(), cmd.status());
            if (edited.isEmpty()) {
                return Outcome.declined(Refusal.notFound(
                        (cmd.collection().equals("rewards") ? "reward " : "earning rule ") + cmd.itemId()));
            }
            OptionalLong version = store.saveProgram(cmd.tenant(), cmd.programId(), edited.get(), p.version(), clock.instant());
            if (version.isEmpty()) {
                throw Optimistic.again("program " + cmd.programId() + " changed", conflict(p.version()));
            }
            cache.forget(cmd.tenant(), cmd.programId());
            return Outcome.done(new StatusSet(cmd.programId(), version.getAsLong(), cmd.collection(), cmd.itemId(), cmd.status()));
        }, s -> Outcome.declined(s.last));
    }

    private static Refusal conflict(Long ifMatch) {
        return new Refusal(Refusal.Code.VERSION_CONFLICT,
                "the program is not at version " + ifMatch + "; read it again and retry with its current version",
                Map.of("expectedVersion", ifMatch));
    }
}
