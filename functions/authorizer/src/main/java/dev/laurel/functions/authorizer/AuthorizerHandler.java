package dev.laurel.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.api.Authorizer;
import dev.laurel.api.Wiring;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.SessionKeys;
import dev.laurel.app.Sessions;
import dev.laurel.aws.SecretsManagerKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses). It maps {@code Authorization:
 * Bearer <key>} to the key's tenant and role in the context, and a member session token to role
 * {@code member} with its program and customer. An unknown key or invalid token is passed through
 * with role {@code none}, so that the function answers 401 in the API's own error shape (API
 * Gateway's own deny answer would be a bare 403). The answer is cached by API Gateway per header value.
 */
public final class AuthorizerHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"GetItem", "UpdateItem"};

    public static final String NONE = Authorizer.NONE;
    private final Authorizer authorizer;

    /** Lambda's entry: API keys from DynamoDB, session keys from Secrets Manager ({@code SESSION_KEYS_SECRET}). */
    public AuthorizerHandler() {
        this(primed(Wiring.authorizerApiKeys()), SecretsManagerKeys.fromEnvironment(), Clock.systemUTC());
    }

    /** SnapStart priming (api/Priming): the key reads and last-used writes; the key cache emptied after a restore. */
    private static ApiKeys primed(ApiKeys keys) {
        dev.laurel.api.Priming.register(keys::forgetCache, DYNAMODB);
        return keys;
    }

    /** API keys only: member session tokens are refused. */
    public AuthorizerHandler(ApiKeys keys) {
        this.authorizer = new Authorizer(keys);
    }

    public AuthorizerHandler(ApiKeys keys, SessionKeys sessionKeys, Clock clock) {
        this.authorizer = new Authorizer(keys, new Sessions(sessionKeys, clock));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        authorizer.serve(in, out);
    }

    /** The simple response for an Authorization header value. */
    public ObjectNode authorize(String authorization) {
        return authorizer.authorize(authorization);
    }
}
