package dev.laurel.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where outbound webhooks may go, and the one way they are called. Deployed, a webhook URL must be
 * {@code https} and resolve to public addresses only ({@link PublicAddresses}), checked when the
 * webhook is saved and again before every request (a DNS answer may change);
 * {@code LAUREL_WEBHOOKS_ALLOW_PRIVATE=true} lifts the address check for a self-hosted setup, as
 * for reminders. Locally ({@link #local}) plain {@code http} to loopback receivers works too.
 * Requests are signed with {@link Signature} on the wall clock (the receiver checks it against its
 * own), bounded by a connect and a request timeout, and never follow redirects.
 */
public final class WebhookTargets {
    /** Connect and whole-request timeouts: a slow receiver costs a delivery at most this long. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int MAX_URL_CHARS = 2048;

    private final HttpClient http;
    private final boolean local;
    private final boolean allowPrivate;
    private final Duration requestTimeout;

    private WebhookTargets(boolean local, boolean allowPrivate, Duration requestTimeout) {
        this.http = WebhookChannel.httpClient(CONNECT_TIMEOUT);
        this.local = local;
        this.allowPrivate = allowPrivate;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** A deployed function's: https and public addresses only, unless {@code allowPrivateAddresses}. */
    public static WebhookTargets deployed(boolean allowPrivateAddresses) {
        return new WebhookTargets(false, allowPrivateAddresses, REQUEST_TIMEOUT);
    }

    /** The local runner's: http or https, any address (a receiver on the developer's machine). */
    public static WebhookTargets local() {
        return new WebhookTargets(true, true, REQUEST_TIMEOUT);
    }

    /** As {@link #local()} with another request timeout (tests of slow receivers). */
    public static WebhookTargets local(Duration requestTimeout) {
        return new WebhookTargets(true, true, requestTimeout);
    }

    public boolean isLocal() {
        return local;
    }

    /** Why {@code url} cannot be a webhook here, or null when it can. */
    public String refusal(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute URL";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || u.getHost() == null || u.getHost().isEmpty()) {
            return "must be an absolute URL with a host";
        }
        if (u.getRawUserInfo() != null) {
            return "must not carry credentials";
        }
        if (u.getRawFragment() != null) {
            return "must not have a fragment";
        }
        if (local) {
            return scheme.equals("https") || scheme.equals("http") ? null : "must be an http or https URL";
        }
        if (!scheme.equals("https")) {
            return "must be an https URL";
        }
        if (!allowPrivate) {
            String refused = PublicAddresses.refusal(u.getHost());
            if (refused != null) {
                return "is not a public address: " + refused;
            }
        }
        return null;
    }

    /**
     * POSTs one signed event to {@code url}.
     *
     * @throws DeliveryException when it was not delivered (any non-2xx answer, a timeout, a refused connection,
     *                           or an address that is not public)
     */
    public void post(String url, String secret, String id, String type, String body) throws DeliveryException {
        URI u = URI.create(url);
        if (!allowPrivate) {
            String refused = PublicAddresses.refusal(u.getHost());
            if (refused != null) {
                throw new DeliveryException("webhook https://" + u.getHost() + " is refused: " + refused, false);
            }
        }
        new WebhookChannel(u, secret, http, Clock.systemUTC(), requestTimeout).post(id, type, body);
    }
}
