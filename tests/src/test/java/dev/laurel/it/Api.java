package dev.laurel.it;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.refunds.RefundsHandler;
import dev.laurel.functions.rollback.RollbackHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.json.Json;
import dev.laurel.service.ApiKeys;
import dev.laurel.service.Loyalty;
import dev.laurel.store.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls Laurel as API Gateway does: runs the authorizer handler on the Authorization header, then
 * builds the HTTP API v2 event (from events/earn.json, a real event) with route key, path
 * parameters, headers, body and the authorizer context, and invokes the route's handler. Each
 * instance is a fresh tenant with its own admin and shop keys.
 */
public final class Api {
    /** The routes of template.yaml and the handler serving each (checked against the template by a test). */
    public static final List<String> ROUTES = List.of(
            "PUT /v1/programs/{programId}",
            "GET /v1/programs/{programId}",
            "PATCH /v1/programs/{programId}/earningRules/{ruleId}",
            "PATCH /v1/programs/{programId}/rewards/{rewardId}",
            "PUT /v1/programs/{programId}/customers/{customerId}",
            "GET /v1/programs/{programId}/customers/{customerId}",
            "GET /v1/programs/{programId}/customers/{customerId}/ledger",
            "POST /v1/programs/{programId}/earn",
            "POST /v1/programs/{programId}/validate",
            "POST /v1/programs/{programId}/redeem",
            "POST /v1/programs/{programId}/redemptions/{redemptionId}/rollback",
            "POST /v1/programs/{programId}/refunds");

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
    public final MutableClock clock;
    public final DynamoStore store;
    private final Map<String, RequestStreamHandler> handlers = new HashMap<>();
    private final AuthorizerHandler authorizer;
    private final JsonNode baseEvent;

    public Api() {
        this(new MutableClock(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200));
    }

    public Api(MutableClock clock, Duration programRecheck) {
        this(clock, programRecheck, LocalDynamo.TABLE);
    }

    /** On a table of its own ({@link LocalDynamo#freshTable}): for tests whose scheduled runs must see only their data. */
    public Api(MutableClock clock, Duration programRecheck, String table) {
        this.clock = clock;
        LocalDynamo db = LocalDynamo.get();
        store = new DynamoStore(db.client(), table);
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        ApiKeys keys = new ApiKeys(store);
        adminKey = keys.create(tenant, "admin", null, null, clock.instant());
        shopKey = keys.create(tenant, "shop", null, null, clock.instant());
        authorizer = new AuthorizerHandler(keys);
        Loyalty loyalty = new Loyalty(store, clock, programRecheck);
        ProgramsHandler programs = new ProgramsHandler(loyalty);
        CustomersHandler customers = new CustomersHandler(loyalty);
        for (String r : ROUTES) {
            RequestStreamHandler h = r.contains("/customers/") ? customers
                    : r.endsWith("/earn") ? new EarnHandler(loyalty)
                    : r.endsWith("/validate") ? new ValidateHandler(loyalty)
                    : r.endsWith("/redeem") ? new RedeemHandler(loyalty)
                    : r.endsWith("/rollback") ? new RollbackHandler(loyalty)
                    : r.endsWith("/refunds") ? new RefundsHandler(loyalty)
                    : programs;
            handlers.put(r, h);
        }
        baseEvent = event("earn.json");
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
        String path = pathAndQuery;
        String query = "";
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            path = pathAndQuery.substring(0, q);
            query = pathAndQuery.substring(q + 1);
        }
        for (String route : ROUTES) {
            String[] parts = route.split(" ", 2);
            if (!parts[0].equals(method)) {
                continue;
            }
            Map<String, String> params = match(parts[1], path);
            if (params == null) {
                continue;
            }
            ObjectNode ev = baseEvent.deepCopy();
            Map<String, String> h = new LinkedHashMap<>();
            h.put("content-type", "application/json");
            if (key != null) {
                h.put("authorization", "Bearer " + key);
            }
            headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
            ObjectNode hs = ev.putObject("headers");
            h.forEach(hs::put);
            ev.put("routeKey", route);
            ev.put("rawPath", path);
            ev.put("rawQueryString", query);
            ev.remove("queryStringParameters");
            if (!query.isEmpty()) {
                ObjectNode qs = ev.putObject("queryStringParameters");
                for (String kv : query.split("&")) {
                    String[] p = kv.split("=", 2);
                    qs.put(decode(p[0]), p.length > 1 ? decode(p[1]) : "");
                }
            }
            ObjectNode ctx = (ObjectNode) ev.get("requestContext");
            ctx.put("routeKey", route);
            ((ObjectNode) ctx.get("http")).put("method", method).put("path", path);
            ctx.put("requestId", UUID.randomUUID().toString());
            ObjectNode pp = ev.putObject("pathParameters");
            params.forEach(pp::put);
            if (body == null) {
                ev.remove("body");
            } else {
                ev.put("body", body);
            }
            ev.put("isBase64Encoded", base64);
            // API Gateway: no Authorization header, no call (401 from the gateway itself).
            if (!h.containsKey("authorization")) {
                return new Reply(401, Map.of(), Json.object().put("message", "Unauthorized"));
            }
            JsonNode auth = authorizer.authorize(h.get("authorization"));
            ctx.putObject("authorizer").set("lambda", auth.get("context"));
            JsonNode out = invoke(handlers.get(route), ev);
            Map<String, String> rh = new HashMap<>();
            out.path("headers").fields().forEachRemaining(e -> rh.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asText()));
            String b = out.path("body").asText("");
            return new Reply(out.path("statusCode").asInt(), rh, b.isEmpty() ? Json.object() : Json.read(b));
        }
        return new Reply(404, Map.of(), Json.object().put("message", "Not Found"));
    }

    public static JsonNode invoke(RequestStreamHandler handler, JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.mapper().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> match(String route, String path) {
        StringBuilder re = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{([A-Za-z]+)\\}").matcher(route);
        int last = 0;
        List<String> names = new java.util.ArrayList<>();
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
