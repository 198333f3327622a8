package dev.laurel.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway HTTP API (payload 2.0) events as the deployed API sends them, built from the real
 * sample events/earn.json: route key, path, path parameters, headers, body and the authorizer's
 * context (tenant and role), as API Gateway passes them on after the authorizer.
 */
public final class Events {
    private final ObjectNode base;

    public Events(Path root) {
        try {
            base = (ObjectNode) Json.mapper().readTree(Files.readString(root.resolve("events/earn.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One event. {@code routeKey} is as in template.yaml, e.g. {@code POST /v1/programs/{programId}/earn}. */
    public byte[] event(String routeKey, Map<String, String> pathParameters, Map<String, String> headers, String body,
                        String tenant, String role) {
        ObjectNode ev = base.deepCopy();
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        for (var p : pathParameters.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        ObjectNode h = ev.putObject("headers");
        h.put("content-type", "application/json").put("authorization", "Bearer bench-key");
        headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
        ev.put("routeKey", routeKey).put("rawPath", path).put("rawQueryString", "");
        ObjectNode ctx = (ObjectNode) ev.get("requestContext");
        ctx.put("routeKey", routeKey).put("requestId", UUID.randomUUID().toString());
        ((ObjectNode) ctx.get("http")).put("method", method).put("path", path);
        ctx.putObject("authorizer").putObject("lambda").put("tenant", tenant).put("role", role);
        ObjectNode pp = ev.putObject("pathParameters");
        pathParameters.forEach(pp::put);
        if (body == null) {
            ev.remove("body");
        } else {
            ev.put("body", body);
        }
        ev.put("isBase64Encoded", false);
        return Json.write(ev).getBytes(StandardCharsets.UTF_8);
    }

    /** Invokes a handler as the runtime does (event bytes in, response bytes out) and reads the response event. */
    public static JsonNode invoke(RequestStreamHandler handler, byte[] event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
            return Json.mapper().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The status of a response event, failing loudly on anything but {@code expected}. */
    public static JsonNode expect(JsonNode response, int expected, String what) {
        int status = response.path("statusCode").asInt();
        if (status != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + status + " " + response.path("body").asText());
        }
        return Json.read(response.path("body").asText());
    }
}
