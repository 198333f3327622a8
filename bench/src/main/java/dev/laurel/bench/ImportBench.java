package dev.laurel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 11's numbers: for each size (e.g. 10,000 and 100,000 generated rows), a fresh
 * {@code ./laurel local} runner (its jar, as a process: {@code -XX:+UseSerialGC -Xlog:gc}, its data
 * on disk in a fresh {@code runner-<rows>/.laurel} under the work directory, so its heap is its own
 * working set and not DynamoDB Local's table) and {@code ./laurel import} (the CLI jar, as a process, same flags) over a generated
 * file (the CLI with a 64 MiB heap); then {@code ./laurel export} of the same members. Prints one line per size: rows/s of the
 * import and the export, the peak heap of the CLI and of the runner (the most used before a
 * collection, and the most live after one, from their GC logs), and write units per row
 * recomputed from a sample of the rows' items by DynamoDB's published rules ({@link ItemSize}:
 * DynamoDB Local's own consumed-capacity figures for transactions are wrong).
 *
 * <pre>java -cp bench/target/classes:local/target/laurel-local.jar:local/target/lib/* dev.laurel.bench.ImportBench --root . --rows 10000,100000 --work /tmp/ib</pre>
 */
public final class ImportBench {
    private static final Pattern READY = Pattern.compile("Laurel local is running on (http://\\S+)");
    private static final Pattern DYNAMO = Pattern.compile("DynamoDB +(http://\\S+), table (\\S+)");
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final String ADMIN = "bench-admin-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ImportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        List<Integer> sizes = new ArrayList<>(List.of(10_000, 100_000));
        Path work = Files.createTempDirectory("import-bench");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[i + 1]);
                case "--rows" -> {
                    sizes.clear();
                    for (String s : args[i + 1].split(",")) {
                        sizes.add(Integer.parseInt(s.trim()));
                    }
                }
                case "--work" -> work = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        for (int rows : sizes) {
            run(root.toAbsolutePath().normalize(), work, rows);
        }
    }

    static void run(Path root, Path work, int rows) throws Exception {
        Path csv = work.resolve("members-" + rows + ".csv");
        generate(csv, rows);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path runnerGc = work.resolve("runner-gc-" + rows + ".log");
        Path lib = root.resolve("local/target/lib");
        // The runner's data on disk (DynamoDB Local's SQLite file, not its heap), so that the runner's
        // heap shows its own working set: LocalMain keeps its data in <laurel.root>/.laurel and reads
        // <laurel.root>/template.yaml, so a fresh root per size holds only a link to the template.
        Path runnerRoot = work.resolve("runner-" + rows);
        if (Files.exists(runnerRoot)) {
            try (var old = Files.walk(runnerRoot)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(runnerRoot);
        Files.createSymbolicLink(runnerRoot.resolve("template.yaml"), root.resolve("template.yaml"));
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:gc:file=" + runnerGc,
                "-Dlaurel.root=" + runnerRoot.toAbsolutePath(), "-Dsqlite4java.library.path=" + lib, "-cp",
                root.resolve("local/target/laurel-local.jar") + ":" + lib + "/*", "dev.laurel.local.LocalMain", "--port", "0")
                .directory(runnerRoot.toFile()).redirectErrorStream(true);
        pb.environment().put("LAUREL_ADMIN_KEY", ADMIN);
        Process runner = pb.start();
        try {
            String[] banner = banner(runner, work.resolve("runner-" + rows + ".log"));
            URI url = URI.create(banner[0]);
            call(url, "PUT", "/v1/programs/bench", Files.readString(root.resolve("api/examples/minimal-program.json")));
            Path cliGc = work.resolve("cli-gc-" + rows + ".log");
            long t0 = System.nanoTime();
            String log = cli(java, root, cliGc, "import", "--program", "bench", "--file", csv.toString(), "--id", "bench-" + rows,
                    "--url", url.toString(), "--key", ADMIN, "--quiet");
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            if (!log.contains(rows + " rows, " + rows + " imported")) {
                throw new IllegalStateException("the import did not apply every row: " + log);
            }
            double wcu = writeUnitsPerRow(URI.create(banner[1]), banner[2], rows);
            Path out = work.resolve("export-" + rows + ".csv");
            Path exportGc = work.resolve("export-gc-" + rows + ".log");
            long t1 = System.nanoTime();
            cli(java, root, exportGc, "export", "--program", "bench", "--url", url.toString(), "--key", ADMIN, "--out", out.toString());
            double exportSeconds = (System.nanoTime() - t1) / 1e9;
            long exported;
            try (var lines = Files.lines(out)) {
                exported = lines.count() - 1;
            }
            long[] cli = heap(cliGc);
            long[] run = heap(runnerGc);
            long[] exp = heap(exportGc);
            System.out.printf(Locale.ROOT, "import bench: %,d rows: import %.1f s = %,.0f rows/s (JVM start included); export %,d rows "
                            + "%.1f s = %,.0f rows/s; peak heap used/live (MiB): cli %d/%d, runner %d/%d, export %d/%d; "
                            + "write units per row %.2f%n", rows, importSeconds, rows / importSeconds, exported, exportSeconds,
                    exported / exportSeconds, cli[0], cli[1], run[0], run[1], exp[0], exp[1], wcu);
        } finally {
            runner.destroy();
            runner.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Rows as a Smile.io-shaped export might hold them: id, e-mail, points, a tier for some, names, an attribute. */
    static void generate(Path csv, int rows) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.print("customerId,email,points,tier,firstName,lastName,attr.city\r\n");
            String[] cities = {"Berlin", "Hamburg", "Köln", "München", "Zürich, CH"};
            for (int i = 0; i < rows; i++) {
                w.printf(Locale.ROOT, "c-%07d,member%d@example.com,%d,%s,Ann%d,\"Lee, %d\",\"%s\"\r\n", i, i, (i * 37) % 2000,
                        i % 10 == 0 ? "silver" : "", i, i, cities[i % cities.length]);
            }
        }
    }

    /** The runner's URL, DynamoDB endpoint and table, from its banner. */
    static String[] banner(Process runner, Path console) throws Exception {
        CompletableFuture<String[]> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            String url = null;
            // the runner's console (a line per request) kept in a file: the progress of a long run
            try (BufferedReader in = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter log = new PrintWriter(Files.newBufferedWriter(console, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.println(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        url = m.group(1);
                    }
                    Matcher d = DYNAMO.matcher(line);
                    if (d.find() && url != null) {
                        ready.complete(new String[] {url, d.group(1), d.group(2)});
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the runner stopped before it was ready"));
        }, "runner-console");
        t.setDaemon(true);
        t.start();
        return ready.get(180, TimeUnit.SECONDS);
    }

    static String cli(String java, Path root, Path gcLog, String... args) throws Exception {
        // a 64 MiB heap: the CLI reads the file record by record, so it must fit whatever the file's size
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xlog:gc:file=" + gcLog,
                "-jar", root.resolve("cli/target/laurel-cli.jar").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(4, TimeUnit.HOURS) || (p.exitValue() != 0)) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + log);
        }
        return log;
    }

    static void call(URI url, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** {most used before a collection, most live after one} in MiB, from a {@code -Xlog:gc} file. */
    static long[] heap(Path gcLog) throws IOException {
        long before = 0;
        long after = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                before = Math.max(before, Long.parseLong(m.group(1)));
                after = Math.max(after, Long.parseLong(m.group(2)));
            }
        }
        return new long[] {before, after};
    }

    /**
     * Write units of a row's one transaction, from a sample of 100 rows: 2 × ⌈size / 1 KB⌉ for each
     * item it writes (the profile with its lot, the {@code import} entry, the row's marker, the
     * import item's counters), plus one unit for each keys-only index entry a new profile gets.
     */
    static double writeUnitsPerRow(URI endpoint, String table, int rows) {
        try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            String program = "T#local#P#bench";
            long units = 0;
            int sampled = 0;
            var importItem = ddb.getItem(b -> b.tableName(table).key(Map.of("pk", s(program + "#IMPORT#bench-" + rows), "sk", s("IMPORT"))))
                    .item();
            for (int i = 0; i < rows; i += Math.max(1, rows / 100)) {
                String customer = program + "#C#" + String.format(Locale.ROOT, "c-%07d", i);
                var items = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(customer)))).items();
                long row = 2 * kb(importItem);
                int row1 = i + 1;
                var marker = ddb.getItem(b -> b.tableName(table).key(Map.of("pk", s(program + "#IMPORT#bench-" + rows),
                        "sk", s(String.format("ROW#%010d", row1))))).item();
                row += 2 * kb(marker);
                for (Map<String, AttributeValue> item : items) {
                    row += 2 * kb(item);
                    for (String key : List.of("listKey", "dueShard", "remShard")) {
                        if (item.containsKey(key)) {
                            row += 1;
                        }
                    }
                }
                units += row;
                sampled++;
            }
            return (double) units / sampled;
        }
    }

    private static long kb(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? 0 : Math.max(1, (ItemSize.of(item) + 1023) / 1024);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
