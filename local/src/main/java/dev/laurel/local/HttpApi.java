package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway HTTP API, as far as Laurel's functions can tell: it picks the template route a
 * request matches, runs the route's Lambda authorizer on the identity sources (missing → 401
 * {@code {"message":"Unauthorized"}}, denied → 403 {@code {"message":"Forbidden"}}, results
 * cached for {@code ReauthorizeEvery} seconds of real time per identity value), builds the
 * payload format 2.0 event AWS would send and invokes the function. The function's status,
 * headers (and cookies) and body go back unchanged; API Gateway adds {@code apigw-requestid}.
 * A failed function answers 500 {@code {"message":"Internal Server Error"}}, an unknown route
 * 404 {@code {"message":"Not Found"}}, as on AWS.
 */
public final class HttpApi {
    public static final String ACCOUNT = "123456789012";
    public static final String API_ID = "laurellocal";
    public static final String STAGE = "$default";
    /** API Gateway's request limit for HTTP APIs. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** Lambda's synchronous invocation payload limit. */
    public static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** An HTTP request as it reached the server (header names as sent, in order). */
    public record Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body,
                          String sourceIp, String protocol) {
    }

    /** An HTTP answer: status, headers (in order; names may repeat), body. */
    public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        public String header(String name) {
            for (var h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    private record Compiled(Template.Route route, Pattern pattern, List<String> names, int literals, boolean greedy) {
    }

    private record Decision(boolean allowed, JsonNode context, long expiresNanos) {
    }

    /** Thrown inside: answer with API Gateway's own message. */
    private static final class Gateway extends Exception {
        final int status;

        Gateway(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final List<Compiled> routes = new ArrayList<>();
    private final Functions functions;
    private final Clock clock;
    private final PrintStream log;
    private final Map<String, Decision> authCache = new ConcurrentHashMap<>();

    public HttpApi(Template template, Functions functions, Clock clock, PrintStream log) {
        this.functions = functions;
        this.clock = clock;
        this.log = log;
        for (Template.Route r : template.routes()) {
            routes.add(compile(r));
        }
    }

    private static Compiled compile(Template.Route r) {
        if (Template.DEFAULT_ROUTE.equals(r.path())) {
            return new Compiled(r, Pattern.compile("^/.*$"), List.of(), -1, true);
        }
        StringBuilder re = new StringBuilder("^");
        List<String> names = new ArrayList<>();
        int literals = 0;
        boolean greedy = false;
        String[] segments = r.path().split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            re.append('/');
            if (s.startsWith("{") && s.endsWith("+}") && i == segments.length - 1) {
                names.add(s.substring(1, s.length() - 2));
                re.append("(.+)");
                greedy = true;
            } else if (s.startsWith("{") && s.endsWith("}")) {
                names.add(s.substring(1, s.length() - 1));
                re.append("([^/]+)");
            } else {
                re.append(Pattern.quote(s));
                literals++;
            }
        }
        re.append('$');
        return new Compiled(r, Pattern.compile(re.toString()), names, literals, greedy);
    }

    /** The routes served, as API Gateway route keys ({@code METHOD /path}). */
    public List<String> routeKeys() {
        return routes.stream().map(c -> c.route().key()).toList();
    }

    /** Serves one request. Never throws: every failure is an answer, as API Gateway gives one. */
    public Response handle(Request req) {
        String requestId = PayloadV2.requestId();
        try {
            if (req.body() != null && req.body().length > MAX_BODY_BYTES) {
                throw new Gateway(413, "Request Entity Too Large");
            }
            Compiled match = null;
            Matcher matched = null;
            for (Compiled c : routes) {
                String m = c.route().method();
                if (!m.equals("ANY") && !m.equals(req.method())) {
                    continue;
                }
                Matcher pm = c.pattern().matcher(req.rawPath());
                if (pm.matches() && (match == null || better(c, match))) {
                    match = c;
                    matched = pm;
                }
            }
            if (match == null) {
                throw new Gateway(404, "Not Found");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < match.names().size(); i++) {
                params.put(match.names().get(i), URLDecoder.decode(matched.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            Instant now = clock.instant();
            ObjectNode event = PayloadV2.event(match.route(), params, req, requestId, now);
            Template.Authorizer auth = match.route().authorizer();
            if (auth != null) {
                JsonNode context = authorize(auth, match.route(), event, req);
                ((ObjectNode) event.get("requestContext")).putObject("authorizer").set("lambda", context);
            }
            byte[] payload = JSON.writeValueAsBytes(event);
            if (payload.length > MAX_EVENT_BYTES) {
                throw new Gateway(413, "Request Entity Too Large");
            }
            byte[] out = functions.get(match.route().function()).invoke(payload, requestId);
            return PayloadV2.response(out, requestId, match.route().function(), log);
        } catch (Gateway g) {
            return PayloadV2.gateway(g.status, g.getMessage(), requestId);
        } catch (Functions.FunctionError e) {
            report(e);
            return PayloadV2.gateway(500, "Internal Server Error", requestId);
        } catch (IOException | RuntimeException e) {
            log.println("error: " + e);
            e.printStackTrace(log);
            return PayloadV2.gateway(500, "Internal Server Error", requestId);
        }
    }

    /** API Gateway's most-specific-route rule: literal segments over parameters over greedy paths, a method over ANY. */
    private static boolean better(Compiled a, Compiled b) {
        if (a.greedy() != b.greedy()) {
            return !a.greedy();
        }
        if (a.literals() != b.literals()) {
            return a.literals() > b.literals();
        }
        return !a.route().method().equals("ANY") && b.route().method().equals("ANY");
    }

    private void report(Functions.FunctionError e) {
        log.println("error: " + e.getMessage());
        if (e.getCause() != null) {
            e.getCause().printStackTrace(log);
        }
    }

    /** Runs the authorizer (or reuses its cached answer) and returns the context for the function. */
    private JsonNode authorize(Template.Authorizer auth, Template.Route route, ObjectNode event, Request req) throws Gateway, Functions.FunctionError {
        if (auth.problem() != null) {
            log.println("error: " + auth.problem());
            throw new Gateway(500, "Internal Server Error");
        }
        List<String> identity = new ArrayList<>();
        for (String h : auth.identityHeaders()) {
            String v = event.path("headers").path(h.toLowerCase(Locale.ROOT)).asText("");
            if (v.isEmpty()) {
                throw new Gateway(401, "Unauthorized");
            }
            identity.add(v);
        }
        for (String q : auth.identityQueryStrings()) {
            String v = event.path("queryStringParameters").path(q).asText("");
            if (v.isEmpty()) {
                throw new Gateway(401, "Unauthorized");
            }
            identity.add(v);
        }
        boolean cacheable = auth.ttlSeconds() > 0 && !identity.isEmpty();
        String key = route.api() + "\u0000" + auth.name() + "\u0000" + String.join("\u0000", identity);
        long nowNanos = System.nanoTime();
        Decision d = cacheable ? authCache.get(key) : null;
        if (d == null || nowNanos - d.expiresNanos() > 0) {
            ObjectNode ae = NODES.objectNode();
            ae.put("version", "2.0");
            ae.put("type", "REQUEST");
            ae.put("routeArn", "arn:aws:execute-api:" + LocalDynamo.REGION.id() + ":" + ACCOUNT + ":" + API_ID + "/" + STAGE + "/"
                    + req.method() + req.rawPath());
            ArrayNode ids = ae.putArray("identitySource");
            identity.forEach(ids::add);
            for (String f : List.of("routeKey", "rawPath", "rawQueryString", "cookies", "headers", "queryStringParameters",
                    "requestContext", "pathParameters")) {
                if (event.has(f)) {
                    ae.set(f, event.get(f).deepCopy());
                }
            }
            byte[] out = functions.get(auth.function()).invoke(PayloadV2.write(ae), event.path("requestContext").path("requestId").asText());
            JsonNode answer;
            try {
                answer = JSON.readTree(out);
            } catch (IOException e) {
                answer = null;
            }
            if (answer == null || !answer.isObject()) {
                log.println("error: authorizer " + auth.function() + " answered something that is not a JSON object");
                throw new Gateway(500, "Internal Server Error");
            }
            boolean allowed;
            if (auth.simpleResponses() && answer.has("isAuthorized")) {
                allowed = answer.path("isAuthorized").isBoolean() && answer.path("isAuthorized").asBoolean();
            } else {
                allowed = policyAllows(answer.path("policyDocument"));
            }
            JsonNode context = answer.path("context").isObject() ? answer.get("context") : NODES.objectNode();
            d = new Decision(allowed, context, nowNanos + auth.ttlSeconds() * 1_000_000_000L);
            if (cacheable) {
                authCache.put(key, d);
            }
        }
        if (!d.allowed()) {
            throw new Gateway(403, "Forbidden");
        }
        return d.context().deepCopy();
    }

    private static boolean policyAllows(JsonNode policy) {
        boolean allow = false;
        for (JsonNode s : policy.path("Statement")) {
            String effect = s.path("Effect").asText();
            if (effect.equals("Deny")) {
                return false;
            }
            allow |= effect.equals("Allow");
        }
        return allow;
    }

}
