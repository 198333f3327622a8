package dev.laurel.it;

import dev.laurel.local.LocalClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 defect 3 (S3): a lot counts nowhere from its expiry instant on, whether or not the daily
 * run has recorded it yet: wallet, validate, redeem and refund claw-backs all see it gone; the run
 * only writes the {@code expire} entry, and what anyone sees does not change when it does.
 */
class ExpiryAtTheInstantTest {
    static final String PROGRAM = """
            {"name": "Instant", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}, {"id": "pen", "type": "product", "cost": 40}],
             "pending": {"days": 5},
             "expiry": {"afterDays": 30}}
            """;
    Api api;
    Jobs jobs;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply earn(String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-1", order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    JsonNode balance() {
        return Invariants.wallet(api, "p", "c-1").path("balance");
    }

    @Test
    void anExpiredLotCountsNowhereBeforeTheRunAndTheRunOnlyRecordsIt() {
        earn("o-1", 10000);                                            // 100, pending to Nov 6, expires Dec 1
        api.clock.set(Instant.parse("2026-11-10T10:00:00Z"));
        Api.Reply p = earn("o-2", 5000);                               // 50, pending to Nov 15, expires end of Dec 10 (Berlin)
        assertThat(p.body().path("expiresAt").asText()).isEqualTo("2026-12-10T23:00:00Z");
        api.clock.set(Instant.parse("2026-11-12T10:00:00Z"));
        Api.Reply mug = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Invariants.key("r-1"));
        assertThat(mug.status()).as(mug.toString()).isEqualTo(201); // all of o-1's lot; o-2's is still pending

        api.clock.set(Instant.parse("2026-12-10T22:59:59Z"));
        assertThat(balance().path("available").asLong()).isEqualTo(50);

        // o-2's lot expired at 23:00; no run has happened
        api.clock.set(Instant.parse("2026-12-11T10:00:00Z"));
        JsonNode wallet = Invariants.wallet(api, "p", "c-1");
        assertThat(wallet.path("balance").path("available").asLong()).as(wallet.toString()).isZero();
        assertThat(wallet.path("expiring").size()).as(wallet.toString()).isZero();
        Api.Reply validate = api.shop("POST", "/v1/programs/p/validate", "{\"customerId\": \"c-1\", \"rewards\": [\"pen\"]}");
        assertThat(validate.status()).isEqualTo(200);
        assertThat(validate.body().path("valid").asBoolean()).as(validate.toString()).isFalse();
        assertThat(validate.body().path("rewards").get(0).path("reasons").toString()).contains("insufficient_points");
        Api.Reply pen = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"pen\"}",
                Invariants.key("r-2"));
        assertThat(pen.status()).as(pen.toString()).isEqualTo(409);
        assertThat(pen.code()).isEqualTo("insufficient_points");

        // a full refund of o-1, whose lot was spent: the expired lot is not there to claw from
        Api.Reply refund = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 10000}");
        assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
        assertThat(refund.body().path("pointsClawedBack").asLong()).as(refund.toString()).isZero();
        assertThat(refund.body().path("uncollectedPoints").asLong()).isEqualTo(100);
        assertThat(refund.body().path("balance").path("available").asLong()).isZero();

        // a write after the expiry instant and before the run keeps the expired lot for the run to record
        Api.Reply later = earn("o-3", 2000);
        assertThat(later.body().path("balance").path("pending").asLong()).as(later.toString()).isEqualTo(20);
        JsonNode before = balance();
        assertThat(before.path("available").asLong()).isZero();
        assertThat(before.path("pending").asLong()).isEqualTo(20);

        List<JsonNode> run = jobs.expiry();
        assertThat(run.stream().mapToLong(a -> a.path("pointsExpired").asLong()).sum()).as(run.toString()).isEqualTo(50);
        assertThat(balance()).isEqualTo(before);
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.ofType("expire")).hasSize(1);
        assertThat(s.sum("expire")).isEqualTo(-50);
        assertThat(s.ofType("refund").get(0).path("points").asLong()).isZero();
        // nothing is due twice
        assertThat(jobs.expiry().stream().mapToLong(a -> a.path("pointsExpired").asLong()).sum()).isZero();
        assertThat(balance()).isEqualTo(before);
    }

    @Test
    void anEventOlderThanItsExpiryEarnsALotThatCountsNowhereUntilTheRunRecordsIt() {
        earn("o-1", 10000);
        api.clock.set(Instant.parse("2026-12-20T10:00:00Z"));
        Api.Reply old = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-1", "o-old", 3000, "2026-11-01T09:00:00Z"));
        assertThat(old.status()).as(old.toString()).isEqualTo(200);
        assertThat(old.body().path("pointsEarned").asLong()).isEqualTo(30);
        assertThat(old.body().path("balance").path("available").asLong()).as(old.toString()).isZero();
        JsonNode before = balance();
        assertThat(before.path("available").asLong()).isZero();
        jobs.expiry();
        assertThat(balance()).isEqualTo(before);
        Invariants.check(api, "p", "c-1");
    }
}
