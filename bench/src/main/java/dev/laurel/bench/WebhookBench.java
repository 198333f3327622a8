package dev.laurel.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.api.WebhookSetup;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.webhooks.WebhookStreamHandler;
import dev.laurel.functions.webhooks.WebhooksHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.TemplateTables;
import dev.laurel.store.dynamodb.DynamoStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Outbound webhooks (issue 10): 600 earns by 200 members (their joins, their welcome points, the
 * earns: 1,000 events) through the real earn handler on a table with the template's stream, one
 * webhook subscribed to {@code customer.joined} and {@code points.earned} at a real HTTP receiver on
 * loopback (answering 200), the stream given to the real webhooks stream function in batches of
 * 100 (Lambda's event); then the same batches again (a full re-delivery: every delivery's
 * conditional put refused, nothing sent). Reported: deliveries per second, writes and write units
 * per delivery (ReturnConsumedCapacity), re-delivery records per second.
 */
public final class WebhookBench {
    private WebhookBench() {
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        int members = args.flag("quick") ? 50 : 200;
        int earns = members * 3;
        URI endpoint = args.uri("endpoint");
        DynamoDbClient plain = Ddb.client(endpoint, null);
        String table = "bench-webhooks-" + UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.ensureMain(plain, Path.of("template.yaml"), table, true);
        LocalClock clock = LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z"));
        Laurel shop = new Laurel(new DynamoStore(plain, table), clock, ProgramCache.DEFAULT_RECHECK);
        Events events = new Events(args.path("root"));
        String tenant = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode program = Fixture.benchProgram(args.path("root"));
        Events.expect(Events.invoke(new ProgramsHandler(shop), events.event(Fixture.PROGRAM_ROUTE, Map.of("programId", "acme"), Map.of(),
                Json.write(program), tenant, "admin")), 201, "PUT program");

        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/hook", x -> {
            x.getRequestBody().readAllBytes();
            received.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Events.expect(Events.invoke(new WebhooksHandler(shop, WebhookSetup.local()), events.event("PUT /v1/webhooks/{webhookId}",
                    Map.of("webhookId", "crm"), Map.of(), "{\"url\": \"" + url + "\", \"secret\": \"whsec-bench-0123456789abcdef\", "
                            + "\"events\": [\"customer.joined\", \"points.earned\"]}", tenant, "admin")), 201, "PUT webhook");
            EarnHandler earn = new EarnHandler(shop);
            Fixture shape = new Fixture(args.path("root"), plain, table);
            for (int i = 0; i < earns; i++) {
                Events.expect(Events.invoke(earn, shape.earnEvent(tenant, "acme", "c-" + (i % members), "o-" + i, 1000 + i)), 200, "earn");
            }
            List<Record> records = StreamBench.read(endpoint, plain.describeTable(b -> b.tableName(table)).table().latestStreamArn());
            Meter meter = new Meter();
            Laurel consumer = new Laurel(new DynamoStore(Ddb.client(endpoint, meter), table), clock, ProgramCache.DEFAULT_RECHECK);
            WebhookStreamHandler fn = new WebhookStreamHandler(consumer, WebhookSetup.local());
            List<byte[]> batches = StreamBench.batches(records);
            long t0 = System.nanoTime();
            StreamBench.deliver(fn, batches);
            double first = (System.nanoTime() - t0) / 1e9;
            Meter.Snapshot m = meter.snapshot();
            int deliveries = received.get();
            long t1 = System.nanoTime();
            StreamBench.deliver(fn, batches);
            double again = (System.nanoTime() - t1) / 1e9;
            if (received.get() != deliveries) {
                throw new IllegalStateException("a re-delivered stream sent " + (received.get() - deliveries) + " events again");
            }
            long writes = m.calls("PutItem") + m.calls("UpdateItem");
            ObjectNode out = Json.object().put("records", records.size()).put("batches", batches.size()).put("deliveries", deliveries)
                    .put("seconds", first).put("deliveriesPerSecond", deliveries / first).put("msPerBatch", first * 1000 / batches.size())
                    .put("writes", writes).put("writesPerDelivery", (double) writes / deliveries).put("wcu", m.wcu())
                    .put("wcuPerDelivery", m.wcu() / deliveries).put("againSeconds", again).put("againRecordsPerSecond", records.size() / again);
            Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            System.out.printf("webhooks: %d deliveries from %d records: %.0f deliveries/s (%.0f ms/batch), %.2f writes and %.2f WCU per delivery; "
                            + "re-delivered %.0f records/s, nothing sent%n", deliveries, records.size(), deliveries / first,
                    first * 1000 / batches.size(), (double) writes / deliveries, m.wcu() / deliveries, records.size() / again);
        } finally {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
            plain.deleteTable(b -> b.tableName(table));
        }
    }
}
