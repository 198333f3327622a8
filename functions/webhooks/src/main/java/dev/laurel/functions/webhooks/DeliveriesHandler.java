package dev.laurel.functions.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.Scheduled;
import dev.laurel.api.WebhookSetup;
import dev.laurel.api.Wiring;
import dev.laurel.app.Laurel;
import dev.laurel.aws.LambdaContinuation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** The webhook deliveries' retries (EventBridge Scheduler, every minute): attempts what is due, marks dead what failed 24 h. */
public final class DeliveriesHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"GetItem", "Query", "UpdateItem"};

    private final Scheduled.Job job;
    private final Clock clock;
    private final Scheduled.Continuation continuation;

    /** Lambda's entry: DynamoDB from the environment; a run that outlasts the invocation continues in a new one. */
    public DeliveriesHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), WebhookSetup.deployed(), null);
    }

    /** @param continuation where the rest of an unfinished run goes; null = this function's own ARN */
    public DeliveriesHandler(Laurel laurel, WebhookSetup setup, Scheduled.Continuation continuation) {
        this.clock = laurel.clock();
        this.job = setup.deliveries(laurel);
        this.continuation = continuation;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Scheduled.serve(in, out, clock, job, context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis,
                continuation != null ? continuation : new LambdaContinuation(context.getInvokedFunctionArn()),
                context == null ? null : context.getAwsRequestId());
    }
}
