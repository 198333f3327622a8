package dev.laurel.functions.remind;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.laurel.aws.LambdaContinuation;
import dev.laurel.domain.Program;
import dev.laurel.notify.Channel;
import dev.laurel.notify.Delivery;
import dev.laurel.notify.EmailChannel;
import dev.laurel.notify.PublicAddresses;
import dev.laurel.notify.WebhookChannel;
import dev.laurel.service.Channels;
import dev.laurel.service.Programs;
import dev.laurel.service.ReminderJob;
import dev.laurel.service.Scheduled;
import dev.laurel.store.DynamoStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The hourly reminders run (EventBridge Scheduler): records and sends reminders through each program's channel. */
public final class RemindHandler implements RequestStreamHandler {
    private final ReminderJob job;
    private final Clock clock;
    private final Scheduled.Continuation continuation;

    /** Lambda's entry: DynamoDB and SES from the environment, webhooks over the JDK's HTTP client. */
    public RemindHandler() {
        this(DynamoStore.fromEnvironment(), Clock.systemUTC(), channels(
                Boolean.parseBoolean(System.getenv("LAUREL_WEBHOOKS_ALLOW_PRIVATE"))), null);
    }

    /** @param continuation where the rest of an unfinished run goes; null = this function's own ARN */
    public RemindHandler(DynamoStore store, Clock clock, Channels channels, Scheduled.Continuation continuation) {
        this.clock = clock;
        this.job = new ReminderJob(store, clock, Programs.DEFAULT_RECHECK, channels, Delivery.Sleeper.REAL);
        this.continuation = continuation;
    }

    /**
     * Webhooks as configured; email through SES (its client built on first use); no channel: none.
     * Webhook signatures carry the wall-clock time, whatever clock the run works by, since the
     * receiver checks them against its own. Deployed, webhooks may call public addresses only
     * ({@link PublicAddresses}); {@code allowPrivateAddresses} lifts that for a self-hosted setup
     * whose receivers live on a private network (env {@code LAUREL_WEBHOOKS_ALLOW_PRIVATE=true}).
     */
    public static Channels channels(boolean allowPrivateAddresses) {
        Clock clock = Clock.systemUTC();
        Clients clients = new Clients();
        return program -> channel(program.channel(), clients, clock, allowPrivateAddresses);
    }

    /** The webhook and SES clients, each built on first use (most runs send nothing; init stays small). */
    private static final class Clients {
        private HttpClient http;
        private SesV2Client ses;

        synchronized HttpClient http() {
            if (http == null) {
                http = WebhookChannel.httpClient();
            }
            return http;
        }

        synchronized SesV2Client ses() {
            if (ses == null) {
                ses = SesV2Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            }
            return ses;
        }
    }

    private static Channel channel(Program.Channel c, Clients clients, Clock clock, boolean allowPrivate) {
        if (c == null) {
            return null;
        }
        if (!Program.Channel.WEBHOOK.equals(c.type())) {
            return new EmailChannel(clients.ses(), c.from());
        }
        URI url = URI.create(c.url());
        Channel webhook = new WebhookChannel(url, c.secret(), clients.http(), clock);
        return allowPrivate ? webhook : new PublicAddresses(url, webhook);
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Scheduled.serve(in, out, clock, (upTo, shards, remainingMs, marginMs) -> Scheduled.of(job.run(upTo, shards, remainingMs,
                marginMs)), context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis,
                continuation != null ? continuation : new LambdaContinuation(context.getInvokedFunctionArn()));
    }
}
