package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
    private static final String SECRET = "whsec_9f8e7d6c";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = WebhookChannel.httpClient(Duration.ofMillis(500));

    /** A clock that moves one second every time the channel reads it, so each try is signed at its own time. */
    private static final class TickingClock extends Clock {
        final AtomicLong seconds;

        TickingClock(Instant start) {
            seconds = new AtomicLong(start.getEpochSecond());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private final TickingClock clock = new TickingClock(Instant.parse("2027-01-28T09:00:00Z"));
    private Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        // the receiver checks the timestamp against the same timeline, a little later
        receiver = new Receiver(SECRET, () -> clock.seconds.get() + 2);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookChannel channel(URI url) {
        return new WebhookChannel(url, SECRET, HTTP, clock);
    }

    @Test
    void postsTheSignedEnvelopeWithItsHeaders() throws Exception {
        Notification n = Samples.welcome(); // a non-ASCII program name: the signature covers UTF-8 bytes
        channel(receiver.url("/hooks/laurel?account=42")).send(n);

        assertThat(receiver.requests).hasSize(1);
        Receiver.Request r = receiver.requests.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks/laurel");
        assertThat(r.query()).isEqualTo("account=42");
        assertThat(r.signatureValid()).as("signature verified by the receiver").isTrue();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("User-Agent")).isEqualTo("Laurel-Webhooks/1");
        assertThat(r.header("Laurel-Notification-Id")).isEqualTo("welcome:c-1");
        assertThat(r.header("Laurel-Notification-Type")).isEqualTo("welcome");
        assertThat(r.header("Laurel-Signature")).matches("t=\\d+,v1=[0-9a-f]{64}");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("id").asText()).isEqualTo("welcome:c-1");
        assertThat(body.path("type").asText()).isEqualTo("welcome");
        assertThat(body.path("programId").asText()).isEqualTo("acme");
        assertThat(body.path("customerId").asText()).isEqualTo("c-1");
        assertThat(body.path("createdAt").asText()).isEqualTo("2027-01-28T09:00:00Z");
        assertThat(body).isEqualTo(Envelope.of(n));
        assertThat(body.path("data").path("signupPoints").asLong()).isEqualTo(25);
        assertThat(body.has("email")).as("no personal data beyond the customer id").isFalse();
    }

    @Test
    void retriesServerErrorsWithGrowingPausesUntilDelivered() {
        receiver.answer(500, 500, 200);
        List<Duration> pauses = new ArrayList<>();
        Duration first = Duration.ofMillis(40);

        Delivery.Outcome o = Delivery.deliver(channel(receiver.url("/hook")), Samples.pointsExpiring(null), 5, first,
                pauses::add);

        assertThat(o).isEqualTo(new Delivery.Outcome(true, 3, false, null));
        assertThat(receiver.requests).hasSize(3);
        assertThat(receiver.requests).extracting(r -> r.header("Laurel-Notification-Id"))
                .containsOnly("points_expiring:2027-01-31");
        assertThat(receiver.requests).allMatch(Receiver.Request::signatureValid, "each try freshly and validly signed");
        assertThat(receiver.requests).extracting(r -> r.header("Laurel-Signature")).doesNotHaveDuplicates();
        assertThat(receiver.requests).extracting(Receiver.Request::body).containsOnly(receiver.requests.get(0).body());
        assertThat(pauses).hasSize(2);
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(32), Duration.ofMillis(48));
        assertThat(pauses.get(1)).isBetween(Duration.ofMillis(64), Duration.ofMillis(96));
        assertThat(pauses.get(1)).isGreaterThan(pauses.get(0));
    }

    @Test
    void aClientErrorIsTriedOnceAndNotRetryable() {
        receiver.answer(400);
        List<Duration> pauses = new ArrayList<>();

        Delivery.Outcome o = Delivery.deliver(channel(receiver.url("/hook")), Samples.tierUpgraded(), 5,
                Duration.ofMillis(10), pauses::add);

        assertThat(o.delivered()).isFalse();
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(o.retryable()).isFalse();
        assertThat(o.lastError()).contains("HTTP 400").doesNotContain("/hook");
        assertThat(receiver.requests).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void statusClassification() {
        WebhookChannel c = channel(receiver.url("/hook"));
        int[] retryable = {408, 429, 500, 502, 503, 504};
        int[] permanent = {400, 401, 403, 404, 405, 410, 413, 422};
        for (int status : retryable) {
            receiver.answer(status);
            DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> c.send(Samples.welcome()));
            assertThat(e).as("HTTP %d", status).isNotNull();
            assertThat(e.retryable()).as("HTTP %d", status).isTrue();
        }
        for (int status : permanent) {
            receiver.answer(status);
            DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> c.send(Samples.welcome()));
            assertThat(e).as("HTTP %d", status).isNotNull();
            assertThat(e.retryable()).as("HTTP %d", status).isFalse();
        }
        for (int status : new int[] {200, 201, 202, 204}) {
            receiver.answer(status);
            try {
                c.send(Samples.welcome());
            } catch (DeliveryException e) {
                throw new AssertionError("HTTP " + status + " should be delivered", e);
            }
        }
        assertThat(receiver.requests).hasSize(retryable.length + permanent.length + 4);
    }

    @Test
    void redirectsAreNotFollowed() {
        receiver.redirectTo(receiver.url("/elsewhere").toString()).answer(301);

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> channel(receiver.url("/hook")).send(Samples.welcome()));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 301");
        assertThat(receiver.requests).extracting(Receiver.Request::path).containsExactly("/hook");
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<Duration> pauses = new ArrayList<>();

        Delivery.Outcome o = Delivery.deliver(channel(URI.create("http://127.0.0.1:" + port + "/hook")),
                Samples.welcome(), 2, Duration.ofMillis(1), pauses::add);

        assertThat(o.delivered()).isFalse();
        assertThat(o.retryable()).isTrue();
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(o.lastError()).contains("connect");
        assertThat(pauses).hasSize(1);
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutRetryably() {
        receiver.behave(Receiver.Behaviour.HANG);
        WebhookChannel c = new WebhookChannel(receiver.url("/hook"), SECRET, HTTP, clock, Duration.ofMillis(300));

        long start = System.nanoTime();
        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> c.send(Samples.welcome()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timed out");
        assertThat(elapsedMs).isBetween(250L, 3_000L);
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void aReceiverThatStallsAfterItsHeadersIsBoundedByTheSameTimeout() {
        receiver.behave(Receiver.Behaviour.HEADERS_THEN_HANG);
        WebhookChannel c = new WebhookChannel(receiver.url("/hook"), SECRET, HTTP, clock, Duration.ofMillis(300));

        long start = System.nanoTime();
        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> c.send(Samples.welcome()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.retryable()).isTrue();
        assertThat(elapsedMs).isBetween(250L, 3_000L);
    }

    @Test
    void refusesWhatCannotBeAWebhook() {
        Clock c = Clock.systemUTC();
        assertThatThrownBy(() -> new WebhookChannel(URI.create("ftp://example.com/x"), SECRET, HTTP, c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookChannel(URI.create("file:///etc/passwd"), SECRET, HTTP, c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookChannel(URI.create("/relative"), SECRET, HTTP, c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookChannel(URI.create("https://user:pw@example.com/"), SECRET, HTTP, c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookChannel(URI.create("https://example.com/"), "", HTTP, c))
                .isInstanceOf(IllegalArgumentException.class);
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> new WebhookChannel(URI.create("https://example.com/"), SECRET, following, c))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookChannel(URI.create("https://example.com/"), SECRET, HTTP, c, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new WebhookChannel(URI.create("HTTPS://example.com/"), SECRET, HTTP, c).kind()).isEqualTo("webhook");
    }

    @Test
    void anIdThatCannotBeAHeaderIsNotRetryable() {
        Notification n = new Notification("bad\r\nInjected: yes", "welcome", "acme", null, "c-1", null,
                Samples.CREATED, Samples.object());
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> channel(receiver.url("/hook")).send(n));
        assertThat(e.retryable()).isFalse();
        assertThat(receiver.requests).isEmpty();
    }
}
