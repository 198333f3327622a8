package dev.laurel.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.laurel.client.api.ProgramsApi;
import dev.laurel.client.api.RedemptionsApi;
import dev.laurel.client.model.Order;
import dev.laurel.client.model.RedeemRequest;
import dev.laurel.client.model.Redemption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's retries over the generated client, against a real HTTP server that answers as Laurel does when it is
 * unavailable or rate limited: one Idempotency-Key for every attempt, Retry-After honoured, a bounded number of
 * attempts, and one exception type for Laurel's error shape and API Gateway's 401 alike.
 */
class RetryTest {
    static final String REDEMPTION = """
            {"redemptionId": "r-1", "rewardId": "ten-off", "pointsSpent": 100, "discountMinor": 1000, "code": "ABCD-2345",
             "balance": {"available": 54, "pending": 0, "lifetimeEarned": 154, "owed": 0}}""";
    HttpServer server;
    final List<String> keys = new CopyOnWriteArrayList<>();
    final List<Long> waits = new ArrayList<>();

    /** A server whose first {@code failures} answers are {@code status} (with {@code retryAfter}, when not null). */
    URI start(int failures, int status, String retryAfter) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            keys.add(String.valueOf(x.getRequestHeaders().getFirst("Idempotency-Key")));
            String auth = x.getRequestHeaders().getFirst("Authorization");
            int s;
            String body;
            if (auth == null) {
                s = 401;
                body = "{\"message\":\"Unauthorized\"}";
            } else if (!auth.equals("Bearer k")) {
                s = 401;
                body = "{\"error\": {\"code\": \"unauthorized\", \"message\": \"unknown key\", \"details\": {}}}";
            } else if (calls.incrementAndGet() <= failures) {
                s = status;
                if (retryAfter != null) {
                    x.getResponseHeaders().add("Retry-After", retryAfter);
                }
                body = "{\"error\": {\"code\": \"" + (status == 429 ? "rate_limited" : "unavailable") + "\", \"message\": \"try later\", \"details\": {}}}";
            } else {
                s = 201;
                body = REDEMPTION;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(s, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    Retry retry(int attempts) {
        return new Retry(attempts, 100, waits::add);
    }

    static RedeemRequest redeem() {
        return new RedeemRequest().customerId("ada").rewardId("ten-off").order(new Order().id("basket-1").totalMinor(5000L).currency("EUR"));
    }

    @Test
    void aRedemptionIsRetriedWithOneIdempotencyKeyHonouringRetryAfter() throws Exception {
        RedemptionsApi api = new RedemptionsApi(Laurel.client(start(3, 503, "2"), "k"));
        Retry retry = retry(5);
        Redemption r = retry.idempotent(key -> api.redeem(key, "walkthrough", redeem()));
        assertThat(r.getPointsSpent()).isEqualTo(100L);
        assertThat(r.getBalance().getAvailable()).isEqualTo(54L);
        assertThat(keys).hasSize(4).containsOnly(keys.get(0));
        assertThat(keys.get(0)).matches("[0-9a-f-]{36}");
        assertThat(retry.retries()).isEqualTo(3);
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(2000));
    }

    @Test
    void aKeptKeyIsSentAgainAndBackoffGrowsCapped() throws Exception {
        RedemptionsApi api = new RedemptionsApi(Laurel.client(start(5, 429, null), "k"));
        retry(8).idempotent("redeem-order-1002", key -> api.redeem(key, "walkthrough", redeem()));
        assertThat(keys).hasSize(6).containsOnly("redeem-order-1002");
        assertThat(waits).hasSize(5);
        assertThat(waits.get(0)).isBetween(50L, 100L);
        assertThat(waits.get(4)).isBetween(800L, 1600L);
    }

    @Test
    void givesUpAfterEveryAttemptAsUnreachable() throws Exception {
        RedemptionsApi api = new RedemptionsApi(Laurel.client(start(100, 503, "1"), "k"));
        assertThatThrownBy(() -> retry(3).idempotent(key -> api.redeem(key, "walkthrough", redeem())))
                .isInstanceOfSatisfying(LaurelException.class, e -> {
                    assertThat(e.unreachable()).isTrue();
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("unavailable");
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.describe()).isEqualTo("503 unavailable: try later");
                });
        assertThat(keys).hasSize(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aConnectionRefusedIsTriedAgainThenUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProgramsApi api = new ProgramsApi(Laurel.client(URI.create("http://127.0.0.1:" + port), "k"));
        Retry retry = retry(4);
        assertThatThrownBy(() -> retry.call(() -> api.getProgram("p"))).isInstanceOfSatisfying(LaurelException.class, e -> {
            assertThat(e.unreachable()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.describe()).contains("ConnectException");
        });
        assertThat(retry.retries()).isEqualTo(3);
    }

    @Test
    void laurelsRefusalAndTheGatewaysAreOneTypeAndNotRetried() throws Exception {
        URI uri = start(0, 503, null);
        RedemptionsApi wrongKey = new RedemptionsApi(Laurel.client(uri, "wrong"));
        assertThatThrownBy(() -> retry(5).idempotent(key -> wrongKey.redeem(key, "p", redeem())))
                .isInstanceOfSatisfying(LaurelException.class, e -> {
                    assertThat(e.unreachable()).isFalse();
                    assertThat(e.describe()).isEqualTo("401 unauthorized: unknown key");
                });
        // no Authorization header at all: API Gateway's own body, the same code
        ProgramsApi none = new ProgramsApi(new dev.laurel.client.invoker.ApiClient(java.net.http.HttpClient.newBuilder(),
                dev.laurel.client.invoker.ApiClient.createDefaultObjectMapper(), uri.toString()));
        assertThatThrownBy(() -> retry(5).call(() -> none.getProgram("p"))).isInstanceOfSatisfying(LaurelException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("unauthorized");
            assertThat(e.getMessage()).isEqualTo("Unauthorized");
        });
        assertThat(waits).isEmpty();
        assertThat(keys).hasSize(2);
    }
}
