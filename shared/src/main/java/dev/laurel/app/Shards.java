package dev.laurel.app;

import dev.laurel.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Runs a scheduled job's work per index shard, a few shards at a time, until the work is done or
 * the time budget is spent. A shard not finished in time is reported, so the run can continue in
 * another invocation: what is due stays in the index until it is done, so the index itself is the
 * checkpoint and nothing is done twice (every write is conditional).
 */
public final class Shards {
    /** The first shard's pick, each restored copy's own (domain/Entropy: not ThreadLocalRandom, shared by the copies). */
    private static final java.security.SecureRandom START = dev.laurel.domain.Entropy.secure();
    /** How many shards one invocation works on at once (the work is I/O bound). */
    static final int PARALLEL = 4;

    private Shards() {
    }

    /** Every shard of the indexes. */
    public static List<Integer> all() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < RunStore.SHARDS; i++) {
            out.add(i);
        }
        return out;
    }

    /**
     * Runs {@code shard} (which returns true when the shard is finished, false when it stopped for
     * the deadline) on each of {@code shards}; returns the shards not finished.
     */
    static List<Integer> run(List<Integer> given, IntPredicate shard, LongSupplier remainingMs, long marginMs) {
        // each run starts at a random shard, so overlapping runs mostly work on different customers
        List<Integer> shards = new ArrayList<>(given);
        java.util.Collections.rotate(shards, START.nextInt(Math.max(1, shards.size())));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, shards.size())), r -> {
            Thread t = new Thread(r, "laurel-shard");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int s : shards) {
                // the batch's meter (store/Meter) goes along, so the shards' DynamoDB calls count in its log line
                futures.add(pool.submit(dev.laurel.store.Meter.carried(() -> remainingMs.getAsLong() > marginMs && shard.test(s))::get));
            }
            List<Integer> left = new ArrayList<>();
            for (int i = 0; i < shards.size(); i++) {
                try {
                    if (!futures.get(i).get()) {
                        left.add(shards.get(i));
                    }
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            return left;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
