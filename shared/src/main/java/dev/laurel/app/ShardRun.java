package dev.laurel.app;

import dev.laurel.store.Records;
import dev.laurel.store.Records.Cursor;
import dev.laurel.store.Records.DuePage;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.RunStore;
import dev.laurel.store.Usage;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One scheduled run's walk through an index: per shard, pages of what is due at or before
 * {@code upTo} (keys only), each read in one batch and handed to {@link #page}, until the shard
 * is done or the time budget is down to its margin. Subclasses count what they did.
 */
abstract class ShardRun {
    static final int PAGE = 100;

    final RunStore store;
    final RunStore.DueIndex index;
    final Instant upTo;
    final Usage usage = new Usage();
    private final LongSupplier remainingMs;
    private final long marginMs;

    ShardRun(RunStore store, RunStore.DueIndex index, Instant upTo, LongSupplier remainingMs, long marginMs) {
        this.store = store;
        this.index = index;
        this.upTo = upTo;
        this.remainingMs = remainingMs;
        this.marginMs = marginMs;
    }

    boolean timeLeft() {
        return remainingMs.getAsLong() > marginMs;
    }

    /** Works through one shard; false when the deadline came first (what is left stays due in the index). */
    final boolean shard(int shard) {
        Cursor from = null;
        do {
            if (!timeLeft()) {
                return false;
            }
            DuePage page = store.due(index, shard, upTo, from, PAGE, usage);
            if (!page.items().isEmpty() && !page(page.items(), store.read(page.items(), usage))) {
                return false;
            }
            from = page.next();
        } while (from != null);
        return true;
    }

    /** Does the work of one page; false when it stopped for the deadline. */
    abstract boolean page(List<ItemKey> keys, Records.Items items);

    /** Runs over {@code shards}; returns those not finished. */
    final List<Integer> run(List<Integer> shards) {
        return Shards.run(shards, this::shard, remainingMs, marginMs);
    }
}
