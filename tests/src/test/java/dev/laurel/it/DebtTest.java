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
 * A refund whose points were already spent leaves a debt ({@code balance.owed}); later credits
 * that become available (earns, rollbacks, pending points when released) pay it first, each
 * payment a {@code debt} ledger entry in the same write, so that no sequence of calls mints points.
 */
class DebtTest {
    static final String PROGRAM = """
            {"name": "Debt", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "rewards": [{"id": "gift-100", "type": "gift_card", "valueMinor": 1000, "cost": 100},
                         {"id": "gift-80", "type": "gift_card", "valueMinor": 800, "cost": 80}],
             "expiry": {"afterDays": 365}}""";

    Api api;
    Jobs jobs;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    String redeem(String customer, String reward, String key) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"" + customer + "\", \"rewardId\": \"" + reward + "\"}",
                Invariants.key(key));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        api.clock.advance(Duration.ofSeconds(1));
        return r.body().path("redemptionId").asText();
    }

    Api.Reply refund(String customer, String order, long amountMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"" + customer + "\", \"orderId\": \"" + order + "\", \"amountMinor\": " + amountMinor + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    Api.Reply rollback(String redemptionId) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/redemptions/" + redemptionId + "/rollback", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    static long owed(JsonNode balanceHolder) {
        JsonNode owed = balanceHolder.path("balance").path("owed");
        assertThat(owed.isIntegralNumber()).as("balance.owed in %s", balanceHolder).isTrue();
        return owed.asLong();
    }

    @Test
    void aRefundThenARollbackMintsNothing() {
        earn("c-1", "o-1", 10000);                                   // 100 points
        String gift = redeem("c-1", "gift-100", "k-1");
        Api.Reply r = refund("c-1", "o-1", 10000);
        assertThat(r.body().path("uncollectedPoints").asLong()).isEqualTo(100);
        JsonNode owing = Invariants.wallet(api, "p", "c-1");

        rollback(gift);
        JsonNode w = Invariants.wallet(api, "p", "c-1");
        assertThat(w.path("balance").path("available").asLong()).as("points minted: %s", w).isZero();
        assertThat(owed(r.body())).isEqualTo(100);
        assertThat(owed(owing)).isEqualTo(100);
        assertThat(owed(w)).isZero();
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        List<JsonNode> debts = s.ofType("debt");
        assertThat(debts).hasSize(1);
        assertThat(debts.get(0).path("points").asLong()).isEqualTo(-100);
        assertThat(debts.get(0).path("details").path("owedBefore").asLong()).isEqualTo(100);
        assertThat(debts.get(0).path("details").path("owedAfter").asLong()).isZero();
        String rollbackId = s.ofType("rollback").get(0).path("id").asText();
        assertThat(debts.get(0).path("id").asText()).isEqualTo("debt-" + rollbackId);
        // and nothing can be redeemed with points that no rule gave
        Api.Reply again = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"gift-100\"}",
                Invariants.key("k-2"));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("insufficient_points");
    }

    @Test
    void anEarnPaysTheDebtFirst() {
        earn("c-1", "o-1", 10000);
        redeem("c-1", "gift-100", "k-1");
        refund("c-1", "o-1", 10000);                                 // owes 100
        Api.Reply e = earn("c-1", "o-2", 3000);                      // 30 points, all to the debt
        assertThat(e.body().path("pointsEarned").asLong()).isEqualTo(30);
        assertThat(e.body().path("balance").path("available").asLong()).as(e.toString()).isZero();
        assertThat(owed(e.body())).isEqualTo(70);
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.available()).isZero();
        assertThat(owed(s.wallet())).isEqualTo(70);
        List<JsonNode> debts = s.ofType("debt");
        assertThat(debts).hasSize(1);
        assertThat(debts.get(0).path("points").asLong()).isEqualTo(-30);
        assertThat(debts.get(0).path("id").asText()).isEqualTo("debt-" + e.body().path("entryId").asText());
        assertThat(debts.get(0).path("details").path("owedBefore").asLong()).isEqualTo(100);
        assertThat(debts.get(0).path("details").path("owedAfter").asLong()).isEqualTo(70);

        Api.Reply more = earn("c-1", "o-3", 10000);                  // 100: 70 to the debt, 30 left
        assertThat(more.body().path("balance").path("available").asLong()).isEqualTo(30);
        assertThat(owed(more.body())).isZero();
        s = Invariants.check(api, "p", "c-1");
        assertThat(s.sum("debt")).isEqualTo(-100);
        assertThat(s.wallet().path("expiring").get(0).path("points").asLong()).isEqualTo(30);
        // with nothing owed an earn pays nothing
        earn("c-1", "o-4", 1000);
        assertThat(Invariants.check(api, "p", "c-1").ofType("debt")).hasSize(2);
    }

    @Test
    void aPartialRefundOwesOnlyWhatItCouldNotTake() {
        earn("c-1", "o-1", 10000);                                   // 100
        redeem("c-1", "gift-80", "k-1");                             // 20 left
        Api.Reply half = refund("c-1", "o-1", 5000);                 // 50 due: 20 taken, 30 owed
        assertThat(half.body().path("pointsClawedBack").asLong()).isEqualTo(20);
        assertThat(half.body().path("uncollectedPoints").asLong()).isEqualTo(30);
        assertThat(half.body().path("balance").path("available").asLong()).isZero();
        assertThat(owed(half.body())).isEqualTo(30);
        Api.Reply e = earn("c-1", "o-2", 5000);                      // 50: 30 to the debt
        assertThat(e.body().path("balance").path("available").asLong()).isEqualTo(20);
        assertThat(owed(e.body())).isZero();
        Api.Reply rest = refund("c-1", "o-1", 5000);                 // 50 more due: 20 taken, 30 owed again
        assertThat(rest.body().path("pointsClawedBack").asLong()).isEqualTo(20);
        assertThat(rest.body().path("uncollectedPoints").asLong()).isEqualTo(30);
        assertThat(owed(rest.body())).isEqualTo(30);
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.available()).isZero();
        assertThat(owed(s.wallet())).isEqualTo(30);
        // earned 150, spent 80, refunds due 100: held 0 and owing 30
        assertThat(s.sum("earn") + s.sum("redeem") - 100 + 30).isEqualTo(s.available() + s.pending());
    }

    @Test
    void aRefundThenARollbackThenAnotherRefund() {
        earn("c-1", "o-1", 10000);                                   // 100
        String gift = redeem("c-1", "gift-100", "k-1");
        Api.Reply half = refund("c-1", "o-1", 5000);                 // 50 due, all owed
        assertThat(owed(half.body())).isEqualTo(50);
        rollback(gift);                                              // 100 back: 50 pay the debt
        JsonNode w = Invariants.wallet(api, "p", "c-1");
        assertThat(w.path("balance").path("available").asLong()).isEqualTo(50);
        assertThat(owed(w)).isZero();
        Api.Reply rest = refund("c-1", "o-1", 5000);                 // 50 more due, taken from what is left
        assertThat(rest.body().path("pointsClawedBack").asLong()).isEqualTo(50);
        assertThat(rest.body().path("uncollectedPoints").asLong()).isZero();
        assertThat(rest.body().path("balance").path("available").asLong()).isZero();
        assertThat(owed(rest.body())).isZero();
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.available() + s.pending()).isZero();
        assertThat(s.sum("debt")).isEqualTo(-50);
    }

    @Test
    void pendingPointsPayTheDebtWhenReleasedByAWriteOrByTheExpiryRun() {
        assertThat(api.admin("PUT", "/v1/programs/p", PROGRAM.replace("\"expiry\"", "\"pending\": {\"days\": 14}, \"expiry\"")).status())
                .isEqualTo(200);
        for (String c : List.of("c-1", "c-2")) {
            earn(c, c + "-o-1", 10000);                              // 100 pending until 2026-12-07T23:00Z
        }
        api.clock.set(Instant.parse("2026-12-08T09:00:00Z"));
        for (String c : List.of("c-1", "c-2")) {
            redeem(c, "gift-100", c + "-k-1");
            earn(c, c + "-o-2", 20000);                              // 200 pending until 2026-12-22T23:00Z
            Api.Reply r = refund(c, c + "-o-1", 10000);              // never another order's pending points: 100 owed
            assertThat(r.body().path("uncollectedPoints").asLong()).as(r.toString()).isEqualTo(100);
            assertThat(r.body().path("balance").path("pending").asLong()).isEqualTo(200);
            assertThat(owed(r.body())).isEqualTo(100);
        }
        api.clock.set(Instant.parse("2026-12-22T23:00:00Z"));
        for (String c : List.of("c-1", "c-2")) {
            JsonNode w = Invariants.wallet(api, "p", c);
            assertThat(w.path("balance").path("available").asLong()).as(w.toString()).isEqualTo(100);
            assertThat(w.path("balance").path("pending").asLong()).isZero();
            assertThat(owed(w)).isZero();
        }
        // c-1's release is written by a write (an earn), c-2's by the expiry run
        earn("c-1", "c-1-o-3", 1000);
        assertThat(api.store.readWithLots(api.tenant, "p", "c-1").owed()).isZero();
        assertThat(api.store.readWithLots(api.tenant, "p", "c-2").owed()).isEqualTo(100);
        List<JsonNode> run = jobs.expiry();
        assertThat(run.get(0).path("pointsReleased").asLong()).as(run.toString()).isEqualTo(200);
        assertThat(jobs.expiry().get(0).path("pointsReleased").asLong()).as("released once").isZero();
        for (String c : List.of("c-1", "c-2")) {
            Invariants.Snapshot s = Invariants.check(api, "p", c);
            assertThat(owed(s.wallet())).isZero();
            List<JsonNode> debts = s.ofType("debt");
            assertThat(debts).as(c).hasSize(1);
            assertThat(debts.get(0).path("points").asLong()).isEqualTo(-100);
            assertThat(debts.get(0).path("at").asText()).isEqualTo("2026-12-22T23:00:00Z");
            assertThat(debts.get(0).path("details").path("owedBefore").asLong()).isEqualTo(100);
            assertThat(debts.get(0).path("details").path("owedAfter").asLong()).isZero();
        }
        assertThat(Invariants.check(api, "p", "c-1").available()).isEqualTo(100);
        assertThat(Invariants.check(api, "p", "c-1").pending()).as("the later order's points wait out its window").isEqualTo(10);
        assertThat(Invariants.check(api, "p", "c-2").available()).isEqualTo(100);
        assertThat(api.store.readWithLots(api.tenant, "p", "c-2").available()).isEqualTo(100);
    }
}
