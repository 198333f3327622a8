package dev.laurel.app;

import dev.laurel.notify.DeliveryException;
import dev.laurel.notify.WebhookTargets;
import dev.laurel.retry.Backoff;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.Delivery;
import dev.laurel.store.WebhookStore.Webhook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Attempts of webhook deliveries, shared by the stream consumer (the first attempt, right away)
 * and the scheduled run (the retries): POST the signed event, then record the outcome on the
 * delivery, conditional on the attempts it had. A failure (any non-2xx answer, a timeout, a
 * refused connection) is retried with {@link #BACKOFF} until {@link #RETRY_FOR} after the
 * delivery was created; the attempt at or after that instant that fails makes it {@code dead}.
 * Attempts run in parallel, {@link #PARALLEL} at a time, each bounded by the targets' timeouts.
 */
public final class Deliveries {
    /** 1 min, 2, 4, ... up to 1 h between attempts, ± 20%. */
    public static final Backoff BACKOFF = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), 20);
    public static final Duration RETRY_FOR = Duration.ofHours(24);
    public static final int PARALLEL = 16;

    /** How attempts ended. */
    public record Tally(int delivered, int failed, int dead) {
        Tally plus(Tally o) {
            return new Tally(delivered + o.delivered, failed + o.failed, dead + o.dead);
        }
    }

    /** One delivery to attempt, with its webhook (null: deleted or disabled, so it ends dead without a request). */
    record Attempt(Delivery delivery, Webhook webhook) {
    }

    private final WebhookStore store;
    private final WebhookTargets targets;
    private final Clock clock;
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "laurel-webhook");
        t.setDaemon(true);
        return t;
    });

    Deliveries(WebhookStore store, WebhookTargets targets, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.clock = clock;
    }

    /** Attempts every one in parallel and waits for all (each is bounded by the request timeout). */
    Tally attempt(List<Attempt> attempts) {
        List<Future<Tally>> running = new ArrayList<>();
        for (Attempt a : attempts) {
            running.add(pool.submit(dev.laurel.store.Meter.carried(() -> one(a))::get));
        }
        return await(running);
    }

    /**
     * Creates each delivery (conditional: one that exists is left alone, nothing is sent) and attempts the
     * new ones, all in parallel; waits for all.
     *
     * @return the tally, and the index of the first delivery that could not be created (-1: none)
     */
    Created createAndAttempt(List<Attempt> deliveries) {
        List<Future<Tally>> running = new ArrayList<>();
        for (Attempt a : deliveries) {
            running.add(pool.submit(dev.laurel.store.Meter.carried(() -> {
                WebhookStore.DeliveryKey key = store.createDelivery(a.delivery());
                return key == null ? new Tally(0, 0, 0) : one(new Attempt(a.delivery().withKey(key), a.webhook()));
            })::get));
        }
        int firstFailed = -1;
        Tally t = new Tally(0, 0, 0);
        for (int i = 0; i < running.size(); i++) {
            try {
                t = t.plus(running.get(i).get(WebhookTargets.REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Created(t, firstFailed < 0 ? i : firstFailed);
            } catch (Exception e) {
                System.err.println("ERROR webhook delivery " + deliveries.get(i).delivery().eventId() + ": " + e);
                firstFailed = firstFailed < 0 ? i : firstFailed;
            }
        }
        return new Created(t, firstFailed);
    }

    /** What {@link #createAndAttempt} did. */
    record Created(Tally tally, int firstFailed) {
    }

    private Tally await(List<Future<Tally>> running) {
        Tally t = new Tally(0, 0, 0);
        for (Future<Tally> f : running) {
            try {
                t = t.plus(f.get(WebhookTargets.REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // the attempt's outcome was not recorded: the delivery stays due and is tried again by the run
                System.err.println("WARN webhook attempt: " + e);
            }
        }
        return t;
    }

    private Tally one(Attempt a) {
        Delivery d = a.delivery();
        String error;
        if (a.webhook() == null) {
            error = "the webhook was deleted or disabled";
        } else {
            try {
                targets.post(a.webhook().url(), a.webhook().secret(), d.eventId(), d.type(), d.body());
                store.recordAttempt(d.key(), d, d.attempts(), WebhookStore.DELIVERED, clock.instant(), null, null);
                return new Tally(1, 0, 0);
            } catch (DeliveryException e) {
                error = e.getMessage();
            }
        }
        Instant now = clock.instant();
        Instant deadline = d.createdAt().plus(RETRY_FOR);
        if (a.webhook() == null || !now.isBefore(deadline)) {
            store.recordAttempt(d.key(), d, d.attempts(), WebhookStore.DEAD, now, null, error);
            return new Tally(0, 0, 1);
        }
        Instant next = now.plus(BACKOFF.delay(d.attempts())).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        store.recordAttempt(d.key(), d, d.attempts(), WebhookStore.FAILED, now, next.isAfter(deadline) ? deadline : next, error);
        return new Tally(0, 1, 0);
    }
}
