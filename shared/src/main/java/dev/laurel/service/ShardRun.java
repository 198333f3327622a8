package dev.laurel.service;

import dev.laurel.store.Records.Cursor;
import dev.laurel.store.Records.DuePage;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.RunFailures;
import dev.laurel.store.ScheduledStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One scheduled run's walk through an index: per shard, pages of what is due at or before
 * {@code upTo} (keys only), each read in one batch and handed to {@link #page}, until the shard
 * is done or the time budget is down to its margin. Subclasses count what they did, and hand a
 * customer they failed on to {@link #failed}, which records it and lets the run go on.
 */
abstract class ShardRun {
    static final int PAGE = 100;

    final ScheduledStore store;
    final String index;
    final Instant upTo;
    final ScheduledStore.Usage usage = new ScheduledStore.Usage();
    /** Customers (and unreadable items) the run failed on, each recorded and passed over. */
    final LongAdder failed = new LongAdder();
    final Clock clock;
    private final RunFailures failures;
    private final LongSupplier remainingMs;
    private final long marginMs;

    ShardRun(ScheduledStore store, String index, Instant upTo, Clock clock, LongSupplier remainingMs, long marginMs) {
        this.store = store;
        this.index = index;
        this.upTo = upTo;
        this.clock = clock;
        this.failures = store.failures();
        this.remainingMs = remainingMs;
        this.marginMs = marginMs;
    }

    /**
     * The run failed for the customer of {@code k}: logs it (ERROR), counts it on the profile and
     * dead-letters it for the tenant ({@link RunFailures}), and the run goes on with the others.
     * A failure of the store itself (unreachable, throttled) is not the customer's: it stops the run.
     */
    final void failed(ItemKey k, RuntimeException e) {
        if (RunFailures.outage(e)) {
            throw e;
        }
        failed.increment();
        String error = describe(e);
        long attempts = -1;
        try {
            attempts = failures.customer(index, k, upTo, clock.instant(), error);
        } catch (RuntimeException f) {
            if (RunFailures.outage(f)) {
                throw f;
            }
            System.err.println("ERROR could not record the failure below: " + describe(f));
        }
        System.err.println("ERROR " + job() + " run up to " + upTo + " failed for customer " + k.customerId() + " (tenant "
                + k.tenant() + ", program " + k.programId() + ", failure " + attempts + " of " + RunFailures.MAX
                + "), passed over: " + error);
    }

    /** An unreadable notification item: it leaves the index as a dead letter. */
    final void unreadable(ItemKey k, RuntimeException e) {
        if (RunFailures.outage(e)) {
            throw e;
        }
        failed.increment();
        System.err.println("ERROR " + job() + " run up to " + upTo + ": notification " + k.sk() + " of customer "
                + k.customerId() + " (tenant " + k.tenant() + ", program " + k.programId() + ") is unreadable, dead-lettered: "
                + describe(e));
        try {
            failures.notification(k, clock.instant(), describe(e));
        } catch (RuntimeException f) {
            if (RunFailures.outage(f)) {
                throw f;
            }
            System.err.println("ERROR could not dead-letter notification " + k.sk() + ": " + describe(f));
        }
    }

    private String job() {
        return dev.laurel.store.Index.DUE.equals(index) ? "expiry" : "reminders";
    }

    /** The exception and where it was thrown, on one line. */
    static String describe(Throwable e) {
        StackTraceElement[] at = e.getStackTrace();
        return e + (at.length == 0 ? "" : " at " + at[0]);
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
    abstract boolean page(List<ItemKey> keys, ScheduledStore.Items items);

    /** Runs over {@code shards}; returns those not finished. */
    final List<Integer> run(List<Integer> shards) {
        return Shards.run(shards, this::shard, remainingMs, marginMs);
    }
}
