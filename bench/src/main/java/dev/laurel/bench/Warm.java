package dev.laurel.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Warm overhead (issue 5, item 6): earn, validate and redeem end to end through the real handler
 * (event bytes in, response bytes out, in this JVM, as the runtime calls it in a warm container)
 * against {@link RawOps}, the raw SDK calls the same operation needs, on the same client and the
 * same DynamoDB Local. Blocks of each side alternate so both see the same server state and noise.
 * The {@link Meter} counts round trips and adds up the consumed capacity DynamoDB Local reports;
 * a short pass then recomputes the capacity from the items' sizes by DynamoDB's published rules.
 */
public final class Warm {
    private static final int BLOCK = 50;

    private final Fixture fx;
    private final RawOps raw;
    private final Meter meter;
    private final DynamoDbClient plain;
    private final String tenant = "warm-" + UUID.randomUUID().toString().substring(0, 8);
    private final String program = "bench";
    private final List<String> earners = new ArrayList<>();
    private final List<String> spenders = new ArrayList<>();
    private long counter;

    private Warm(Path root, URI endpoint) {
        meter = new Meter();
        DynamoDbClient ddb = Ddb.client(endpoint, meter);
        plain = Ddb.client(endpoint, null);
        fx = new Fixture(root, ddb, Ddb.TABLE);
        raw = new RawOps(ddb, Ddb.TABLE);
    }

    /** One side's measurements of one operation. */
    private static final class Side {
        final List<Long> nanos = new ArrayList<>();
        final Map<String, Long> calls = new TreeMap<>();
        long attempts;
        double rcu;
        double wcu;
        long sdkNanos;
        long ops;

        void add(Meter.Snapshot before, Meter.Snapshot after, int n) {
            ops += n;
            after.calls().forEach((k, v) -> calls.merge(k, v - before.calls(k), Long::sum));
            attempts += after.attempts() - before.attempts();
            rcu += after.rcu() - before.rcu();
            wcu += after.wcu() - before.wcu();
            sdkNanos += after.sdkNanos() - before.sdkNanos();
        }

        ObjectNode json() {
            long[] v = Stats.toArray(nanos);
            ObjectNode o = Json.object().put("n", v.length)
                    .put("p50Us", Stats.percentile(v, 50) / 1000.0)
                    .put("p90Us", Stats.percentile(v, 90) / 1000.0)
                    .put("p99Us", Stats.percentile(v, 99) / 1000.0)
                    .put("attemptsPerOp", (double) attempts / ops)
                    .put("rcuPerOp", rcu / ops)
                    .put("wcuPerOp", wcu / ops)
                    .put("meanUs", java.util.Arrays.stream(v).average().orElse(Double.NaN) / 1000.0)
                    .put("sdkMeanUs", sdkNanos / 1000.0 / ops);
            ObjectNode c = o.putObject("callsPerOp");
            calls.forEach((k, x) -> {
                if (x > 0) {
                    c.put(k, (double) x / ops);
                }
            });
            return o;
        }
    }

