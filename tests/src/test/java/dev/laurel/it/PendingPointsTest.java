package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Customer;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pending points ({@code "pending": {"days": 14}}): points earned on an order wait out the return
 * window before they can be spent; a refund inside the window cancels them; when the window ends
 * they are available at once to every read and write, and the expiry run writes the release.
 */
class PendingPointsTest {
    static final String PROGRAM = """
            {"name": "Pending", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "review", "trigger": "review.written", "points": {"fixed": 20}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}],
             "pending": {"days": 14},
             "expiry": {"afterDays": 365}}
            """;
    Api api;
    Jobs jobs;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        assertThat(api.admin("PUT", "/v1/programs/p", PROGRAM).status()).isEqualTo(201);
    }

    Api.Reply earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    Api.Reply redeem(String customer, String key) {
        return api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"" + customer + "\", \"rewardId\": \"mug\"}",
                Invariants.key(key));
    }

    Api.Reply refund(String customer, String order, long amountMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"" + customer + "\", \"orderId\": \"" + order + "\", \"amountMinor\": " + amountMinor + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    @Test
    void orderPointsArePendingForTheReturnWindowAndCannotBeSpent() {
        Api.Reply e = earn("c-1", "o-1", 12999);
        assertThat(e.body().path("pointsEarned").asLong()).isEqualTo(129);
        assertThat(e.body().path("balance").path("available").asLong()).isZero();
        assertThat(e.body().path("balance").path("pending").asLong()).isEqualTo(129);
        // 14 days after 2026-11-23 in Berlin: available from the start of 2026-12-08 (23:00 UTC the day before)
        assertThat(e.body().path("pendingUntil").asText()).isEqualTo("2026-12-07T23:00:00Z");
        JsonNode wallet = Invariants.wallet(api, "p", "c-1");
        assertThat(wallet.path("pending").get(0).path("points").asLong()).isEqualTo(129);
        assertThat(wallet.path("pending").get(0).path("availableOn").asText()).isEqualTo("2026-12-08");
        assertThat(wallet.path("rewards").get(0).path("affordable").asBoolean()).isFalse();
        Api.Reply r = redeem("c-1", "r-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("insufficient_points");

        // points that are not from an order are available at once
        Api.Reply review = api.shop("POST", "/v1/programs/p/earn",
                "{\"customerId\": \"c-1\", \"event\": {\"type\": \"review.written\", \"id\": \"rv-1\"}}");
        assertThat(review.body().path("balance").path("available").asLong()).as(review.toString()).isEqualTo(20);
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void aRefundInsideTheWindowCancelsThePendingPoints() {
        earn("c-1", "o-1", 20000);
        Api.Reply half = refund("c-1", "o-1", 10000);
        assertThat(half.body().path("pointsClawedBack").asLong()).isEqualTo(100);
        assertThat(half.body().path("pendingCancelled").asLong()).isEqualTo(100);
        assertThat(half.body().path("uncollectedPoints").asLong()).isZero();
        assertThat(half.body().path("balance").path("pending").asLong()).isEqualTo(100);
        Api.Reply rest = refund("c-1", "o-1", 10000);
        assertThat(rest.body().path("balance").path("pending").asLong()).isZero();
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.sum("earn") + s.sum("refund")).isZero();
        // nothing is left to release when the window ends
        api.clock.set(Instant.parse("2026-12-08T00:00:00Z"));
        List<JsonNode> run = jobs.expiry();
        assertThat(run.get(0).path("pointsReleased").asLong()).isZero();
        assertThat(Invariants.check(api, "p", "c-1").available()).isZero();
    }

    @Test
    void whenTheWindowEndsThePointsAreAvailableToReadsAndWritesAndTheExpiryRunRecordsIt() {
        earn("c-1", "o-1", 20000);
        earn("c-2", "o-2", 30000);
        api.clock.set(Instant.parse("2026-12-07T22:59:59Z"));
        assertThat(Invariants.wallet(api, "p", "c-1").path("balance").path("pending").asLong()).isEqualTo(200);
        api.clock.set(Instant.parse("2026-12-07T23:00:00Z"));
        JsonNode w = Invariants.wallet(api, "p", "c-1");
        assertThat(w.path("balance").path("available").asLong()).as(w.toString()).isEqualTo(200);
        assertThat(w.path("balance").path("pending").asLong()).isZero();
        assertThat(w.path("pending")).isEmpty();
        // a write settles it for good: c-1 redeems before any expiry run
        Api.Reply r = redeem("c-1", "r-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(100);
        Customer stored = api.store.readWithLots(api.tenant, "p", "c-1");
        assertThat(stored.pending()).isZero();
        assertThat(stored.available()).isEqualTo(100);
        // c-2 is only read: the expiry run records their release
        assertThat(api.store.readWithLots(api.tenant, "p", "c-2").pending()).isEqualTo(300);
        List<JsonNode> run = jobs.expiry();
        assertThat(run.get(0).path("lotsReleased").asLong()).as(run.toString()).isEqualTo(1);
        assertThat(run.get(0).path("pointsReleased").asLong()).isEqualTo(300);
        Customer c2 = api.store.readWithLots(api.tenant, "p", "c-2");
        assertThat(c2.pending()).isZero();
        assertThat(c2.available()).isEqualTo(300);
        assertThat(c2.lots()).allMatch(l -> !l.pending());
        assertThat(jobs.expiry().get(0).path("pointsReleased").asLong()).as("released once").isZero();
        Invariants.check(api, "p", "c-1");
        Invariants.check(api, "p", "c-2");
        // after the window a refund takes available points
        Api.Reply late = refund("c-2", "o-2", 30000);
        assertThat(late.body().path("pointsClawedBack").asLong()).isEqualTo(300);
        assertThat(late.body().path("pendingCancelled").asLong()).isZero();
    }

    @Test
    void validateAndTheRewardAvailableReminderCountPendingPointsOnlyOnceTheWindowEnds() {
        assertThat(api.admin("PUT", "/v1/programs/p", PROGRAM.replace("\"pending\"",
                "\"reminders\": {\"rewardAvailable\": true}, \"pending\"")).status()).isEqualTo(200);
        assertThat(api.shop("PUT", "/v1/programs/p/customers/c-1", "{\"consent\": {\"marketing\": true}}").status())
                .isEqualTo(201);
        earn("c-1", "o-1", 20000);
        String validate = "{\"customerId\": \"c-1\", \"rewards\": [\"mug\"]}";
        Api.Reply before = api.shop("POST", "/v1/programs/p/validate", validate);
        assertThat(before.body().path("rewards").get(0).path("reasons").toString()).contains("insufficient_points");
        assertThat(jobs.reminders().get(0).path("sent").asLong()).isZero();

        api.clock.set(Instant.parse("2026-12-08T00:00:00Z"));
        Api.Reply after = api.shop("POST", "/v1/programs/p/validate", validate);
        assertThat(after.body().path("valid").asBoolean()).as(after.toString()).isTrue();
        // the expiry run records the release, and with it that the mug is now within reach
        assertThat(jobs.expiry().get(0).path("pointsReleased").asLong()).isEqualTo(200);
        List<JsonNode> run = jobs.reminders();
        assertThat(run.get(0).path("sent").asLong()).as(run.toString()).isEqualTo(1);
        assertThat(jobs.outbox.all()).extracting(s -> s.notification().id()).containsExactly("reward_available:mug");
    }

    @Test
    void aPendingWindowAsLongAsTheExpiryIsRefused() {
        Api.Reply r = api.admin("PUT", "/v1/programs/q", PROGRAM.replace("\"days\": 14", "\"days\": 365"));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.field()).isEqualTo("pending.days");
    }
}
