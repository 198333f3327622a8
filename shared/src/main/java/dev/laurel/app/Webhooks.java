package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.DeliveryPage;
import dev.laurel.store.WebhookStore.Webhook;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** A tenant's outbound webhooks (admin): put, get, delete, and the listing of failed and dead deliveries. */
public final class Webhooks {
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
    /** A limit on everything: webhooks per tenant. */
    public static final int MAX_PER_TENANT = 25;
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private final WebhookStore store;
    private final Clock clock;

    public Webhooks(WebhookStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What a put asks for; {@code programs} empty: every program. */
    public record Put(String tenant, String webhookId, String url, String secret, List<String> events, List<String> programs,
                      String status) {
    }

    /**
     * Creates or replaces a webhook; answers it and whether it was created. One query of the tenant's webhooks
     * (existence and the limit) and one write. The limit is checked before the write, so two creates at the same
     * instant may pass it by one.
     */
    public Outcome<Created> put(Put p) {
        List<Webhook> all = store.webhooks(p.tenant());
        Optional<Webhook> old = all.stream().filter(w -> w.webhookId().equals(p.webhookId())).findFirst();
        if (old.isEmpty() && all.size() >= MAX_PER_TENANT) {
            return Outcome.declined(Refusal.invalid("webhookId", "a tenant has at most " + MAX_PER_TENANT + " webhooks"));
        }
        var now = clock.instant();
        Webhook w = new Webhook(p.webhookId(), p.url(), p.secret(), p.events(), p.programs(), p.status(),
                old.map(Webhook::createdAt).orElse(now), now);
        boolean existed = store.putWebhook(p.tenant(), w);
        return Outcome.done(new Created(w, !existed));
    }

    public record Created(Webhook webhook, boolean created) {
    }

    public Optional<Webhook> get(String tenant, String webhookId) {
        return store.webhook(tenant, webhookId);
    }

    public boolean delete(String tenant, String webhookId) {
        return store.deleteWebhook(tenant, webhookId);
    }

    /** A page of the webhook's deliveries in {@code status} (failed or dead); empty when the webhook does not exist. */
    public Outcome<DeliveryPage> deliveries(String tenant, String webhookId, String status, int limit, String cursor) {
        if (store.webhook(tenant, webhookId).isEmpty()) {
            return Outcome.declined(Refusal.notFound("webhook " + webhookId));
        }
        Optional<DeliveryPage> page = store.deliveries(tenant, webhookId, status, limit, cursor);
        return page.<Outcome<DeliveryPage>>map(Outcome::done)
                .orElseGet(() -> Outcome.declined(Refusal.invalid("cursor", "is not a cursor this API returned")));
    }
}
