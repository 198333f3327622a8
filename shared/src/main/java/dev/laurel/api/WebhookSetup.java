package dev.laurel.api;

import dev.laurel.app.DeliveryRun;
import dev.laurel.app.Laurel;
import dev.laurel.app.WebhookFanout;
import dev.laurel.notify.WebhookTargets;
import java.time.Duration;
import java.util.Objects;

/**
 * How the outbound webhooks' three functions are put together for where they run: deployed
 * (https URLs of public addresses only, {@link Wiring#webhookTargets}) or locally (loopback http
 * allowed). A handler is given one of these and asks it for its part, so handlers know no channel.
 */
public final class WebhookSetup {
    private final WebhookTargets targets;

    private WebhookSetup(WebhookTargets targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /** A deployed function's, from the environment. */
    public static WebhookSetup deployed() {
        return new WebhookSetup(Wiring.webhookTargets());
    }

    /** As deployed: https URLs of public addresses only. */
    public static WebhookSetup publicOnly() {
        return new WebhookSetup(WebhookTargets.deployed(false));
    }

    /** The local runner's: loopback http receivers allowed. */
    public static WebhookSetup local() {
        return new WebhookSetup(WebhookTargets.local());
    }

    /** Locally, with another request timeout (tests of slow receivers). */
    public static WebhookSetup local(Duration requestTimeout) {
        return new WebhookSetup(WebhookTargets.local(requestTimeout));
    }

    public WebhooksApi routes(Laurel laurel) {
        return new WebhooksApi(laurel, targets);
    }

    /** The stream consumer, as {@link StreamEvents#serve(java.io.InputStream, java.io.OutputStream, StreamEvents.Consumer)} takes it. */
    public StreamEvents.Consumer consumer(Laurel laurel) {
        WebhookFanout fanout = laurel.webhookFanout(targets);
        return (shard, changes) -> fanout.apply(changes).retryFrom();
    }

    /** The scheduled retries, as {@link Scheduled#serve} takes them. */
    public Scheduled.Job deliveries(Laurel laurel) {
        DeliveryRun run = laurel.deliveryRun(targets);
        return (upTo, shards, remainingMs, marginMs) -> Scheduled.of(run.run(upTo, shards, remainingMs, marginMs), upTo);
    }
}
