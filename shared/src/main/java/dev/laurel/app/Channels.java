package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.notify.Channel;

/**
 * The channel a program's reminders go through. The reminders function builds the real ones
 * (signed webhook, SES email); the local runner sends programs without a channel to its outbox.
 */
@FunctionalInterface
public interface Channels {
    /** The program's channel, or null when it has none here (its reminders are then skipped, with that reason). */
    Channel of(Program program);
}
