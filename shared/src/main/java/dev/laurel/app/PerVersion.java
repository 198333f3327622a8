package dev.laurel.app;

import dev.laurel.domain.Program;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a hot path derives from a program, made once per program version and then reused, as the
 * compiled conditions are: a version is the {@link Program} instance {@link ProgramCache} hands out
 * until the program changes, so a derived value is kept with the instance it was made from and made
 * again for any other. One value per program id (a container serves few); an unlimited number of
 * ids never grows it past {@link #MAX_PROGRAMS}.
 */
public final class PerVersion<T> {
    static final int MAX_PROGRAMS = 64;

    private record Made<T>(Program program, T value) {
    }

    private final Function<Program, T> make;
    private final ConcurrentHashMap<String, Made<T>> made = new ConcurrentHashMap<>();

    public PerVersion(Function<Program, T> make) {
        this.make = make;
    }

    /** The value derived from {@code program}: made on its first use, then the same until another version comes. */
    public T of(Program program) {
        Made<T> m = made.get(program.programId());
        if (m != null && m.program() == program) {
            return m.value();
        }
        if (made.size() >= MAX_PROGRAMS) {
            made.clear();
        }
        T value = make.apply(program);
        made.put(program.programId(), new Made<>(program, value));
        return value;
    }

    /** How many programs' values are kept. */
    int size() {
        return made.size();
    }
}
