package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.local.testing.EchoHandler;
import dev.laurel.local.testing.TickHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner on a template it has never seen (src/test/resources/test-template.yaml): its routes
 * are served, the events are shaped as API Gateway and EventBridge shape them, and its schedules
 * run on the local clock. The schedules' ticker is off here, so they run only when the clock is
 * moved or on demand, which makes the test exact.
 */
class AnyTemplateTest {
    static final Instant START = Instant.parse("2026-11-23T00:30:00Z");
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static LocalServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        LocalClock clock = new LocalClock();
        clock.set(START, true);
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).template(testTemplate()).port(0).inMemory(true)
                .schedules(false).log(new PrintStream(LOG, true, StandardCharsets.UTF_8)), clock);
        http = new Http(server.url());
    }

    static Path testTemplate() throws URISyntaxException {
        return Path.of(AnyTemplateTest.class.getResource("/test-template.yaml").toURI());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clear() {
        TickHandler.TICKS.clear();
    }

    @Test
    void servesTheRoutesOfTheTemplateItIsGiven() {
        assertThat(server.routeKeys()).containsExactlyInAnyOrder("POST /echo/{id}", "GET /echo/{id}", "GET /echo/teapot", "GET /open",
                "ANY /files/{path+}", "GET /pojo", "GET /broken");
        assertThat(server.tableName()).isEqualTo("laurel-local");
    }

    @Test
    void theEventIsWhatApiGatewaySends() {
        Http.Reply r = http.send("POST", "/echo/a%20b?x=1&y=two&x=3&flag", "{\"hello\": \"world\"}", "Bearer local-admin-key",
                Map.of("X-Custom", "Value", "Cookie", "c1=v1; c2=v2", "User-Agent", "laurel-test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode ev = r.json();
        assertThat(ev.path("version").asText()).isEqualTo("2.0");
        assertThat(ev.path("routeKey").asText()).isEqualTo("POST /echo/{id}");
        assertThat(ev.path("rawPath").asText()).isEqualTo("/echo/a%20b");
        assertThat(ev.path("rawQueryString").asText()).isEqualTo("x=1&y=two&x=3&flag");
        assertThat(ev.path("queryStringParameters").path("x").asText()).isEqualTo("1,3");
        assertThat(ev.path("queryStringParameters").path("y").asText()).isEqualTo("two");
        assertThat(ev.path("queryStringParameters").path("flag").asText()).isEqualTo("");
        assertThat(ev.path("pathParameters").path("id").asText()).isEqualTo("a b");
        assertThat(ev.path("headers").path("x-custom").asText()).isEqualTo("Value");
        assertThat(ev.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(ev.path("headers").path("authorization").asText()).isEqualTo("Bearer local-admin-key");
        assertThat(ev.path("headers").path("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(ev.path("headers").has("cookie")).isFalse();
        assertThat(ev.path("cookies").toString()).isEqualTo("[\"c1=v1\",\"c2=v2\"]");
        ev.path("headers").fieldNames().forEachRemaining(n -> assertThat(n).isLowerCase());
        assertThat(ev.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(ev.path("body").asText()).isEqualTo("{\"hello\": \"world\"}");
        JsonNode ctx = ev.path("requestContext");
        assertThat(ctx.path("accountId").asText()).isNotEmpty();
        assertThat(ctx.path("apiId").asText()).isNotEmpty();
        assertThat(ctx.path("domainName").asText()).isEqualTo("127.0.0.1");
        assertThat(ctx.path("http").path("method").asText()).isEqualTo("POST");
        assertThat(ctx.path("http").path("path").asText()).isEqualTo("/echo/a%20b");
        assertThat(ctx.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(ctx.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(ctx.path("http").path("userAgent").asText()).isEqualTo("laurel-test");
        assertThat(ctx.path("requestId").asText()).isEqualTo(r.headers().get("apigw-requestid"));
        assertThat(ctx.path("routeKey").asText()).isEqualTo("POST /echo/{id}");
        assertThat(ctx.path("stage").asText()).isEqualTo("$default");
        // the request's time is the local clock's
        assertThat(ctx.path("timeEpoch").asLong()).isEqualTo(START.toEpochMilli());
        assertThat(ctx.path("time").asText()).isEqualTo("23/Nov/2026:00:30:00 +0000");
        assertThat(ctx.path("authorizer").path("lambda").path("tenant").asText()).isEqualTo("local");
        assertThat(ctx.path("authorizer").path("lambda").path("role").asText()).isEqualTo("admin");
        // the function's answer goes back as it was: status, headers, cookies
        assertThat(r.headers()).containsEntry("x-echo", "yes");
        assertThat(r.headers().get("set-cookie")).contains("session=abc; Path=/").contains("theme=dark");
        assertThat(EchoHandler.lastContext.getFunctionName()).contains("EchoFunction");
        assertThat(EchoHandler.lastContext.getMemoryLimitInMB()).isEqualTo(256);
        assertThat(EchoHandler.lastContext.getRemainingTimeInMillis()).isBetween(1, 7000);
    }

    @Test
    void binaryBodiesAreBase64BothWays() {
        byte[] sent = {(byte) 0xCA, (byte) 0xFE, 0, 1};
        Http.Reply r = http.raw("POST", "/echo/x", sent, "Bearer local-shop-key", Map.of("Content-Type", "image/png"));
        JsonNode ev = r.json();
        assertThat(ev.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(ev.path("body").asText())).isEqualTo(sent);

        Http.Reply binary = http.send("GET", "/echo/binary", null, "Bearer local-shop-key", Map.of());
        assertThat(binary.bytes()).isEqualTo(new byte[] {0, 1, 2, (byte) 255});
        assertThat(binary.headers().get("content-type")).isEqualTo("application/octet-stream");
    }

    @Test
    void noBodyMeansNoBodyField() {
        JsonNode ev = http.send("GET", "/echo/x", null, "Bearer local-shop-key", Map.of()).json();
        assertThat(ev.has("body")).isFalse();
        assertThat(ev.has("queryStringParameters")).isFalse();
        assertThat(ev.path("rawQueryString").asText()).isEmpty();
    }

    @Test
    void theMostSpecificRouteWinsAndGreedyPathsTakeTheRest() {
        Http.Reply teapot = http.send("GET", "/echo/teapot", null, "Bearer local-shop-key", Map.of());
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.json().path("routeKey").asText()).isEqualTo("GET /echo/teapot");
        JsonNode files = http.send("DELETE", "/files/a/b/c.txt", null, "Bearer local-shop-key", Map.of()).json();
        assertThat(files.path("routeKey").asText()).isEqualTo("ANY /files/{path+}");
        assertThat(files.path("pathParameters").path("path").asText()).isEqualTo("a/b/c.txt");
    }

    @Test
    void aRouteWithoutAuthorizerGetsNoAuthorizerContext() {
        Http.Reply r = http.send("GET", "/open", null, null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void handlersOfObjectsWork() {
        Http.Reply r = http.send("GET", "/pojo", null, "Bearer local-shop-key", Map.of());
        // no statusCode in the answer: API Gateway makes it a 200 JSON body
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("routeKey").asText()).isEqualTo("GET /pojo");
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
    }

    @Test
    void aFunctionThatCannotLoadIsA500AndAWarning() {
        Http.Reply r = http.send("GET", "/broken", null, "Bearer local-shop-key", Map.of());
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().path("message").asText()).isEqualTo("Internal Server Error");
        assertThat(server.warnings()).anyMatch(w -> w.contains("BrokenFunction"));
    }

    @Test
    void schedulesAreNamedAfterTheirFunction() {
        List<String> names = server.schedules().stream().map(e -> e.definition().name()).toList();
        assertThat(names).containsExactly("tick", "tick-nightly", "tick-paused");
        JsonNode listed = http.send("GET", "/local/schedules", null, null, Map.of()).json().path("schedules");
        assertThat(listed).hasSize(3);
        assertThat(listed.get(0).path("next").asText()).isEqualTo("2026-11-23T01:30:00Z");
        assertThat(listed.get(1).path("next").asText()).isEqualTo("2026-11-23T02:00:00Z"); // 03:00 in Berlin
        assertThat(listed.get(2).path("enabled").asBoolean()).isFalse();
        assertThat(listed.get(2).has("next")).isFalse();
    }

    @Test
    void movingTheClockRunsWhatBecameDueOnceForTheLatestDueTime() {
        try {
            Http.Reply moved = http.send("POST", "/local/clock", "{\"now\": \"2026-11-23T05:45:00Z\"}", null, Map.of());
            assertThat(moved.json().path("ran").toString()).isEqualTo("[\"tick\",\"tick-nightly\"]");
            assertThat(TickHandler.TICKS).hasSize(2);
            JsonNode hourly = TickHandler.TICKS.get(0).event();
            assertThat(hourly.path("detail-type").asText()).isEqualTo("Scheduled Event");
            assertThat(hourly.path("source").asText()).isEqualTo("aws.events");
            assertThat(hourly.path("time").asText()).isEqualTo("2026-11-23T05:30:00Z");
            assertThat(hourly.path("resources").get(0).asText()).startsWith("arn:aws:events:");
            assertThat(hourly.path("detail").isObject()).isTrue();
            assertThat(TickHandler.TICKS.get(0).seen()).isEqualTo(Instant.parse("2026-11-23T05:45:00Z"));
            JsonNode nightly = TickHandler.TICKS.get(1).event();
            assertThat(nightly.path("source").asText()).isEqualTo("aws.scheduler");
            assertThat(nightly.path("time").asText()).isEqualTo("2026-11-23T02:00:00Z");

            assertThat(http.send("POST", "/local/clock", "{\"advance\": \"PT10M\"}", null, Map.of()).json().path("ran")).isEmpty();
            assertThat(http.send("POST", "/local/clock", "{\"advance\": \"PT40M\"}", null, Map.of()).json().path("ran").toString())
                    .isEqualTo("[\"tick\"]");
            assertThat(TickHandler.TICKS.get(2).event().path("time").asText()).isEqualTo("2026-11-23T06:30:00Z");
        } finally {
            server.clock().set(START, true);
            http.send("POST", "/local/clock", "{\"now\": \"2026-11-23T00:30:00Z\"}", null, Map.of());
        }
    }

    @Test
    void aScheduleRunsOnDemandEvenWhenPaused() {
        Http.Reply r = http.send("POST", "/local/schedules/tick/run", null, null, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("schedule").asText()).isEqualTo("tick");
        assertThat(r.json().path("function").asText()).isEqualTo("TickFunction");
        assertThat(r.json().path("output").path("expired").asInt()).isEqualTo(1);
        assertThat(TickHandler.TICKS.get(0).event().path("time").asText()).isEqualTo("2026-11-23T00:30:00Z");

        Http.Reply paused = http.send("POST", "/local/schedules/tick-paused/run", null, null, Map.of());
        assertThat(paused.status()).isEqualTo(200);
        // a schedule with Input sends exactly that
        assertThat(TickHandler.TICKS.get(1).event().toString()).isEqualTo("{\"paused\":true}");
        assertThat(http.send("GET", "/local/schedules/tick/run", null, null, Map.of()).status()).isEqualTo(405);
    }

    @Test
    void theTickerRunsDueSchedulesOnItsOwn() throws Exception {
        LocalClock clock = new LocalClock();
        clock.set(Instant.parse("2026-11-23T01:29:59Z"), false);
        try (LocalServer ticking = LocalServer.start(LocalServer.Options.defaults(Http.root()).template(testTemplate()).port(0)
                .inMemory(true).log(new PrintStream(java.io.OutputStream.nullOutputStream())), clock)) {
            // the rate counts from the start, so the hourly one is due at 02:29:59: jump to just before
            clock.set(Instant.parse("2026-11-23T02:29:58.500Z"), false);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (TickHandler.TICKS.stream().noneMatch(t -> t.event().path("source").asText().equals("aws.events"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(TickHandler.TICKS).anyMatch(t -> t.event().path("time").asText().equals("2026-11-23T02:29:59Z"));
        }
    }
}
