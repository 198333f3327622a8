package dev.laurel.domain;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secure random sources of the process, known by name so that a restored copy of a SnapStart
 * snapshot can make them its own ({@link #reseedAll}): copies resumed from one snapshot start with
 * the same generator state, and a generator that is not reseeded would hand them the same reward
 * codes, API keys, tokens and entry-id suffixes. Reseeding adds fresh entropy from the operating
 * system to each source ({@link SecureRandom#setSeed} supplements, never replaces).
 */
public final class Entropy {
    private static final List<SecureRandom> SOURCES = new CopyOnWriteArrayList<>();

    private Entropy() {
    }

    /** A new secure random source, reseeded with the others after a restore. */
    public static SecureRandom secure() {
        return register(new SecureRandom());
    }

    /** Adds {@code source} to those {@link #reseedAll} reseeds; answers it. */
    public static SecureRandom register(SecureRandom source) {
        SOURCES.add(Objects.requireNonNull(source, "source"));
        return source;
    }

    /** Whether {@code source} is among those {@link #reseedAll} reseeds. */
    public static boolean registers(SecureRandom source) {
        return SOURCES.contains(source);
    }

    /** Reseeds every registered source with 32 fresh bytes from a new generator; answers how many. */
    public static int reseedAll() {
        SecureRandom fresh = new SecureRandom();
        for (SecureRandom s : SOURCES) {
            byte[] seed = new byte[32];
            fresh.nextBytes(seed);
            s.setSeed(seed);
        }
        return SOURCES.size();
    }
}
