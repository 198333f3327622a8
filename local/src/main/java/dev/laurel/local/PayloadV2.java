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

/**
 * API Gateway's payload format 2.0, both ways ({@link HttpApi}): the event a request becomes, and
 * the HTTP answer a function's answer becomes; API Gateway's own answers and request ids.
 */
final class PayloadV2 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PayloadV2() {
    }

    /** The payload format 2.0 event of a request. */
    static ObjectNode event(Template.Route route, Map<String, String> params, HttpApi.Request req, String requestId, Instant now) {
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
        ctx.put("accountId", HttpApi.ACCOUNT);
        ctx.put("apiId", HttpApi.API_ID);
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
        ctx.put("stage", HttpApi.STAGE);
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
    static HttpApi.Response response(byte[] out, String requestId, String function, PrintStream log) {
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
            return new HttpApi.Response(200, headers, out);
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
        return new HttpApi.Response(sc.asInt(), headers, body);
    }

    static HttpApi.Response gateway(int status, String message, String requestId) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("content-type", "application/json"));
        headers.add(Map.entry("apigw-requestid", requestId));
        return new HttpApi.Response(status, headers, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] write(JsonNode n) {
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
