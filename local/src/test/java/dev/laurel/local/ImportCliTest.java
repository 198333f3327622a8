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
 * {@code ./laurel import}'s client against a real local runner: a 2,500-row file in chunks, one bad
 * row (exit code 5 and its row number), and an import stopped part way (the first 1,200 rows) and
 * run again with the same id over the whole file: every row applied exactly once.
 */
class ImportCliTest {
    static LocalServer server;
    static Http http;
    static String program;

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
            out.add((i == 1500 ? "not-an-email" : "m" + i + "@example.com") + "," + (i % 10) + ",\"N, " + i + "\"");
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
        Files.write(part, lines(2500).subList(0, 1201), StandardCharsets.UTF_8);
        Files.write(whole, lines(2500), StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        assertThat(run(err, "--file", part.toString(), "--id", "resume")).as(err.toString()).isZero();
        int code = run(err, "--file", whole.toString(), "--id", "resume");
        assertThat(code).as(err.toString()).isEqualTo(5);
        assertThat(err.toString()).contains("1200 rows applied before").contains("row 1500 email: invalid_email");
        Http.Reply status = http.admin("GET", "/v1/programs/" + program + "/imports/resume", null);
        JsonNode s = status.json();
        assertThat(s.path("rows").asLong()).isEqualTo(2500);
        assertThat(s.path("imported").asLong()).isEqualTo(2499);
        long points = 0;
        for (int i = 1; i <= 2500; i++) {
            points += i == 1500 ? 0 : i % 10;
        }
        assertThat(s.path("pointsImported").asLong()).isEqualTo(points);
        Http.Reply w = http.shop("GET", "/v1/programs/" + program + "/customers/m1999@example.com", null);
        assertThat(w.json().path("balance").path("available").asLong()).as(w.toString()).isEqualTo(9);
        // once more: nothing left to send, nothing changes
        assertThat(run(err, "--file", whole.toString(), "--id", "resume")).isEqualTo(5);
        assertThat(http.admin("GET", "/v1/programs/" + program + "/imports/resume", null).json().path("rows").asLong()).isEqualTo(2500);
    }
}
