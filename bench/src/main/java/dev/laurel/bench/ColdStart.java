package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import dev.laurel.app.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold start as Lambda does it (issue 5, item 5). Each function's deployable jar is unpacked into
 * a task root (Lambda unzips the package into /var/task), and a fresh JVM runs the runtime
 * interface client, {@code AWSLambda <handler>}, in it, with the template's JAVA_TOOL_OPTIONS and
 * Lambda's environment, against {@link RuntimeApi} and DynamoDB Local. Measured per run: init
 * (process start to the first {@code /invocation/next}), the first invocation (event handed out
 * to its response), their sum (the cold start), and a second invocation in the same JVM.
 * The baseline is {@code bench/baseline}: a bare handler that builds the client the same way and
 * does one GetItem. One more run per configuration logs class loading ({@code -Xlog:class+load})
 * up to the first answer. Functions are found as {@code functions/<name>/target/<name>.jar}.
 */
public final class ColdStart {
    static final String TENANT = "local";
    static final String PROGRAM = "acme";
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String BASELINE = "baseline";

    private final Path root;
    private final URI endpoint;
    private final Path work;
    private final String java;
    private final Fixture fx;
    private final String javaToolOptions;
    private final String nonce = UUID.randomUUID().toString().substring(0, 6);

    record Config(String name, Path jar, String handler, Path event) {
    }

    record Run(double initMs, double firstMs, double coldMs, double secondMs, double cpuMs, int status) {
    }