    /** One operation; returns the nanoseconds it measured itself. */
    private interface Op {
        long run(long i);
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        boolean quick = args.flag("quick");
        Warm w = new Warm(args.path("root"), args.uri("endpoint"));
        ObjectNode out = w.run(quick ? 100 : 300, quick ? 300 : 1500, quick ? 100 : 400, quick ? 10 : 20);
        Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out.get("ops")));
    }

    private ObjectNode run(int warmup, int measured, int customers, int capacitySamples) {
        long t0 = System.nanoTime();
        fx.putProgram(tenant, program, Fixture.benchProgram(fx.root));
        // earners collect a lot per earn, so there are enough of them that none holds more than a few
        int earnerCount = Math.max(customers, 2 * (warmup + measured) / 4);
        for (int i = 0; i < earnerCount; i++) {
            earners.add("e-" + i);
            fx.seedCustomer(tenant, program, "e-" + i, 100_000);
        }
        for (int i = 0; i < customers; i++) {
            spenders.add("s-" + i);
            fx.seedCustomer(tenant, program, "s-" + i, 100_000);
        }
        System.out.printf("warm: seeded %d + %d customers in %.1f s%n", earnerCount, customers, (System.nanoTime() - t0) / 1e9);

        Map<String, Op[]> ops = new java.util.LinkedHashMap<>();
        ops.put("earn", new Op[] {this::handlerEarn, this::rawEarn});
        ops.put("validate", new Op[] {this::handlerValidate, this::rawValidate});
        ops.put("redeem", new Op[] {this::handlerRedeem, this::rawRedeem});

        ObjectNode out = Json.object();
        out.putObject("config").put("warmupPerSide", warmup).put("measuredPerSide", measured).put("block", BLOCK)
                .put("earners", earnerCount).put("spenders", customers)
                .put("jvm", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()))
                .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        ObjectNode results = out.putObject("ops");
        for (var e : ops.entrySet()) {
            Op handler = e.getValue()[0];
            Op rawOp = e.getValue()[1];
            for (int i = 0; i < warmup; i++) {
                handler.run(counter++);
                rawOp.run(counter++);
            }
            Side h = new Side();
            Side r = new Side();
            int rounds = (measured + BLOCK - 1) / BLOCK;
            for (int round = 0; round < rounds; round++) {
                boolean handlerFirst = round % 2 == 0;
                block(handlerFirst ? handler : rawOp, handlerFirst ? h : r);
                block(handlerFirst ? rawOp : handler, handlerFirst ? r : h);
            }
            ObjectNode o = results.putObject(e.getKey());
            ObjectNode hj = h.json();
            ObjectNode rj = r.json();
            o.set("handler", hj);
            o.set("raw", rj);
            o.put("ratioP50", hj.get("p50Us").asDouble() / rj.get("p50Us").asDouble());
            o.put("ratioP99", hj.get("p99Us").asDouble() / rj.get("p99Us").asDouble());
            o.set("capacityCheck", capacityCheck(handler, capacitySamples));
            System.out.printf("warm %-8s handler p50 %.0f us p99 %.0f us | raw p50 %.0f us p99 %.0f us | ratio p50 %.2f%n",
                    e.getKey(), hj.get("p50Us").asDouble(), hj.get("p99Us").asDouble(), rj.get("p50Us").asDouble(),
                    rj.get("p99Us").asDouble(), o.get("ratioP50").asDouble());
        }
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    private void block(Op op, Side side) {
        Meter.Snapshot before = meter.snapshot();
        for (int i = 0; i < BLOCK; i++) {
            side.nanos.add(op.run(counter++));
        }
        side.add(before, meter.snapshot(), BLOCK);
    }

    // ---------------------------------------------------------------- the operations

    /** The handler is timed from event bytes to response bytes; building the event and checking the answer are not. */
    private static long timedHandler(RequestStreamHandler h, byte[] event, int expected, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        long start = System.nanoTime();
        try {
            h.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long nanos = System.nanoTime() - start;
        Events.expect(Json.read(out.toString(java.nio.charset.StandardCharsets.UTF_8)), expected, what);
        return nanos;
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    private long handlerEarn(long i) {
        byte[] ev = fx.earnEvent(tenant, program, earners.get((int) (i % earners.size())), "o-" + tenant + "-" + i, 12_999);
        return timedHandler(fx.earn, ev, 200, "earn");
    }

    private long rawEarn(long i) {
        String c = earners.get((int) (i % earners.size()));
        return timed(() -> raw.earn(tenant, program, c, "o-" + tenant + "-" + i, 12_999));
    }

    private long handlerValidate(long i) {
        byte[] ev = fx.validateEvent(tenant, program, spenders.get((int) (i % spenders.size())), "vo-" + i);
        return timedHandler(fx.validate, ev, 200, "validate");
    }

    private long rawValidate(long i) {
        String c = spenders.get((int) (i % spenders.size()));
        return timed(() -> raw.validate(tenant, program, c, "vo-" + i, "ten-off"));
    }

    private long handlerRedeem(long i) {
        byte[] ev = fx.redeemEvent(tenant, program, spenders.get((int) (i % spenders.size())), "ten-off", "ro-" + i,
                "k-" + tenant + "-" + i);
        return timedHandler(fx.redeem, ev, 201, "redeem");
    }

    private long rawRedeem(long i) {
        String c = spenders.get((int) (i % spenders.size()));
        return timed(() -> {
            if (!raw.redeem(tenant, program, c, "ten-off", "ro-" + i, "k-" + tenant + "-" + i, 100, 1000, 5000)) {
                throw new IllegalStateException("raw redeem was cancelled");
            }
        });
    }

    // ---------------------------------------------------------------- capacity cross-check

    /**
     * Runs a few handler operations with the write requests captured, and recomputes what DynamoDB
     * would bill from the items' sizes: transactional writes 2 WCU per KiB per item (the size
     * after the write, read back), strongly consistent reads 1 RCU per 4 KiB per item (at least 1).
     */
    private ObjectNode capacityCheck(Op handler, int samples) {
        double reportedR = 0;
        double reportedW = 0;
        long expectedR = 0;
        long expectedW = 0;
        long maxItemBytes = 0;
        for (int s = 0; s < samples; s++) {
            meter.capture(true);
            Meter.Snapshot before = meter.snapshot();
            handler.run(counter++);
            Meter.Snapshot after = meter.snapshot();
            List<SdkRequest> requests = meter.captured();
            meter.capture(false);
            reportedR += after.rcu() - before.rcu();
            reportedW += after.wcu() - before.wcu();
            for (SdkRequest r : requests) {
                if (r instanceof GetItemRequest g) {
                    long size = size(g.key());
                    expectedR += ItemSize.consistentRcu(size);
                } else if (r instanceof BatchGetItemRequest b) {
                    for (var kv : b.requestItems().values()) {
                        for (var k : kv.keys()) {
                            expectedR += ItemSize.consistentRcu(size(k));
                        }
                    }
                } else if (r instanceof TransactWriteItemsRequest t) {
                    for (TransactWriteItem item : t.transactItems()) {
                        long size;
                        if (item.put() != null) {
                            size = ItemSize.of(item.put().item());
                        } else if (item.update() != null) {
                            size = size(item.update().key());
                        } else if (item.delete() != null) {
                            size = size(item.delete().key());
                        } else {
                            size = size(item.conditionCheck().key());
                        }
                        maxItemBytes = Math.max(maxItemBytes, size);
                        expectedW += ItemSize.transactionalWcu(size);
                    }
                }
            }
        }
        return Json.object().put("samples", samples)
                .put("reportedRcuPerOp", reportedR / samples).put("expectedRcuPerOp", (double) expectedR / samples)
                .put("reportedWcuPerOp", reportedW / samples).put("expectedWcuPerOp", (double) expectedW / samples)
                .put("largestItemBytes", maxItemBytes);
    }

    /** The current size of the item at {@code key} (0 when there is none), read without the meter. */
    private long size(Map<String, AttributeValue> key) {
        var r = plain.getItem(b -> b.tableName(Ddb.TABLE).key(key).consistentRead(true));
        return r.hasItem() ? ItemSize.of(r.item()) : 0;
    }
}
