package dev.laurel.app;

import dev.laurel.notify.WebhookTargets;
import dev.laurel.store.RunStore;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.Delivery;
import dev.laurel.store.WebhookStore.DeliveryKey;
import dev.laurel.store.WebhookStore.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The scheduled run (every minute) of webhook deliveries' retries: per shard, queries the
 * deliveries due at or before the run's instant (a sparse index: never a scan), claims each for
 * {@link #LEASE} (only one run attempts it), and attempts them in parallel ({@link Deliveries}).
 * A delivery whose webhook was deleted or disabled meanwhile ends dead without a request.
 */
public final class DeliveryRun {
    static final Duration LEASE = Duration.ofMinutes(5);
    static final int PAGE = 100;

    private final WebhookStore store;
    private final Deliveries deliveries;

    public DeliveryRun(WebhookStore store, WebhookTargets targets, Clock clock) {
        this.store = store;
        this.deliveries = new Deliveries(store, targets, clock);
    }

    /** What a run did; {@code remainingShards}: the shards it had no time for. */
    public record Result(int claimed, Deliveries.Tally tally, List<Integer> remainingShards) {
    }

    /** Attempts what is due at or before {@code upTo} in {@code shards}, while more than {@code marginMs} remain. */
    public Result run(Instant upTo, List<Integer> shards, LongSupplier remainingMs, long marginMs) {
        int claimed = 0;
        Deliveries.Tally tally = new Deliveries.Tally(0, 0, 0);
        List<Integer> left = new ArrayList<>(shards.isEmpty() ? all() : shards);
        Map<String, Optional<Webhook>> webhooks = new HashMap<>();
        while (!left.isEmpty() && remainingMs.getAsLong() > marginMs) {
            int shard = left.get(0);
            List<DeliveryKey> due = store.dueDeliveries(shard, upTo, PAGE);
            if (due.isEmpty()) {
                left.remove(0);
                continue;
            }
            List<Deliveries.Attempt> attempts = new ArrayList<>();
            for (DeliveryKey k : due) {
                Optional<Delivery> d = store.claim(k, upTo, upTo.plus(LEASE));
                if (d.isEmpty()) {
                    continue;
                }
                claimed++;
                Webhook w = webhooks.computeIfAbsent(d.get().tenant() + "\n" + d.get().webhookId(),
                        x -> store.webhook(d.get().tenant(), d.get().webhookId())).orElse(null);
                attempts.add(new Deliveries.Attempt(d.get(), w != null && Webhooks.ACTIVE.equals(w.status()) ? w : null));
            }
            tally = tally.plus(deliveries.attempt(attempts));
        }
        return new Result(claimed, tally, left);
    }

    private static List<Integer> all() {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < RunStore.SHARDS; i++) {
            s.add(i);
        }
        return s;
    }
}
