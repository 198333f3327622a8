package dev.laurel.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.KeysApi;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Admin routes of API keys: create (the key shown once), list, revoke. Shipped in the authorizer's
 * jar (the code that reads keys) as a function of its own, so the authorizer keeps its narrow rights.
 */
public final class KeysHandler implements RequestStreamHandler {
    /**
     * The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot
     * (PrimingOperationsTest), and its transactions (create, revoke), which need no ConditionCheckItem.
     */
    static final String[] DYNAMODB = {"BatchGetItem", "DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem", "TransactWriteItems"};

    private final KeysApi api;

    /** Lambda's entry: DynamoDB from the environment. */
    public KeysHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB));
    }

    public KeysHandler(Laurel laurel) {
        this.api = new KeysApi(laurel.apiKeys());
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "POST /v1/keys" -> api.create(req);
            case "GET /v1/keys" -> api.list(req);
            case "DELETE /v1/keys/{keyId}" -> api.delete(req);
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
