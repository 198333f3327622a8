package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.notify.Signature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ./laurel local with outbound webhooks: the runner gives the table's stream to both of the
 * template's readers (reports and webhooks), a drain waits for both, a webhook on a loopback
 * receiver over plain http gets the events signed, and the deliveries schedule runs on its clock.
 */
class WebhooksLocalTest {
    static final String SECRET = "whsec-local-0123456789";
    static LocalServer server;
    static Http http;
    static HttpServer receiver;
    static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAILURES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            boolean valid = Signature.verify(SECRET, ex.getRequestHeaders().getFirst(Signature.HEADER), body,
                    System.currentTimeMillis() / 1000, 300);
            int status = !valid ? 400 : FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            if (status == 200) {
                RECEIVED.add(Http.JSON.readTree(body));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theStreamFeedsReportsAndWebhooksAndTheDeliveriesScheduleRetries() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        assertThat(http.admin("PUT", "/v1/programs/hooks", LocalServerTest.minimalProgram()).status()).isEqualTo(201);
        Http.Reply put = http.admin("PUT", "/v1/webhooks/crm", "{\"url\": \"" + url + "\", \"secret\": \"" + SECRET
                + "\", \"events\": [\"customer.joined\", \"points.earned\"], \"programs\": [\"hooks\"]}");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        FAILURES.set(1); // the first request fails: its delivery waits for the schedule
        assertThat(http.shop("POST", "/v1/programs/hooks/earn", LocalServerTest.earn("c-1", "o-1", 10000)).status()).isEqualTo(200);
        Http.Reply drain = http.send("POST", "/local/streams/drain", null, null, java.util.Map.of());
        assertThat(drain.status()).as(drain.toString()).isEqualTo(200);
        assertThat(RECEIVED).hasSize(1);
        String today = java.time.LocalDate.now(server.clock().withZone(java.time.ZoneId.of("Europe/Berlin"))).toString();
        JsonNode report = http.admin("GET", "/v1/programs/hooks/reports/summary?from=" + today + "&to=" + today, null).json();
        assertThat(report.path("totals").path("pointsIssued").asLong()).as("the reports reader was fed too").isEqualTo(100);
        JsonNode failed = http.admin("GET", "/v1/webhooks/crm/deliveries?status=failed", null).json();
        assertThat(failed.path("deliveries")).hasSize(1);
        server.clock().set(server.clock().instant().plusSeconds(120));
        Http.Reply run = http.send("POST", "/local/schedules/deliveries/run", null, null, java.util.Map.of());
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(RECEIVED).extracting(e -> e.path("type").asText()).containsExactlyInAnyOrder("customer.joined", "points.earned");
        assertThat(http.admin("GET", "/v1/webhooks/crm/deliveries?status=failed", null).json().path("deliveries")).isEmpty();
        server.clock().reset();
    }
}
