package dev.laurel.it;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's part of a request, as the HTTP API (payload 2.0) does it, for the tests: routes a
 * request by method and path over {@link Api#ROUTES}, builds the event (from events/earn.json, a
 * real event) with route key, path and query parameters, headers, body and request context, runs
 * the authorizer handler on the Authorization header, puts its context into the event, invokes the
 * route's handler and reads its answer as an {@link Api.Reply}. Shared by {@link Api} (one tenant)
 * and the reliability suite's Gateway (any number of tenants, a functions client with faults).
 */
public final class ApiGatewayEvents {
    /** What a failure of the authorizer or of a handler (or an answer whose body is not JSON) becomes. */
    public enum Failures {
        /** It is thrown: the test fails there, with its stack trace. */
        THROW,
        /** It is answered as API Gateway does: 500 for the authorizer, 502 for the function; a body that is not JSON as text. */
        ANSWER
    }

    private final Map<String, RequestStreamHandler> handlers;
    private final AuthorizerHandler authorizer;
    private final Failures failures;
    private final JsonNode baseEvent = Api.event("earn.json");

    /** {@code handlers}: the handler of each route of {@link Api#ROUTES} ({@link Api#handlers}). */
    public ApiGatewayEvents(Map<String, RequestStreamHandler> handlers, AuthorizerHandler authorizer, Failures failures) {
        this.handlers = Map.copyOf(handlers);
        this.authorizer = authorizer;
        this.failures = failures;
    }

    /**
     * One request to a route of {@link Api#ROUTES}, routed by method and path as API Gateway does
     * (no route: 404). Headers go lower-case, with {@code content-type: application/json} and, for a
     * key, {@code authorization: Bearer <key>}; repeated query parameters are joined with commas.
     */
    public Api.Reply send(String method, String pathAndQuery, String body, boolean base64, String key, Map<String, String> headers) {
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

    /**
     * The payload 2.0 event API Gateway would send for this request. Path parameters are taken as
     * given (already decoded, as API Gateway passes them), so a test can send values a URL could
     * not route, such as {@code a/b}; null leaves them out.
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
     * puts its context into the event and invokes the route's handler (no handler: 404). Failures
     * as {@link Failures} says.
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
        if (dev.laurel.api.ApiGateway.PUBLIC_ROUTES.contains(route)) {
            authorization = null; // a route without the authorizer (template: Auth: Authorizer: NONE): no key is looked at
        } else if (authorization == null) {
            return new Api.Reply(401, Map.of(), Json.object().put("message", "Unauthorized"));
        }
        JsonNode auth = null;
        try {
            auth = authorization == null ? null : authorizer.authorize(authorization);
        } catch (RuntimeException e) {
            if (failures == Failures.THROW) {
                throw e;
            }
            return new Api.Reply(500, Map.of(), Json.object().put("message", "authorizer failed: " + e));
        }
        if (auth != null) {
            ((ObjectNode) ev.get("requestContext")).putObject("authorizer").set("lambda", auth.get("context"));
        }
        RequestStreamHandler handler = handlers.get(route);
        if (handler == null) {
            return new Api.Reply(404, Map.of(), Json.object().put("message", "Not Found"));
        }
        JsonNode out;
        try {
            out = Api.invoke(handler, ev);
        } catch (RuntimeException e) {
            if (failures == Failures.THROW) {
                throw e;
            }
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            return new Api.Reply(502, Map.of(), Json.object().put("message", "the function failed: " + cause));
        }
        Map<String, String> rh = new HashMap<>();
        out.path("headers").fields().forEachRemaining(e -> rh.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        String b = out.path("body").asText("");
        JsonNode body;
        if (b.isEmpty()) {
            body = Json.object();
        } else if (!rh.getOrDefault("content-type", "application/json").startsWith("application/json")) {
            body = TextNode.valueOf(b); // an SVG, say
        } else if (failures == Failures.THROW) {
            body = Json.read(b);
        } else {
            try {
                body = Json.mapper().readTree(b);
            } catch (IOException e) {
                body = TextNode.valueOf(b);
            }
        }
        return new Api.Reply(out.path("statusCode").asInt(), rh, body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The path parameters of {@code path} on {@code route} (a path with {@code {name}} parts), or null when it does not match. */
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
