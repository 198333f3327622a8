package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ApiKeys;
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
 * Bearer <key>} to the key's tenant and role in the context. An unknown key is passed through with
 * role {@link #NONE}, so that the function answers 401 in the API's own error shape.
 */
public final class Authorizer {
    public static final String NONE = "none";
    private final ApiKeys keys;

    public Authorizer(ApiKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
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
        Optional<ApiKey> key = keys.authenticate(authorization);
        ObjectNode answer = Json.object().put("isAuthorized", true);
        ObjectNode ctx = answer.putObject("context");
        ctx.put("tenant", key.map(ApiKey::tenant).orElse(""));
        ctx.put("role", key.map(ApiKey::role).orElse(NONE));
        return answer;
    }
}
