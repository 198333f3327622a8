package dev.laurel.functions.remind;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.api.Scheduled;
import dev.laurel.api.Wiring;
import dev.laurel.app.Channels;
import dev.laurel.app.Laurel;
import dev.laurel.app.ReminderRun;
import dev.laurel.aws.LambdaContinuation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** The hourly reminders run (EventBridge Scheduler): records and sends reminders through each program's channel. */
public final class RemindHandler implements RequestStreamHandler {
    /** The DynamoDB operations of its IAM policy in template.yaml, primed before a SnapStart snapshot (PrimingOperationsTest). */
    static final String[] DYNAMODB = {"BatchGetItem", "ConditionCheckItem", "GetItem", "PutItem", "Query", "UpdateItem"};

    private final ReminderRun job;
    private final Clock clock;
    private final Scheduled.Continuation continuation;

    /** Lambda's entry: DynamoDB and SES from the environment, webhooks over the JDK's HTTP client. */
    public RemindHandler() {
        this(dev.laurel.api.Priming.register(dev.laurel.api.Wiring.laurel(), DYNAMODB), channels(Boolean.parseBoolean(System.getenv("LAUREL_WEBHOOKS_ALLOW_PRIVATE"))), null);
    }

    /** @param continuation where the rest of an unfinished run goes; null = this function's own ARN */
    public RemindHandler(Laurel laurel, Channels channels, Scheduled.Continuation continuation) {
        this.clock = laurel.clock();
        this.job = laurel.reminderRun(channels);
        this.continuation = continuation;
    }

    /** The real channels ({@link dev.laurel.aws.Channels#real}): signed webhooks, SES email. */
    public static Channels channels(boolean allowPrivateAddresses) {
        return dev.laurel.aws.Channels.real(allowPrivateAddresses);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Scheduled.serve(in, out, clock, (upTo, shards, remainingMs, marginMs) -> Scheduled.of(job.run(upTo, shards, remainingMs,
                marginMs)), context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis,
                continuation != null ? continuation : new LambdaContinuation(context.getInvokedFunctionArn()),
                context == null ? null : context.getAwsRequestId());
    }
}
