package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites bench/run's part of docs/BENCHMARKS.md (between {@code <!-- bench:begin -->} and
 * {@code <!-- bench:end -->}) from the result files in bench/target/results: machine and method,
 * the tables of each benchmark, and the summary {@code | metric | target | measured | met |}.
 * Everything outside the markers is left as it is.
 */
public final class Report {
    static final String BEGIN = "<!-- bench:begin (written by bench/run; edits between these markers are overwritten) -->";
    static final String END = "<!-- bench:end -->";

    private final StringBuilder md = new StringBuilder();
    final List<String[]> summary = new ArrayList<>();

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        Path results = args.path("results");
        Path doc = args.path("doc");
        Report r = new Report();
        r.write(results, args);
        String text = Files.readString(doc);
        int b = text.indexOf("<!-- bench:begin");
        int e = text.indexOf(END);
        String block = BEGIN + "\n" + r.md + END;
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + block + text.substring(e + END.length());
        } else {
            text = text.stripTrailing() + "\n\n" + block + "\n";
        }
        Files.writeString(doc, text);
        System.out.println("report: rewrote " + doc);
    }

    static String f(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    void line(String s) {
        md.append(s).append('\n');
    }

    private static JsonNode read(Path p) throws IOException {
        return Files.exists(p) ? Json.mapper().readTree(Files.readString(p)) : null;
    }

    private static String loadavg() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " / " + p[1] + " / " + p[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String mem() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> f(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0, 0) + " GiB").findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    void write(Path results, Args args) throws IOException {
        JsonNode cold = read(results.resolve("cold.json"));
        JsonNode warm = read(results.resolve("warm.json"));
        JsonNode cont = read(results.resolve("contention.json"));
        JsonNode c2 = read(results.resolve("jmh-c2.json"));
        JsonNode c1 = read(results.resolve("jmh-c1.json"));
        boolean quick = args.flag("quick");

        line("## Lambda benchmarks (`bench/run`)");
        line("");
        line("Run " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
                + (quick ? " with `--quick` (a smoke run: few repetitions, do not quote these figures)" : "")
                + ", " + args.get("seconds", "?") + " s in all. Machine: " + Runtime.getRuntime().availableProcessors()
                + " cores (" + cpu() + "), " + mem() + ", " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ". Load average (1/5/15 min) at the start "
                + args.get("load-start", "?") + ", at the end " + loadavg() + ": the machine is shared with other "
                + "builds, so every figure carries their noise; medians and alternating runs blunt it, they do not remove it. "
                + "DynamoDB Local 2.6.1 runs as a server in a JVM of its own on the same 2 cores.");
        line("");

        if (cold != null) {
            coldSection(cold);
        }
        JsonNode first = read(results.resolve("firstuse.json"));
        if (first != null) {
            firstUseSection(first);
        }
        if (warm != null) {
            warmSection(warm);
        }
        if (c2 != null || c1 != null) {
            ReportMicro.jmhSection(this, c2, c1);
        }
        if (cont != null) {
            ReportMicro.contentionSection(this, cont);
        }
        JsonNode stream = read(results.resolve("stream.json"));
        if (stream != null) {
            ReportMicro.streamSection(this, stream);
        }
        JsonNode webhooks = read(results.resolve("webhooks.json"));
        if (webhooks != null) {
            ReportMicro.webhooksSection(this, webhooks);
        }
        JsonNode codes = read(results.resolve("codes.json"));
        if (codes != null) {
            ReportMicro.codesSection(this, codes);
        }
        line("### Summary");
        line("");
        line("| metric | target | measured | met |");
        line("|---|---|---|---|");
        for (String[] s : summary) {
            line("| " + s[0] + " | " + s[1] + " | " + s[2] + " | " + s[3] + " |");
        }
        line("");
    }

    private void coldSection(JsonNode cold) {
        line("### Cold start under the Lambda runtime interface client (item 5)");
        line("");
        line("Method: each deployable jar (`functions/<name>/target/<name>.jar`, found by that pattern) is unpacked into a "
                + "task root as Lambda unpacks it into `/var/task`; a fresh JVM (`" + cold.path("javaVersion").asText() + "`) runs "
                + "`com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>` (RIC 2.9.0 and its dependencies "
                + "on the class path, as in `/var/runtime/lib`) in it, with Lambda's environment, `JAVA_TOOL_OPTIONS="
                + cold.path("javaToolOptions").asText() + "` from template.yaml and Lambda's java21 flags (`"
                + cold.path("jvmFlags").asText().replaceAll("-Dcom\\.amazonaws\\S+", "-D…NativeClient.JNI=…") + "`), "
                + "against a fake Runtime API (JDK HttpServer) and DynamoDB Local. *Init* is from process start to the "
                + "first `GET /invocation/next`; *first* is from handing out the event to its response; *cold start* is their "
                + "sum; *second* is the next invocation in the same JVM. The event is the sample of `events/` with its ids "
                + "made the run's own (a member with points, a new order or idempotency key), so every run takes the path "
                + "a real first request takes; the earn reads the program (cold cache), the customer, and writes one "
                + "transaction. The baseline (`bench/baseline`) builds the client as the functions do and does one GetItem. "
                + "Baseline and earn runs alternate; one unmeasured start of each configuration comes first. Medians of "
                + "fresh JVMs. *CPU ms* is the CPU time (all threads: interpreter, C1 compiler, GC) the function's JVM "
                + "had used when its first answer arrived, read from /proc: unlike wall time it hardly depends on what "
                + "else the machine runs, so its ratio is the steadier figure on a shared machine. Classes loaded come from one more run with `-Xlog:class+load`, up to the first answer.");
        line("");
        line("| configuration | runs | init ms | first ms | cold start ms | ratio to baseline | CPU ms to first answer | CPU ratio | second ms | all cold starts (ms) |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        double base = Double.NaN;
        double baseCpu = Double.NaN;
        for (JsonNode c : cold.path("configs")) {
            if (c.path("name").asText().equals(ColdStart.BASELINE)) {
                base = c.path("coldMs").asDouble();
                baseCpu = c.path("cpuMs").asDouble();
            }
        }
        double earnRatio = Double.NaN;
        double earnCpuRatio = Double.NaN;
        JsonNode earnNode = null;
        for (JsonNode c : cold.path("configs")) {
            if (c.has("error")) {
                line("| " + c.path("name").asText() + " | failed: " + c.path("error").asText().replace("|", "/")
                        + " | | | | | | | | |");
                continue;
            }
            double ratio = c.path("coldMs").asDouble() / base;
            double cpuRatio = c.path("cpuMs").asDouble() / baseCpu;
            if (c.path("name").asText().equals("earn")) {
                earnRatio = ratio;
                earnCpuRatio = cpuRatio;
                earnNode = c;
            }
            List<String> all = new ArrayList<>();
            c.path("coldMsAll").forEach(x -> all.add(f(x.asDouble(), 0)));
            line("| " + c.path("name").asText() + " | " + c.path("runs").asInt() + " | " + f(c.path("initMs").asDouble(), 0)
                    + " | " + f(c.path("firstMs").asDouble(), 0) + " | **" + f(c.path("coldMs").asDouble(), 0) + "** | "
                    + f(ratio, 2) + " | " + f(c.path("cpuMs").asDouble(), 0) + " | " + f(cpuRatio, 2) + " | "
                    + f(c.path("secondMs").asDouble(), 0) + " | " + String.join(", ", all) + " |");
        }
        line("");
        line("Jar sizes and classes loaded up to the first answer (by origin: the JDK's CDS archive, the JDK's modules, the "
                + "runtime interface client, the function's jar, and classes generated at run time such as lambdas):");
        line("");
        line("| configuration | jar | jar size | classes in jar | loaded | JDK (CDS) | JDK (modules) | RIC | jar | generated | most loaded from the jar |");
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (JsonNode c : cold.path("configs")) {
            if (c.has("error")) {
                line("| " + c.path("name").asText() + " | `" + c.path("jar").asText() + "` | "
                        + f(c.path("jarBytes").asLong() / 1024.0 / 1024.0, 1) + " MiB | " + f(c.path("jarClasses").asInt(), 0)
                        + " | (did not start here) | | | | | | |");
                continue;
            }
            JsonNode k = c.path("classesLoaded");
            List<String> top = new ArrayList<>();
            var it = k.path("functionByPackage").fields();
            for (int i = 0; i < 4 && it.hasNext(); i++) {
                var e = it.next();
                top.add(e.getKey().replace("software.amazon.awssdk", "sdk").replace("com.fasterxml.jackson", "jackson") + " "
                        + e.getValue().asInt());
            }
            line("| " + c.path("name").asText() + " | `" + c.path("jar").asText() + "` | "
                    + f(c.path("jarBytes").asLong() / 1024.0 / 1024.0, 1) + " MiB | " + f(c.path("jarClasses").asInt(), 0) + " | "
                    + f(k.path("total").asInt(), 0) + " | " + k.path("jdkCds").asInt() + " | " + k.path("jdkModules").asInt() + " | "
                    + k.path("runtimeClient").asInt() + " | " + k.path("function").asInt() + " | " + k.path("generated").asInt()
                    + " | " + String.join(", ", top) + " |");
        }
        line("");
        double paired = earnNode == null ? Double.NaN : earnNode.path("pairedRatioWall").asDouble(Double.NaN);
        double pairedCpu = earnNode == null ? Double.NaN : earnNode.path("pairedRatioCpu").asDouble(Double.NaN);
        if (earnNode != null) {
            List<String> pr = new ArrayList<>();
            earnNode.path("pairedRatiosWall").forEach(x -> pr.add(f(x.asDouble(), 2)));
            line("Earn against the baseline, pair by pair (run *i* of earn started right after run *i* of the baseline, so "
                    + "each pair met about the same load): wall-clock ratios " + String.join(", ", pr) + "; median **"
                    + f(paired, 2) + "** (CPU time: median " + f(pairedCpu, 2) + "). The ratio of the two medians above is "
                    + f(earnRatio, 2) + " (CPU " + f(earnCpuRatio, 2) + ").");
            line("");
        }
        summary.add(new String[] {"earn cold start (init + first earn) / baseline, median of paired runs, wall clock", "≤ 1.30",
                f(paired, 2), paired <= 1.30 ? "yes" : "no"});
        summary.add(new String[] {"earn cold start / baseline, median of paired runs, CPU time to the first answer", "≤ 1.30",
                f(pairedCpu, 2), pairedCpu <= 1.30 ? "yes" : "no"});
    }

    private void firstUseSection(JsonNode first) {
        line("Profile of the cold start's parts (`FirstUse`: medians of fresh JVMs with Lambda's flags, ms, each step "
                + "timed in the order the earn's first invocation meets it, against the same DynamoDB Local). The first two "
                + "SDK steps are what the baseline pays as well; the rest is what earn adds. The second column replaces "
                + "jackson-databind by jackson-core alone (streaming parse and write), to show what databind's ObjectMapper costs; "
                + "since this profile, the functions' JSON (dev.laurel.json.Json) is jackson-core's parser and generator with "
                + "Jackson's tree nodes, and builds no ObjectMapper:");
        line("");
        line("| step | with jackson-databind's ObjectMapper (as the functions were) | with jackson-core only |");
        line("|---|---|---|");
        JsonNode d = first.path("databind");
        JsonNode c = first.path("core");
        java.util.LinkedHashSet<String> steps = new java.util.LinkedHashSet<>();
        d.fieldNames().forEachRemaining(steps::add);
        c.fieldNames().forEachRemaining(steps::add);
        double dj = 0;
        double cj = 0;
        for (String s : steps) {
            if (s.startsWith("jackson-databind")) {
                dj += d.path(s).asDouble();
            }
            if (s.startsWith("jackson-core")) {
                cj += c.path(s).asDouble();
            }
            line("| " + s + " | " + (d.has(s) ? f(d.path(s).asDouble(), 1) : "–") + " | "
                    + (c.has(s) ? f(c.path(s).asDouble(), 1) : "–") + " |");
        }
        line("| **JSON in all** | **" + f(dj, 1) + "** | **" + f(cj, 1) + "** |");
        line("");
    }

    private void warmSection(JsonNode warm) {
        JsonNode cfg = warm.path("config");
        line("### Warm overhead: handler against the raw SDK calls (item 6)");
        line("");
        line("Method: in one JVM with Lambda's flags (`" + cfg.path("jvm").asText() + "`), the real handler is called as the "
                + "runtime calls it (API Gateway v2 event bytes in, response bytes out; building the event and reading the "
                + "answer are not timed) and compared with `RawOps`, the raw SDK calls the same operation needs (the same "
                + "read, and one TransactWriteItems with the same items, keys and conditions), on the same SDK client "
                + "(URL-connection) and the same DynamoDB Local. Blocks of " + cfg.path("block").asInt() + " handler and "
                + cfg.path("block").asInt() + " raw operations alternate; " + cfg.path("warmupPerSide").asInt() + " of each "
                + "first warm up, then " + cfg.path("measuredPerSide").asInt() + " of each are measured. Earn: an order.paid "
                + "of 129.99 EUR with one line for one of " + cfg.path("earners").asInt() + " members (each holding a few "
                + "lots); validate: one reward on a 50 EUR order with an id (so the order's stack is read too); redeem: "
                + "that reward (100 points, a reward budget, a stacking category) on a new order, for one of "
                + cfg.path("spenders").asInt() + " members. The program is the minimal program of API.md with limits "
                + "too large to reach.");
        line("");
        line("| operation | handler p50 µs | raw p50 µs | ratio p50 | handler p99 µs | raw p99 µs | ratio p99 |");
        line("|---|---|---|---|---|---|---|");
        var ops = warm.path("ops").fields();
        List<String[]> rt = new ArrayList<>();
        while (ops.hasNext()) {
            var e = ops.next();
            JsonNode o = e.getValue();
            JsonNode h = o.path("handler");
            JsonNode r = o.path("raw");
            double ratio = o.path("ratioP50").asDouble();
            line("| " + e.getKey() + " | " + f(h.path("p50Us").asDouble(), 0) + " | " + f(r.path("p50Us").asDouble(), 0)
                    + " | **" + f(ratio, 2) + "** | " + f(h.path("p99Us").asDouble(), 0) + " | " + f(r.path("p99Us").asDouble(), 0)
                    + " | " + f(o.path("ratioP99").asDouble(), 2) + " |");
            summary.add(new String[] {"warm " + e.getKey() + ": handler p50 / raw SDK p50", "≤ 1.15", f(ratio, 2),
                    ratio <= 1.15 ? "yes" : "no"});
            JsonNode calls = h.path("callsPerOp");
            double writes = calls.path("TransactWriteItems").asDouble() + calls.path("PutItem").asDouble()
                    + calls.path("UpdateItem").asDouble() + calls.path("DeleteItem").asDouble() + calls.path("BatchWriteItem").asDouble();
            double reads = calls.path("GetItem").asDouble() + calls.path("BatchGetItem").asDouble() + calls.path("Query").asDouble()
                    + calls.path("TransactGetItems").asDouble();
            JsonNode cap = o.path("capacityCheck");
            rt.add(new String[] {e.getKey(), callList(calls), callList(r.path("callsPerOp")),
                    f(cap.path("expectedWcuPerOp").asDouble(), 1), f(cap.path("expectedRcuPerOp").asDouble(), 1),
                    f(h.path("wcuPerOp").asDouble(), 1), f(h.path("rcuPerOp").asDouble(), 2),
                    f(cap.path("largestItemBytes").asDouble(), 0)});
            boolean isWrite = !e.getKey().equals("validate");
            boolean met = (isWrite ? Math.abs(calls.path("TransactWriteItems").asDouble() - 1) < 1e-9 && writes <= 1 + 1e-9
                    : writes == 0) && Math.round(reads) <= 1 && reads < 1.05;
            summary.add(new String[] {e.getKey() + ": DynamoDB round trips per operation",
                    isWrite ? "1 write transaction, ≤ 1 read" : "no write, ≤ 1 read",
                    f(writes, 2) + " write + " + f(reads, 3) + " reads", met ? "yes" : "no"});
        }
        line("");
        line("Where the time goes (means, µs per operation): *in SDK calls* is measured by the same interceptor from the "
                + "start to the end of each SDK call (marshalling, HTTP, DynamoDB Local, unmarshalling); the rest is "
                + "outside the SDK (for the handler: event and body parsing, validation, rules, JSON answers, building the "
                + "requests):");
        line("");
        line("| operation | handler mean | handler in SDK calls | handler outside | raw mean | raw in SDK calls | raw outside |");
        line("|---|---|---|---|---|---|---|");
        var ops2 = warm.path("ops").fields();
        while (ops2.hasNext()) {
            var e = ops2.next();
            JsonNode h = e.getValue().path("handler");
            JsonNode r = e.getValue().path("raw");
            line("| " + e.getKey() + " | " + f(h.path("meanUs").asDouble(), 0) + " | " + f(h.path("sdkMeanUs").asDouble(), 0)
                    + " | " + f(h.path("meanUs").asDouble() - h.path("sdkMeanUs").asDouble(), 0) + " | "
                    + f(r.path("meanUs").asDouble(), 0) + " | " + f(r.path("sdkMeanUs").asDouble(), 0) + " | "
                    + f(r.path("meanUs").asDouble() - r.path("sdkMeanUs").asDouble(), 0) + " |");
        }
        line("");
        line("Round trips and capacity per operation (handler side; the calls are counted by an SDK interceptor, which "
                + "also sets `ReturnConsumedCapacity=TOTAL`). *AWS rules* recomputes the capacity from the items' sizes "
                + "(transactional writes 2 WCU per KiB of each item, the size after the write read back; strongly "
                + "consistent reads 1 RCU per 4 KiB of each item asked for, at least 1, as DynamoDB bills them); "
                + "*Local reports* is what DynamoDB Local returned:");
        line("");
        line("| operation | calls per op (handler) | calls per op (raw) | WCU, AWS rules | RCU, AWS rules | WCU, Local reports | RCU, Local reports | largest item written (bytes) |");
        line("|---|---|---|---|---|---|---|---|");
        for (String[] r : rt) {
            line("| " + String.join(" | ", r) + " |");
        }
        line("");
    }

    private static String callList(JsonNode calls) {
        List<String> out = new ArrayList<>();
        calls.fields().forEachRemaining(e -> out.add(e.getKey() + " " + f(e.getValue().asDouble(), e.getValue().asDouble() % 1 == 0 ? 0 : 3)));
        return String.join(", ", out);
    }
}
