package dev.laurel.it;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.refunds.RefundsHandler;
import dev.laurel.functions.reports.ReportsHandler;
import dev.laurel.functions.rollback.RollbackHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.functions.webhooks.WebhooksHandler;
import dev.laurel.api.WebhookSetup;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.app.SessionKeys;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calls Laurel as API Gateway does ({@link ApiGatewayEvents}): runs the authorizer handler on the
 * Authorization header, then builds the HTTP API v2 event (from events/earn.json, a real event)
 * with route key, path parameters, headers, body and the authorizer context, and invokes the
 * route's handler; a failure of the authorizer or of a handler is thrown. Each instance is a fresh
 * tenant with its own admin and shop keys.
 */
public final class Api {
    /** The routes of template.yaml (checked against the template by a test); {@link #handlers} serves each. */
    public static final List<String> ROUTES = List.of(
            "PUT /v1/programs/{programId}",
            "GET /v1/programs/{programId}",
            "PATCH /v1/programs/{programId}/earningRules/{ruleId}",
            "PATCH /v1/programs/{programId}/rewards/{rewardId}",
            "GET /v1/programs/{programId}/customers",
            "PUT /v1/programs/{programId}/customers/{customerId}",
            "GET /v1/programs/{programId}/customers/{customerId}",
            "GET /v1/programs/{programId}/customers/{customerId}/ledger",
            "POST /v1/programs/{programId}/customers/{customerId}/sessions",
            "PUT /v1/programs/{programId}/imports/{importId}",
            "GET /v1/programs/{programId}/imports/{importId}",
            "POST /v1/programs/{programId}/imports/{importId}/rows",
            "POST /v1/programs/{programId}/imports/{importId}/revert",
            "POST /v1/programs/{programId}/earn",
            "POST /v1/programs/{programId}/validate",
            "POST /v1/programs/{programId}/redeem",
            "POST /v1/programs/{programId}/donations",
            "GET /v1/programs/{programId}/codes/{code}",
            "GET /v1/programs/{programId}/codes/{code}/qr.svg",
            "POST /v1/programs/{programId}/codes/{code}/use",
            "POST /v1/programs/{programId}/redemptions/{redemptionId}/rollback",
            "POST /v1/programs/{programId}/refunds",
            "GET /v1/programs/{programId}/reports/summary",
            "PUT /v1/webhooks/{webhookId}",
            "GET /v1/webhooks/{webhookId}",
            "DELETE /v1/webhooks/{webhookId}",
            "GET /v1/webhooks/{webhookId}/deliveries",
            "POST /v1/keys",
            "GET /v1/keys",
            "DELETE /v1/keys/{keyId}",
            "POST /v1/consent/confirm");

    public record Reply(int status, Map<String, String> headers, JsonNode body) {
        public String code() {
            return body.path("error").path("code").asText(null);
        }

        public String field() {
            return body.path("error").path("details").path("field").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public final String tenant;
    public final String adminKey;
    public final String shopKey;
    public final LocalClock clock;
    public final DynamoStore store;
    /** The use cases behind the handlers (tests lower a revert's budget on it). */
    public final Laurel laurel;
    /** The member session keys of this instance's authorizer and customers function. */
    public final RotatableKeys sessionKeys = new RotatableKeys(randomKey("k1"));
    private final ApiGatewayEvents apiGateway;
    /** Where this instance's double opt-in confirmations land (its programs' channels are not called). */
    public final dev.laurel.notify.Outbox consentOutbox;

    /** The table this instance's functions use (for {@link TableSnapshot#of(String, String)}). */
    public final String table;

    public Api() {
        this(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200));
    }

    public Api(LocalClock clock, Duration programRecheck) {
        this(clock, programRecheck, LocalDynamo.TABLE);
    }

    /** On a table of its own ({@link LocalDynamo#freshTable}): for tests whose scheduled runs must see only their data. */
    public Api(LocalClock clock, Duration programRecheck, String table) {
        this(clock, programRecheck, table, LocalDynamo.get().client());
    }

