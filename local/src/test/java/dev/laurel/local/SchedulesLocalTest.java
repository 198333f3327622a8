package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two scheduled functions in local mode, through real HTTP: run on demand with
 * {@code POST /local/schedules/{expiry|reminders}/run}, on schedule when the local clock passes
 * their time, and reminders of a program without a channel in {@code GET /local/outbox}.
 */
class SchedulesLocalTest {
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static LocalServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(LOG, true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
        server.clock().set(java.time.Instant.parse("2026-11-23T09:00:00Z"), true);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static final String PROGRAM = """
            {"name": "Local Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}],
             "expiry": {"afterDays": 30},
             "reminders": {"pointsExpiring": {"daysBefore": 3}, "welcome": true, "rewardAvailable": true}}
            """;

    List<JsonNode> outbox(String programId) {
        List<JsonNode> out = new ArrayList<>();
        http.send("GET", "/local/outbox", null, null, Map.of()).json().path("notifications").forEach(n -> {
            if (n.path("programId").asText().equals(programId)) {
                out.add(n);
            }
        });
        return out;
    }

    @Test
    void remindersGoToTheOutboxAndExpiryRunsOnDemandAndOnSchedule() {
        String program = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String p = "/v1/programs/" + program;
        assertThat(http.admin("PUT", p, PROGRAM).status()).isEqualTo(201);
        assertThat(http.shop("PUT", p + "/customers/ada", "{\"email\": \"ada@example.com\", \"consent\": {\"marketing\": true}}")
                .status()).isEqualTo(201);
        assertThat(http.shop("POST", p + "/earn", LocalServerTest.earn("ada", "o-1", 15000)).status()).isEqualTo(200);

        Http.Reply run = http.send("POST", "/local/schedules/reminders/run", null, null, Map.of());
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("output").path("job").asText()).isEqualTo("reminders");
        assertThat(run.json().path("output").path("sent").asLong()).isGreaterThanOrEqualTo(2);
        List<JsonNode> sent = outbox(program);
        assertThat(sent).extracting(n -> n.path("type").asText()).containsExactlyInAnyOrder("welcome", "reward_available");
        assertThat(sent.get(0).path("customerId").asText()).isEqualTo("ada");
        assertThat(http.send("GET", "/local/outbox", null, null, Map.of()).json().path("deadLetters").isArray()).isTrue();
        // run again: nothing more
        http.send("POST", "/local/schedules/reminders/run", null, null, Map.of());
        assertThat(outbox(program)).hasSize(2);

        // the clock passes three days before the lot's last day: the hourly schedule sends points_expiring
        Http.Reply moved = http.send("POST", "/local/clock", "{\"now\": \"2026-12-21T10:00:00Z\", \"frozen\": true}", null, Map.of());
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().path("ran").toString()).contains("reminders");
        assertThat(outbox(program)).extracting(n -> n.path("type").asText()).contains("points_expiring");

        // past the lot's last day (2026-12-23 in Berlin) the daily expiry schedule expires it
        moved = http.send("POST", "/local/clock", "{\"now\": \"2026-12-25T01:00:00Z\", \"frozen\": true}", null, Map.of());
        assertThat(moved.json().path("ran").toString()).contains("expiry");
        JsonNode wallet = http.shop("GET", p + "/customers/ada", null).json();
        assertThat(wallet.path("balance").path("available").asLong()).as(wallet.toString()).isZero();
        JsonNode ledger = http.shop("GET", p + "/customers/ada/ledger", null).json();
        assertThat(ledger.path("entries").get(0).path("type").asText()).isEqualTo("expire");
        assertThat(ledger.path("entries").get(0).path("points").asLong()).isEqualTo(-150);

        // on demand as well: nothing is left to expire
        Http.Reply expiry = http.send("POST", "/local/schedules/expiry/run", null, null, Map.of());
        assertThat(expiry.json().path("output").path("lotsExpired").asLong()).isZero();
        assertThat(expiry.json().path("output").path("complete").asBoolean()).isTrue();
    }
}
