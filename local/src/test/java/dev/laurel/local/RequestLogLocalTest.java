package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ./laurel local prints the functions' log lines (docs/operations.md) as Lambda would: one per
 * request, with the runner's API Gateway request id, and each request served at once on the
 * runner's threads counts its own DynamoDB calls and capacity. No customer id reaches the output.
 */
class RequestLogLocalTest {
    static LocalServer server;
    static Http http;
    static final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    static PrintStream console;

    @BeforeAll
    static void start() throws Exception {
        console = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                synchronized (printed) {
                    printed.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.setOut(console);
    }

    private static Map<String, JsonNode> requestLines() {
        String text;
        synchronized (printed) {
            text = printed.toString(StandardCharsets.UTF_8);
        }
        Map<String, JsonNode> byId = new HashMap<>();
        for (String l : text.split("\n")) {
            if (l.startsWith("{\"_aws\"")) {
                JsonNode n = Json.read(l);
                if (n.path("kind").asText().equals("request")) {
                    assertThat(byId.put(n.path("requestId").asText(), n)).as("one line per request id").isNull();
                }
            }
        }
        return byId;
    }

    @Test
    void concurrentRequestsEachLogTheirOwnLine() throws Exception {
        String program = """
                {"name": "Logs", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "rewards": [{"id": "mug", "type": "product", "cost": 500}]}""";
        assertThat(http.admin("PUT", "/v1/programs/logs", program).status()).isEqualTo(201);
        String prefix = "who-" + UUID.randomUUID();
        Http.Reply warm = http.shop("POST", "/v1/programs/logs/earn", LocalServerTest.earn(prefix + "-warm", "o-warm", 1000));
        assertThat(warm.status()).as(warm.toString()).isEqualTo(200);
        JsonNode first = requestLines().get(warm.headers().get("apigw-requestid"));
        assertThat(first).as("the line of request " + warm.headers().get("apigw-requestid")).isNotNull();
        long calls = first.path("DynamoDBCalls").asLong();
        double wcu = first.path("ConsumedWCU").asDouble();
        assertThat(calls).isPositive();
        assertThat(wcu).isPositive();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Http.Reply> replies = new ArrayList<>();
        try {
            List<Future<Http.Reply>> running = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String customer = prefix + "-" + i;
                running.add(pool.submit((Callable<Http.Reply>) () ->
                        http.shop("POST", "/v1/programs/logs/earn", LocalServerTest.earn(customer, "o-" + customer, 1000))));
            }
            for (Future<Http.Reply> f : running) {
                replies.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, JsonNode> lines = requestLines();
        for (Http.Reply r : replies) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode line = lines.get(r.headers().get("apigw-requestid"));
            assertThat(line).isNotNull();
            assertThat(line.path("operation").asText()).isEqualTo("POST /v1/programs/{programId}/earn");
            assertThat(line.path("tenant").asText()).isEqualTo(LocalServer.TENANT);
            assertThat(line.path("program").asText()).isEqualTo("logs");
            // the profile's read and the earn's transaction; the program's (cached) version re-check may add one.
            // Were the count shared between requests, 24 requests at once would each see far more.
            assertThat(line.path("DynamoDBCalls").asLong()).as(line.toString()).isBetween(2L, calls);
            assertThat(line.path("ConsumedWCU").asDouble()).as(line.toString()).isEqualTo(wcu);
            assertThat(line.path("PointsEarned").asLong()).isEqualTo(10);
        }
        String everything;
        synchronized (printed) {
            everything = printed.toString(StandardCharsets.UTF_8);
        }
        assertThat(everything).doesNotContain(prefix);
    }
}
