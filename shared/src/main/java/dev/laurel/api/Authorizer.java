package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Sessions;
import dev.laurel.json.Json;
import dev.laurel.store.Records.ApiKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP API Lambda authorizer glue (payload 2.0, simple responses): maps {@code Authorization:
 * Bearer <key>} to the key's tenant and role in the context, and {@code Bearer <session token>}
 * ({@link Sessions}) to role {@code member} with the session's program, customer and expiry (the
 * function checks the expiry again: API Gateway caches this answer per header value). An unknown
 * key or an invalid token is passed through with role {@link #NONE}, so that the function answers
 * 401 in the API's own error shape.
 */
public final class Authorizer {
    public static final String NONE = "none";
    private final ApiKeys keys;
    private final Sessions sessions;

    /** Without session keys: member tokens are refused (401). */
    public Authorizer(ApiKeys keys) {
        this(keys, null);
    }

    public Authorizer(ApiKeys keys, Sessions sessions) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sessions = sessions;
    }

    /** Serves one invocation: the request event in, the simple response out. */
    public void serve(InputStream in, OutputStream out) throws IOException {
        JsonNode event = Json.read(in);
        String header = null;
        for (var it = event.path("headers").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase("authorization")) {
                header = e.getValue().asText();
            }
        }
        out.write(Json.write(authorize(header)).getBytes(StandardCharsets.UTF_8));
    }

    /** The simple response for an Authorization header value. */
    public ObjectNode authorize(String authorization) {
        String bearer = authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? null : authorization.substring(7).trim();
        if (Sessions.isToken(bearer)) {
            ObjectNode answer = Json.object().put("isAuthorized", true);
            ObjectNode ctx = answer.putObject("context");
            Optional<Sessions.Claims> claims = sessions == null ? Optional.empty() : sessions.verify(bearer);
            ctx.put("tenant", claims.map(Sessions.Claims::tenant).orElse(""));
            ctx.put("role", claims.isPresent() ? Request.MEMBER : NONE);
            claims.ifPresent(c -> ctx.put("program", c.programId()).put("customer", c.customerId())
                    .put("exp", c.expiresAt().getEpochSecond()));
            return answer;
        }
        Optional<ApiKey> key = keys.authenticate(authorization);
        ObjectNode answer = Json.object().put("isAuthorized", true);
        ObjectNode ctx = answer.putObject("context");
        ctx.put("tenant", key.map(ApiKey::tenant).orElse(""));
        ctx.put("role", key.map(ApiKey::role).orElse(NONE));
        return answer;
    }
}
