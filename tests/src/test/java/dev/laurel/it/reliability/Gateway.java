package dev.laurel.it.reliability;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.refunds.RefundsHandler;
import dev.laurel.functions.rollback.RollbackHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.it.Api;
import dev.laurel.it.LocalDynamo;
import dev.laurel.it.MutableClock;
import dev.laurel.json.Json;
import dev.laurel.service.ApiKeys;
import dev.laurel.service.Loyalty;
import dev.laurel.store.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One "deployment" of Laurel for the reliability suite: the real authorizer and the real function
 * handlers, as API Gateway calls them (HTTP API payload 2.0 events built from events/earn.json),
 * on a DynamoDB client of the test's choosing. That client is where faults are injected
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

    /** {@link #TABLE}, created on first use. */
    public static synchronized String table() {
        if (!created) {
            try {
                dev.laurel.it.TemplateTables.create(LocalDynamo.get().client(), LocalDynamo.root().resolve("template.yaml"), TABLE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            created = true;
        }
        return TABLE;
    }

    /** A tenant with its admin and shop keys. */
    public record Tenant(String id, String adminKey, String shopKey) {
    }

    public final MutableClock clock;
    public final DynamoStore store;
    private final Map<String, RequestStreamHandler> handlers = new HashMap<>();
    private final AuthorizerHandler authorizer;
    private final ApiKeys keys;
    private final JsonNode baseEvent;

    public Gateway(DynamoDbClient functionsClient, MutableClock clock, Duration programRecheck) {
        this.clock = clock;
        DynamoStore clean = new DynamoStore(LocalDynamo.get().client(), table());
        this.keys = new ApiKeys(clean);
        this.authorizer = new AuthorizerHandler(keys);
        this.store = new DynamoStore(functionsClient, table());
        Loyalty loyalty = new Loyalty(store, clock, programRecheck);
        ProgramsHandler programs = new ProgramsHandler(loyalty);
        CustomersHandler customers = new CustomersHandler(loyalty);
        for (String r : Api.ROUTES) {
            handlers.put(r, r.contains("/customers/") ? customers
                    : r.endsWith("/earn") ? new EarnHandler(loyalty)
                    : r.endsWith("/validate") ? new ValidateHandler(loyalty)
                    : r.endsWith("/redeem") ? new RedeemHandler(loyalty)
                    : r.endsWith("/rollback") ? new RollbackHandler(loyalty)
                    : r.endsWith("/refunds") ? new RefundsHandler(loyalty)
                    : programs);
        }
        baseEvent = Api.event("earn.json");
    }

    /** A gateway on the clean client, at the suite's usual start time. */
    public static Gateway clean() {
        return new Gateway(LocalDynamo.get().client(), new MutableClock(Instant.parse("2026-11-23T09:00:00Z")),
                Duration.ofMillis(200));
    }

    public Tenant tenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(id, keys.create(id, "admin", null, null, clock.instant()),
                keys.create(id, "shop", null, null, clock.instant()));
    }

    /** One request to a route of {@link Api#ROUTES}, routed by method and path as API Gateway does. */
    public Api.Reply send(String method, String pathAndQuery, String body, boolean base64, String key,
                          Map<String, String> headers) {
        String path = pathAndQuery;
        String query = "";
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            path = pathAndQuery.substring(0, q);
            query = pathAndQuery.substring(q + 1);
        }
        for (String route : Api.ROUTES) {
            String[] parts = route.split(" ", 2);
            if (!parts[0].equals(method)) {
                continue;
            }
            Map<String, String> params = match(parts[1], path);
            if (params == null) {
                continue;
            }
            Map<String, String> qs = new LinkedHashMap<>();
            if (!query.isEmpty()) {
                for (String kv : query.split("&")) {
                    String[] p = kv.split("=", 2);
                    // API Gateway joins repeated query parameters with commas
                    qs.merge(decode(p[0]), p.length > 1 ? decode(p[1]) : "", (a, b) -> a + "," + b);
                }
            }
            Map<String, String> h = new LinkedHashMap<>();
            h.put("content-type", "application/json");
            if (key != null) {
                h.put("authorization", "Bearer " + key);
            }
            headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
            return invoke(event(route, path, query, params, qs, h, body, base64));
        }
        return new Api.Reply(404, Map.of(), Json.object().put("message", "Not Found"));
    }

    public Api.Reply call(String method, String path, String body, String key, Map<String, String> headers) {
        return send(method, path, body, false, key, headers);
    }

    /**
     * The payload 2.0 event API Gateway would send for this request. Path parameters are taken as
     * given (already decoded, as API Gateway passes them), so a test can send values a URL could
     * not route, such as {@code a/b}.
     */
    public ObjectNode event(String route, String path, String rawQuery, Map<String, String> pathParameters,
                            Map<String, String> query, Map<String, String> headers, String body, boolean base64) {
        ObjectNode ev = baseEvent.deepCopy();
        ObjectNode hs = ev.putObject("headers");
        headers.forEach(hs::put);
        ev.put("routeKey", route);
        ev.put("rawPath", path);
        ev.put("rawQueryString", rawQuery);
        ev.remove("queryStringParameters");
        if (!query.isEmpty()) {
            ObjectNode qs = ev.putObject("queryStringParameters");
            query.forEach(qs::put);
        }
        ObjectNode ctx = (ObjectNode) ev.get("requestContext");
        ctx.put("routeKey", route);
        ((ObjectNode) ctx.get("http")).put("method", route.split(" ", 2)[0]).put("path", path);
        ctx.put("requestId", UUID.randomUUID().toString());
        ev.remove("pathParameters");
        if (pathParameters != null) {
            ObjectNode pp = ev.putObject("pathParameters");
            pathParameters.forEach(pp::put);
        }
        if (body == null) {
            ev.remove("body");
        } else {
            ev.put("body", body);
        }
        ev.put("isBase64Encoded", base64);
        return ev;
    }

    /**
     * Runs the authorizer on the event's Authorization header (no header: API Gateway's own 401),
     * puts its context into the event and invokes the route's handler. A handler that throws
     * (a failed invocation) answers 502, as API Gateway does for a Lambda error.
     */
    public Api.Reply invoke(ObjectNode ev) {
        String route = ev.path("routeKey").asText();
        String authorization = null;
        for (var it = ev.path("headers").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase("authorization")) {
                authorization = e.getValue().asText();
            }
        }
        if (authorization == null) {
            return new Api.Reply(401, Map.of(), Json.object().put("message", "Unauthorized"));
        }
        JsonNode auth;
        try {
            auth = authorizer.authorize(authorization);
        } catch (RuntimeException e) {
            return new Api.Reply(500, Map.of(), Json.object().put("message", "authorizer failed: " + e));
        }
        ((ObjectNode) ev.get("requestContext")).putObject("authorizer").set("lambda", auth.get("context"));
        RequestStreamHandler handler = handlers.get(route);
        if (handler == null) {
            return new Api.Reply(404, Map.of(), Json.object().put("message", "Not Found"));
        }
        JsonNode out;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.write(ev).getBytes(StandardCharsets.UTF_8)), bytes, null);
            out = Json.mapper().readTree(bytes.toByteArray());
        } catch (IOException | RuntimeException e) {
            return new Api.Reply(502, Map.of(), Json.object().put("message", "the function failed: " + e));
        }
        Map<String, String> rh = new HashMap<>();
        out.path("headers").fields().forEachRemaining(e -> rh.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        String b = out.path("body").asText("");
        JsonNode body;
        try {
            body = b.isEmpty() ? Json.object() : Json.mapper().readTree(b);
        } catch (IOException e) {
            body = TextNode.valueOf(b);
        }
        return new Api.Reply(out.path("statusCode").asInt(), rh, body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> match(String route, String path) {
        StringBuilder re = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([A-Za-z]+)\\}").matcher(route);
        int last = 0;
        List<String> names = new ArrayList<>();
        while (m.find()) {
            re.append(Pattern.quote(route.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(route.substring(last))).append("$");
        Matcher pm = Pattern.compile(re.toString()).matcher(path);
        if (!pm.matches()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), decode(pm.group(i + 1)));
        }
        return out;
    }
}
