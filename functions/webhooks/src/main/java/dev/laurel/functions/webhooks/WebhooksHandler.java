package dev.laurel.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.ApiGateway;
import dev.laurel.api.WebhooksApi;
import dev.laurel.api.WebhookSetup;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Admin routes of outbound webhooks: put, get, delete, and the listing of failed and dead deliveries. */
public final class WebhooksHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "DeleteItem", "GetItem", "Query", "UpdateItem"};

    private final WebhooksApi api;

    /** Lambda's entry: DynamoDB from the environment; https URLs of public addresses only. */
    public WebhooksHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), WebhookSetup.deployed());
    }

    public WebhooksHandler(Laurel laurel, WebhookSetup setup) {
        this.api = setup.routes(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ApiGateway.serve(in, out, req -> switch (req.routeKey()) {
            case "PUT /v1/webhooks/{webhookId}" -> api.put(req);
            case "GET /v1/webhooks/{webhookId}" -> api.get(req);
            case "DELETE /v1/webhooks/{webhookId}" -> api.delete(req);
            case "GET /v1/webhooks/{webhookId}/deliveries" -> api.deliveries(req);
            default -> ApiGateway.unknownRoute(req);
        });
    }
}
