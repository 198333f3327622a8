package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.app.WebhookEvents;
import dev.laurel.app.Webhooks;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import dev.laurel.notify.WebhookTargets;
import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.Delivery;
import dev.laurel.store.WebhookStore.DeliveryPage;
import dev.laurel.store.WebhookStore.Webhook;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The outbound webhooks' routes (admin): {@code PUT/GET/DELETE /v1/webhooks/{webhookId}} and
 * {@code GET /v1/webhooks/{webhookId}/deliveries?status=failed|dead&limit=&cursor=}. A webhook's
 * secret is write-only: no answer carries it. Its URL must be one {@link WebhookTargets} accepts.
 */
public final class WebhooksApi {
    public static final int MIN_SECRET_CHARS = 16;
    public static final int MAX_SECRET_CHARS = 256;
    public static final int MAX_PROGRAMS = 100;
    private static final Pattern ANY = null;
    private static final Set<String> LISTING_PARAMETERS = Set.of("status", "limit", "cursor");

    private final Laurel laurel;
    private final WebhookTargets targets;

    public WebhooksApi(Laurel laurel, WebhookTargets targets) {
        this.laurel = laurel;
        this.targets = targets;
    }

    public Response put(Request req) {
        req.requireAdmin();
        String webhookId = req.id("webhookId");
        Webhooks.Put put = read(req, webhookId);
        Outcome<Webhooks.Created> o = laurel.webhooks().put(put);
        if (o instanceof Outcome.Done<Webhooks.Created> d) {
            return Response.json(d.value().created() ? 201 : 200, view(d.value().webhook()));
        }
        return Response.error(((Outcome.Declined<Webhooks.Created>) o).refusal());
    }

    public Response get(Request req) {
        req.requireAdmin();
        String webhookId = req.id("webhookId");
        return laurel.webhooks().get(req.tenant(), webhookId).map(w -> Response.json(200, view(w)))
                .orElseThrow(() -> Refused.notFound("webhook " + webhookId));
    }

    public Response delete(Request req) {
        req.requireAdmin();
        String webhookId = req.id("webhookId");
        if (!laurel.webhooks().delete(req.tenant(), webhookId)) {
            throw Refused.notFound("webhook " + webhookId);
        }
        return Response.json(200, Json.object().put("webhookId", webhookId).put("deleted", true));
    }

    public Response deliveries(Request req) {
        req.requireAdmin();
        String webhookId = req.id("webhookId");
        for (String q : req.query().keySet()) {
            if (!LISTING_PARAMETERS.contains(q)) {
                throw Refused.invalid(q, "is not a known query parameter (status, limit, cursor)");
            }
        }
        String status = req.query().getOrDefault("status", WebhookStore.FAILED);
        if (!status.equals(WebhookStore.FAILED) && !status.equals(WebhookStore.DEAD)) {
            throw Refused.invalid("status", "must be failed or dead");
        }
        int limit = Readers.limit(req, Webhooks.DEFAULT_LIMIT, Webhooks.MAX_LIMIT);
        Outcome<DeliveryPage> o = laurel.webhooks().deliveries(req.tenant(), webhookId, status, limit, req.query().get("cursor"));
        if (o instanceof Outcome.Done<DeliveryPage> d) {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("deliveries");
            d.value().deliveries().forEach(x -> list.add(view(x)));
            if (d.value().cursor() != null) {
                out.put("cursor", d.value().cursor());
            }
            return Response.json(200, out);
        }
        return Response.error(((Outcome.Declined<DeliveryPage>) o).refusal());
    }

    /** The body, strictly: every problem with its JSON path, else 400 and nothing changes. */
    Webhooks.Put read(Request req, String webhookId) {
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String url = o.string("url", true, WebhookTargets.MAX_URL_CHARS);
        if (url != null) {
            String refused = targets.refusal(url);
            if (refused != null) {
                problems.add("url", refused);
            }
        }
        String secret = o.string("secret", true, MAX_SECRET_CHARS);
        if (secret != null && secret.length() < MIN_SECRET_CHARS) {
            problems.add("secret", "must be at least " + MIN_SECRET_CHARS + " characters");
        }
        List<String> events = o.strings("events", true, WebhookEvents.TYPES.size(), ANY);
        if (events != null) {
            if (events.isEmpty()) {
                problems.add("events", "must name at least one event");
            }
            for (int i = 0; i < events.size(); i++) {
                if (!WebhookEvents.TYPES.contains(events.get(i))) {
                    problems.add("events[" + i + "]", "is not an event type (" + String.join(", ",
                            WebhookEvents.TYPES.stream().sorted().toList()) + ")");
                }
            }
            if (new LinkedHashSet<>(events).size() != events.size()) {
                problems.add("events", "must not name an event twice");
            }
        }
        List<String> programs = o.strings("programs", false, MAX_PROGRAMS, Obj.ID);
        if (programs != null && new LinkedHashSet<>(programs).size() != programs.size()) {
            problems.add("programs", "must not name a program twice");
        }
        String status = o.oneOf("status", false, Set.of(Webhooks.ACTIVE, Webhooks.DISABLED));
        o.end();
        problems.throwIfAny();
        return new Webhooks.Put(req.tenant(), webhookId, url, secret, events, programs == null ? List.of() : programs,
                status == null ? Webhooks.ACTIVE : status);
    }

    /** A webhook as answered: never its secret. */
    static ObjectNode view(Webhook w) {
        ObjectNode o = Json.object().put("webhookId", w.webhookId()).put("url", w.url());
        w.events().forEach(o.putArray("events")::add);
        w.programs().forEach(o.putArray("programs")::add);
        return o.put("status", w.status()).put("createdAt", w.createdAt().toString()).put("updatedAt", w.updatedAt().toString());
    }

    static ObjectNode view(Delivery d) {
        ObjectNode o = Json.object().put("id", d.eventId()).put("type", d.type()).put("status", d.status())
                .put("attempts", d.attempts()).put("createdAt", d.createdAt().toString());
        if (d.lastAttemptAt() != null) {
            o.put("lastAttemptAt", d.lastAttemptAt().toString());
        }
        if (d.nextAt() != null && WebhookStore.FAILED.equals(d.status())) {
            o.put("nextAttemptAt", d.nextAt().toString());
        }
        if (d.lastError() != null) {
            o.put("lastError", d.lastError());
        }
        o.set("event", Json.read(d.body()));
        return o;
    }
}
