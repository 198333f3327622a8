package dev.laurel.app;

import dev.laurel.notify.WebhookTargets;
import dev.laurel.store.Change;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.Delivery;
import dev.laurel.store.WebhookStore.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhooks' consumer of the change stream: derives each change's events ({@link WebhookEvents}),
 * creates one delivery per (event, subscribed webhook), each conditional on not existing (a record
 * delivered again creates nothing, so nothing is sent twice), and makes every new delivery's first
 * attempt right away ({@link Deliveries}). A new delivery is due again {@link #FIRST_RETRY} later, so
 * if this invocation dies before recording its attempt, the scheduled run makes it.
 * A tenant's webhooks are read with one query and kept for {@code recheck}.
 */
public final class WebhookFanout {
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    private final WebhookStore store;
    private final Clock clock;
    private final Deliveries deliveries;
    private final long recheckNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(List<Webhook> webhooks, long atNanos) {
    }

    /**
     * What a batch did: events derived, deliveries due (created now or before), attempts made; {@code retryFrom}:
     * the first record to deliver again (null: none).
     */
    public record Result(int events, int deliveries, Deliveries.Tally attempts, String retryFrom) {
    }

    public WebhookFanout(WebhookStore store, WebhookTargets targets, Clock clock, Duration recheck) {
        this.store = store;
        this.clock = clock;
        this.deliveries = new Deliveries(store, targets, clock);
        this.recheckNanos = recheck.toNanos();
    }

    /**
     * Applies one shard's batch: every delivery of its changes is created and attempted in parallel. When one
     * cannot be created, the batch is delivered again from its change (what was created meanwhile is not
     * created, nor sent, twice).
     */
    public Result apply(List<Change> changes) {
        List<Deliveries.Attempt> todo = new ArrayList<>();
        List<String> from = new ArrayList<>();
        int events = 0;
        String retryFrom = null;
        for (Change c : changes) {
            try {
                for (WebhookEvents.Event e : WebhookEvents.of(c)) {
                    events++;
                    for (Webhook w : subscribed(e)) {
                        Instant now = clock.instant();
                        todo.add(new Deliveries.Attempt(new Delivery(e.tenant(), w.webhookId(), e.id(), e.type(), e.programId(),
                                e.customerId(), e.sequence(), now, e.body(), WebhookStore.PENDING, 0, now.plus(FIRST_RETRY), null, null,
                                null), w));
                        from.add(c.sequence());
                    }
                }
            } catch (RuntimeException ex) {
                System.err.println("ERROR webhooks: change " + c.sequence() + ": " + ex);
                retryFrom = c.sequence();
                break;
            }
        }
        Deliveries.Created done = deliveries.createAndAttempt(todo);
        if (done.firstFailed() >= 0) {
            retryFrom = from.get(done.firstFailed());
        }
        return new Result(events, todo.size(), done.tally(), retryFrom);
    }

    /** The tenant's active webhooks subscribed to this event's type and program. */
    private List<Webhook> subscribed(WebhookEvents.Event e) {
        List<Webhook> out = new ArrayList<>();
        for (Webhook w : webhooks(e.tenant())) {
            if (Webhooks.ACTIVE.equals(w.status()) && w.events().contains(e.type())
                    && (w.programs().isEmpty() || w.programs().contains(e.programId()))) {
                out.add(w);
            }
        }
        return out;
    }

    private List<Webhook> webhooks(String tenant) {
        long now = System.nanoTime();
        Cached c = cache.get(tenant);
        if (c == null || now - c.atNanos() >= recheckNanos) {
            c = new Cached(store.webhooks(tenant), now);
            cache.put(tenant, c);
        }
        return c.webhooks();
    }
}
