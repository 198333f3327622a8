package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A contended budget (issue 5, item 8): many threads redeeming one reward through the real redeem
 * handler, each thread as its own customer, so that the only item they share is the reward's
 * budget (and each redemption's transaction charges it, conditionally). Reported: successes per
 * second, the answers that were not successes, transaction conflicts, latency of the successes,
 * and whether the budget's counter equals the successes. For comparison: one thread (no
 * contention), every thread on a reward of its own (no shared budget: what splitting a budget into
 * sub-budgets could at best approach), and the raw SDK transaction on the one budget. Last, a
 * small budget is drained by all threads at once: exactly its limit must succeed.
 */
public final class Contention {
    private final Fixture fx;
    private final RawOps raw;
    private final Meter meter;
    private final DynamoDbClient plain;
    private final String tenant = "hot-" + UUID.randomUUID().toString().substring(0, 8);
    private final String program = "hot";
    private final AtomicLong ids = new AtomicLong();

    private Contention(java.nio.file.Path root, URI endpoint) {
        meter = new Meter();
        DynamoDbClient ddb = Ddb.client(endpoint, meter);
        plain = Ddb.client(endpoint, null);
        fx = new Fixture(root, ddb, Ddb.TABLE);
        raw = new RawOps(ddb, Ddb.TABLE);
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        boolean quick = args.flag("quick");
        Contention c = new Contention(args.path("root"), args.uri("endpoint"));
        ObjectNode out = c.run(args.integer("threads", 64), args.integer("seconds", quick ? 4 : 12), quick ? 100 : 300);
        Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private interface Attempt {
        /** One redemption attempt by thread {@code t}; returns its HTTP status (201 success). */
        int run(int t, long n);
    }

    private ObjectNode run(int threads, int seconds, int scarce) throws Exception {
        long t0 = System.nanoTime();
        ObjectNode def = Fixture.benchProgram(fx.root);
        ArrayNode rewards = (ArrayNode) def.get("rewards");
        ObjectNode hot = (ObjectNode) rewards.get(0);
        for (int i = 0; i < threads; i++) {
            rewards.add(hot.deepCopy().put("id", "own-" + i));
        }
        ObjectNode sc = hot.deepCopy().put("id", "scarce");
        ((ObjectNode) sc.get("limits")).put("totalRedemptions", scarce);
        rewards.add(sc);
        fx.putProgram(tenant, program, def);

        ObjectNode out = Json.object().put("threads", threads).put("seconds", seconds)
                .put("availableProcessors", Runtime.getRuntime().availableProcessors());
        ObjectNode phases = out.putObject("phases");
        long hotSuccesses = 0;
        phase("warmup", 8, 3, (t, n) -> handler(t, n, "ten-off", "w"), "w");
        hotSuccesses += successesOf(lastPhase);
        ObjectNode single = phase("1 thread, one reward", 1, seconds, (t, n) -> handler(t, n, "ten-off", "a"), "a");
        hotSuccesses += successesOf(lastPhase);
        phases.set("single", single);
        ObjectNode many = phase(threads + " threads, one reward", threads, seconds, (t, n) -> handler(t, n, "ten-off", "b"), "b");
        hotSuccesses += successesOf(lastPhase);
        phases.set("hot", many);
        ObjectNode own = phase(threads + " threads, a reward each", threads, seconds,
                (t, n) -> handler(t, n, "own-" + t, "c"), "c");
        phases.set("ownReward", own);
        ObjectNode rawHot = phase(threads + " threads, raw SDK, one budget", threads, seconds, (t, n) -> {
            String c = "d-" + t;
            return raw.redeem(tenant, program, c, "ten-off", "ro-" + tenant + "-" + n, "rk-" + tenant + "-" + n, 100, 1000, 5000)
                    ? 201 : 409;
        }, "d");
        hotSuccesses += successesOf(lastPhase);
        phases.set("rawHot", rawHot);
        long counted = budgetRedemptions("ten-off");
        out.put("hotBudgetCounter", counted).put("hotSuccesses", hotSuccesses).put("budgetMatches", counted == hotSuccesses);

        ObjectNode drain = phase(threads + " threads draining a budget of " + scarce, threads, 120,
                (t, n) -> handler(t, n, "scarce", "e"), "e", scarce);
        long scarceCounted = budgetRedemptions("scarce");
        drain.put("limit", scarce).put("budgetCounter", scarceCounted)
                .put("exact", successesOf(lastPhase) == scarce && scarceCounted == scarce);
        phases.set("drain", drain);
        out.put("totalS", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    private Map<Integer, Long> lastPhase = Map.of();

    private static long successesOf(Map<Integer, Long> statuses) {
        return statuses.getOrDefault(201, 0L);
    }

    private long budgetRedemptions(String rewardId) {
        var r = plain.getItem(b -> b.tableName(Ddb.TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(RawOps.programPk(tenant, program)),
                "sk", AttributeValue.fromS("BUDGET#reward#" + rewardId))));
        return r.hasItem() && r.item().containsKey("redemptions") ? Long.parseLong(r.item().get("redemptions").n()) : 0;
    }

    private int handler(int t, long n, String rewardId, String group) {
        byte[] ev = fx.redeemEvent(tenant, program, group + "-" + t, rewardId, "o-" + tenant + "-" + n,
                "k-" + tenant + "-" + n);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            fx.redeem.handleRequest(new ByteArrayInputStream(ev), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode r = Json.read(out.toString(StandardCharsets.UTF_8));
        int status = r.path("statusCode").asInt();
        if (status != 201) {
            String code = Json.read(r.path("body").asText()).path("error").path("code").asText();
            codes.computeIfAbsent(status + " " + code, k -> new LongAdder()).increment();
        }
        return status;
    }

    private final ConcurrentHashMap<String, LongAdder> codes = new ConcurrentHashMap<>();

    private ObjectNode phase(String name, int threads, int seconds, Attempt attempt, String group) throws Exception {
        return phase(name, threads, seconds, attempt, group, -1);
    }

    /**
     * Runs {@code threads} threads for {@code seconds} (or, with {@code untilRefused}, until every
     * thread has been refused once after the successes reached that many).
     */
    private ObjectNode phase(String name, int threads, int seconds, Attempt attempt, String group, long untilSuccesses)
            throws Exception {
        for (int t = 0; t < threads; t++) {
            fx.seedCustomer(tenant, program, group + "-" + t, 1_000_000);
        }
        codes.clear();
        meter.reset();
        ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<List<Long>> latencies = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            latencies.add(new ArrayList<>());
        }
        LongAdder successes = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tid = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                int refusedAfterLimit = 0;
                while (System.nanoTime() < end) {
                    long n = ids.incrementAndGet();
                    long s = System.nanoTime();
                    int status = attempt.run(tid, n);
                    long d = System.nanoTime() - s;
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                    if (status == 201) {
                        successes.increment();
                        latencies.get(tid).add(d);
                    } else if (untilSuccesses >= 0 && successes.sum() >= untilSuccesses && ++refusedAfterLimit >= 3) {
                        break;
                    }
                }
            }, "redeemer-" + t);
            w.start();
            workers.add(w);
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds * 1_000_000_000L;
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        Map<Integer, Long> st = new TreeMap<>();
        statuses.forEach((k, v) -> st.put(k, v.sum()));
        lastPhase = st;
        long[] lat = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        Meter.Snapshot m = meter.snapshot();
        long ok = st.getOrDefault(201, 0L);
        long all = st.values().stream().mapToLong(Long::longValue).sum();
        ObjectNode o = Json.object().put("name", name).put("threads", threads).put("elapsedS", elapsed)
                .put("attempts", all).put("successes", ok).put("successesPerS", ok / elapsed)
                .put("p50Ms", Stats.percentile(lat, 50) / 1e6).put("p99Ms", Stats.percentile(lat, 99) / 1e6)
                .put("transactions", m.calls("TransactWriteItems"));
        ObjectNode so = o.putObject("statuses");
        st.forEach((k, v) -> so.put(Integer.toString(k), v));
        ObjectNode co = o.putObject("refusals");
        codes.forEach((k, v) -> co.put(k, v.sum()));
        ObjectNode fo = o.putObject("sdkFailures");
        m.failures().forEach(fo::put);
        System.out.printf("contention %-40s %6.1f successes/s  (%d of %d attempts in %.1f s; p50 %.1f ms p99 %.1f ms) %s %s%n",
                name, ok / elapsed, ok, all, elapsed, o.get("p50Ms").asDouble(), o.get("p99Ms").asDouble(), co, fo);
        return o;
    }
}
