package dev.laurel.functions.expire;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.Scheduled;
import dev.laurel.api.Wiring;
import dev.laurel.app.ExpiryRun;
import dev.laurel.app.Laurel;
import dev.laurel.aws.LambdaContinuation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** The daily expiry run (EventBridge Scheduler): expires due lots and releases ended return windows. */
public final class ExpireHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "ConditionCheckItem", "GetItem", "PutItem", "Query", "UpdateItem"};

    private final ExpiryRun job;
    private final Clock clock;
    private final Scheduled.Continuation continuation;

    /** Lambda's entry: DynamoDB from the environment; a run that outlasts the invocation continues in a new one. */
    public ExpireHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), null);
    }

    /** @param continuation where the rest of an unfinished run goes; null = this function's own ARN */
    public ExpireHandler(Laurel laurel, Scheduled.Continuation continuation) {
        this.clock = laurel.clock();
        this.job = laurel.expiryRun();
        this.continuation = continuation;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Scheduled.serve(in, out, clock, (upTo, shards, remainingMs, marginMs) -> Scheduled.of(job.run(upTo, shards, remainingMs,
                marginMs)), context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis,
                continuation != null ? continuation : new LambdaContinuation(context.getInvokedFunctionArn()),
                context == null ? null : context.getAwsRequestId());
    }
}
