package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export's figure of docs/BENCHMARKS.md, by hand:
 * {@code mvn -o -q -B -pl local -am verify -Dtest=ExportBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dlaurel.bench=true}
 * (skipped otherwise). A local runner as {@code ./laurel local} runs it (in memory), 10,000 members
 * (a third with attributes), then {@code laurel-cli.jar export} as a process, as {@code ./laurel export}
 * runs it: prints rows per second and the run's wall time (JVM start included), twice (page sizes 1000 and 100).
 */
class ExportBenchTest {
    static final int MEMBERS = Integer.getInteger("laurel.bench.members", 10_000);

    @Test
    void exportRowsPerSecond(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("laurel.bench"), "run with -Dlaurel.bench=true");
        try (LocalServer server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .schedules(false).log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
            Http http = new Http(server.url());
            assertThat(http.admin("PUT", "/v1/programs/bench", LocalServerTest.minimalProgram()).status()).isEqualTo(201);
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                int n = i;
                fs.add(pool.submit(() -> http.shop("PUT", "/v1/programs/bench/customers/" + String.format("c-%06d", n),
                        "{\"email\": \"c" + n + "@example.com\", \"consent\": {\"marketing\": true}"
                                + (n % 3 == 0 ? ", \"attributes\": {\"country\": \"DE\", \"note\": \"a, \\\"b\\\"\", \"visits\": " + n + "}" : "")
                                + "}").status()));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get()).isEqualTo(201);
            }
            pool.shutdown();
            System.out.printf("export bench: %,d members enrolled in %.1f s%n", MEMBERS, (System.nanoTime() - t0) / 1e9);

            Path jar = Http.root().resolve("cli/target/laurel-cli.jar");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int pageSize : List.of(1000, 100, 1000)) {
                Path out = dir.resolve("members-" + pageSize + ".csv");
                long start = System.nanoTime();
                Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(), "export",
                        "--program", "bench", "--url", server.url().toString(), "--key", LocalServer.DEFAULT_ADMIN_KEY,
                        "--page-size", Integer.toString(pageSize), "--out", out.toString()).redirectErrorStream(true).start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(p.exitValue()).as(log).isZero();
                long rows;
                try (var lines = Files.lines(out)) {
                    rows = lines.count() - 1;
                }
                assertThat(rows).isEqualTo(MEMBERS);
                System.out.printf("export bench: page size %d: %,d rows in %.2f s wall (JVM start included) = %,.0f rows/s; %s; %,d bytes%n",
                        pageSize, rows, seconds, rows / seconds, log.strip(), Files.size(out));
            }
        }
    }
}
