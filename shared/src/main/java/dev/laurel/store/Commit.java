package dev.laurel.store;

/** How a transactional write ended, when it did not fail with an {@link dev.laurel.domain.ApiException}. */
public sealed interface Commit {
    /** The write took effect. */
    record Done() implements Commit {
    }

    /** The idempotency key was used before: the stored request hash and the first answer. */
    record Replay(String requestHash, int status, String body) implements Commit {
    }

    /** State read before the write changed meanwhile: read again, decide again, write again. */
    record Retry(String why) implements Commit {
    }

    Commit DONE = new Done();
}
