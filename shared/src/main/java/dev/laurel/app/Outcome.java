package dev.laurel.app;

import dev.laurel.domain.Refusal;

/**
 * What a use case answers: its result, the first answer of an idempotent request already served
 * (exactly as it was rendered then), or a refusal (a value the API layer maps to its status).
 */
public sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {
    }

    /** This idempotency key took effect before: its first answer, as it was rendered then. */
    record Replayed<T>(int status, String body) implements Outcome<T> {
    }

    record Declined<T>(Refusal refusal) implements Outcome<T> {
    }

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> declined(Refusal refusal) {
        return new Declined<>(refusal);
    }
}
