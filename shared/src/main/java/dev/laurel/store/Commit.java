package dev.laurel.store;

import dev.laurel.domain.Refusal;

/** How a transactional write ended. */
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

    /** A condition that deciding again cannot change refused the write (a budget used up, a stacking rule). */
    record Refused(Refusal refusal) implements Commit {
    }

    Commit DONE = new Done();
}
