package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner on the real template.yaml, in memory on a free port, through real HTTP. */
class LocalServerTest {
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static LocalServer server;
    static Http http;

    String program;
    String p;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(LOG, true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void program() {
        program = "p-" + UUID.randomUUID().toString().substring(0, 8);
        p = "/v1/programs/" + program;
    }

    @AfterEach
    void resetClock() {
        server.clock().reset();
    }

    static String minimalProgram() {
        return """
                {"name": "Acme Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [
                   {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                   {"id": "newsletter", "trigger": "newsletter.subscribed", "points": {"fixed": 50}, "limits": {"perCustomer": {"count": 1}}}],
                 "rewards": [{"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000,
                              "limits": {"perCustomer": 5, "totalRedemptions": 500}}],
                 "expiry": {"afterDays": 365}}
                """;
    }

    static String earn(String customer, String order, long totalMinor) {
        return """
                {"customerId": "%s", "event": {"type": "order.paid", "id": "%s",
                 "order": {"totalMinor": %d, "currency": "EUR"}}}""".formatted(customer, order, totalMinor);
    }

    @Test
    void servesExactlyTheTemplatesRoutes() {
        assertThat(server.routeKeys()).containsExactlyInAnyOrder(
                "PUT /v1/programs/{programId}",
                "GET /v1/programs/{programId}",
                "PATCH /v1/programs/{programId}/earningRules/{ruleId}",
                "PATCH /v1/programs/{programId}/rewards/{rewardId}",
                "GET /v1/programs/{programId}/customers",
                "PUT /v1/programs/{programId}/customers/{customerId}",
                "GET /v1/programs/{programId}/customers/{customerId}",
                "GET /v1/programs/{programId}/customers/{customerId}/ledger",
                "POST /v1/programs/{programId}/customers/{customerId}/sessions",
                "PUT /v1/programs/{programId}/imports/{importId}",
                "GET /v1/programs/{programId}/imports/{importId}",
                "POST /v1/programs/{programId}/imports/{importId}/rows",
                "POST /v1/programs/{programId}/imports/{importId}/revert",
                "GET /v1/programs/{programId}/codes/{code}",
                "GET /v1/programs/{programId}/codes/{code}/qr.svg",
                "POST /v1/programs/{programId}/codes/{code}/use",
                "POST /v1/programs/{programId}/earn",
                "POST /v1/programs/{programId}/validate",
                "POST /v1/programs/{programId}/redeem",
                "POST /v1/programs/{programId}/donations",
                "POST /v1/programs/{programId}/redemptions/{redemptionId}/rollback",
                "POST /v1/programs/{programId}/refunds",
                "GET /v1/programs/{programId}/reports/summary",
                "PUT /v1/webhooks/{webhookId}",
                "GET /v1/webhooks/{webhookId}",
                "DELETE /v1/webhooks/{webhookId}",
                "GET /v1/webhooks/{webhookId}/deliveries",
                "POST /v1/keys",
                "GET /v1/keys",
                "DELETE /v1/keys/{keyId}",
                "POST /v1/consent/confirm");
        assertThat(server.warnings()).isEmpty();
        // the route without the authorizer answers without a key (an unknown token: 404 in Laurel's shape, not 401)
        Http.Reply confirm = http.send("POST", "/v1/consent/confirm", "{\"token\": \"" + "A".repeat(43) + "\"}", null, Map.of());
        assertThat(confirm.status()).as(confirm.toString()).isEqualTo(404);
        assertThat(confirm.code()).isEqualTo("not_found");
    }

    /** The runner reads the table's stream (GetRecords) into the stream function: after a drain the report has every change. */
    @Test
    void drainingTheStreamMakesTheReportExact() {
        assertThat(http.admin("PUT", p, minimalProgram()).status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            Http.Reply r = http.shop("POST", p + "/earn", earn("c-" + i, "o-" + i, 10000 + 100 * i));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        Http.Reply redeem = http.shop("POST", p + "/redeem", "{\"customerId\": \"c-2\", \"rewardId\": \"ten-off\", "
                + "\"order\": {\"id\": \"o-9\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "drain-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
        Http.Reply drain = http.send("POST", "/local/streams/drain", null, null, Map.of());
        assertThat(drain.status()).as(drain.toString()).isEqualTo(200);
        String today = java.time.LocalDate.now(server.clock().withZone(java.time.ZoneId.of("Europe/Berlin"))).toString();
        Http.Reply report = http.admin("GET", p + "/reports/summary?from=" + today + "&to=" + today, null);
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        JsonNode totals = report.json().path("totals");
        assertThat(totals.path("membersJoined").asLong()).isEqualTo(3);
        assertThat(totals.path("pointsIssued").asLong()).isEqualTo(100 + 101 + 102);
        assertThat(totals.path("pointsRedeemed").asLong()).isEqualTo(100);
        assertThat(totals.path("redemptions").asLong()).isEqualTo(1);
        assertThat(totals.path("discountMinor").asLong()).isEqualTo(1000);
        assertThat(totals.path("attributedOrderMinor").asLong()).isEqualTo(5000);
        assertThat(report.json().path("outstandingPoints").asLong()).isEqualTo(203);
        // a second drain (it reads the report items' own updates too, which count nowhere) counts nothing twice
        assertThat(http.send("POST", "/local/streams/drain", null, null, Map.of()).status()).isEqualTo(200);
        assertThat(http.admin("GET", p + "/reports/summary?from=" + today + "&to=" + today, null).json()).isEqualTo(report.json());
    }

    /** A member session and a reward code through real HTTP: the runner's own session keys, the authorizer and the till. */
    @Test
    void aMemberSessionAndARewardCodeThroughRealHttp() {
        assertThat(http.admin("PUT", p, minimalProgram()).status()).isEqualTo(201);
        assertThat(http.shop("POST", p + "/earn", earn("c-1", "o-1", 30000)).status()).isEqualTo(200);
        Http.Reply session = http.shop("POST", p + "/customers/c-1/sessions", null);
        assertThat(session.status()).as(session.toString()).isEqualTo(201);
        String token = session.json().path("token").asText();
        Http.Reply wallet = http.send("GET", p + "/customers/c-1", null, "Bearer " + token, Map.of());
        assertThat(wallet.status()).as(wallet.toString()).isEqualTo(200);
        assertThat(http.send("GET", p, null, "Bearer " + token, Map.of()).status()).isEqualTo(403);
        Http.Reply redeemed = http.send("POST", p + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", "
                + "\"order\": {\"id\": \"b-1\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}", "Bearer " + token,
                Map.of("Idempotency-Key", "m-1"));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
        String code = redeemed.json().path("code").asText();
        Http.Reply qr = http.send("GET", p + "/codes/" + code + "/qr.svg", null, "Bearer " + token, Map.of());
        assertThat(qr.headers().get("content-type")).isEqualTo("image/svg+xml");
        assertThat(http.shop("POST", p + "/codes/" + code + "/use", "{\"orderId\": \"pos-1\"}").status()).isEqualTo(200);
        assertThat(http.shop("POST", p + "/codes/" + code + "/use", "{\"orderId\": \"pos-1\"}").status()).isEqualTo(409);
        assertThat(http.send("GET", p + "/customers/c-1", null, "Bearer " + token + "x", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void everyRouteAnswersThroughRealHttp() {
        Http.Reply put = http.admin("PUT", p, minimalProgram());
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.headers()).containsEntry("etag", "\"1\"");
        assertThat(put.headers()).containsKey("apigw-requestid");
        assertThat(put.headers().get("content-type")).startsWith("application/json");

        Http.Reply get = http.admin("GET", p, null);
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.json().path("name").asText()).isEqualTo("Acme Rewards");
        assertThat(get.json().path("version").asLong()).isEqualTo(1);

        Http.Reply customer = http.shop("PUT", p + "/customers/c-1",
                "{\"email\": \"ada@example.com\", \"attributes\": {\"country\": \"DE\"}, \"consent\": {\"marketing\": true}}");
        assertThat(customer.status()).as(customer.toString()).isBetween(200, 201);

        Http.Reply earned = http.shop("POST", p + "/earn", earn("c-1", "o-1", 30000));
        assertThat(earned.status()).as(earned.toString()).isEqualTo(200);
        assertThat(earned.json().path("pointsEarned").asLong()).isEqualTo(300);

        Http.Reply replay = http.shop("POST", p + "/earn", earn("c-1", "o-1", 30000));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.headers()).containsEntry("idempotent-replayed", "true");

        Http.Reply validate = http.shop("POST", p + "/validate",
                "{\"customerId\": \"c-1\", \"order\": {\"totalMinor\": 5000, \"currency\": \"EUR\"}, \"rewards\": [\"ten-off\"]}");
        assertThat(validate.status()).as(validate.toString()).isEqualTo(200);
        assertThat(validate.json().path("valid").asBoolean()).isTrue();

        Http.Reply redeem = http.shop("POST", p + "/redeem",
                "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": {\"id\": \"o-2\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}",
                Map.of("Idempotency-Key", "k-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
        String redemptionId = redeem.json().path("redemptionId").asText();

        Http.Reply rollback = http.shop("POST", p + "/redemptions/" + redemptionId + "/rollback", null);
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);

        Http.Reply refund = http.shop("POST", p + "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 10000}");
        assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
        assertThat(refund.json().path("pointsClawedBack").asLong()).isEqualTo(100);

        Http.Reply ledger = http.shop("GET", p + "/customers/c-1/ledger?limit=10", null);
        assertThat(ledger.status()).as(ledger.toString()).isEqualTo(200);
        assertThat(ledger.json().path("entries").findValuesAsText("type")).contains("earn", "redeem", "rollback", "refund");

        Http.Reply limited = http.shop("GET", p + "/customers/c-1/ledger?limit=1", null);
        assertThat(limited.json().path("entries")).hasSize(1);

        Http.Reply wallet = http.shop("GET", p + "/customers/c-1", null);
        assertThat(wallet.status()).as(wallet.toString()).isEqualTo(200);
        assertThat(wallet.json().path("balance").path("available").asLong()).isEqualTo(200);

        Http.Reply rule = http.admin("PATCH", p + "/earningRules/newsletter", "{\"status\": \"disabled\"}");
        assertThat(rule.status()).as(rule.toString()).isEqualTo(200);
        Http.Reply reward = http.admin("PATCH", p + "/rewards/ten-off", "{\"status\": \"disabled\"}");
        assertThat(reward.status()).as(reward.toString()).isEqualTo(200);
        assertThat(http.admin("GET", p, null).json().path("version").asLong()).isGreaterThan(1);
    }

    @Test
    void missingAuthorizationIsTheGatewaysOwn401() {
        Http.Reply r = http.send("GET", p, null, null, Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).isEqualTo(Http.JSON.createObjectNode().put("message", "Unauthorized"));
    }

    @Test
    void anUnknownKeyIs401InTheErrorShape() {
        Http.Reply r = http.send("GET", p + "/customers/c-1", null, "Bearer not-a-key-we-know", Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthorized");
        assertThat(r.json().path("error").has("message")).isTrue();
        assertThat(r.json().path("error").has("details")).isTrue();
    }

    @Test
    void aShopKeyOnAnAdminRouteIs403() {
        Http.Reply r = http.shop("GET", p, null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("forbidden");
    }

    @Test
    void aPathNoRouteMatchesIsTheGateways404() {
        Http.Reply r = http.admin("GET", "/v1/nothing-here", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json()).isEqualTo(Http.JSON.createObjectNode().put("message", "Not Found"));
        // right path, wrong method: HTTP APIs answer 404 too
        assertThat(http.admin("DELETE", p, null).status()).isEqualTo(404);
    }

    @Test
    void aBinaryBodyArrivesBase64EncodedAndTheHandlerDecodesIt() {
        http.admin("PUT", p, minimalProgram());
        byte[] body = earn("c-b", "o-b", 1000).getBytes(StandardCharsets.UTF_8);
        Http.Reply r = http.raw("POST", p + "/earn", body, "Bearer " + LocalServer.DEFAULT_SHOP_KEY,
                Map.of("Content-Type", "application/octet-stream"));
        // decoded fine, then refused for its type (not "the body is not valid base64" / malformed JSON)
        assertThat(r.status()).as(r.toString()).isEqualTo(415);
        assertThat(r.code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void bodiesOver256KiBAre413InTheErrorShape() {
        byte[] big = new byte[300 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        Http.Reply r = http.raw("POST", p + "/earn", big, "Bearer " + LocalServer.DEFAULT_SHOP_KEY, Map.of("Content-Type", "application/json"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
    }

    @Test
    void theLocalClockIsTheTimeEveryFunctionSees() {
        http.admin("PUT", p, minimalProgram());
        Http.Reply moved = http.send("POST", "/local/clock", "{\"now\": \"2027-03-01T10:00:00Z\", \"frozen\": true}", null, Map.of());
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().path("now").asText()).isEqualTo("2027-03-01T10:00:00Z");
        assertThat(moved.json().path("frozen").asBoolean()).isTrue();
        assertThat(moved.json().path("ran").isArray()).isTrue();
        assertThat(http.send("GET", "/local/clock", null, null, Map.of()).json().path("now").asText()).isEqualTo("2027-03-01T10:00:00Z");

        // no occurredAt: the earn happens "now", on the local clock
        Http.Reply e = http.shop("POST", p + "/earn", earn("c-t", "o-t", 5000));
        assertThat(e.status()).as(e.toString()).isEqualTo(200);
        JsonNode entry = http.shop("GET", p + "/customers/c-t/ledger", null).json().path("entries").get(0);
        assertThat(entry.path("type").asText()).isEqualTo("earn");
        assertThat(entry.path("at").asText()).isEqualTo("2027-03-01T10:00:00Z");
        // and the lot expires 365 days after that day, in Berlin
        JsonNode wallet = http.shop("GET", p + "/customers/c-t", null).json();
        assertThat(wallet.path("expiring").get(0).path("on").asText()).isEqualTo("2028-02-29");

        Http.Reply advanced = http.send("POST", "/local/clock", "{\"advance\": \"P1D\"}", null, Map.of());
        assertThat(advanced.json().path("now").asText()).isEqualTo("2027-03-02T10:00:00Z");

        Http.Reply running = http.send("POST", "/local/clock", "{\"now\": \"2030-01-01T00:00:00Z\"}", null, Map.of());
        assertThat(running.json().path("frozen").asBoolean()).as("frozen stays as it was unless given").isTrue();
        http.send("POST", "/local/clock", "{\"now\": \"2030-01-01T00:00:00Z\", \"frozen\": false}", null, Map.of());
        assertThat(server.clock().frozen()).isFalse();
        assertThat(server.clock().instant()).isBetween(java.time.Instant.parse("2030-01-01T00:00:00Z"),
                java.time.Instant.parse("2030-01-01T00:01:00Z"));
    }

    @Test
    void theClockRouteRejectsWhatItDoesNotKnow() {
        Http.Reply unknown = http.send("POST", "/local/clock", "{\"when\": \"2027-01-01T00:00:00Z\"}", null, Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("invalid_request");
        assertThat(unknown.json().path("error").path("details").path("field").asText()).isEqualTo("when");
        Http.Reply bad = http.send("POST", "/local/clock", "{\"now\": \"tomorrow\"}", null, Map.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(http.send("DELETE", "/local/clock", null, null, Map.of()).status()).isEqualTo(405);
    }

    @Test
    void anUnknownScheduleIs404InTheErrorShape() {
        Http.Reply r = http.send("POST", "/local/schedules/nope/run", null, null, Map.of());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(r.json().path("error").path("message").asText()).contains("nope");
        assertThat(r.json().path("error").path("details").isObject()).isTrue();
        assertThat(r.json().path("error").path("details").size()).isZero();
        assertThat(http.send("GET", "/local/schedules", null, null, Map.of()).json().path("schedules").isArray()).isTrue();
    }

    @Test
    void theOutboxListsNotifications() throws Exception {
        Http.Reply r = http.send("GET", "/local/outbox", null, null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("notifications").isArray()).isTrue();
        server.clock().set(java.time.Instant.parse("2027-01-01T00:00:00Z"), true);
        server.outbox().send(new dev.laurel.notify.Notification("welcome", "welcome", "acme", "Acme", "c-1", null,
                java.time.Instant.parse("2027-01-01T00:00:00Z"), Http.JSON.createObjectNode().put("signupPoints", 25)));
        try {
            JsonNode n = http.send("GET", "/local/outbox", null, null, Map.of()).json().path("notifications").get(0);
            assertThat(n.path("customerId").asText()).isEqualTo("c-1");
            assertThat(n.path("type").asText()).isEqualTo("welcome");
            assertThat(n.path("at").asText()).isEqualTo("2027-01-01T00:00:00Z");
            assertThat(n.path("programId").asText()).isEqualTo("acme");
            assertThat(n.path("payload").path("signupPoints").asLong()).isEqualTo(25);
        } finally {
            server.outbox().clear();
        }
    }

    @Test
    void theBannersExamplesWorkAsPrinted() {
        List<Banner.Example> examples = Banner.EXAMPLES;
        assertThat(examples).hasSize(3);
        for (Banner.Example e : examples) {
            String path = e.path().replace("/demo", "/demo-" + program);
            Http.Reply r = e.admin() ? http.admin(e.method(), path, e.body()) : http.shop(e.method(), path, e.body());
            assertThat(r.status()).as(e.method() + " " + path + " -> " + r).isBetween(200, 201);
        }
        Http.Reply wallet = http.shop("GET", "/v1/programs/demo-" + program + "/customers/c-1", null);
        assertThat(wallet.json().path("balance").path("available").asLong()).isEqualTo(129);
        String banner = Banner.render(server, 1.5);
        assertThat(banner).contains(server.url().toString(), "local-admin-key", "local-shop-key", "curl -s -X PUT ");
    }

    @Test
    void logsOneLinePerRequest() {
        http.admin("GET", p, null);
        String[] lines = LOG.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).anyMatch(l -> l.matches("GET " + java.util.regex.Pattern.quote(p) + " 404 \\d+ms"));
    }
}
