package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.cli.Main;
import dev.laurel.cli.MemberCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./laurel export}'s client (cli/) against a real local runner, as its main class and as
 * the jar ./laurel runs: a few hundred members, some with hostile emails, ids and attributes,
 * exported, parsed back with the CSV library and compared with the API's listing.
 */
class ExportCliTest {
    static LocalServer server;
    static Http http;
    static String program;
    static final List<String> HOSTILE_EMAILS = List.of("=cmd|'/C_calc'!A0@evil.example", "+1-555,\"x\"@example.com",
            "-2+3@example.com", "@@", "a,b@example.com");

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
        program = "export-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.admin("PUT", "/v1/programs/" + program, LocalServerTest.minimalProgram()).status()).isEqualTo(201);
        for (int i = 0; i < 300; i++) {
            String id = (i % 50 == 0 ? "-neg" : i % 50 == 1 ? "@at" : "m") + String.format("%03d", i);
            String email = i % 7 == 0 ? HOSTILE_EMAILS.get(i / 7 % HOSTILE_EMAILS.size()).replace("@@", "x" + i + "@x")
                    : "m" + i + "@example.com";
            String attributes = i % 3 == 0
                    ? "{\"note\": \"a,b\\n\\\"quoted\\\"\\r\\nline\", \"formula\": \"=SUM(A1:A9)\", \"tab\": \"\\tx\", \"n\": " + i + "}"
                    : "{\"country\": \"DE\"}";
            Http.Reply r = http.shop("PUT", "/v1/programs/" + program + "/customers/" + id,
                    "{\"email\": " + Http.JSON.writeValueAsString(email) + ", \"attributes\": " + attributes
                            + ", \"consent\": {\"marketing\": " + (i % 2 == 0) + "}}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            if (i % 4 == 0) {
                Http.Reply e = http.shop("POST", "/v1/programs/" + program + "/earn", "{\"customerId\": \"" + id
                        + "\", \"event\": {\"type\": \"order.paid\", \"id\": \"o-" + i + "\", \"order\": {\"totalMinor\": "
                        + (1000 + 97 * i) + ", \"currency\": \"EUR\"}}}");
                assertThat(e.status()).as(e.toString()).isEqualTo(200);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Every member as the API lists them, by customer id. */
    static Map<String, JsonNode> listing() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String cursor = null;
        do {
            Http.Reply r = http.admin("GET", "/v1/programs/" + program + "/customers?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json().path("customers").forEach(m -> out.put(m.path("customerId").asText(), m));
            cursor = r.json().path("cursor").asText(null);
        } while (cursor != null);
        return out;
    }

    static List<CSVRecord> parse(Reader csv) throws IOException {
        try (CSVParser p = CSVParser.parse(csv, MemberCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            assertThat(p.getHeaderNames()).isEqualTo(MemberCsv.COLUMNS);
            return p.getRecords();
        }
    }

    /** A cell as the API has it: the export's formula prefix taken off. */
    static String unescaped(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@\t\r".indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
    }

    /** A text field as a CSV cell: null is empty. */
    static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : "";
    }

    static void assertSameAsTheListing(List<CSVRecord> rows) throws IOException {
        Map<String, JsonNode> listed = listing();
        assertThat(listed).hasSize(300);
        List<String> ids = new ArrayList<>();
        for (CSVRecord r : rows) {
            String id = unescaped(r.get("customerId"));
            ids.add(id);
            JsonNode m = listed.get(id);
            assertThat(m).as(id).isNotNull();
            assertThat(unescaped(r.get("email"))).isEqualTo(m.path("email").asText());
            assertThat(r.get("tier")).isEqualTo(text(m.at("/tier/id")));
            assertThat(Long.parseLong(r.get("available"))).isEqualTo(m.at("/balance/available").asLong());
            assertThat(Long.parseLong(r.get("pending"))).isEqualTo(m.at("/balance/pending").asLong());
            assertThat(Long.parseLong(r.get("lifetimeEarned"))).isEqualTo(m.at("/balance/lifetimeEarned").asLong());
            assertThat(r.get("joinedAt")).isEqualTo(m.path("joinedAt").asText());
            assertThat(r.get("referralCode")).isEqualTo(text(m.path("referralCode")));
            assertThat(Boolean.parseBoolean(r.get("consentMarketing"))).isEqualTo(m.at("/consent/marketing").asBoolean());
            assertThat(Http.JSON.readTree(r.get("attributes"))).isEqualTo(m.path("attributes"));
        }
        assertThat(ids).as("every member once, in the listing's order").containsExactlyElementsOf(listed.keySet());
    }

    @Test
    void theMainClassExportsEveryMemberAsTheListingShowsThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("members.csv");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "export", "--program", program, "--url", server.url().toString(),
                "--key", LocalServer.DEFAULT_ADMIN_KEY, "--out", out.toString(), "--page-size", "40");
        assertThat(code).as(err.toString()).isEqualTo(Main.OK);
        assertThat(err.toString()).contains("laurel: exported 300 members in");
        assertThat(dir.resolve("members.csv.part")).doesNotExist();
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            rows = parse(r);
        }
        assertThat(rows).hasSize(300);
        assertSameAsTheListing(rows);
        // the hostile cells, escaped against spreadsheet formulas, and the multi-line attributes survived the CSV
        Map<String, CSVRecord> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.get("customerId"), r));
        assertThat(byId).containsKeys("'-neg000", "'@at001", "'-neg050", "m002");
        assertThat(byId.get("'-neg000").get("email")).isEqualTo("'=cmd|'/C_calc'!A0@evil.example");
        assertThat(byId.get("m007").get("email")).isEqualTo("'+1-555,\"x\"@example.com");
        assertThat(byId.get("m014").get("email")).isEqualTo("'-2+3@example.com");
        assertThat(Http.JSON.readTree(byId.get("m003").get("attributes")).path("note").asText()).isEqualTo("a,b\n\"quoted\"\r\nline");
        // the attributes cell is quoted, its quotes doubled (RFC 4180); its line breaks are JSON escapes
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains(",\"{\"\"").contains("a,b\\n\\\"\"quoted");
    }

    @Test
    void refusalsExitNonZeroWithAMessageAndLeaveNoFile(@TempDir Path dir) {
        Path out = dir.resolve("members.csv");
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(err, true), "export", "--program", program, "--url", server.url().toString(),
                "--key", "not-a-key", "--out", out.toString())).isEqualTo(Main.REFUSED);
        assertThat(err.toString()).contains("laurel: the key was refused (401 unauthorized");
        assertThat(Main.run(new PrintWriter(err, true), "export", "--program", program, "--url", server.url().toString(),
                "--key", LocalServer.DEFAULT_SHOP_KEY, "--out", out.toString())).isEqualTo(Main.REFUSED);
        assertThat(err.toString()).contains("403 forbidden", "admin key");
        assertThat(Main.run(new PrintWriter(err, true), "export", "--program", "nope", "--url", server.url().toString(),
                "--key", LocalServer.DEFAULT_ADMIN_KEY, "--out", out.toString())).isEqualTo(Main.REFUSED);
        assertThat(err.toString()).contains("404 not_found: program nope");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("members.csv.part")).doesNotExist();
    }

    /** The script's command as a user types it (the reactor built the client before these tests, so it builds nothing). */
    @Test
    void laurelExportDispatchesToTheClient(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("members.csv");
        ProcessBuilder pb = new ProcessBuilder("bash", Http.root().resolve("laurel").toString(), "export", "--program", program,
                "--url", server.url().toString(), "--out", out.toString()).redirectErrorStream(true);
        pb.environment().remove("LAUREL_KEY"); // the local runner's admin key is the default
        pb.environment().put("LAUREL_CLI_JAVA_OPTS", "");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).doesNotContain("Building").contains("laurel: exported 300 members");
        try (Reader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            assertThat(parse(r)).hasSize(300);
        }

        Process usage = new ProcessBuilder("bash", Http.root().resolve("laurel").toString(), "export").redirectErrorStream(true).start();
        String usageLog = new String(usage.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(usage.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(usage.exitValue()).as(usageLog).isEqualTo(Main.USAGE);
        assertThat(usageLog).contains("Missing required option: '--program=P'");
    }

    /** The jar ./laurel export runs, as a process: CSV on stdout, plain progress lines on stderr (not a terminal), exit codes. */
    @Test
    void theJarRunsAsAProcessWritingToStdout() throws Exception {
        Path jar = Http.root().resolve("cli/target/laurel-cli.jar");
        assertThat(jar).as("built by the reactor before this module's tests").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "export", "--program", program, "--url",
                server.url().toString(), "--key", LocalServer.DEFAULT_ADMIN_KEY).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(stderr).isEqualTo(0);
        assertThat(stderr).contains("laurel: exported 300 members").doesNotContain("\r[");
        assertSameAsTheListing(parse(new StringReader(new String(stdout, StandardCharsets.UTF_8))));

        Process bad = new ProcessBuilder(java, "-jar", jar.toString(), "export", "--program", "no such").start();
        String badErr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).as(badErr).isEqualTo(Main.USAGE);
        assertThat(badErr).contains("--program must match");
    }
}
