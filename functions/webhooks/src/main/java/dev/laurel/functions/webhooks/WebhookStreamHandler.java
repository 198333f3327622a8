package dev.laurel.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.StreamEvents;
import dev.laurel.api.WebhookSetup;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The table's change stream, second consumer (its own event source mapping): each committed change's
 * webhook events become deliveries, attempted right away.
 */
public final class WebhookStreamHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"PutItem", "Query", "UpdateItem"};

    private final StreamEvents.Consumer consumer;

    /** Lambda's entry: DynamoDB from the environment; https URLs of public addresses only. */
    public WebhookStreamHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), WebhookSetup.deployed());
    }

    public WebhookStreamHandler(Laurel laurel, WebhookSetup setup) {
        this.consumer = setup.consumer(laurel);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        StreamEvents.serve(in, out, "stream webhooks", context == null ? null : context.getAwsRequestId(), consumer);
    }
}
