package dev.laurel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.ApiException;
import dev.laurel.domain.ErrorCode;
import dev.laurel.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, headers and a JSON body. */
public record Response(int status, Map<String, String> headers, String body) {
    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response json(int status, Object body) {
        return new Response(status, Map.of("content-type", "application/json"), Json.write(body));
    }

    public static Response raw(int status, String jsonBody, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.putAll(extraHeaders);
        return new Response(status, h, jsonBody);
    }

    /** The API's one error shape: {@code {"error": {"code", "message", "details"}}}. */
    public static Response error(ApiException e) {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("code", e.code().wire());
        err.put("message", e.getMessage());
        err.set("details", Json.tree(e.details()));
        if (e.code() == ErrorCode.UNAVAILABLE) {
            Object seconds = e.details().getOrDefault("retryAfterSeconds", ApiException.RETRY_AFTER_SECONDS);
            return raw(e.code().status(), Json.write(root), Map.of("Retry-After", String.valueOf(seconds)));
        }
        return json(e.code().status(), root);
    }
}
