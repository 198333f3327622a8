package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Refusal;
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

    /** The API's one error shape: {@code {"error": {"code", "message", "details"}}}, with the code's status ({@link Errors}). */
    public static Response error(Refusal r) {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("code", r.code().wire());
        err.put("message", r.message());
        err.set("details", Json.tree(r.details()));
        if (r.code() == Refusal.Code.UNAVAILABLE) {
            Object seconds = r.details().getOrDefault("retryAfterSeconds", Refusal.RETRY_AFTER_SECONDS);
            return raw(Errors.status(r.code()), Json.write(root), Map.of("Retry-After", String.valueOf(seconds)));
        }
        return json(Errors.status(r.code()), root);
    }
}
