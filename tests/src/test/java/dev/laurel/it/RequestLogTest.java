package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.api.RequestLog;
import dev.laurel.api.Scheduled;
import dev.laurel.app.Laurel;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.expire.ExpireHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The one log line per request, scheduled batch and stream batch (docs/operations.md), read from
 * what the real handlers print on standard output while they serve the sample events of events/
 * against DynamoDB Local: every field, the Embedded Metric Format block checked against the
 * specification's rules, DynamoDB round trips and consumed capacity, and no customer id or e-mail
 * anywhere in what they print (standard output and error).
 */
class RequestLogTest {
    /** CloudWatch's units (the EMF specification refers to MetricDatum's Unit). */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
            "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    private final String tenant = "log-" + UUID.randomUUID().toString().substring(0, 8);
    private final String customerId = "cust-" + UUID.randomUUID();
    private final String email = "someone." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    private final Laurel loyalty = new Laurel(new DynamoStore(LocalDynamo.get().client(), LocalDynamo.TABLE), LocalClock.frozenAt(NOW),
            Duration.ofSeconds(5));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void capture() {
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, printed), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    void eachRequestLogsOneLineWithItsFiguresAndMetricsAndNoPersonalData() {
        JsonNode put = run(new ProgramsHandler(loyalty), "programs-put.json");
        assertThat(put.path("statusCode").asInt()).isEqualTo(201);
        JsonNode line = onlyLine();
        assertThat(line.path("operation").asText()).isEqualTo("PUT /v1/programs/{programId}");
        assertThat(line.path("ConsumedWCU").asDouble()).as(line.toString()).isGreaterThan(0);

        run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-put.json");
        JsonNode upsert = onlyLine();
        assertThat(upsert.path("status").asInt()).as(upsert.toString()).isEqualTo(201);
        assertThat(upsert.path("customer").asText()).isEqualTo(RequestLog.pseudonym(tenant, customerId)).matches("[0-9a-f]{16}");

        JsonNode earnEvent = event("earn.json");
        JsonNode earn = Api.invoke(new EarnHandler(loyalty), earnEvent);
        assertThat(earn.path("statusCode").asInt()).as(earn.toString()).isEqualTo(200);
        JsonNode e = onlyLine();
        assertThat(e.path("kind").asText()).isEqualTo("request");
        assertThat(e.path("level").asText()).isEqualTo("INFO");
        assertThat(e.path("requestId").asText()).isEqualTo(earnEvent.at("/requestContext/requestId").asText()).isNotEmpty();
        assertThat(e.path("tenant").asText()).isEqualTo(tenant);
        assertThat(e.path("program").asText()).isEqualTo("acme");
        assertThat(e.path("operation").asText()).isEqualTo("POST /v1/programs/{programId}/earn");
        assertThat(e.path("status").asInt()).isEqualTo(200);
        assertThat(e.path("outcome").asText()).isEqualTo("2xx");
        assertThat(e.has("error")).isFalse();
        assertThat(e.path("Latency").isIntegralNumber()).isTrue();
        assertThat(e.path("Latency").asLong()).isBetween(0L, 60_000L);
        assertThat(e.path("Requests").asInt()).isEqualTo(1);
        assertThat(e.path("Errors").asInt()).isZero();
        assertThat(e.path("Faults").asInt()).isZero();
        assertThat(e.path("DynamoDBCalls").asLong()).as("a read and the transaction at least").isGreaterThanOrEqualTo(2);
        assertThat(e.path("ConsumedWCU").asDouble()).as("the earn's transaction").isGreaterThan(0);
        assertThat(e.path("ConsumedRCU").asDouble()).as("the profile's read").isGreaterThan(0);
        assertThat(e.path("PointsEarned").asLong()).isEqualTo(129);
        assertThat(metricNames(e)).contains("Latency", "Requests", "Errors", "Faults", "DynamoDBCalls", "ConsumedRCU", "ConsumedWCU",
                "PointsEarned");

        JsonNode redeem = run(new RedeemHandler(loyalty), "redeem.json");
        assertThat(redeem.path("statusCode").asInt()).as(redeem.toString()).isEqualTo(201);
        JsonNode r = onlyLine();
        assertThat(r.path("PointsRedeemed").asLong()).isEqualTo(100);
        assertThat(r.path("ConsumedWCU").asDouble()).isGreaterThan(0);

        assertNoPersonalData();
    }

