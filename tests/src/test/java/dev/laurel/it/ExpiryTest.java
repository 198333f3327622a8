package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily expiry function, invoked with its EventBridge Scheduler event on a table of its own
 * with a fixed clock: FIFO expiry after partial spends, tier expiryDays, at-most-once across
 * repeated and concurrent runs, and a run that outlasts its time budget continuing to the end.
 */
class ExpiryTest {
    static final String PROGRAM = """
            {"name": "Expiring", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "gold", "threshold": 2000, "expiryDays": 730}],
             "expiry": {"afterDays": 30}}
            """;
    Api api;
    Jobs jobs;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(t("2026-11-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    static Instant t(String s) {
        return Instant.parse(s);
    }

    void earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    long available(String customer) {
        return Invariants.wallet(api, "p", customer).path("balance").path("available").asLong();
    }

    static long sum(List<JsonNode> answers, String field) {
        return answers.stream().mapToLong(a -> a.path(field).asLong()).sum();
    }

    @Test
    void lotsExpireOldestFirstAfterAPartialSpendAtTheEndOfTheirLastDayInTheProgramsZone() {
        earn("c-1", "o-1", 8000);                          // lot A: 80, last day 2026-12-01
        api.clock.set(t("2026-11-11T10:00:00Z"));
        earn("c-1", "o-2", 7000);                          // lot B: 70, last day 2026-12-11
        api.clock.set(t("2026-11-21T10:00:00Z"));
        earn("c-1", "o-3", 6000);                          // lot C: 60, last day 2026-12-21
        api.clock.set(t("2026-11-22T10:00:00Z"));
        Api.Reply redeem = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Invariants.key("r-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201); // takes all of A and 20 of B

        // A is spent: nothing is due when its day ends
        api.clock.set(t("2026-12-02T00:00:00Z"));
        assertThat(sum(jobs.expiry(), "lotsExpired")).isZero();
        // B's last day ends at midnight Berlin, 23:00 UTC: a second before, nothing
        api.clock.set(t("2026-12-11T22:59:59Z"));
        assertThat(sum(jobs.expiry(), "lotsExpired")).isZero();
        assertThat(available("c-1")).isEqualTo(110);
        api.clock.set(t("2026-12-11T23:00:00Z"));
        List<JsonNode> run = jobs.expiry();
        assertThat(sum(run, "lotsExpired")).as(run.toString()).isEqualTo(1);
        assertThat(sum(run, "pointsExpired")).isEqualTo(50);
        assertThat(available("c-1")).isEqualTo(60);

        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        List<JsonNode> expired = s.ofType("expire");
        assertThat(expired).hasSize(1);
        assertThat(expired.get(0).path("points").asLong()).isEqualTo(-50);
        assertThat(expired.get(0).path("at").asText()).isEqualTo("2026-12-11T23:00:00Z");
        assertThat(expired.get(0).path("orderId").asText()).isEqualTo("o-2");
        assertThat(expired.get(0).path("details").path("earned").asLong()).isEqualTo(70);

        api.clock.set(t("2026-12-25T00:00:00Z"));
        assertThat(sum(jobs.expiry(), "pointsExpired")).isEqualTo(60);
        Invariants.Snapshot end = Invariants.check(api, "p", "c-1");
        assertThat(end.available()).isZero();
        assertThat(end.sum("earn")).isEqualTo(210);
        assertThat(end.sum("redeem")).isEqualTo(-100);
        assertThat(end.sum("expire")).isEqualTo(-110);
        // nothing left to expire: the customer has left the index, a run reads nothing of theirs
        api.clock.set(t("2030-01-01T00:00:00Z"));
        assertThat(jobs.expiry().get(0).path("customers").asLong()).isZero();
    }

    @Test
    void moreLotsDueThanOneTransactionHoldsExpireInSeveralWritesEachOnce() {
        int lots = 95; // one write holds 90 (DynamoDB's 100 items, less the profile and headroom)
        for (int i = 0; i < lots; i++) {
            earn("c-1", "o-" + i, 100 + i);
        }
        api.clock.set(t("2027-01-01T00:00:00Z"));
        List<JsonNode> run = jobs.expiry();
        assertThat(sum(run, "lotsExpired")).as(run.toString()).isEqualTo(lots);
        assertThat(sum(run, "customers")).isEqualTo(1);
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.available()).isZero();
        assertThat(s.ofType("expire")).hasSize(lots);
        assertThat(sum(jobs.expiry(), "lotsExpired")).as("a repeated run").isZero();
    }

    @Test
    void aGoldCustomersLotsLiveForTheTiersExpiryDays() {
        earn("c-1", "o-1", 10000);                         // bronze: 100 points for 30 days
        api.clock.set(t("2026-11-02T10:00:00Z"));
        earn("c-1", "o-2", 200000);                        // reaches gold: 2000 points for 730 days
        JsonNode wallet = Invariants.wallet(api, "p", "c-1");
        assertThat(wallet.path("tier").path("id").asText()).isEqualTo("gold");
        assertThat(wallet.path("expiring").get(0).path("on").asText()).isEqualTo("2026-12-01");
        assertThat(wallet.path("expiring").get(1).path("on").asText()).isEqualTo("2028-11-01");

        api.clock.set(t("2027-01-01T00:00:00Z"));
        assertThat(sum(jobs.expiry(), "pointsExpired")).isEqualTo(100);
        assertThat(available("c-1")).isEqualTo(2000);
        api.clock.set(t("2028-11-01T22:00:00Z"));         // gold lot's last day, still valid
        assertThat(sum(jobs.expiry(), "pointsExpired")).isZero();
        api.clock.set(t("2028-11-01T23:00:00Z"));
        assertThat(sum(jobs.expiry(), "pointsExpired")).isEqualTo(2000);
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void repeatedAndConcurrentRunsExpireEachLotOnce() {
        for (int i = 0; i < 30; i++) {
            earn("c-" + i, "o-" + i, 1000 + i * 100L);
        }
        api.clock.set(t("2027-01-01T00:00:00Z"));
        List<Callable<List<JsonNode>>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Jobs own = new Jobs(api);   // four containers of the function at once
            runs.add(own::expiry);
        }
        List<List<JsonNode>> answers = Invariants.race(4, runs);
        long lots = answers.stream().mapToLong(a -> sum(a, "lotsExpired")).sum();
        assertThat(lots).as("lots expired over four concurrent runs: %s", answers).isEqualTo(30);
        assertThat(sum(jobs.expiry(), "lotsExpired")).as("a repeated run").isZero();
        for (int i = 0; i < 30; i++) {
            Invariants.Snapshot s = Invariants.check(api, "p", "c-" + i);
            assertThat(s.ofType("expire")).as("expire entries of c-%d", i).hasSize(1);
            assertThat(s.available()).isZero();
        }
    }

    @Test
    void aContinuationThatCannotBeHandedOnLeavesTheRestForTheNextRun() {
        for (int i = 0; i < 20; i++) {
            earn("c-" + i, "o-" + i, 500);
        }
        api.clock.set(t("2027-01-01T00:00:00Z"));
        JsonNode out = Jobs.invoke(new dev.laurel.functions.expire.ExpireHandler(Api.jobs(api.store, api.clock), e -> {
            throw new IllegalStateException("Lambda is unreachable");
        }), Json.write(Api.event("expire.json")), Jobs.Budget.checks(2));
        assertThat(out.path("complete").asBoolean()).as(out.toString()).isFalse();
        assertThat(out.path("continued").asBoolean()).isFalse();
        assertThat(out.path("continuationError").asText()).contains("unreachable");
        long first = out.path("lotsExpired").asLong();
        assertThat(sum(jobs.expiry(), "lotsExpired")).as("the next run").isEqualTo(20 - first);
    }

    @Test
    void theContinuationSampleEventRunsItsShardsUpToItsInstant() {
        JsonNode out = Jobs.invoke(new dev.laurel.functions.expire.ExpireHandler(Api.jobs(api.store, api.clock), e -> {
        }), Json.write(Api.event("expire-continuation.json")), Jobs.Budget.unlimited());
        assertThat(out.path("upTo").asText()).isEqualTo("2026-11-24T00:15:00Z");
        assertThat(out.path("generation").asInt()).isEqualTo(1);
        assertThat(out.path("complete").asBoolean()).isTrue();
        assertThat(out.path("readRequests").asLong()).as("one query per shard named").isEqualTo(3);
    }

    @Test
    void aRunOutOfTimeHandsTheRestToItsNextInvocationWhichFinishesIt() {
        for (int i = 0; i < 40; i++) {
            earn("c-" + i, "o-" + i, 500);
        }
        api.clock.set(t("2027-01-01T00:00:00Z"));
        JsonNode first = jobs.expireOnce(Jobs.Budget.checks(3));
        assertThat(first.path("complete").asBoolean()).as(first.toString()).isFalse();
        assertThat(first.path("continued").asBoolean()).isTrue();
        assertThat(first.path("remainingShards").size()).isPositive();
        assertThat(first.path("lotsExpired").asLong()).isLessThan(40);
        assertThat(jobs.pendingContinuations()).isEqualTo(1);
        // the clock moved on meanwhile; the continuation still works up to the first run's instant
        api.clock.set(t("2027-01-02T00:00:00Z"));
        List<JsonNode> rest = jobs.continueExpiry(first);
        long total = sum(rest, "lotsExpired");
        assertThat(total).as(rest.toString()).isEqualTo(40);
        assertThat(rest.get(rest.size() - 1).path("complete").asBoolean()).isTrue();
        assertThat(rest.get(1).path("upTo").asText()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(rest.get(1).path("generation").asInt()).isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            assertThat(Invariants.check(api, "p", "c-" + i).ofType("expire")).hasSize(1);
        }
    }
}
