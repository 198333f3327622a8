package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Outbound webhooks end to end against real HTTP receivers: events from committed items only,
 * signed, each once for a receiver deduping on id however the stream delivers, retried with
 * backoff, dead after 24 h and listed, filtered by event, program and status.
 */
class WebhooksTest {
    static final String P = "/v1/programs/acme";
    static final String ALL_CORE = "[\"customer.joined\", \"customer.updated\", \"points.earned\", \"points.expired\", "
            + "\"points.refunded\", \"reward.redeemed\", \"redemption.rolled_back\", \"tier.changed\"]";

    Hooks hooks;
    Api api;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        hooks = new Hooks();
        api = hooks.api;
        receiver = new WebhookReceiver();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private void ok(Api.Reply r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
    }

    private Api.Reply earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        ok(r);
        return r;
    }

    @Test
    void everyEventTypeOfTheCoreArrivesSignedInTheOrderOfItsSequence() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, ALL_CORE, null)));
        ok(api.shop("PUT", P + "/customers/c-1", "{\"email\": \"a@example.com\", \"attributes\": {\"country\": \"DE\"}}"));
        ok(api.shop("PUT", P + "/customers/c-1", "{\"email\": \"b@example.com\"}"));
        earn("c-1", "o-1", 60_000); // 600 points, doubled on a Monday in DE: 1200, bronze -> silver
        Api.Reply redeem = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-2\", \"totalMinor\": 3000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "r-1"));
        ok(redeem);
        ok(api.shop("POST", P + "/redemptions/" + redeem.body().path("redemptionId").asText() + "/rollback", null));
        ok(api.shop("POST", P + "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 5000}"));
        hooks.drain();
        api.clock.advance(Duration.ofDays(400));
        new Jobs(api).expiry();
        hooks.drain();

        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).allMatch(WebhookReceiver.Received::signatureValid);
        // every body is a WebhookEvent of api/openapi.yaml (closed schemas: no undocumented field)
        got.forEach(r -> OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), r.envelope()));
        assertThat(got.stream().map(WebhookReceiver.Received::id).distinct().count()).as("each event once").isEqualTo(got.size());
        List<WebhookReceiver.Received> bySequence = new ArrayList<>(got);
        bySequence.sort(Comparator.comparingLong(r -> r.envelope().path("sequence").asLong()));
        List<String> types = new ArrayList<>();
        bySequence.forEach(r -> {
            if (!types.contains(r.type())) {
                types.add(r.type());
            }
        });
        assertThat(types).containsExactly("customer.joined", "customer.updated", "points.earned", "tier.changed", "reward.redeemed",
                "redemption.rolled_back", "points.refunded", "points.expired");
        assertThat(bySequence.stream().map(r -> r.envelope().path("sequence").asLong()).collect(Collectors.toSet()))
                .as("sequences are distinct").hasSize(got.size());
        // balance changes alone (earn, redeem, ...) are no customer.updated: only the email change is
        assertThat(receiver.received("customer.updated")).hasSize(1);
        JsonNode updated = receiver.received("customer.updated").get(0).envelope();
        assertThat(updated.path("data").path("email").asText()).isEqualTo("b@example.com");
        assertThat(updated.path("data").path("changed").toString()).contains("email");
        JsonNode earned = receiver.received("points.earned").get(0).envelope();
        assertThat(earned.path("programId").asText()).isEqualTo("acme");
        assertThat(earned.path("customerId").asText()).isEqualTo("c-1");
        assertThat(earned.path("id").asText()).startsWith("evt_");
        assertThat(earned.path("data").path("points").asLong()).isEqualTo(1200);
        assertThat(earned.path("data").path("orderId").asText()).isEqualTo("o-1");
        assertThat(earned.path("createdAt").asText()).isEqualTo("2026-11-23T09:00:00Z");
        JsonNode tier = receiver.received("tier.changed").get(0).envelope();
        assertThat(tier.path("data").path("tierId").asText()).isEqualTo("silver");
        assertThat(tier.path("data").path("previousTierId").asText()).isEqualTo("bronze");
        assertThat(receiver.received("reward.redeemed").get(0).envelope().path("data").path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(receiver.received("customer.joined").get(0).envelope().path("data").path("attributes").path("country").asText())
                .isEqualTo("DE");
    }

    @Test
    void aReceiverDedupingOnIdSeesEachEventOnceHoweverTheStreamDelivers() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, ALL_CORE, null)));
        for (int i = 0; i < 6; i++) {
            earn("c-" + i, "o-" + i, 10_000 + i);
            earn("c-" + i, "o-b" + i, 20_000 + i);
        }
        List<Record> records = hooks.records();
        // the whole stream, then again, then overlapping halves, then record by record backwards
        hooks.deliver(records);
        int first = receiver.received().size();
        hooks.deliver(records);
        hooks.deliver(records.subList(0, records.size() / 2 + 3));
        hooks.deliver(records.subList(records.size() / 2 - 3, records.size()));
        for (int i = records.size() - 1; i >= 0; i--) {
            hooks.deliver(records.subList(i, i + 1));
        }
        assertThat(first).as("12 earns of 6 new members").isEqualTo(6 + 12);
        assertThat(receiver.received()).as("nothing is sent twice").hasSize(first);
        assertThat(receiver.accepted()).hasSize(first);
        // sequence increases per customer, in commit order
        Map<String, List<Long>> perCustomer = new LinkedHashMap<>();
        for (WebhookReceiver.Received r : receiver.received()) {
            perCustomer.computeIfAbsent(r.envelope().path("customerId").asText(), k -> new ArrayList<>())
                    .add(r.envelope().path("sequence").asLong());
        }
        for (var e : perCustomer.entrySet()) {
            List<JsonNode> byType = receiver.received().stream().map(WebhookReceiver.Received::envelope)
                    .filter(x -> x.path("customerId").asText().equals(e.getKey()) && x.path("type").asText().equals("points.earned"))
                    .sorted(Comparator.comparingLong(x -> x.path("sequence").asLong())).toList();
            assertThat(byType).hasSize(2);
            assertThat(byType.get(0).path("data").path("orderId").asText()).as("the earlier earn has the lower sequence")
                    .startsWith("o-").doesNotStartWith("o-b");
            long joined = receiver.received().stream().map(WebhookReceiver.Received::envelope)
                    .filter(x -> x.path("customerId").asText().equals(e.getKey()) && x.path("type").asText().equals("customer.joined"))
                    .findFirst().orElseThrow().path("sequence").asLong();
            assertThat(joined).isLessThan(byType.get(0).path("sequence").asLong());
        }
    }

    @Test
    void aFailingReceiverGetsTheSameEventAgainWithBackoffUntilItAccepts() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", null)));
        receiver.failNext(2, 503);
        earn("c-1", "o-1", 10_000);
        hooks.drain();
        assertThat(receiver.received()).hasSize(1);
        Api.Reply failed = api.admin("GET", "/v1/webhooks/crm/deliveries?status=failed", null);
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.body().path("deliveries")).hasSize(1);
        JsonNode d = failed.body().path("deliveries").get(0);
        assertThat(d.path("attempts").asInt()).isEqualTo(1);
        assertThat(d.path("status").asText()).isEqualTo("failed");
        assertThat(d.path("lastError").asText()).contains("503");
        assertThat(d.path("event").path("type").asText()).isEqualTo("points.earned");
        // not due yet: the run sends nothing
        assertThat(hooks.run().path("claimed").asInt()).isZero();
        api.clock.advance(Duration.ofSeconds(75)); // past the first backoff (1 min ± 20%)
        assertThat(hooks.run().path("failed").asInt()).isEqualTo(1);
        api.clock.advance(Duration.ofSeconds(30)); // the second backoff is 2 min ± 20%: not yet
        assertThat(hooks.run().path("claimed").asInt()).isZero();
        api.clock.advance(Duration.ofMinutes(3));
        assertThat(hooks.run().path("delivered").asInt()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received().stream().map(WebhookReceiver.Received::id).distinct()).hasSize(1);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(api.admin("GET", "/v1/webhooks/crm/deliveries?status=failed", null).body().path("deliveries")).isEmpty();
        api.clock.advance(Duration.ofHours(2));
        assertThat(hooks.run().path("claimed").asInt()).as("a delivered event is done").isZero();
    }

    @Test
    void aReceiverThatTimesOutIsRetriedAndASlowOneIsServedWithinTheTimeout() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", null)));
        receiver.delay(Hooks.TIMEOUT.multipliedBy(3));
        for (int i = 0; i < 8; i++) {
            earn("c-" + i, "o-" + i, 10_000);
        }
        long start = System.nanoTime();
        hooks.drain();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("8 timeouts in parallel hold the shard about one timeout, not eight").isLessThan(Hooks.TIMEOUT.toMillis() * 4);
        JsonNode failed = api.admin("GET", "/v1/webhooks/crm/deliveries?status=failed", null).body();
        assertThat(failed.path("deliveries")).hasSize(8);
        assertThat(failed.path("deliveries").get(0).path("lastError").asText()).contains("timed out");
        receiver.delay(Hooks.TIMEOUT.dividedBy(3)); // slow, but within the timeout
        api.clock.advance(Duration.ofMinutes(2));
        assertThat(hooks.run().path("delivered").asInt()).isEqualTo(8);
        assertThat(receiver.accepted()).hasSize(8);
    }

    @Test
    void aRefusedConnectionFailsAndAfter24HoursOfFailuresTheDeliveryIsDeadAndListed() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ok(hooks.putHook("gone", Hooks.hook("http://127.0.0.1:" + closedPort + "/hook", "0123456789abcdef", "[\"points.earned\"]", null)));
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", null)));
        receiver.answer(() -> 500);
        for (int i = 0; i < 3; i++) {
            earn("c-" + i, "o-" + i, 10_000);
        }
        hooks.drain();
        JsonNode gone = api.admin("GET", "/v1/webhooks/gone/deliveries", null).body();
        assertThat(gone.path("deliveries")).hasSize(3);
        assertThat(gone.path("deliveries").get(0).path("lastError").asText()).contains("connect");
        // an hour of retries: each run attempts what is due
        for (int m = 0; m < 60; m++) {
            api.clock.advance(Duration.ofMinutes(1));
            hooks.run();
        }
        int afterAnHour = receiver.received().size();
        assertThat(afterAnHour).as("1, 2, 4, 8, 16 min backoff: 5 or 6 attempts each in the first hour").isBetween(3 * 5, 3 * 7);
        api.clock.advance(Duration.ofHours(23));
        JsonNode run = hooks.run();
        assertThat(run.path("dead").asInt()).as(run.toString()).isEqualTo(6);
        for (String hook : List.of("crm", "gone")) {
            assertThat(api.admin("GET", "/v1/webhooks/" + hook + "/deliveries?status=failed", null).body().path("deliveries")).isEmpty();
            Api.Reply dead = api.admin("GET", "/v1/webhooks/" + hook + "/deliveries?status=dead&limit=2", null);
            assertThat(dead.body().path("deliveries")).as(dead.toString()).hasSize(2);
            assertThat(dead.body().path("deliveries").get(0).path("status").asText()).isEqualTo("dead");
            Api.Reply rest = api.admin("GET", "/v1/webhooks/" + hook + "/deliveries?status=dead&limit=2&cursor="
                    + dead.body().path("cursor").asText(), null);
            assertThat(rest.body().path("deliveries")).as(rest.toString()).hasSize(1);
            assertThat(rest.body().has("cursor")).isFalse();
            Set<String> ids = new HashSet<>();
            dead.body().path("deliveries").forEach(x -> ids.add(x.path("id").asText()));
            rest.body().path("deliveries").forEach(x -> ids.add(x.path("id").asText()));
            assertThat(ids).hasSize(3);
        }
        // settled deliveries carry the table's TTL attribute: dead ones 30 days after they died
        var items = LocalDynamo.get().client().scan(b -> b.tableName(hooks.table)).items().stream()
                .filter(i -> i.get("sk").s().startsWith("H#")).toList();
        assertThat(items).hasSize(6).allSatisfy(i -> assertThat(Long.parseLong(i.get("deleteAt").n()))
                .isEqualTo(api.clock.instant().plus(Duration.ofDays(30)).getEpochSecond()));
        int sent = receiver.received().size();
        api.clock.advance(Duration.ofDays(2));
        hooks.run();
        assertThat(receiver.received()).as("a dead letter is not sent again").hasSize(sent);
    }

    @Test
    void aRefusedRequestEmitsNothing() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, ALL_CORE, null)));
        earn("c-1", "o-1", 5_000); // 50 points: not enough for ten-off (100)
        hooks.drain();
        int before = receiver.received().size();
        Api.Reply refused = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-2\", \"totalMinor\": 3000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "r-1"));
        assertThat(refused.status()).isEqualTo(409);
        Api.Reply badEarn = api.shop("POST", P + "/earn", "{\"customerId\": \"c-2\", \"event\": {\"type\": \"order.paid\", \"id\": \"x\", "
                + "\"order\": {\"totalMinor\": -1, \"currency\": \"EUR\"}}}");
        assertThat(badEarn.status()).isEqualTo(400);
        hooks.drain();
        assertThat(receiver.received()).hasSize(before);
        assertThat(receiver.received("reward.redeemed")).isEmpty();
        assertThat(receiver.received().stream().filter(r -> r.envelope().path("customerId").asText().equals("c-2"))).isEmpty();
    }

    @Test
    void subscriptionsFilterByEventAndProgramAndADisabledWebhookGetsNothing() throws Exception {
        assertThat(api.admin("PUT", "/v1/programs/other", Api.minimalProgram()).status()).isEqualTo(201);
        try (WebhookReceiver joins = new WebhookReceiver(); WebhookReceiver off = new WebhookReceiver()) {
            ok(hooks.putHook("acme-earns", Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", "\"programs\": [\"acme\"]")));
            ok(hooks.putHook("joins", Hooks.hook(joins.url(), joins.secret, "[\"customer.joined\", \"referral.completed\"]", null)));
            ok(hooks.putHook("off", Hooks.hook(off.url(), off.secret, ALL_CORE, "\"status\": \"disabled\"")));
            earn("c-1", "o-1", 10_000);
            ok(api.shop("POST", "/v1/programs/other/earn", Api.orderPaid("c-1", "o-1", 10_000, api.clock.instant().toString())));
            hooks.drain();
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::type).containsExactly("points.earned");
            assertThat(receiver.received().get(0).envelope().path("programId").asText()).isEqualTo("acme");
            assertThat(joins.received()).extracting(r -> r.envelope().path("programId").asText())
                    .containsExactlyInAnyOrder("acme", "other");
            assertThat(joins.received()).allMatch(r -> r.type().equals("customer.joined"));
            assertThat(off.received()).isEmpty();
        }
    }

    @Test
    void theSecretIsWriteOnlyAndBadInputChangesNothing() {
        String body = Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", "\"programs\": [\"acme\"]");
        Api.Reply created = hooks.putHook("crm", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().has("secret")).isFalse();
        assertThat(created.body().toString()).doesNotContain(receiver.secret);
        assertThat(hooks.putHook("crm", body).status()).as("the same again replaces it").isEqualTo(200);
        Api.Reply got = api.admin("GET", "/v1/webhooks/crm", null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().toString()).doesNotContain(receiver.secret);
        assertThat(got.body().path("url").asText()).isEqualTo(receiver.url());
        assertThat(got.body().path("status").asText()).isEqualTo("active");
        String u = receiver.url();
        String s = "0123456789abcdef";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(Hooks.hook(u, s, "[\"points.earnt\"]", null), "events[0]");
        bad.put(Hooks.hook(u, s, "[]", null), "events");
        bad.put(Hooks.hook(u, s, "[\"points.earned\", \"points.earned\"]", null), "events");
        bad.put(Hooks.hook(u, s, "\"points.earned\"", null), "events");
        bad.put(Hooks.hook("ftp://127.0.0.1/x", s, "[\"points.earned\"]", null), "url");
        bad.put(Hooks.hook("/relative", s, "[\"points.earned\"]", null), "url");
        bad.put(Hooks.hook("http://user:pw@127.0.0.1/x", s, "[\"points.earned\"]", null), "url");
        bad.put(Hooks.hook(u, "short", "[\"points.earned\"]", null), "secret");
        bad.put(Hooks.hook(u, s, "[\"points.earned\"]", "\"status\": \"paused\""), "status");
        bad.put(Hooks.hook(u, s, "[\"points.earned\"]", "\"programs\": [\"a b\"]"), "programs[0]");
        bad.put(Hooks.hook(u, s, "[\"points.earned\"]", "\"colour\": \"red\""), "colour");
        bad.put("{\"secret\": \"" + s + "\", \"events\": [\"points.earned\"]}", "url");
        for (var e : bad.entrySet()) {
            Api.Reply r = hooks.putHook("crm", e.getKey());
            assertThat(r.status()).as(e.getKey() + " -> " + r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_request");
            assertThat(r.field()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(api.admin("GET", "/v1/webhooks/crm", null).body()).as("unchanged").isEqualTo(got.body());
        assertThat(api.admin("GET", "/v1/webhooks/nope", null).status()).isEqualTo(404);
        assertThat(api.shop("GET", "/v1/webhooks/crm", null).status()).isEqualTo(403);
        assertThat(new Api().admin("GET", "/v1/webhooks/crm", null).status()).as("another tenant's").isEqualTo(404);
        assertThat(api.admin("GET", "/v1/webhooks/crm/deliveries?status=delivered", null).field()).isEqualTo("status");
        assertThat(api.admin("GET", "/v1/webhooks/crm/deliveries?cursor=bm9wZQ", null).field()).isEqualTo("cursor");
        assertThat(api.admin("GET", "/v1/webhooks/crm/deliveries?limit=101", null).field()).isEqualTo("limit");
        Api.Reply deleted = api.admin("DELETE", "/v1/webhooks/crm", null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(api.admin("GET", "/v1/webhooks/crm", null).status()).isEqualTo(404);
        assertThat(api.admin("DELETE", "/v1/webhooks/crm", null).status()).isEqualTo(404);
    }

    /** Deployed, only https URLs of public addresses are accepted, and a request is refused again if the name turns private. */
    @Test
    void deployedOnlyHttpsUrlsOfPublicAddressesAreAccepted() throws Exception {
        var routes = dev.laurel.api.WebhookSetup.publicOnly().routes(hooks.laurel);
        for (String url : List.of("http://example.com/hook", "https://127.0.0.1/hook", "https://localhost:8443/hook", "https://10.1.2.3/hook",
                "https://192.168.0.10/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://100.64.0.1/hook",
                "https://0.0.0.0/hook")) {
            var req = new dev.laurel.api.Request("PUT /v1/webhooks/{webhookId}", "PUT", "/v1/webhooks/crm", Map.of("webhookId", "crm"),
                    Map.of(), Map.of("content-type", "application/json"),
                    Hooks.hook(url, "0123456789abcdef", "[\"points.earned\"]", null), api.tenant, "admin");
            var refused = org.assertj.core.api.Assertions.catchThrowableOfType(dev.laurel.domain.Refused.class, () -> routes.put(req));
            assertThat(refused).as(url).isNotNull();
            assertThat(refused.refusal().details()).as(url).containsEntry("field", "url");
        }
        assertThat(api.admin("GET", "/v1/webhooks/crm", null).status()).as("nothing stored").isEqualTo(404);
        var req = new dev.laurel.api.Request("PUT /v1/webhooks/{webhookId}", "PUT", "/v1/webhooks/crm", Map.of("webhookId", "crm"),
                Map.of(), Map.of("content-type", "application/json"),
                Hooks.hook("https://93.184.215.14/hook", "0123456789abcdef", "[\"points.earned\"]", null), api.tenant, "admin");
        assertThat(routes.put(req).status()).as("a public https address").isEqualTo(201);
        // at send time too: the guard resolves the host before each request
        var deployed = dev.laurel.notify.WebhookTargets.deployed(false);
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(dev.laurel.notify.DeliveryException.class,
                () -> deployed.post(receiver.url().replace("http:", "https:"), receiver.secret, "evt_1", "points.earned", "{}"));
        assertThat(thrown).isNotNull();
        assertThat(thrown.getMessage()).contains("not a public address");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aReplaceKeepsCreatedAtAndATenantHasAtMost25Webhooks() {
        String body = Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", null);
        assertThat(hooks.putHook("w-0", body).status()).isEqualTo(201);
        api.clock.advance(Duration.ofDays(1));
        Api.Reply replaced = hooks.putHook("w-0", Hooks.hook(receiver.url(), receiver.secret, "[\"points.earned\"]", "\"status\": \"disabled\""));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().path("createdAt").asText()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(replaced.body().path("updatedAt").asText()).isEqualTo("2026-11-24T09:00:00Z");
        assertThat(api.admin("GET", "/v1/webhooks/w-0", null).body()).isEqualTo(replaced.body());
        for (int i = 1; i < 25; i++) {
            assertThat(hooks.putHook("w-" + i, body).status()).isEqualTo(201);
        }
        Api.Reply tooMany = hooks.putHook("w-25", body);
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
        assertThat(tooMany.field()).isEqualTo("webhookId");
        assertThat(api.admin("GET", "/v1/webhooks/w-25", null).status()).isEqualTo(404);
        assertThat(hooks.putHook("w-24", body).status()).as("replacing one is no new one").isEqualTo(200);
    }

    /** The database unreachable from the consumer: the batch answers a failure from its first change, and nothing is lost. */
    @Test
    void aBatchTheConsumerCannotApplyIsDeliveredAgainFromItsFirstChange() throws Exception {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, ALL_CORE, null)));
        earn("c-1", "o-1", 10_000);
        List<Record> records = hooks.records();
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        var down = LocalDynamo.client(java.net.URI.create("http://127.0.0.1:" + closedPort));
        var broken = new dev.laurel.functions.webhooks.WebhookStreamHandler(new dev.laurel.app.Laurel(
                new dev.laurel.store.dynamodb.DynamoStore(down, hooks.table), api.clock, Duration.ZERO),
                dev.laurel.api.WebhookSetup.local(Hooks.TIMEOUT));
        var out = new java.io.ByteArrayOutputStream();
        broken.handleRequest(new java.io.ByteArrayInputStream(dev.laurel.local.LocalStreams.event("shardId-hooks", records)), out, null);
        JsonNode answer = dev.laurel.json.Json.read(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        // the records before the first one with an event (the program, the webhook, the idempotency record) needed no database
        String firstEvent = records.stream().filter(r -> r.dynamodb().keys().get("pk").s().contains("#C#")
                && (r.dynamodb().keys().get("sk").s().equals("P") || r.dynamodb().keys().get("sk").s().startsWith("E#")))
                .findFirst().orElseThrow().dynamodb().sequenceNumber();
        assertThat(answer.path("batchItemFailures").get(0).path("itemIdentifier").asText()).as(answer.toString())
                .isEqualTo(firstEvent);
        assertThat(receiver.received()).isEmpty();
        hooks.deliver(records); // Lambda delivers it again, the database back
        assertThat(receiver.received()).extracting(WebhookReceiver.Received::type)
                .containsExactlyInAnyOrder("customer.joined", "points.earned");
    }
}