    @Test
    void aBadRequestLogsItsStatusAndErrorCode() {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        onlyLine();
        ObjectNode bad = (ObjectNode) event("earn.json");
        bad.put("body", "{\"customerId\": \"" + customerId + "\", \"event\": 7}");
        JsonNode answer = Api.invoke(new EarnHandler(loyalty), bad);
        assertThat(answer.path("statusCode").asInt()).isEqualTo(400);
        JsonNode line = onlyLine();
        assertThat(line.path("status").asInt()).isEqualTo(400);
        assertThat(line.path("outcome").asText()).isEqualTo("4xx");
        assertThat(line.path("error").asText()).isEqualTo("invalid_request");
        assertThat(line.path("Errors").asInt()).isEqualTo(1);
        assertThat(line.path("Faults").asInt()).isZero();
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertNoPersonalData();
    }

    /** A store that cannot reach DynamoDB (503 unavailable) and one that fails otherwise (500): both log as faults. */
    @Test
    void aFailingStoreLogsTheFault() {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        onlyLine();
        for (boolean outage : new boolean[] {true, false}) {
            ExecutionInterceptor failing = new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    throw outage ? SdkClientException.create("injected", new IOException("connection refused"))
                            : new IllegalStateException("injected failure");
                }
            };
            Laurel broken = new Laurel(new DynamoStore(LocalDynamo.client(LocalDynamo.get().endpoint(), failing), LocalDynamo.TABLE),
                    LocalClock.frozenAt(NOW), Duration.ofSeconds(5));
            JsonNode answer = Api.invoke(new EarnHandler(broken), event("earn.json"));
            int status = answer.path("statusCode").asInt();
            assertThat(status).as(answer.toString()).isEqualTo(outage ? 503 : 500);
            JsonNode line = onlyLine();
            assertThat(line.path("status").asInt()).isEqualTo(status);
            assertThat(line.path("outcome").asText()).isEqualTo("5xx");
            assertThat(line.path("error").asText()).isEqualTo(outage ? "unavailable" : "internal");
            assertThat(line.path("Faults").asInt()).isEqualTo(1);
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("DynamoDBCalls").asLong()).as("the failed call counts as a round trip").isGreaterThanOrEqualTo(1);
            assertThat(line.path("ConsumedRCU").asDouble() + line.path("ConsumedWCU").asDouble()).isZero();
        }
        assertNoPersonalData();
    }

    /** Requests served at once on several threads (as the local runner serves them) each count their own calls. */
    @Test
    void concurrentRequestsCountTheirOwnRoundTrips() throws Exception {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-put.json");
        CustomersHandler customers = new CustomersHandler(loyalty, Api.randomKeys("k1"));
        run(customers, "customers-get.json");
        lines();
        printed.reset();
        run(customers, "customers-get.json");
        long alone = onlyLine().path("DynamoDBCalls").asLong();
        assertThat(alone).isPositive();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> running = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                running.add(pool.submit((Callable<JsonNode>) () -> run(customers, "customers-get.json")));
            }
            for (Future<JsonNode> f : running) {
                assertThat(f.get().path("statusCode").asInt()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(32);
        assertThat(lines).allSatisfy(l -> assertThat(l.path("DynamoDBCalls").asLong()).as(l.toString()).isEqualTo(alone));
    }

    @Test
    void aScheduledRunAndAStreamBatchLogOneLineEach() throws Exception {
        DynamoStore fresh = new DynamoStore(LocalDynamo.get().client(), LocalDynamo.freshTable());
        Laurel jobs = Api.jobs(fresh, LocalClock.frozenAt(NOW));
        JsonNode expireEvent = Api.event("expire.json");
        Api.invoke(new ExpireHandler(jobs, Scheduled.Continuation.NONE), expireEvent);
        JsonNode run = onlyLine();
        assertThat(run.path("kind").asText()).isEqualTo("schedule");
        assertThat(run.path("operation").asText()).isEqualTo("schedule expiry");
        assertThat(run.path("requestId").asText()).as("the scheduler's execution id without a Lambda context")
                .isEqualTo(expireEvent.path("executionId").asText());
        assertThat(run.path("status").asInt()).isEqualTo(200);
        assertThat(run.path("run").path("job").asText()).isEqualTo("expiry");
        assertThat(run.path("DynamoDBCalls").asLong()).as("a Query of each due shard, on the shards' threads").isGreaterThanOrEqualTo(16);
        // DynamoDB Local reports 0 units for a Query of an empty index partition (AWS bills 0.5 at least)
        assertThat(run.path("ConsumedRCU").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(run.path("run").path("readUnits").asDouble()).isEqualTo(run.path("ConsumedRCU").asDouble());

        String text = java.nio.file.Files.readString(LocalDynamo.root().resolve("events").resolve("stream.json"))
                .replace("T#local#", "T#" + tenant + "#").replace("c-1", customerId);
        new StreamHandler(loyalty).handleRequest(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null);
        JsonNode batch = onlyLine();
        assertThat(batch.path("kind").asText()).isEqualTo("stream");
        assertThat(batch.path("operation").asText()).isEqualTo("stream reports");
        assertThat(batch.path("requestId").asText()).isEqualTo(Json.read(text).at("/Records/0/eventID").asText());
        assertThat(batch.path("run").path("records").asInt()).isEqualTo(Json.read(text).path("Records").size());
        assertThat(batch.path("status").asInt()).isEqualTo(200);
        assertThat(batch.path("ConsumedWCU").asDouble()).as("the report counters' updates").isGreaterThan(0);
        assertNoPersonalData();
    }

    // ---------------------------------------------------------------- helpers

    /** A sample event for this test's tenant, customer and e-mail. */
    private JsonNode event(String file) {
        String text = Json.write(Api.event(file)).replace("c-1", customerId).replace("ada@example.com", email);
        ObjectNode e = (ObjectNode) Json.read(text);
        ((ObjectNode) e.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        return e;
    }

    private JsonNode run(RequestStreamHandler handler, String file) {
        return Api.invoke(handler, event(file));
    }

    /** The log lines printed since the last call, each checked as JSON and as an EMF document. */
    private List<JsonNode> lines() {
        String text;
        synchronized (printed) {
            text = printed.toString(StandardCharsets.UTF_8);
            printed.reset();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.startsWith("{\"_aws\"")) {
                JsonNode n = Json.read(l);
                assertEmf(n);
                out.add(n);
            }
        }
        all.append(text);
        return out;
    }

    private final StringBuilder all = new StringBuilder();

    private JsonNode onlyLine() {
        List<JsonNode> l = lines();
        assertThat(l).as("one log line").hasSize(1);
        return l.get(0);
    }

    private void assertNoPersonalData() {
        lines();
        String everything = all.toString();
        assertThat(everything).as("something was printed").contains("\"_aws\"");
        assertThat(everything).doesNotContain(customerId).doesNotContain(email).doesNotContain(email.substring(0, email.indexOf('@')));
    }

    private static List<String> metricNames(JsonNode line) {
        List<String> names = new ArrayList<>();
        line.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> names.add(m.path("Name").asText()));
        return names;
    }

    /** The rules of the EMF specification a document must follow for CloudWatch to extract its metrics. */
    static void assertEmf(JsonNode root) {
        JsonNode aws = root.path("_aws");
        assertThat(aws.isObject()).as("_aws is an object").isTrue();
        assertThat(aws.path("Timestamp").isIntegralNumber()).as("Timestamp: epoch milliseconds").isTrue();
        assertThat(aws.path("Timestamp").asLong()).isGreaterThan(1_600_000_000_000L);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray() && directives.size() > 0).as("CloudWatchMetrics").isTrue();
        for (JsonNode d : directives) {
            assertThat(d.path("Namespace").asText()).as("Namespace").isNotEmpty().hasSizeLessThanOrEqualTo(1024);
            assertThat(d.path("Dimensions").isArray()).isTrue();
            for (JsonNode set : d.path("Dimensions")) {
                assertThat(set.isArray()).isTrue();
                assertThat(set.size()).as("at most 30 dimensions a set").isLessThanOrEqualTo(30);
                for (JsonNode key : set) {
                    assertThat(root.path(key.asText()).isTextual()).as("dimension " + key + " is a string member of the root").isTrue();
                    assertThat(root.path(key.asText()).asText()).isNotEmpty().hasSizeLessThanOrEqualTo(1024);
                }
            }
            JsonNode metrics = d.path("Metrics");
            assertThat(metrics.isArray() && metrics.size() > 0 && metrics.size() <= 100).as("Metrics: 1 to 100").isTrue();
            for (JsonNode m : metrics) {
                String name = m.path("Name").asText();
                assertThat(name).isNotEmpty().hasSizeLessThanOrEqualTo(1024);
                assertThat(root.path(name).isNumber()).as("metric " + name + " is a number member of the root").isTrue();
                if (m.has("Unit")) {
                    assertThat(UNITS).as("unit of " + name).contains(m.path("Unit").asText());
                }
            }
        }
    }

    /** Writes to the console and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
