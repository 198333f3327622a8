package dev.laurel.aws;

import dev.laurel.domain.Program;
import dev.laurel.notify.Channel;
import dev.laurel.notify.EmailChannel;
import dev.laurel.notify.PublicAddresses;
import dev.laurel.notify.WebhookChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The reminders function's real channels: webhooks as configured, email through SES (its client
 * built on first use), no channel: none. Functions using this declare {@code software.amazon.awssdk:sesv2}
 * themselves (it is optional in the shared module).
 */
public final class Channels {
    private Channels() {
    }

    /**
     * Webhook signatures carry the wall-clock time, whatever clock the run works by, since the
     * receiver checks them against its own. Deployed, webhooks may call public addresses only
     * ({@link PublicAddresses}); {@code allowPrivateAddresses} lifts that for a self-hosted setup
     * whose receivers live on a private network (env {@code LAUREL_WEBHOOKS_ALLOW_PRIVATE=true}).
     */
    public static dev.laurel.app.Channels real(boolean allowPrivateAddresses) {
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
}
