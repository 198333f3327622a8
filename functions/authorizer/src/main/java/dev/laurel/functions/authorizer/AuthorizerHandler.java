package dev.laurel.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import dev.laurel.service.ApiKeys;
import dev.laurel.store.DynamoStore;
import dev.laurel.store.Records.ApiKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses). It maps {@code Authorization:
 * Bearer <key>} to the key's tenant and role in the context. An unknown key is passed through with
 * role {@code none}, so that the function answers 401 in the API's own error shape (API Gateway's
 * own deny answer would be a bare 403). The answer is cached by API Gateway per header value.
 */
public final class AuthorizerHandler implements RequestStreamHandler {
    public static final String NONE = "none";
    private final ApiKeys keys;

    public AuthorizerHandler() {
        this(new ApiKeys(DynamoStore.fromEnvironment()));
    }

    public AuthorizerHandler(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
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
