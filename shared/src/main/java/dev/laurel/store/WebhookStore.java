package dev.laurel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Outbound webhooks (CRM sync): a tenant's webhook definitions, and the deliveries of events to
 * them. A delivery is created once per (event, webhook), conditional on not existing, so a stream
 * record delivered again creates nothing; it waits for its next attempt in a sparse index (by
 * shard and instant, like reminders), and sits in a per-webhook listing while failed or dead.
 */
public interface WebhookStore {
    /** Deliveries not yet made or still retried: {@code pending} (first attempt), {@code failed}; then {@code delivered} or {@code dead}. */
    String PENDING = "pending";
    String DELIVERED = "delivered";
    String FAILED = "failed";
    String DEAD = "dead";

    /**
     * A webhook as stored. {@code programs} empty: every program of the tenant.
     *
     * @param status {@code active} or {@code disabled}
     */
    record Webhook(String webhookId, String url, String secret, List<String> events, List<String> programs, String status,
                   Instant createdAt, Instant updatedAt) {
        public Webhook {
            events = List.copyOf(events);
            programs = List.copyOf(programs);
        }
    }

    /** Creates or replaces a webhook; returns whether it existed. */
    boolean putWebhook(String tenant, Webhook webhook);

    Optional<Webhook> webhook(String tenant, String webhookId);

    /** Removes a webhook (its deliveries stay, and end as dead at their next attempt); returns whether it existed. */
    boolean deleteWebhook(String tenant, String webhookId);

    /** Every webhook of a tenant (one query; a tenant has at most a few dozen). */
    List<Webhook> webhooks(String tenant);

    /**
     * One delivery of one event to one webhook.
     *
     * @param partition the partition the event's item lives in (its customer's), which the delivery shares
     * @param body      the signed JSON document POSTed
     * @param nextAt    when it is next due (absent once delivered or dead)
     * @param key       its item key (null before the store creates it)
     */
    record Delivery(String tenant, String webhookId, String eventId, String type, String programId, String customerId,
                    long sequence, Instant createdAt, String body, String status, int attempts, Instant nextAt,
                    Instant lastAttemptAt, String lastError, DeliveryKey key) {
        /** This delivery at {@code key} (as the store created it). */
        public Delivery withKey(DeliveryKey key) {
            return new Delivery(tenant, webhookId, eventId, type, programId, customerId, sequence, createdAt, body, status, attempts,
                    nextAt, lastAttemptAt, lastError, key);
        }
    }

    /** A delivery's item key. */
    record DeliveryKey(String pk, String sk) {
    }

    /** Creates a delivery (status {@code pending}, due at {@code nextAt}) unless it exists; returns its key, or null when it existed. */
    DeliveryKey createDelivery(Delivery d);

    /** Keys of deliveries due at or before {@code upTo} in one shard, soonest first. */
    List<DeliveryKey> dueDeliveries(int shard, Instant upTo, int limit);

    /**
     * Claims a due delivery for one attempt until {@code leaseUntil}, if it is still due at or
     * before {@code upTo} and waiting (pending or failed): only one run gets it.
     */
    Optional<Delivery> claim(DeliveryKey key, Instant upTo, Instant leaseUntil);

    /**
     * Records an attempt, conditional on the delivery having made {@code attemptsBefore} attempts
     * (so two runs never both record one): {@code status} delivered, failed (due again at
     * {@code nextAt}) or dead.
     *
     * @return false when another attempt was recorded meanwhile
     */
    boolean recordAttempt(DeliveryKey key, Delivery d, int attemptsBefore, String status, Instant at, Instant nextAt,
                          String lastError);

    /** A page of a webhook's failed or dead deliveries, newest first; {@code cursor} opaque, null for the first page. */
    Optional<DeliveryPage> deliveries(String tenant, String webhookId, String status, int limit, String cursor);

    record DeliveryPage(List<Delivery> deliveries, String cursor) {
    }
}
