package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.Laurel;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API.md Part 2 "Donations": {@code POST .../donations} spends points as a redemption does
 * (available lots, soonest-expiring first; the debt rules of refunds apply), is idempotent by its
 * Idempotency-Key as redeem is, records a {@code donation} ledger entry, and is reported per
 * charity (reports, {@code donation.made} webhook).
 */
class DonationsTest {
    static final String P = "/v1/programs/p";
    static final String PROGRAM = """
            {"name": "Give", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "gold", "threshold": 100000, "expiryDays": 730}],
             "charities": [{"id": "trees", "name": "Plant a tree", "pointValueMinor": 1},
                           {"id": "sea", "name": "Clean the sea", "pointValueMinor": 5},
                           {"id": "dear", "name": "Expensive", "pointValueMinor": 10000000000000},
                           {"id": "paused", "name": "Paused", "pointValueMinor": 2, "status": "disabled"}],
             "expiry": {"afterDays": 365}}""";

    Hooks hooks;
    Api api;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        hooks = new Hooks();
        api = hooks.api;
        receiver = new WebhookReceiver();
        ok(api.admin("PUT", P, PROGRAM), 201);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    static Api.Reply ok(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    void earn(String customer, String order, long totalMinor) {
        ok(api.shop("POST", P + "/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString())), 200);
        api.clock.advance(Duration.ofSeconds(1));
    }

    Api.Reply donate(String customer, String charity, long points, String key) {
        return api.shop("POST", P + "/donations", "{\"customerId\": \"" + customer + "\", \"charityId\": \"" + charity
                + "\", \"points\": " + points + "}", Invariants.key(key));
    }

    long available(String customer) {
        return Invariants.wallet(api, "p", customer).path("balance").path("available").asLong();
    }

    @Test
    void aDonationSpendsTheSoonestExpiringPointsAndAnswersItsValue() {
        earn("c-1", "o-1", 10000); // 100 points, bronze: expire in 365 days
        Api.Reply d = ok(donate("c-1", "sea", 30, "d-1"), 201);
        JsonNode b = d.body();
        assertThat(b.path("donationId").asText()).isNotEmpty();
        assertThat(b.path("charityId").asText()).isEqualTo("sea");
        assertThat(b.path("points").asLong()).isEqualTo(30);
        assertThat(b.path("valueMinor").asLong()).isEqualTo(150);
        assertThat(b.path("balance").path("available").asLong()).isEqualTo(70);
        assertThat(available("c-1")).isEqualTo(70);
        JsonNode entry = Invariants.ledger(api, "p", "c-1", 50).get(0);
        assertThat(entry.path("type").asText()).isEqualTo("donation");
        assertThat(entry.path("id").asText()).isEqualTo(b.path("donationId").asText());
        assertThat(entry.path("points").asLong()).isEqualTo(-30);
        assertThat(entry.path("details").path("charityId").asText()).isEqualTo("sea");
        assertThat(entry.path("details").path("valueMinor").asLong()).isEqualTo(150);
        Invariants.check(api, "p", "c-1");

        // the same key and body: the first answer, byte for byte, and nothing spent again
        Api.Reply again = ok(donate("c-1", "sea", 30, "d-1"), 201);
        assertThat(again.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(again.body()).isEqualTo(b);
        assertThat(available("c-1")).isEqualTo(70);
        // the same key, another body: 409
        Api.Reply other = ok(donate("c-1", "sea", 31, "d-1"), 409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        assertThat(available("c-1")).isEqualTo(70);
    }

    @Test
    void theSoonestExpiringLotGoesFirstWhateverItsAge() {
        earn("c-1", "o-1", 10000); // 100 points expiring in 365 days (bronze)
        earn("c-1", "o-2", 10000000); // 100000 points: gold from this earn on, its lot lives 730 days
        earn("c-1", "o-3", 5000); // 50 more, gold: 730 days
        ok(donate("c-1", "trees", 120, "d-1"), 201);
        var c = api.store.readWithLots(api.tenant, "p", "c-1");
        // the bronze lot (the soonest to expire) is gone, then 20 from the next soonest
        assertThat(c.lots()).noneMatch(l -> l.orderId() != null && l.orderId().equals("o-1"));
        assertThat(c.available()).isEqualTo(100 + 100000 + 50 - 120);
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void everyPointOneAndRefusalsChangeNothing() {
        earn("c-1", "o-1", 10000);
        ok(donate("c-1", "trees", 1, "one"), 201);
        assertThat(available("c-1")).isEqualTo(99);
        Api.Reply tooMany = ok(donate("c-1", "trees", 100, "too-many"), 409);
        assertThat(tooMany.code()).isEqualTo("insufficient_points");
        assertThat(tooMany.body().path("error").path("details").path("available").asLong()).isEqualTo(99);
        assertThat(ok(donate("c-1", "nope", 1, "unknown"), 404).code()).isEqualTo("not_found");
        Api.Reply paused = ok(donate("c-1", "paused", 1, "paused"), 422);
        assertThat(paused.code()).isEqualTo("not_eligible");
        assertThat(paused.body().path("error").path("details").path("reasons").toString()).contains("disabled");
        assertThat(ok(donate("ghost", "trees", 1, "ghost"), 404).code()).isEqualTo("not_found");
        assertThat(ok(donate("c-1", "trees", 0, "zero"), 400).field()).isEqualTo("points");
        assertThat(ok(api.shop("POST", P + "/donations", "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 1}"), 400)
                .field()).isEqualTo("Idempotency-Key");
        assertThat(ok(api.shop("POST", P + "/donations", "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": \"1\"}",
                Invariants.key("str")), 400).field()).isEqualTo("points");
        assertThat(ok(api.shop("POST", P + "/donations", "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 1, \"x\": 1}",
                Invariants.key("extra")), 400).code()).isEqualTo("invalid_request");
        assertThat(available("c-1")).isEqualTo(99);
        Api.Reply all = ok(donate("c-1", "trees", 99, "all"), 201);
        assertThat(all.body().path("balance").path("available").asLong()).isZero();
        assertThat(api.store.readWithLots(api.tenant, "p", "c-1").lots()).isEmpty();
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void aValuePastTheLimitOfMoneyIsRefusedAtLongLimits() {
        earn("c-1", "o-1", 10000);
        // 2 points at 10^13 minor units each: 2 × 10^13, past what money may hold
        assertThat(ok(donate("c-1", "dear", 2, "dear-2"), 400).field()).isEqualTo("points");
        // at 64-bit limits: 10^13 points × 10^13 minor units overflows a long: still a 400, never a 5xx
        assertThat(ok(donate("c-1", "dear", 10_000_000_000_000L, "dear-max"), 400).field()).isEqualTo("points");
        assertThat(ok(donate("c-1", "trees", Long.MAX_VALUE, "max"), 400).field()).isEqualTo("points");
        Api.Reply one = ok(donate("c-1", "dear", 1, "dear-1"), 201);
        assertThat(one.body().path("valueMinor").asLong()).isEqualTo(10_000_000_000_000L);
        assertThat(available("c-1")).isEqualTo(99);
    }

    @Test
    void aDonationThenARefundOfTheEarningOrderLeavesADebtThatTheNextEarnPays() {
        earn("c-1", "o-1", 10000); // 100
        ok(donate("c-1", "trees", 80, "d-1"), 201);
        Api.Reply refund = ok(api.shop("POST", P + "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 10000}"), 200);
        assertThat(refund.body().path("pointsClawedBack").asLong()).isEqualTo(20);
        assertThat(refund.body().path("uncollectedPoints").asLong()).isEqualTo(80);
        assertThat(refund.body().path("balance").path("owed").asLong()).isEqualTo(80);
        assertThat(ok(donate("c-1", "trees", 1, "d-2"), 409).code()).isEqualTo("insufficient_points");
        earn("c-1", "o-2", 10000); // 100: pays the 80 owed first
        assertThat(available("c-1")).isEqualTo(20);
        ok(donate("c-1", "trees", 20, "d-3"), 201);
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void aReplayAfterTheCharityIsGoneAnswersTheFirstAnswer() {
        earn("c-1", "o-1", 10000);
        Api.Reply first = ok(donate("c-1", "sea", 10, "d-1"), 201);
        ok(api.admin("PUT", P, PROGRAM.replace("""
                {"id": "sea", "name": "Clean the sea", "pointValueMinor": 5},""", "")), 200);
        api.clock.advance(Duration.ofSeconds(1)); // past the program cache's re-check
        Api.Reply replay = ok(donate("c-1", "sea", 10, "d-1"), 201);
        assertThat(replay.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(ok(donate("c-1", "sea", 10, "d-2"), 404).code()).isEqualTo("not_found");
        assertThat(available("c-1")).isEqualTo(90);
    }

    @Test
    void concurrentDonationsNeverSpendMoreThanTheBalance() {
        earn("c-1", "o-1", 10000); // 100
        List<java.util.concurrent.Callable<Api.Reply>> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "race-" + i;
            tasks.add(() -> donate("c-1", "trees", 10, key));
        }
        List<Api.Reply> replies = Invariants.race(12, tasks);
        long given = replies.stream().filter(r -> r.status() == 201).count();
        assertThat(replies).allMatch(r -> r.status() == 201 || r.status() == 409 || r.status() == 429, "201, 409 or 429");
        assertThat(given).isLessThanOrEqualTo(10);
        assertThat(available("c-1")).isEqualTo(100 - 10 * given);
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void theReportCountsEachCharityAndAWebhookHearsEachDonation() {
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, "[\"donation.made\"]", null)), 201);
        earn("c-1", "o-1", 10000);
        earn("c-2", "o-2", 20000);
        Api.Reply d1 = ok(donate("c-1", "trees", 40, "d-1"), 201);
        ok(donate("c-2", "sea", 15, "d-2"), 201);
        ok(donate("c-2", "trees", 5, "d-3"), 201);
        ok(donate("c-2", "trees", 5, "d-3"), 201); // a replay: counted once
        hooks.drain();
        StreamHandler reports = new StreamHandler(new Laurel(api.store, api.clock, Duration.ofSeconds(5)));
        StreamReplayTest.deliver(reports, "shardId-r", hooks.records());
        StreamReplayTest.deliver(reports, "shardId-r", hooks.records()); // again: nothing twice
        JsonNode report = ok(api.admin("GET", P + "/reports/summary?from=2026-11-23&to=2026-11-23", null), 200).body();
        assertThat(report.path("totals").path("pointsDonated").asLong()).isEqualTo(60);
        assertThat(report.path("days").get(0).path("pointsDonated").asLong()).isEqualTo(60);
        assertThat(report.path("charities").toString()).isEqualTo(
                "[{\"charityId\":\"sea\",\"points\":15,\"valueMinor\":75},{\"charityId\":\"trees\",\"points\":45,\"valueMinor\":45}]");
        assertThat(report.path("outstandingPoints").asLong()).isEqualTo(300 - 60);

        List<WebhookReceiver.Received> got = receiver.received("donation.made");
        assertThat(got).hasSize(3);
        got.forEach(r -> OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), r.envelope()));
        JsonNode first = got.stream().map(WebhookReceiver.Received::envelope)
                .filter(e -> e.path("customerId").asText().equals("c-1")).findFirst().orElseThrow();
        assertThat(first.path("data").path("donationId").asText()).isEqualTo(d1.body().path("donationId").asText());
        assertThat(first.path("data").path("charityId").asText()).isEqualTo("trees");
        assertThat(first.path("data").path("points").asLong()).isEqualTo(40);
        assertThat(first.path("data").path("valueMinor").asLong()).isEqualTo(40);
    }

    @Test
    void charitiesAreValidatedWholeWithTheirPaths() {
        Api.Reply r = ok(api.admin("PUT", "/v1/programs/bad", """
                {"name": "Bad", "currency": "EUR", "timezone": "Europe/Berlin", "earningRules": [],
                 "charities": [{"id": "a", "name": "A", "pointValueMinor": 1},
                               {"id": "a", "name": "B", "pointValueMinor": 0},
                               {"id": "c", "pointValueMinor": 1.5},
                               {"id": "d d", "name": "D", "pointValueMinor": 10000000000001, "extra": 1}]}"""), 400);
        String problems = r.body().path("error").path("details").toString();
        assertThat(problems).contains("charities[1].id", "charities[1].pointValueMinor", "charities[2].name",
                "charities[2].pointValueMinor", "charities[3].id", "charities[3].pointValueMinor", "charities[3].extra");
    }
}
