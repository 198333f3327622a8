package dev.laurel.notify;

import dev.laurel.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers a notification as a signed JSON POST of its {@link Envelope} to the program's URL, with the headers
 * {@code Content-Type: application/json}, {@code Laurel-Signature} ({@link Signature}), {@code Laurel-Notification-Id},
 * {@code Laurel-Notification-Type} and {@code User-Agent: Laurel-Webhooks/1}. Any 2xx answer means delivered.
 * 408, 429, 5xx, timeouts and connection failures are retryable; every other answer (including a 3xx: redirects are
 * never followed) is not. The whole exchange, connection included, is bounded by the request timeout.
 */
public final class WebhookChannel implements Channel {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final String USER_AGENT = "Laurel-Webhooks/1";
    public static final String ID_HEADER = "Laurel-Notification-Id";
    public static final String TYPE_HEADER = "Laurel-Notification-Type";

    private final URI url;
    private final String secret;
    private final HttpClient http;
    private final Clock clock;
    private final Duration requestTimeout;

    /** With the default 5 s request timeout; pass {@link #httpClient()} (3 s connect timeout, no redirects). */
    public WebhookChannel(URI url, String secret, HttpClient http, Clock clock) {
        this(url, secret, http, clock, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host, the secret is empty,
     *                                  the client follows redirects, or the timeout is not positive
     */
    public WebhookChannel(URI url, String secret, HttpClient http, Clock clock, Duration requestTimeout) {
        this.url = checkUrl(Objects.requireNonNull(url, "url"));
        this.secret = Objects.requireNonNull(secret, "secret");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("webhook secret must not be empty");
        }
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the webhook HttpClient must not follow redirects");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
    }

    /** A client for webhooks: 3 s connect timeout, redirects never followed. Share one per container. */
    public static HttpClient httpClient() {
        return httpClient(DEFAULT_CONNECT_TIMEOUT);
    }

    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        Objects.requireNonNull(n, "n");
        post(n.id(), n.type(), Json.write(Envelope.of(n)));
    }

    /**
     * POSTs a rendered JSON document, signed, with {@code id} and {@code type} in the id and type headers
     * (an outbound webhook's event goes out this way, exactly as a reminder does).
     */
    public void post(String id, String type, String body) throws DeliveryException {
        long now = clock.instant().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header(Signature.HEADER, Signature.header(secret, now, body))
                    .header(ID_HEADER, id)
                    .header(TYPE_HEADER, type)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            // a header value with control characters: no retry will change that
            throw new DeliveryException("cannot build the webhook request: " + e.getMessage(), false, e);
        }
        int status = exchange(request);
        if (status >= 200 && status < 300) {
            return;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        throw new DeliveryException("webhook " + target() + " answered HTTP " + status, retryable);
    }

    /** The response status; the body is read and discarded. The deadline covers connect, headers and body. */
    private int exchange(HttpRequest request) throws DeliveryException {
        CompletableFuture<HttpResponse<Void>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS).statusCode();
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new DeliveryException("webhook " + target() + " timed out after " + requestTimeout.toMillis() + " ms",
                    true, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while calling webhook " + target(), true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new DeliveryException("webhook " + target() + " timed out: " + cause.getMessage(), true, cause);
            }
            if (cause instanceof ConnectException) {
                throw new DeliveryException("cannot connect to webhook " + target() + ": " + cause, true, cause);
            }
            if (cause instanceof IOException) {
                throw new DeliveryException("webhook " + target() + " failed: " + cause, true, cause);
            }
            throw new DeliveryException("webhook " + target() + " failed: " + cause, false, cause);
        }
    }

    /** Scheme, host and port only: a path or query may hold the receiver's own token and stays out of logs. */
    private String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static URI checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("webhook URL must be http(s): " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("webhook URL has no host: " + url);
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook URL must not carry credentials");
        }
        return url;
    }
}
