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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
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
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

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
        String requestId = requestId();
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
            ObjectNode event = event(match.route(), params, req, requestId, now);
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
            return response(out, requestId, match.route().function());
        } catch (Gateway g) {
            return gateway(g.status, g.getMessage(), requestId);
        } catch (Functions.FunctionError e) {
            report(e);
            return gateway(500, "Internal Server Error", requestId);
        } catch (IOException | RuntimeException e) {
            log.println("error: " + e);
            e.printStackTrace(log);
            return gateway(500, "Internal Server Error", requestId);
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
            byte[] out = functions.get(auth.function()).invoke(write(ae), event.path("requestContext").path("requestId").asText());
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

    /** The payload format 2.0 event of a request. */
    private ObjectNode event(Template.Route route, Map<String, String> params, Request req, String requestId, Instant now) {
        ObjectNode ev = NODES.objectNode();
        ev.put("version", "2.0");
        ev.put("routeKey", route.key());
        ev.put("rawPath", req.rawPath());
        ev.put("rawQueryString", req.rawQuery() == null ? "" : req.rawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (var h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String c : h.getValue().split(";")) {
                    if (!c.isBlank()) {
                        cookies.add(c.trim());
                    }
                }
                continue;
            }
            headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
        }
        String host = headers.getOrDefault("host", "127.0.0.1");
        headers.putIfAbsent("x-forwarded-for", req.sourceIp());
        headers.putIfAbsent("x-forwarded-proto", "http");
        int colon = host.lastIndexOf(':');
        headers.putIfAbsent("x-forwarded-port", colon > 0 && host.indexOf(']') < colon ? host.substring(colon + 1) : "80");
        headers.putIfAbsent("x-amzn-trace-id", "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + hex(12));
        if (!cookies.isEmpty()) {
            ArrayNode c = ev.putArray("cookies");
            cookies.forEach(c::add);
        }
        ObjectNode hs = ev.putObject("headers");
        headers.forEach(hs::put);
        Map<String, String> query = query(req.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode q = ev.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        String domain = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        ObjectNode ctx = ev.putObject("requestContext");
        ctx.put("accountId", ACCOUNT);
        ctx.put("apiId", API_ID);
        ctx.put("domainName", domain);
        int dot = domain.indexOf('.');
        ctx.put("domainPrefix", dot > 0 ? domain.substring(0, dot) : domain);
        ObjectNode http = ctx.putObject("http");
        http.put("method", req.method());
        http.put("path", req.rawPath());
        http.put("protocol", req.protocol());
        http.put("sourceIp", req.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", route.key());
        ctx.put("stage", STAGE);
        ctx.put("time", CLF.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        if (!params.isEmpty()) {
            ObjectNode pp = ev.putObject("pathParameters");
            params.forEach(pp::put);
        }
        byte[] body = req.body();
        if (body != null && body.length > 0) { // an empty body is no body, as on AWS
            boolean text = isText(headers.get("content-type"));
            ev.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            ev.put("isBase64Encoded", !text);
        } else {
            ev.put("isBase64Encoded", false);
        }
        return ev;
    }

    /** Whether API Gateway passes a body of this type as text (else base64 with {@code isBase64Encoded}). */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json") || t.equals("application/xml")
                || t.endsWith("+xml") || t.equals("application/javascript") || t.equals("application/yaml");
    }

    /** {@code queryStringParameters}: decoded, repeated names joined with commas as API Gateway does. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = decode(eq < 0 ? kv : kv.substring(0, eq));
            String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Maps a payload 2.0 function answer to the HTTP answer, as API Gateway does. */
    private Response response(byte[] out, String requestId, String function) {
        JsonNode answer;
        try {
            answer = JSON.readTree(out);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null) {
            log.println("error: " + function + " answered something that is not JSON");
            return gateway(500, "Internal Server Error", requestId);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (!answer.isObject() || !answer.has("statusCode")) {
            // no statusCode: API Gateway takes the whole answer as a 200 JSON body
            headers.add(Map.entry("content-type", "application/json"));
            headers.add(Map.entry("apigw-requestid", requestId));
            return new Response(200, headers, out);
        }
        JsonNode sc = answer.get("statusCode");
        if (!sc.canConvertToInt() || sc.asInt() < 100 || sc.asInt() > 599) {
            log.println("error: " + function + " answered statusCode " + sc);
            return gateway(500, "Internal Server Error", requestId);
        }
        for (var it = answer.path("headers").fields(); it.hasNext(); ) {
            var h = it.next();
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && !name.equals("transfer-encoding") && !name.equals("connection")) {
                headers.add(Map.entry(h.getKey(), h.getValue().asText()));
            }
        }
        for (JsonNode c : answer.path("cookies")) {
            headers.add(Map.entry("set-cookie", c.asText()));
        }
        headers.add(Map.entry("apigw-requestid", requestId));
        JsonNode b = answer.get("body");
        byte[] body;
        if (b == null || b.isNull()) {
            body = new byte[0];
        } else if (answer.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(b.asText());
            } catch (IllegalArgumentException e) {
                log.println("error: " + function + " answered a body that is not base64");
                return gateway(500, "Internal Server Error", requestId);
            }
        } else {
            body = (b.isTextual() ? b.asText() : b.toString()).getBytes(StandardCharsets.UTF_8);
        }
        return new Response(sc.asInt(), headers, body);
    }

    static Response gateway(int status, String message, String requestId) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("content-type", "application/json"));
        headers.add(Map.entry("apigw-requestid", requestId));
        return new Response(status, headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] write(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An id shaped like API Gateway's ({@code Bq3xRgxYFiAEMvw=}). */
    static String requestId() {
        byte[] b = new byte[11];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
