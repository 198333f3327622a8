package dev.laurel.store.dynamodb;

import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sparse indexes (template.yaml). {@code lists} keys every profile by its program
 * ({@code listKey} = the program's key {@code T#t#P#p}) and customer id ({@code listSort}), set
 * once when the profile is created (and, for a profile created before the index, on its next
 * write): no later write changes them, so the index is written once per member, at join, and
 * the member listing queries it in customer id order.
 *
 * <p>Of the scheduled functions: {@code due} keys a profile
 * by when the expiry function next has work for it (a lot expiring or a return window ending);
 * {@code remind} keys a profile by its next {@code points_expiring} reminder and a queued
 * notification by when it is to be sent (and, under shards {@code W#07} of their own, a webhook
 * delivery by its next attempt). {@code lists} also lists a webhook's failed and dead deliveries. Partition keys are sharded by the item's partition key
 * ({@code D#07}, {@code R#07}) so no index partition is hot and the functions fan out per shard;
 * the sort key is the instant in epoch seconds, so one query per shard reads exactly what is due.
 */
public final class Index {
    public static final String DUE = "due";
    public static final String REMIND = "remind";
    /**
     * The listings' keys-only index: {@code listKey} names a list (a program's members: the program's
     * key; a webhook's failed or dead deliveries: {@code Keys.deliveryList}), {@code listSort} orders it.
     */
    public static final String LISTS = "lists";
    static final String LIST_KEY = "listKey";
    static final String LIST_SORT = "listSort";
    static final String DUE_SHARD = "dueShard";
    static final String DUE_AT = "dueAt";
    static final String REMIND_SHARD = "remShard";
    static final String REMIND_AT = "remAt";
    /** Shards per index. Changing it re-keys items only as they are next written, so keep it fixed. */
    public static final int SHARDS = dev.laurel.store.RunStore.SHARDS;

    private Index() {
    }

    static int shard(String pk) {
        return Math.floorMod(pk.hashCode(), SHARDS);
    }

    static String dueShard(String pk) {
        return dueShard(shard(pk));
    }

    static String dueShard(int shard) {
        return "D#" + String.format("%02d", shard);
    }

    static String remindShard(String pk) {
        return remindShard(shard(pk));
    }

    static String remindShard(int shard) {
        return "R#" + String.format("%02d", shard);
    }

    /**
     * The {@code remind} index's shards of webhook deliveries waiting for an attempt ({@code W#07}):
     * partitions of their own, so the reminders run never reads them and the deliveries run reads only them.
     */
    static String deliverShard(String pk) {
        return deliverShard(shard(pk));
    }

    static String deliverShard(int shard) {
        return "W#" + String.format("%02d", shard);
    }

    static AttributeValue at(Instant t) {
        return Av.n(t.getEpochSecond());
    }
}