    /** With the functions' DynamoDB client given (one with an interceptor that watches the requests). */
    public Api(LocalClock clock, Duration programRecheck, String table, software.amazon.awssdk.services.dynamodb.DynamoDbClient client) {
        this(clock, programRecheck, table, client, "t-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** As a given tenant (new keys of its own): another table holding the same tenant's data. */
    public Api(LocalClock clock, Duration programRecheck, String table, software.amazon.awssdk.services.dynamodb.DynamoDbClient client,
               String tenant) {
        this.clock = clock;
        this.table = table;
        store = new DynamoStore(client, table);
        this.tenant = tenant;
        ApiKeys keys = new ApiKeys(store, clock, Duration.ZERO); // the authorizer's last used days on the test's clock
        adminKey = keys.create(tenant, "admin", null, null, clock.instant());
        shopKey = keys.create(tenant, "shop", null, null, clock.instant());
        consentOutbox = new dev.laurel.notify.Outbox(clock);
        Laurel loyalty = new Laurel(store, clock, programRecheck).sendConsentThrough(p -> consentOutbox);
        laurel = loyalty;
        apiGateway = new ApiGatewayEvents(handlers(loyalty, sessionKeys), new AuthorizerHandler(keys, sessionKeys, clock),
                ApiGatewayEvents.Failures.THROW);
    }

    /**
     * Laurel for a scheduled function on {@code store} and {@code clock}: its own program cache
     * with the default re-check, as a function container has it.
     */
    public static Laurel jobs(DynamoStore store, java.time.Clock clock) {
        return new Laurel(store, clock, ProgramCache.DEFAULT_RECHECK);
    }

    /** A fresh random session key named {@code kid}. */
    public static SessionKeys.Key randomKey(String kid) {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        return new SessionKeys.Key(kid, secret);
    }

    /** Fresh random session keys: one key named {@code kid}. */
    public static SessionKeys randomKeys(String kid) {
        return SessionKeys.of(randomKey(kid));
    }

    /** Session keys a test rotates: {@link #set} current first, then those that still verify. */
    public static final class RotatableKeys implements SessionKeys {
        private volatile List<Key> keys;

        RotatableKeys(Key current) {
            keys = List.of(current);
        }

        public void set(Key... inForce) {
            keys = List.of(inForce);
        }

        @Override
        public List<Key> keys() {
            return keys;
        }
    }

    /** The handler serving each route of {@link #ROUTES}, all on {@code loyalty} (session keys of their own). */
    public static Map<String, RequestStreamHandler> handlers(Laurel loyalty) {
        return handlers(loyalty, randomKeys("k1"));
    }

    /** The handler serving each route of {@link #ROUTES}, all on {@code loyalty}, sessions signed with {@code sessionKeys}. */
    public static Map<String, RequestStreamHandler> handlers(Laurel loyalty, SessionKeys sessionKeys) {
        ProgramsHandler programs = new ProgramsHandler(loyalty);
        CustomersHandler customers = new CustomersHandler(loyalty, sessionKeys);
        Map<String, RequestStreamHandler> handlers = new HashMap<>();
        for (String r : ROUTES) {
            RequestStreamHandler h = r.contains("/customers") || r.contains("/imports/") || r.contains("/consent/") ? customers
                    : r.endsWith("/earn") ? new EarnHandler(loyalty)
                    : r.endsWith("/validate") ? new ValidateHandler(loyalty)
                    : r.endsWith("/redeem") || r.endsWith("/donations") || r.contains("/codes/") ? new RedeemHandler(loyalty)
                    : r.endsWith("/rollback") ? new RollbackHandler(loyalty)
                    : r.endsWith("/refunds") ? new RefundsHandler(loyalty)
                    : r.contains("/reports/") ? new ReportsHandler(loyalty)
                    : r.contains("/v1/webhooks/") ? new WebhooksHandler(loyalty, WebhookSetup.local())
                    : r.contains("/v1/keys") ? new dev.laurel.functions.authorizer.KeysHandler(loyalty)
                    : programs;
            handlers.put(r, h);
        }
        return handlers;
    }

    /** A sample event from events/. */
    public static JsonNode event(String file) {
        try {
            return Json.mapper().readTree(Files.readString(LocalDynamo.root().resolve("events").resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply admin(String method, String path, Object body) {
        return call(method, path, body, adminKey, Map.of());
    }

    public Reply shop(String method, String path, Object body) {
        return call(method, path, body, shopKey, Map.of());
    }

    public Reply shop(String method, String path, Object body, Map<String, String> headers) {
        return call(method, path, body, shopKey, headers);
    }

    /** One request. {@code body} is a JSON string, a Jackson node, or null. */
    public Reply call(String method, String path, Object body, String key, Map<String, String> headers) {
        String raw = body == null ? null : body instanceof String s ? s : Json.write(body);
        return send(method, path, raw, false, key, headers);
    }

    public Reply send(String method, String pathAndQuery, String body, boolean base64, String key, Map<String, String> headers) {
        return apiGateway.send(method, pathAndQuery, body, base64, key, headers);
    }

    /** Invokes a handler with an event, as Lambda does: the event's JSON in, the answer's JSON out. */
    public static JsonNode invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.mapper().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The minimal program of API.md, to the letter (api/examples/minimal-program.json). */
    public static String minimalProgram() {
        try {
            return Files.readString(LocalDynamo.root().resolve("api/examples/minimal-program.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An earn body for an order. */
    public static String orderPaid(String customerId, String orderId, long totalMinor, String occurredAt) {
        return """
                {"customerId": "%s", "event": {"type": "order.paid", "id": "%s", "occurredAt": "%s",
                 "order": {"totalMinor": %d, "currency": "EUR", "items": [{"sku": "A-1", "category": "shoes", "quantity": 1, "unitPriceMinor": %d}]}}}
                """.formatted(customerId, orderId, occurredAt, totalMinor, totalMinor);
    }
}
