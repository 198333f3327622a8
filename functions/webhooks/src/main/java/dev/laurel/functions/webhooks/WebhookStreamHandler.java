package dev.laurel.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.StreamEvents;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import dev.laurel.app.WebhookFanout;
import dev.laurel.notify.WebhookTargets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The table's change stream, second consumer (its own event source mapping): each committed change's
 * webhook events become deliveries, attempted right away.
 */
public final class WebhookStreamHandler implements RequestStreamHandler {
    private final WebhookFanout fanout;

    /** Lambda's entry: DynamoDB from the environment; https URLs of public addresses only. */
    public WebhookStreamHandler() {
        this(Wiring.laurel(), Wiring.webhookTargets());
    }

    public WebhookStreamHandler(Laurel laurel, WebhookTargets targets) {
        this.fanout = laurel.webhookFanout(targets);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        StreamEvents.serve(in, out, (shard, changes) -> fanout.apply(changes).retryFrom());
    }
}
