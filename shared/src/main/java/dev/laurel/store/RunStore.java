package dev.laurel.store;

import dev.laurel.store.Records.Cursor;
import dev.laurel.store.Records.DeadLetter;
import dev.laurel.store.Records.DuePage;
import dev.laurel.store.Records.DueProfile;
import dev.laurel.store.Records.ExpireWrite;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.Records.Items;
import dev.laurel.store.Records.RemindWrite;
import dev.laurel.store.Records.StoredNotification;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The sparse indexes of the scheduled runs, what they point to, and their writes. */
public interface RunStore {
    /** Shards per index. */
    int SHARDS = 16;

    /** The index a run reads: {@code DUE} (expiry, releases) or {@code REMIND} (reminders, notifications). */
    enum DueIndex { DUE, REMIND }

    /** One page of what is due at or before {@code upTo} in one shard: keys only, soonest first. */
    DuePage due(DueIndex index, int shard, Instant upTo, Cursor from, int limit, Usage usage);

    /** What a page of keys points to (and, for each notification, its customer's profile). */
    Items read(Collection<ItemKey> keys, Usage usage);

    /** One customer's profile, or null. */
    DueProfile profile(ItemKey k, Usage usage);

    /** Whether a key is a customer's profile (else a notification). */
    boolean isProfile(ItemKey k);

    /** The reward code a due item's key names (a code with {@code codeValidDays}), or null when it is not a code. */
    String codeOf(ItemKey k);

    /** The key of a customer's notification. */
    ItemKey notificationKey(ItemKey customer, String notificationId);

    Commit expire(ExpireWrite w);

    Commit remind(RemindWrite w);

    /**
     * Records that the run over {@code index} up to {@code upTo} failed for the customer of
     * {@code k} (counted on the profile, a dead letter of its tenant; at the third failure in a
     * row the profile leaves the index); returns the failures in a row (0 when the profile is gone).
     */
    long customerFailed(DueIndex index, ItemKey k, Instant upTo, Instant now, String error);

    /** A notification the reminders run cannot read: it leaves the index as dead, with a dead letter. */
    void notificationUnreadable(ItemKey k, Instant now, String error);

    /**
     * True when a failure is the store's, not the item's (unreachable, throttling past the
     * retries): the run stops, what is due stays due, the scheduler retries it.
     */
    boolean isOutage(Throwable e);

    /** Claims a queued notification until {@code leaseUntil}; false when another run has it (or it is not due). */
    boolean claim(StoredNotification n, Instant now, Instant leaseUntil);

    void sent(StoredNotification n, Instant now);

    void skipped(StoredNotification n, Instant now, String reason);

    void retryLater(StoredNotification n, Instant at, String error);

    /** Leaves the index as dead and adds a dead letter to its tenant's list, at once. */
    void dead(StoredNotification n, Instant now, long attempts, String error);

    /** A customer's notifications (for the local runner and tests). */
    List<StoredNotification> notifications(String tenant, String programId, String customerId);

    /** A tenant's dead letters, newest first. */
    List<DeadLetter> deadLetters(String tenant, int limit);
}
