package dev.laurel.functions.expire;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.aws.LambdaContinuation;
import dev.laurel.service.ExpiryJob;
import dev.laurel.service.Programs;
import dev.laurel.service.Scheduled;
import dev.laurel.store.DynamoStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** The daily expiry run (EventBridge Scheduler): expires due lots and releases ended return windows. */
public final class ExpireHandler implements RequestStreamHandler {
    private final ExpiryJob job;
    private final Clock clock;
    private final Scheduled.Continuation continuation;

    /** Lambda's entry: DynamoDB from the environment; a run that outlasts the invocation continues in a new one. */
    public ExpireHandler() {
        this(DynamoStore.fromEnvironment(), Clock.systemUTC(), null);
    }

    /** @param continuation where the rest of an unfinished run goes; null = this function's own ARN */
    public ExpireHandler(DynamoStore store, Clock clock, Scheduled.Continuation continuation) {
        this.clock = clock;
        this.job = new ExpiryJob(store, clock, Programs.DEFAULT_RECHECK);
        this.continuation = continuation;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Scheduled.serve(in, out, clock, (upTo, shards, remainingMs, marginMs) -> Scheduled.of(job.run(upTo, shards, remainingMs,
                marginMs)), context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis,
                continuation != null ? continuation : new LambdaContinuation(context.getInvokedFunctionArn()));
    }
}
