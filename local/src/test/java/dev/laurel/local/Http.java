package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Real HTTP to a running local server. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, Map<String, String> headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body(), e);
            }
        }

        String code() {
            return json().path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    private final URI base;

    Http(URI base) {
        this.base = base;
    }

    Reply admin(String method, String path, String body) {
        return send(method, path, body, "Bearer " + LocalServer.DEFAULT_ADMIN_KEY, Map.of());
    }

    Reply shop(String method, String path, String body) {
        return send(method, path, body, "Bearer " + LocalServer.DEFAULT_SHOP_KEY, Map.of());
    }

    Reply shop(String method, String path, String body, Map<String, String> headers) {
        return send(method, path, body, "Bearer " + LocalServer.DEFAULT_SHOP_KEY, headers);
    }

    Reply send(String method, String path, String body, String authorization, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>();
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        h.putAll(headers);
        return raw(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), authorization, h);
    }

    Reply raw(String method, String path, byte[] body, String authorization, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> rh = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> rh.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            return new Reply(r.statusCode(), rh, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository root (set by surefire). */
    static java.nio.file.Path root() {
        String r = System.getProperty("laurel.root");
        return java.nio.file.Path.of(r != null ? r : "..").toAbsolutePath().normalize();
    }
}
