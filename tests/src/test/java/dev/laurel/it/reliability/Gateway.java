package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.it.Api;
import dev.laurel.it.ApiGatewayEvents;
import dev.laurel.it.LocalDynamo;
import dev.laurel.local.LocalClock;
import dev.laurel.local.TemplateTables;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Laurel;
import dev.laurel.store.dynamodb.DynamoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One "deployment" of Laurel for the reliability suite: the real authorizer and the real function
 * handlers, as API Gateway calls them ({@link ApiGatewayEvents}: HTTP API payload 2.0 events built
 * from events/earn.json; a failed authorizer or function answered as API Gateway answers it), on a
 * DynamoDB client of the test's choosing. That client is where faults are injected
 * ({@link Faults}); the authorizer and the test's own reads use the clean client of
 * {@link LocalDynamo}, so a fault is always a fault of the function under test.
 *
 * <p>Everything lives in the suite's own table {@link #TABLE}. Unlike {@link Api} (one tenant per instance), one Gateway serves any number of tenants,
 * like one warm Lambda container: {@link #tenant()} creates one with its own keys.
 */
public final class Gateway {
    /**
     * The reliability suite's own table (created from template.yaml beside the shared test table),
     * so that its volume and its large items never slow the scans of the other test classes.
     */
    public static final String TABLE = "laurel-reliability";
    private static boolean created;
    private static String own;

    /** {@link #TABLE}, created on first use, or the table an {@link OwnTable} class was given. */
    public static synchronized String table() {
        if (own != null) {
            return own;
        }
        if (!created) {
            TemplateTables.ensureMain(LocalDynamo.get().client(), LocalDynamo.root().resolve("template.yaml"), TABLE, true);
            created = true;
        }
        return TABLE;
    }

    /** The table {@link #table()} answers while an {@link OwnTable} class runs; null gives back {@link #TABLE}. */
    static synchronized void use(String table) {
        own = table;
    }

    /** A tenant with its admin and shop keys. */
    public record Tenant(String id, String adminKey, String shopKey) {
    }

    public final LocalClock clock;
    public final DynamoStore store;
    /** The functions' Laurel (a test may set its deployment settings, e.g. {@link Laurel#splittingBudgetsAt}). */
    public final Laurel laurel;
    private final ApiKeys keys;
    private final ApiGatewayEvents apiGateway;

    public Gateway(DynamoDbClient functionsClient, LocalClock clock, Duration programRecheck) {
        this.clock = clock;
        DynamoStore clean = new DynamoStore(LocalDynamo.get().client(), table());
        this.keys = new ApiKeys(clean);
        this.store = new DynamoStore(functionsClient, table());
        this.laurel = new Laurel(store, clock, programRecheck);
        this.apiGateway = new ApiGatewayEvents(Api.handlers(laurel), new AuthorizerHandler(keys),
                ApiGatewayEvents.Failures.ANSWER);
    }

    /** A gateway on the clean client, at the suite's usual start time. */
    public static Gateway clean() {
        return new Gateway(LocalDynamo.get().client(), LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")),
                Duration.ofMillis(200));
    }

    public Tenant tenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(id, keys.create(id, "admin", null, null, clock.instant()),
                keys.create(id, "shop", null, null, clock.instant()));
    }

    /** One request to a route of {@link Api#ROUTES}, routed by method and path as API Gateway does ({@link ApiGatewayEvents#send}). */
    public Api.Reply send(String method, String pathAndQuery, String body, boolean base64, String key,
                          Map<String, String> headers) {
        return apiGateway.send(method, pathAndQuery, body, base64, key, headers);
    }

    public Api.Reply call(String method, String path, String body, String key, Map<String, String> headers) {
        return send(method, path, body, false, key, headers);
    }

    /**
     * The payload 2.0 event API Gateway would send for this request ({@link ApiGatewayEvents#event}).
     * Path parameters are taken as given (already decoded, as API Gateway passes them), so a test
     * can send values a URL could not route, such as {@code a/b}.
     */
    public ObjectNode event(String route, String path, String rawQuery, Map<String, String> pathParameters,
                            Map<String, String> query, Map<String, String> headers, String body, boolean base64) {
        return apiGateway.event(route, path, rawQuery, pathParameters, query, headers, body, base64);
    }

    /**
     * Runs the authorizer on the event's Authorization header (no header: API Gateway's own 401),
     * puts its context into the event and invokes the route's handler. A handler that throws
     * (a failed invocation) answers 502, as API Gateway does for a Lambda error; an authorizer that
     * throws, 500.
     */
    public Api.Reply invoke(ObjectNode ev) {
        return apiGateway.invoke(ev);
    }
}
