package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * API Gateway HTTP API (payload format 2.0) glue: reads the event, runs the route, writes the
 * answer. Every failure becomes the one error shape: a refusal with its code's status (the store
 * refuses with 503 {@code unavailable} and {@code Retry-After} when the database is unreachable or
 * throttles past the SDK's retries); anything else unexpected is logged and answers 500 (a bug by
 * API.md's definition, never a silent success).
 */
public final class ApiGateway {
    private ApiGateway() {
    }

    /** Serves one invocation: event JSON in, response JSON out. */
    public static void serve(InputStream in, OutputStream out, Function<Request, Response> route) throws IOException {
        Response response;
        try {
            response = serve(Json.read(in), route);
        } catch (IOException e) {
            response = Response.error(new Refusal(Refusal.Code.INVALID_REQUEST, "the event is not JSON"));
        }
        out.write(toEvent(response).getBytes(StandardCharsets.UTF_8));
    }

    /** Serves one event and writes its one log line ({@link RequestLog}) to standard output. */
    public static Response serve(JsonNode event, Function<Request, Response> route) {
        long startedAtMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Response response;
        try (dev.laurel.store.Meter meter = dev.laurel.store.Meter.start()) {
            response = answer(event, route);
            System.out.println(logLine(event, response, startedAtMs, (System.nanoTime() - t0) / 1_000_000, meter));
        }
        return response;
    }

    /** Answers {@code event} without a log line: SnapStart priming's requests, which no one sent ({@link Priming}). */
    static Response unlogged(JsonNode event, Function<Request, Response> route) {
        return answer(event, route);
    }

    /** The request's log line: ids from the event (never its body), the answer's status and error code. */
    static String logLine(JsonNode event, Response response, long startedAtMs, long latencyMs, dev.laurel.store.Meter meter) {
        JsonNode auth = event.path("requestContext").path("authorizer").path("lambda");
        JsonNode path = event.path("pathParameters");
        String customer = path.path("customerId").asText(auth.path("customer").asText(null));
        String error = null;
        if (response.status() >= 400) {
            try {
                error = Json.read(response.body()).path("error").path("code").asText(null);
            } catch (RuntimeException e) {
                error = "unreadable";
            }
        }
        return RequestLog.line("request", event.path("requestContext").path("requestId").asText(null), auth.path("tenant").asText(null),
                path.path("programId").asText(auth.path("program").asText(null)), customer, event.path("routeKey").asText(null),
                response.status(), error, startedAtMs, latencyMs, meter, null);
    }

    private static Response answer(JsonNode event, Function<Request, Response> route) {
        try {
            return route.apply(request(event));
        } catch (Refused e) {
            return Response.error(e.refusal());
        } catch (RuntimeException e) {
            String id = event.path("requestContext").path("requestId").asText("-");
            System.err.println("ERROR request " + id + ": " + e);
            e.printStackTrace();
            return Response.error(new Refusal(Refusal.Code.INTERNAL, "internal error (request " + id + ")"));
        }
    }

    /**
     * Routes without the authorizer (template.yaml: {@code Auth: Authorizer: NONE}): their requests
     * carry no tenant and no role, whatever the event says; the route itself is the check.
     */
    public static final java.util.Set<String> PUBLIC_ROUTES = java.util.Set.of(ConsentApi.CONFIRM);

    /** Builds the request from a payload 2.0 event, enforcing the body limit and JSON content type. */
    public static Request request(JsonNode event) {
        JsonNode ctx = event.path("requestContext");
        JsonNode auth = ctx.path("authorizer").path("lambda");
        boolean open = PUBLIC_ROUTES.contains(event.path("routeKey").asText());
        String tenant = open ? null : auth.path("tenant").asText(null);
        String role = open ? null : auth.path("role").asText(null);
        if (!open && (tenant == null || tenant.isEmpty()
                || !(Request.ADMIN.equals(role) || Request.SHOP.equals(role) || Request.MEMBER.equals(role)))) {
            throw new Refused(Refusal.Code.UNAUTHORIZED, "missing or invalid API key");
        }
        Request.Member member = null;
        if (Request.MEMBER.equals(role)) {
            String program = auth.path("program").asText("");
            String customer = auth.path("customer").asText("");
            long exp = auth.path("exp").asLong(0);
            if (program.isEmpty() || customer.isEmpty() || exp <= 0) {
                throw new Refused(Refusal.Code.UNAUTHORIZED, "missing or invalid session");
            }
            member = new Request.Member(program, customer, java.time.Instant.ofEpochSecond(exp));
        }
        Map<String, String> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        String body = null;
        JsonNode b = event.get("body");
        if (b != null && !b.isNull()) {
            String raw = b.asText();
            boolean base64 = event.path("isBase64Encoded").asBoolean(false);
            byte[] bytes;
            try {
                bytes = base64 ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refused(Refusal.Code.INVALID_REQUEST, "the body is not valid base64");
            }
            if (bytes.length > Json.MAX_BODY_BYTES) {
                throw tooLarge();
            }
            body = base64 ? new String(bytes, StandardCharsets.UTF_8) : raw;
            String type = headers.get("content-type");
            boolean csv = event.path("routeKey").asText().endsWith("/rows") && type != null && isCsv(type);
            if (!body.isEmpty() && type != null && !isJson(type) && !csv) {
                throw new Refused(Refusal.Code.UNSUPPORTED_MEDIA_TYPE, "send JSON with Content-Type: application/json");
            }
        }
        Map<String, String> path = new HashMap<>();
        event.path("pathParameters").fields().forEachRemaining(e -> path.put(e.getKey(), e.getValue().asText()));
        Map<String, String> query = new HashMap<>();
        event.path("queryStringParameters").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
        String routeKey = event.path("routeKey").asText();
        if (member != null) {
            MemberRoutes.check(routeKey, path, member);
        }
        return new Request(routeKey, ctx.path("http").path("method").asText(),
                event.path("rawPath").asText(), path, query, headers, body, tenant, role, member);
    }

    /** {@code text/csv}, optionally with parameters (the import rows' type). */
    static boolean isCsv(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase("text/csv");
    }

    /** {@code application/json}, optionally with parameters such as {@code ; charset=utf-8}. */
    static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return media.equalsIgnoreCase("application/json");
    }

    private static Refused tooLarge() {
        return new Refused(Refusal.Code.PAYLOAD_TOO_LARGE, "the body is larger than " + Json.MAX_BODY_BYTES + " bytes",
                Map.of("maxBytes", Json.MAX_BODY_BYTES));
    }

    /** The payload 2.0 response API Gateway expects. */
    public static String toEvent(Response r) {
        ObjectNode o = Json.object();
        o.put("statusCode", r.status());
        ObjectNode h = o.putObject("headers");
        r.headers().forEach(h::put);
        o.put("body", r.body());
        o.put("isBase64Encoded", false);
        return Json.write(o);
    }

    /** Answers 405 for a route the function does not serve (a template/handler mismatch). */
    public static Response unknownRoute(Request r) {
        return Response.error(new Refusal(Refusal.Code.METHOD_NOT_ALLOWED, "no such route: " + r.routeKey()));
    }
}