    ColdStart(Path root, URI endpoint, Path work, String java) throws IOException {
        this.root = root;
        this.endpoint = endpoint;
        this.work = work;
        this.java = java;
        DynamoDbClient ddb = Ddb.client(endpoint, null);
        fx = new Fixture(root, ddb, Ddb.TABLE);
        javaToolOptions = javaToolOptions(Files.readString(root.resolve("template.yaml")));
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        boolean quick = args.flag("quick");
        Path root = args.path("root");
        String java = args.get("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ColdStart c = new ColdStart(root, args.uri("endpoint"), args.path("work"), java);
        ObjectNode out = c.run(args.integer("runs", quick ? 3 : 11), args.integer("other-runs", quick ? 1 : 3),
                args.get("only", ""));
        Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /** The template's {@code JAVA_TOOL_OPTIONS} (Globals), as Lambda would pass them. */
    static String javaToolOptions(String template) {
        Matcher m = Pattern.compile("(?m)^\\s*JAVA_TOOL_OPTIONS:\\s*(.+?)\\s*$").matcher(template);
        return m.find() ? m.group(1).replaceAll("^[\"']|[\"']$", "") : "";
    }

    /** The handler template.yaml names for a CodeUri, or the jar's one {@code *Handler} class. */
    static String handlerFor(String template, String codeUri, Path jar) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*CodeUri:\\s*" + Pattern.quote(codeUri) + "\\s*$").matcher(template);
        if (m.find()) {
            Matcher h = Pattern.compile("(?m)^\\s*Handler:\\s*(\\S+)\\s*$").matcher(template);
            if (h.find(m.end())) {
                return h.group(1);
            }
        }
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                String n = e.getName();
                if (n.startsWith("dev/laurel/functions/") && n.endsWith("Handler.class") && !n.contains("$")) {
                    return n.substring(0, n.length() - 6).replace('/', '.') + "::handleRequest";
                }
            }
        }
        throw new IllegalStateException("no handler for " + jar);
    }

    /** The baseline, then every function jar there is (functions/<name>/target/<name>.jar), earn first. */
    List<Config> configs() throws IOException {
        String template = Files.readString(root.resolve("template.yaml"));
        List<Config> out = new ArrayList<>();
        out.add(new Config(BASELINE, root.resolve("bench/baseline/target/baseline.jar"),
                "dev.laurel.bench.baseline.BareHandler::handleRequest", root.resolve("events/earn.json")));
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root.resolve("functions"))) {
            dirs = s.filter(Files::isDirectory).sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().equals("earn"))
                    .thenComparing(p -> p.getFileName().toString())).toList();
        }
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            Path jar = d.resolve("target").resolve(name + ".jar");
            if (!Files.isRegularFile(jar)) {
                System.out.println("cold: no " + root.relativize(jar) + " (not built), skipped");
                continue;
            }
            out.add(new Config(name, jar, handlerFor(template, "functions/" + name + "/target/" + name + ".jar", jar),
                    eventFor(name)));
        }
        return out;
    }

    /** events/<name>.json, else the first events/<name>-*.json, else none (an empty object is sent). */
    Path eventFor(String name) throws IOException {
        Path exact = root.resolve("events").resolve(name + ".json");
        if (Files.isRegularFile(exact)) {
            return exact;
        }
        try (Stream<Path> s = Files.list(root.resolve("events"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "-") && p.toString().endsWith(".json"))
                    .sorted().findFirst().orElse(null);
        }
    }

    ObjectNode run(int runs, int otherRuns, String only) throws Exception {
        long t0 = System.nanoTime();
        seedTenant();
        List<Config> configs = configs();
        if (!only.isBlank()) {
            List<String> names = List.of(only.split(","));
            configs = configs.stream().filter(c -> names.contains(c.name())).toList();
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        Map<String, Path> tasks = new LinkedHashMap<>();
        for (Config c : configs) {
            results.put(c.name(), new ArrayList<>());
            tasks.put(c.name(), TaskRoot.unpack(work, c));
        }
        // baseline and earn interleaved, so that both see the same machine noise
        Config baseline = configs.stream().filter(c -> c.name().equals(BASELINE)).findFirst().orElse(null);
        Config earn = configs.stream().filter(c -> c.name().equals("earn")).findFirst().orElse(null);
        // one unmeasured start of each first: the page cache holds the JDK and the jar afterwards
        Map<String, String> failed = new LinkedHashMap<>();
        for (Config c : configs) {
            try {
                runOnce(c, tasks.get(c.name()), -1, null);
            } catch (Exception e) {
                if (c == baseline || c == earn) {
                    throw e;
                }
                // a function that cannot start here (a new one without a usable event, say) is
                // reported, and does not stop the others
                failed.put(c.name(), String.valueOf(e.getMessage()).lines().findFirst().orElse("?"));
                System.out.println("cold: " + c.name() + " failed: " + failed.get(c.name()));
            }
        }
        for (int i = 0; i < runs; i++) {
            for (Config c : new Config[] {baseline, earn}) {
                if (c != null) {
                    results.get(c.name()).add(runOnce(c, tasks.get(c.name()), i, null));
                }
            }
        }
        for (Config c : configs) {
            if (c != baseline && c != earn && !failed.containsKey(c.name())) {
                for (int i = 0; i < otherRuns; i++) {
                    results.get(c.name()).add(runOnce(c, tasks.get(c.name()), i, null));
                }
            }
        }
        ObjectNode out = Json.object();
        out.put("java", java).put("javaVersion", javaVersion()).put("javaToolOptions", javaToolOptions)
                .put("jvmFlags", String.join(" ", TaskRoot.lambdaFlags(Path.of("<ric>"))));
        ArrayNode list = out.putArray("configs");
        for (Config c : configs) {
            Path classLog = work.resolve("classes-" + c.name() + ".log");
            if (failed.containsKey(c.name())) {
                list.addObject().put("name", c.name()).put("jar", root.relativize(c.jar()).toString())
                        .put("jarBytes", Files.size(c.jar())).put("jarClasses", TaskRoot.jarClasses(c.jar()))
                        .put("error", failed.get(c.name()));
                continue;
            }
            runOnce(c, tasks.get(c.name()), 99, classLog);
            ObjectNode o = list.addObject().put("name", c.name())
                    .put("jar", root.relativize(c.jar()).toString())
                    .put("handler", c.handler())
                    .put("event", c.event() == null ? "{}" : root.relativize(c.event()).toString())
                    .put("jarBytes", Files.size(c.jar()))
                    .put("jarClasses", TaskRoot.jarClasses(c.jar()));
            List<Run> rs = results.get(c.name());
            o.put("runs", rs.size());
            o.put("initMs", Stats.median(rs.stream().map(Run::initMs).toList()));
            o.put("firstMs", Stats.median(rs.stream().map(Run::firstMs).toList()));
            o.put("coldMs", Stats.median(rs.stream().map(Run::coldMs).toList()));
            o.put("secondMs", Stats.median(rs.stream().map(Run::secondMs).toList()));
            o.put("cpuMs", Stats.median(rs.stream().map(Run::cpuMs).toList()));
            ArrayNode all = o.putArray("coldMsAll");
            rs.forEach(r -> all.add(Math.round(r.coldMs() * 10) / 10.0));
            o.put("status", rs.isEmpty() ? 0 : rs.get(0).status());
            o.set("classesLoaded", TaskRoot.classes(classLog, tasks.get(c.name())));
            List<Run> base = baseline == null ? List.of() : results.get(baseline.name());
            if (c == earn && base.size() == rs.size()) {
                // run i of earn started right after run i of the baseline: the ratio of each pair
                // compares two starts that met about the same load on the machine
                List<Double> wall = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    wall.add(rs.get(i).coldMs() / base.get(i).coldMs());
                    cpu.add(rs.get(i).cpuMs() / base.get(i).cpuMs());
                }
                o.put("pairedRatioWall", Stats.median(wall)).put("pairedRatioCpu", Stats.median(cpu));
                ArrayNode pr = o.putArray("pairedRatiosWall");
                wall.forEach(x -> pr.add(Math.round(x * 100) / 100.0));
            }
            System.out.printf("cold %-10s init %6.0f ms  first %6.0f ms  cold %6.0f ms  cpu %6.0f ms  second %5.0f ms  status %d  classes %d%n",
                    c.name(), o.get("initMs").asDouble(), o.get("firstMs").asDouble(), o.get("coldMs").asDouble(),
                    o.get("cpuMs").asDouble(),
                    o.get("secondMs").asDouble(), o.get("status").asInt(), o.get("classesLoaded").get("total").asInt());
        }
        out.put("seconds", (System.nanoTime() - t0) / 1e9);
        return out;
    }

    // ---------------------------------------------------------------- data the sample events need

    /** The tenant of the sample events: its shop key, the minimal program as {@code acme}. */
    void seedTenant() {
        new ApiKeys(fx.store).create(TENANT, "shop", "bench", "local-shop-key", Instant.now());
        fx.putProgram(TENANT, PROGRAM, Fixture.minimalProgram(root));
    }

    /**
     * The event for one run: the sample event with its ids made this run's own (a member with
     * points, a new order, a new idempotency key; for refunds and rollback, an order and a
     * redemption that exist), so that every run takes the same path as the first.
     */
    byte[] eventFor(Config c, int run) throws IOException {
        if (c.event() == null) {
            // no sample event: what EventBridge sends a scheduled function
            return ("{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"Scheduled Event\","
                    + "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\""
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"region\":\"eu-central-1\","
                    + "\"resources\":[\"arn:aws:events:eu-central-1:123456789012:rule/" + c.name() + "\"],\"detail\":{}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        String text = Files.readString(c.event());
        if (c.name().equals(BASELINE)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        String tag = c.name() + "-" + nonce + "-" + (run < 0 ? "w" : Integer.toString(run));
        String customer = "c-" + tag;
        String seedOrder = "so-" + tag;
        fx.seedCustomer(TENANT, PROGRAM, customer, 10_000);
        // the seed earn's event id is its order id
        seedOrder = "seed-" + customer;
        String redemption = "none";
        if (text.contains("\"r-1\"")) {
            JsonNode r = Events.expect(Events.invoke(fx.redeem, fx.redeemEvent(TENANT, PROGRAM, customer, "ten-off",
                    "sb-" + tag, "sk-" + tag)), 201, "seed redemption");
            redemption = r.path("redemptionId").asText();
        }
        Map<String, String> subst = new LinkedHashMap<>();
        subst.put("order-1001", c.name().equals("refunds") ? seedOrder : "co1-" + tag);
        subst.put("order-1002", "co2-" + tag);
        subst.put("9f1c2e7a-redeem-1", "ck-" + tag);
        subst.put("r-1", redemption);
        subst.put("c-1", customer);
        for (var e : subst.entrySet()) {
            text = text.replaceAll("(?<![A-Za-z0-9_-])" + Pattern.quote(e.getKey()) + "(?![A-Za-z0-9_])",
                    Matcher.quoteReplacement(e.getValue()));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- one cold start

    Run runOnce(Config c, Path task, int run, Path classLog) throws Exception {
        Path ric = root.resolve("bench/target/ric");
        TaskRoot.ensureJni(ric);
        byte[] first = eventFor(c, run);
        byte[] second = eventFor(c, run + 1000);
        try (RuntimeApi api = new RuntimeApi(c.name())) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(TaskRoot.lambdaFlags(ric));
            if (classLog != null) {
                Files.deleteIfExists(classLog);
                cmd.add("-Xlog:class+load=info:file=" + classLog);
            }
            cmd.add("-classpath");
            cmd.add(ric.resolve("*").toString());
            cmd.add(RIC_MAIN);
            cmd.add(c.handler());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(task.toFile());
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.put("LANG", "en_US.UTF-8");
            env.put("TZ", ":UTC");
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("_HANDLER", c.handler());
            env.put("LAMBDA_TASK_ROOT", task.toString());
            env.put("LAMBDA_RUNTIME_DIR", ric.toString());
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("AWS_LAMBDA_FUNCTION_NAME", c.name());
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + c.name());
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
            env.put("AWS_REGION", Ddb.REGION.id());
            env.put("AWS_DEFAULT_REGION", Ddb.REGION.id());
            env.put("AWS_ACCESS_KEY_ID", Ddb.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", Ddb.SECRET_KEY);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString());
            env.put("TABLE_NAME", Ddb.TABLE);
            // as the template sets it on the authorizer and customers; the keys are read on first use, which an API key's request never makes
            env.put("SESSION_KEYS_SECRET", "laurel-bench-session-keys");
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
            env.put("BASELINE_PK", RawOps.programPk(TENANT, PROGRAM));
            env.put("BASELINE_SK", "DEF");
            Path log = work.resolve("log-" + c.name() + "-" + run + ".txt");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            RuntimeApi.Invocation one = api.enqueue(first);
            // let this JVM's compiler threads and DynamoDB Local settle after the seeding above
            Thread.sleep(300);
            long start = System.nanoTime();
            Process p = pb.start();
            try {
                one.await(60_000);
                // CPU time of the function's JVM (all its threads) up to its first answer: far less
                // sensitive than wall time to what else runs on the machine
                double cpuMs = p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
                RuntimeApi.Invocation two = null;
                if (classLog == null) {
                    two = api.enqueue(second);
                    two.await(60_000);
                }
                int status = check(c, one, log);
                if (two != null) {
                    check(c, two, log);
                }
                return new Run((api.firstNextNanos - start) / 1e6, (one.answeredNanos - one.sentNanos) / 1e6,
                        (one.answeredNanos - start) / 1e6, two == null ? 0 : (two.answeredNanos - two.sentNanos) / 1e6,
                        cpuMs, status);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(c.name() + ": no answer in 60 s (init error: " + api.initError + "); log "
                        + log + ":\n" + tail(log));
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    private int check(Config c, RuntimeApi.Invocation i, Path log) throws IOException {
        if (i.error != null) {
            throw new IllegalStateException(c.name() + ": invocation error " + i.error + "\n" + tail(log));
        }
        JsonNode r = Json.mapper().readTree(i.response);
        int status = r.path("statusCode").asInt(0);
        if (status >= 400 && !c.name().equals(BASELINE)) {
            throw new IllegalStateException(c.name() + ": answered " + status + " " + r.path("body").asText());
        }
        return status;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String javaVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return v.lines().skip(1).findFirst().orElse(v).trim();
    }
}
