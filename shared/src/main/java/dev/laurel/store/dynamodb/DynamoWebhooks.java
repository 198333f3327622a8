package dev.laurel.store.dynamodb;

import dev.laurel.store.WebhookStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The outbound webhooks' port ({@link WebhookStore}) on {@link WebhookItems}, each call guarded for outages. */
final class DynamoWebhooks implements WebhookStore {
    private final WebhookItems webhooks;

    DynamoWebhooks(WebhookItems webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public boolean putWebhook(String tenant, Webhook webhook) {
        return Outages.guard(() -> webhooks.put(tenant, webhook));
    }

    @Override
    public Optional<Webhook> webhook(String tenant, String webhookId) {
        return Outages.guard(() -> webhooks.get(tenant, webhookId));
    }

    @Override
    public boolean deleteWebhook(String tenant, String webhookId) {
        return Outages.guard(() -> webhooks.delete(tenant, webhookId));
    }

    @Override
    public List<Webhook> webhooks(String tenant) {
        return Outages.guard(() -> webhooks.all(tenant));
    }

    @Override
    public DeliveryKey createDelivery(Delivery d) {
        return Outages.guard(() -> webhooks.create(d));
    }

    @Override
    public List<DeliveryKey> dueDeliveries(int shard, Instant upTo, int limit) {
        return Outages.guard(() -> webhooks.due(shard, upTo, limit));
    }

    @Override
    public Optional<Delivery> claim(DeliveryKey key, Instant upTo, Instant leaseUntil) {
        return Outages.guard(() -> webhooks.claim(key, upTo, leaseUntil));
    }

    @Override
    public boolean recordAttempt(DeliveryKey key, Delivery d, int attemptsBefore, String status, Instant at, Instant nextAt,
                                 String lastError) {
        return Outages.guard(() -> webhooks.record(key, d, attemptsBefore, status, at, nextAt, lastError));
    }

    @Override
    public Optional<DeliveryPage> deliveries(String tenant, String webhookId, String status, int limit, String cursor) {
        return Outages.guard(() -> webhooks.page(tenant, webhookId, status, limit, cursor));
    }
}
