package dev.laurel.local;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS as the template's {@code CorsAllowedOrigins} gives the HTTP API (API Gateway answers the
 * preflight itself): the origins from {@code --cors-origins} or {@code LAUREL_CORS_ORIGINS} (a
 * comma list; empty: no CORS, as the template's default). A preflight {@code OPTIONS} from an
 * allowed origin answers 204 with the allowed methods, headers and max age; every answer to an
 * allowed origin carries {@code Access-Control-Allow-Origin}; other origins get no CORS headers.
 */
final class Cors {
    /** The system property {@code --cors-origins} sets. */
    static final String PROPERTY = "laurel.cors.origins";
    static final String METHODS = "GET,POST,PUT,DELETE";
    static final String HEADERS = "authorization,content-type,idempotency-key";
    static final String EXPOSE = "idempotent-replayed,retry-after";
    static final int MAX_AGE_SECONDS = 600;

    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = origins.stream().map(String::trim).filter(o -> !o.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The origins of {@code -Dlaurel.cors.origins} or else {@code LAUREL_CORS_ORIGINS}. */
    static Cors fromEnvironment() {
        String v = System.getProperty(PROPERTY);
        if (v == null) {
            v = System.getenv("LAUREL_CORS_ORIGINS");
        }
        return new Cors(v == null ? List.of() : Arrays.asList(v.split(",")));
    }

    boolean enabled() {
        return !origins.isEmpty();
    }

    boolean allows(String origin) {
        return origin != null && origins.contains(origin);
    }

    /** The preflight's answer, or null when the request is none (or CORS is off): it goes to the routes. */
    HttpApi.Response preflight(String method, String origin, String requestMethod) {
        if (!enabled() || !"OPTIONS".equals(method) || origin == null || requestMethod == null) {
            return null;
        }
        List<Map.Entry<String, String>> h = new ArrayList<>();
        if (allows(origin)) {
            h.add(Map.entry("Access-Control-Allow-Origin", origin));
            h.add(Map.entry("Access-Control-Allow-Methods", METHODS));
            h.add(Map.entry("Access-Control-Allow-Headers", HEADERS));
            h.add(Map.entry("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS)));
        }
        h.add(Map.entry("Vary", "Origin"));
        return new HttpApi.Response(204, h, new byte[0]);
    }

    /** {@code answer} with the CORS headers an allowed {@code origin} gets. */
    HttpApi.Response decorate(HttpApi.Response answer, String origin) {
        if (!allows(origin)) {
            return answer;
        }
        List<Map.Entry<String, String>> h = new ArrayList<>(answer.headers());
        h.add(Map.entry("Access-Control-Allow-Origin", origin));
        h.add(Map.entry("Access-Control-Expose-Headers", EXPOSE));
        h.add(Map.entry("Vary", "Origin"));
        return new HttpApi.Response(answer.status(), h, answer.body());
    }
}
