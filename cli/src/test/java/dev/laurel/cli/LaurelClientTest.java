package dev.laurel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's retries and refusals (the SDK's Retry under the CLI) against a real HTTP server that answers as Laurel does when it is unavailable. */
class LaurelClientTest {
    HttpServer server;
    final List<Long> waits = new ArrayList<>();

    URI start(int failures, int failStatus, String retryAfter) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body;
            int status;
            if (!"Bearer k".equals(x.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "{\"error\": {\"code\": \"unauthorized\", \"message\": \"unknown key\", \"details\": {}}}".getBytes(StandardCharsets.UTF_8);
            } else if (calls.incrementAndGet() <= failures) {
                status = failStatus;
                if (retryAfter != null) {
                    x.getResponseHeaders().add("Retry-After", retryAfter);
                }
                body = "{\"error\": {\"code\": \"unavailable\", \"message\": \"try later\", \"details\": {}}}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = "{\"customers\": []}".getBytes(StandardCharsets.UTF_8);
            }
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
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

    LaurelClient client(URI uri, String key) {
        return new LaurelClient(uri, key, waits::add, 100);
    }

    /** One call of the generated SDK through the client's retries: the members listing. */
    static dev.laurel.client.model.MemberPage list(LaurelClient c) {
        return c.call(() -> c.customers.listCustomers("p", 10, null));
    }

    @Test
    void unavailableIsTriedAgainWithGrowingWaitsThatHonourRetryAfter() throws Exception {
        LaurelClient c = client(start(3, 503, "2"), "k");
        assertThat(list(c).getCustomers()).isEmpty();
        assertThat(c.retries()).isEqualTo(3);
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(2000));
    }

    @Test
    void backoffGrowsAndIsCapped() throws Exception {
        LaurelClient c = client(start(5, 429, null), "k");
        list(c);
        assertThat(waits).hasSize(5);
        assertThat(waits.get(0)).isBetween(50L, 100L);
        assertThat(waits.get(4)).isBetween(800L, 1600L);
    }

    @Test
    void givesUpAfterEveryAttemptAsUnreachable() throws Exception {
        LaurelClient c = client(start(100, 503, null), "k");
        assertThatThrownBy(() -> list(c)).isInstanceOfSatisfying(Main.Failure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(Main.UNREACHABLE);
            assertThat(f.getMessage()).contains("8 attempts", "503 unavailable: try later");
        });
        assertThat(waits).hasSize(LaurelClient.MAX_ATTEMPTS - 1);
    }

    @Test
    void aConnectionRefusedIsTriedAgainThenUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LaurelClient c = client(URI.create("http://127.0.0.1:" + port), "k");
        assertThatThrownBy(() -> list(c)).isInstanceOfSatisfying(Main.Failure.class,
                f -> assertThat(f.exitCode()).isEqualTo(Main.UNREACHABLE));
        assertThat(c.retries()).isEqualTo(LaurelClient.MAX_ATTEMPTS - 1);
    }

    @Test
    void aRefusedKeyIsNotRetried() throws Exception {
        LaurelClient c = client(start(0, 503, null), "wrong");
        assertThatThrownBy(() -> list(c)).isInstanceOfSatisfying(Main.Failure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(Main.REFUSED);
            assertThat(f.getMessage()).contains("401 unauthorized: unknown key", "--key");
        });
        assertThat(waits).isEmpty();
    }
}
