package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./laurel import}'s client against a real local runner: a 500-row file in chunks (the first
 * chunk of 200 rows and the next ones sized after it), one bad row (exit code 5 and its row number),
 * and an import stopped part way (the first 240 rows: a chunk and a part) and run again with the
 * same id over the whole file: every row applied exactly once ({@code -Dlaurel.long=true}: 2,500
 * rows, stopped after 1,200, the bad row at 1,500); a round trip
 * (import, then {@code ./laurel export}: every column as imported); {@code --revert}.
 */
class ImportCliTest {
    static LocalServer server;
    static Http http;
    static String program;
    /** Rows of the stopped-and-run-again file, the rows of its first run and the bad row (README "Long runs"). */
    static final boolean LONG = Boolean.getBoolean("laurel.long");
    static final int ROWS = LONG ? 2500 : 500;
    static final int PART = LONG ? 1200 : 240;
    static final int BAD = LONG ? 1500 : 300;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
        program = "import-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.admin("PUT", "/v1/programs/" + program, LocalServerTest.minimalProgram()).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<String> lines(int rows) {
        List<String> out = new ArrayList<>(List.of("\uFEFFEmail,Points balance,First name"));
        for (int i = 1; i <= rows; i++) {
            out.add((i == BAD ? "not-an-email" : "m" + i + "@example.com") + "," + (i % 10) + ",\"N, " + i + "\"");
        }
        return out;
    }

    static int run(StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("import", "--program", program, "--url", server.url().toString(), "--quiet"));
        all.addAll(List.of(args));
        return Main.run(new PrintWriter(err, true), all.toArray(String[]::new));
    }

    @Test
    void stoppedAndRunAgainEveryRowAppliesOnce(@TempDir Path dir) throws Exception {
        Path part = dir.resolve("part.csv");
        Path whole = dir.resolve("whole.csv");
        Files.write(part, lines(ROWS).subList(0, PART + 1), StandardCharsets.UTF_8);
        Files.write(whole, lines(ROWS), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        assertThat(run(err, "--file", part.toString(), "--id", "resume")).as(err.toString()).isZero();
        int code = run(err, "--file", whole.toString(), "--id", "resume");
        assertThat(code).as(err.toString()).isEqualTo(5);
        assertThat(err.toString()).contains(PART + " rows applied before").contains("row " + BAD + " email: invalid_email");
        Http.Reply status = http.admin("GET", "/v1/programs/" + program + "/imports/resume", null);
        JsonNode s = status.json();
        assertThat(s.path("rows").asLong()).isEqualTo(ROWS);
        assertThat(s.path("imported").asLong()).isEqualTo(ROWS - 1);
        long points = 0;
        for (int i = 1; i <= ROWS; i++) {
            points += i == BAD ? 0 : i % 10;
        }
        assertThat(s.path("pointsImported").asLong()).isEqualTo(points);
        Http.Reply w = http.shop("GET", "/v1/programs/" + program + "/customers/m" + (ROWS - 1) + "@example.com", null);
        assertThat(w.json().path("balance").path("available").asLong()).as(w.toString()).isEqualTo(9);
        // once more: nothing left to send, nothing changes
        assertThat(run(err, "--file", whole.toString(), "--id", "resume")).isEqualTo(5);
        assertThat(http.admin("GET", "/v1/programs/" + program + "/imports/resume", null).json().path("rows").asLong()).isEqualTo(ROWS);
    }

    /** Import a file, export the members, compare every column of the export with what was imported. */
    @Test
    void anImportedFileComesBackFromTheExportColumnForColumn(@TempDir Path dir) throws Exception {
        String p = "round-" + UUID.randomUUID().toString().substring(0, 8);
        String withTiers = LocalServerTest.minimalProgram().replace("\"expiry\":",
                "\"tiers\": [{\"id\": \"bronze\", \"threshold\": 0}, {\"id\": \"silver\", \"threshold\": 500}], \"expiry\":");
        assertThat(http.admin("PUT", "/v1/programs/" + p, withTiers).status()).isEqualTo(201);
        List<String> lines = new ArrayList<>(List.of("customerId,email,points,tier,referralCode,consentMarketing,firstName,attr.city,attr.note"));
        for (int i = 0; i < 60; i++) {
            lines.add("r-" + i + ",R" + i + "@Example.com," + (i * 7) + "," + (i % 3 == 0 ? "silver" : "") + ",CODE-" + i + ","
                    + (i % 2 == 0) + ",Ann" + i + "," + (i % 4 == 0 ? "\"Köln, DE\"" : "Berlin") + "," + (i % 5 == 0 ? "=cmd()" : "\"a \"\"b\"\"\""));
        }
        Path file = dir.resolve("in.csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("import", "--program", p, "--url", server.url().toString(), "--quiet", "--file",
                file.toString(), "--id", "round", "--chunk-rows", "25"));
        assertThat(Main.run(new PrintWriter(err, true), args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(http.admin("GET", "/v1/programs/" + p + "/imports/round", null).json().has("completedAt")).isTrue();
        Path out = dir.resolve("out.csv");
        assertThat(Main.run(new PrintWriter(err, true), "export", "--program", p, "--url", server.url().toString(), "--out",
                out.toString())).as(err.toString()).isZero();
        java.util.Map<String, org.apache.commons.csv.CSVRecord> exported = new java.util.HashMap<>();
        try (var parser = org.apache.commons.csv.CSVParser.parse(out, StandardCharsets.UTF_8, dev.laurel.cli.MemberCsv.FORMAT.builder()
                .setSkipHeaderRecord(true).get())) {
            parser.forEach(r -> exported.put(r.get("customerId"), r));
        }
        assertThat(exported).hasSize(60);
        for (int i = 0; i < 60; i++) {
            var r = exported.get("r-" + i);
            assertThat(r.get("email")).isEqualTo("r" + i + "@example.com");
            assertThat(r.get("tier")).isEqualTo(i % 3 == 0 ? "silver" : "bronze");
            assertThat(r.get("available")).isEqualTo(String.valueOf(i * 7));
            assertThat(r.get("pending")).isEqualTo("0");
            assertThat(r.get("lifetimeEarned")).isEqualTo(String.valueOf(i * 7));
            assertThat(java.time.Instant.parse(r.get("joinedAt"))).isNotNull();
            assertThat(r.get("referralCode")).isEqualTo("CODE-" + i);
            assertThat(r.get("consentMarketing")).isEqualTo(String.valueOf(i % 2 == 0));
            JsonNode attrs = dev.laurel.json.Json.parse(r.get("attributes").startsWith("'") ? r.get("attributes").substring(1)
                    : r.get("attributes"));
            assertThat(attrs.path("firstName").asText()).isEqualTo("Ann" + i);
            assertThat(attrs.path("city").asText()).isEqualTo(i % 4 == 0 ? "Köln, DE" : "Berlin");
            assertThat(attrs.path("note").asText()).isEqualTo(i % 5 == 0 ? "=cmd()" : "a \"b\"");
        }
        // and the CLI reverts it: every imported point back, the import reverted
        assertThat(Main.run(new PrintWriter(err, true), "import", "--program", p, "--url", server.url().toString(), "--id", "round",
                "--revert")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("import round: reverted; 0 points were spent before (uncollected)");
        assertThat(http.shop("GET", "/v1/programs/" + p + "/customers/r-59", null).json().path("balance").path("available").asLong()).isZero();
    }
}
