package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md "What must always hold", under real concurrency: many threads call the real
 * authorizer and handlers at once, on DynamoDB Local over HTTP. Budgets are never exceeded,
 * an idempotency key takes effect once, a rollback gives back once, and a customer hammered by
 * mixed operations keeps a balance that adds up to the ledger.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    static final String PID = "conc";
    static final String P = "/v1/programs/" + PID;
    static final long SEED = 1000;

    static final String PROGRAM = """
            {"name": "Concurrency", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "seed", "trigger": "seed.granted", "points": {"fixed": 1000}}
             ],
             "rewards": [
               {"id": "ten-only", "type": "gift_card", "valueMinor": 500, "cost": 100, "limits": {"totalRedemptions": 10}},
               {"id": "discount-budget", "type": "discount_percent", "percent": 10, "cost": 50,
                "limits": {"totalDiscountMinor": 10000}},
               {"id": "order-budget", "type": "discount_amount", "valueMinor": 100, "cost": 50,
                "limits": {"totalOrderMinor": 100000}},
               {"id": "one-only", "type": "gift_card", "valueMinor": 100, "cost": 200, "limits": {"totalRedemptions": 1}},
               {"id": "capped", "type": "gift_card", "valueMinor": 100, "cost": 30, "limits": {"perCustomer": 3}},
               {"id": "plain", "type": "gift_card", "valueMinor": 100, "cost": 40},
               {"id": "hundred", "type": "gift_card", "valueMinor": 100, "cost": 100}
             ],
             "expiry": {"afterDays": 365}}
            """;

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ helpers

    String seedBody(String customerId) {
        return "{\"customerId\": \"" + customerId + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"seed-" + customerId + "\"}}";
    }

    /** Gives each customer {@link #SEED} points (concurrently: distinct customers do not contend). */
    void seed(List<String> customers) {
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (String c : customers) {
            tasks.add(() -> api.shop("POST", P + "/earn", seedBody(c)));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        for (int i = 0; i < replies.size(); i++) {
            assertThat(replies.get(i).status()).as("seed %s: %s", customers.get(i), replies.get(i)).isEqualTo(200);
            assertThat(replies.get(i).body().path("pointsEarned").asLong()).isEqualTo(SEED);
        }
    }

    static String redeemBody(String customerId, String rewardId, String orderId, Long totalMinor) {
        String order = orderId == null ? ""
                : ", \"order\": {\"id\": \"" + orderId + "\", \"totalMinor\": " + totalMinor + ", \"currency\": \"EUR\"}";
        return "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\"" + order + "}";
    }

    record Attempt(String customerId, long orderTotalMinor, Api.Reply reply) {
    }

    /**
     * n customers with SEED points each redeem {@code rewardId} at the same instant (distinct
     * Idempotency-Keys); {@code orderTotal} gives customer i's order total, or null for no order.
     * Every answer is 201 or 409 budget_exhausted; every winner paid the cost once, every loser
     * nothing, and the ledgers agree.
     */
    List<Attempt> raceRedeem(String rewardId, long cost, int n, IntFunction<Long> orderTotal) {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            customers.add(rewardId + "-c" + i);
        }
        seed(customers);
        List<Callable<Attempt>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = customers.get(i);
            Long total = orderTotal.apply(i);
            String body = redeemBody(c, rewardId, total == null ? null : "o-" + c, total);
            tasks.add(() -> new Attempt(c, total == null ? 0 : total,
                    api.shop("POST", P + "/redeem", body, key("k-" + c))));
        }
        List<Attempt> attempts = Invariants.race(n, tasks);
        for (Attempt a : attempts) {
            Api.Reply r = a.reply();
            if (r.status() == 201) {
                assertThat(r.body().path("pointsSpent").asLong()).as(r.toString()).isEqualTo(cost);
                assertThat(r.body().path("balance").path("available").asLong()).as(r.toString()).isEqualTo(SEED - cost);
            } else {
                assertThat(r.status()).as("%s: %s", a.customerId(), r).isEqualTo(409);
                assertThat(r.code()).as("%s: %s", a.customerId(), r).isEqualTo("budget_exhausted");
            }
        }
        for (Attempt a : attempts) {
            boolean won = a.reply().status() == 201;
            Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, a.customerId());
            assertThat(s.available()).as("balance of %s (%s)", a.customerId(), won ? "won" : "lost")
                    .isEqualTo(won ? SEED - cost : SEED);
            List<JsonNode> redeems = s.ofType("redeem");
            assertThat(redeems).as("redeem entries of %s (%s)", a.customerId(), won ? "won" : "lost").hasSize(won ? 1 : 0);
            if (won) {
                assertThat(redeems.get(0).path("points").asLong()).isEqualTo(-cost);
                assertThat(redeems.get(0).path("rewardId").asText()).isEqualTo(rewardId);
            }
            assertThat(s.entries()).as("entries of %s", a.customerId()).hasSize(won ? 2 : 1);
        }
        return attempts;
    }

    static List<Attempt> won(List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.reply().status() == 201).toList();
    }

    static List<Attempt> lost(List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.reply().status() != 201).toList();
    }

    /** Validate with a fresh customer who can afford the reward: is the budget reported as used up? */
    boolean validateSaysBudgetExhausted(String rewardId, Long orderTotal) {
        String c = "probe-" + rewardId + "-" + System.nanoTime();
        seed(List.of(c));
        String order = orderTotal == null ? "" : ", \"order\": {\"totalMinor\": " + orderTotal + ", \"currency\": \"EUR\"}";
        Api.Reply v = api.shop("POST", P + "/validate",
                "{\"customerId\": \"" + c + "\", \"rewards\": [\"" + rewardId + "\"]" + order + "}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        return v.body().path("rewards").get(0).path("reasons").toString().contains("budget_exhausted");
    }

    // ------------------------------------------------------------------ 1. totalRedemptions

    @Test
    void thirtyTwoCustomersRaceForTenRedemptionsExactlyTenWin() {
        List<Attempt> attempts = raceRedeem("ten-only", 100, 32, i -> null);
        assertThat(won(attempts)).as("winners %s", attempts).hasSize(10);
        assertThat(lost(attempts)).hasSize(22);
        assertThat(won(attempts).stream().map(a -> a.reply().body().path("redemptionId").asText()).distinct())
                .as("distinct redemption ids").hasSize(10);
        assertThat(won(attempts).stream().map(a -> a.reply().body().path("code").asText()).distinct())
                .as("distinct codes").hasSize(10);
        assertThat(validateSaysBudgetExhausted("ten-only", null)).as("validate after the budget is spent").isTrue();
    }

    // ------------------------------------------------------------------ 2. totalDiscountMinor / totalOrderMinor

    @Test
    void discountBudgetIsNeverExceededAndNeverRefusedWhileItStillFits() {
        long limit = 10000;
        // 10% of 5000 + 500 i: discounts 500 .. 2050, 40,800 in all
        List<Attempt> attempts = raceRedeem("discount-budget", 50, 32, i -> 5000L + 500L * i);
        long used = 0;
        for (Attempt a : won(attempts)) {
            long d = a.reply().body().path("discountMinor").asLong();
            assertThat(d).as(a.reply().toString()).isEqualTo(a.orderTotalMinor() / 10);
            used += d;
        }
        assertThat(used).as("sum of discountMinor of %d winners", won(attempts).size()).isLessThanOrEqualTo(limit);
        assertThat(won(attempts)).as("someone wins").isNotEmpty();
        assertThat(lost(attempts)).as("someone loses").isNotEmpty();
        for (Attempt a : lost(attempts)) {
            // the budget only grows during the race: a refusal is right only if it does not fit even now
            assertThat(used + a.orderTotalMinor() / 10).as("refused %s with discount %d while %d of %d used",
                    a.customerId(), a.orderTotalMinor() / 10, used, limit).isGreaterThan(limit);
        }
        long finalUsed = used;
        // the smallest discount that still fits must be offered, one that does not must be refused
        if (limit - finalUsed >= 1) {
            long fits = (limit - finalUsed) * 10;
            assertThat(validateSaysBudgetExhausted("discount-budget", fits)).as("discount %d fits in what is left", fits / 10).isFalse();
        }
        assertThat(validateSaysBudgetExhausted("discount-budget", (limit - finalUsed + 1) * 10))
                .as("discount beyond what is left").isTrue();
    }

    @Test
    void orderValueBudgetIsNeverExceededAndNeverRefusedWhileItStillFits() {
        long limit = 100000;
        // order totals 10,000 .. 41,000: 816,000 in all
        List<Attempt> attempts = raceRedeem("order-budget", 50, 32, i -> 10000L + 1000L * i);
        long used = won(attempts).stream().mapToLong(Attempt::orderTotalMinor).sum();
        assertThat(used).as("sum of order totals of %d winners", won(attempts).size()).isLessThanOrEqualTo(limit);
        assertThat(won(attempts)).as("someone wins").isNotEmpty();
        for (Attempt a : won(attempts)) {
            assertThat(a.reply().body().path("discountMinor").asLong()).isEqualTo(100);
        }
        for (Attempt a : lost(attempts)) {
            assertThat(used + a.orderTotalMinor()).as("refused %s with order %d while %d of %d used",
                    a.customerId(), a.orderTotalMinor(), used, limit).isGreaterThan(limit);
        }
        assertThat(validateSaysBudgetExhausted("order-budget", limit - used + 1)).as("order beyond what is left").isTrue();
    }

    // ------------------------------------------------------------------ 3. concurrent earn replays

    @ParameterizedTest(name = "customer already a member: {0}")
    @ValueSource(booleans = {false, true})
    void eightConcurrentReplaysOfOneEarnApplyItOnce(boolean member) {
        String c = member ? "earner-member" : "earner-new";
        if (member) {
            seed(List.of(c));
        }
        String body = Api.orderPaid(c, "order-77", 12345, "2026-11-23T08:00:00Z");
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> api.shop("POST", P + "/earn", body));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        for (Api.Reply r : replies) {
            assertThat(r.status()).as("all replies %s", replies).isEqualTo(200);
            assertThat(r.body()).as("every answer is the first answer").isEqualTo(replies.get(0).body());
        }
        assertThat(replies.get(0).body().path("pointsEarned").asLong()).isEqualTo(123);
        long replayed = replies.stream().filter(r -> "true".equals(r.headers().get("idempotent-replayed"))).count();
        assertThat(replayed).as("answers marked Idempotent-Replayed (all but the original)").isEqualTo(7);

        long base = member ? SEED : 0;
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, c);
        assertThat(s.available()).as("applied once").isEqualTo(base + 123);
        assertThat(s.lifetimeEarned()).isEqualTo(base + 123);
        List<JsonNode> forOrder = s.ofType("earn").stream().filter(e -> "order-77".equals(e.path("orderId").asText(null))).toList();
        assertThat(forOrder).as("ledger entries for the event").hasSize(1);
        assertThat(s.entries()).hasSize(member ? 2 : 1);
    }

    // ------------------------------------------------------------------ 4. one customer, mixed operations

    record Op(String kind, Api.Reply reply, String rewardId) {
    }

    @Test
    void oneCustomerUnderMixedConcurrentOperationsKeepsEveryInvariant() {
        String c = "busy";
        seed(List.of(c));
        BlockingQueue<String> cappedRedemptions = new LinkedBlockingQueue<>();
        List<Callable<List<Op>>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            tasks.add(() -> List.of(new Op("earn",
                    api.shop("POST", P + "/earn", Api.orderPaid(c, "m-" + n, 1000L * (n + 1), "2026-11-23T08:00:00Z")), null)));
        }
        for (int i = 0; i < 12; i++) {
            int n = i;
            tasks.add(() -> {
                Api.Reply r = api.shop("POST", P + "/redeem", redeemBody(c, "capped", null, null), key("capped-" + n));
                if (r.status() == 201) {
                    cappedRedemptions.add(r.body().path("redemptionId").asText());
                }
                return List.of(new Op("redeem", r, "capped"));
            });
        }
        for (int i = 0; i < 8; i++) {
            int n = i;
            tasks.add(() -> {
                List<Op> ops = new ArrayList<>();
                Api.Reply r = api.shop("POST", P + "/redeem", redeemBody(c, "plain", null, null), key("plain-" + n));
                ops.add(new Op("redeem", r, "plain"));
                if (r.status() == 201) {
                    ops.add(new Op("rollback", api.shop("POST", P + "/redemptions/" + r.body().path("redemptionId").asText()
                            + "/rollback", null), "plain"));
                }
                return ops;
            });
        }
        for (int i = 0; i < 5; i++) {
            tasks.add(() -> {
                String id = cappedRedemptions.poll(5, TimeUnit.SECONDS);
                return id == null ? List.of()
                        : List.of(new Op("rollback", api.shop("POST", P + "/redemptions/" + id + "/rollback", null), "capped"));
            });
        }
        java.util.Collections.shuffle(tasks, new java.util.Random(42));
        List<Op> ops = Invariants.race(8, tasks).stream().flatMap(List::stream).toList();

        long earned = SEED;
        int earns = 1;
        int rateLimited = 0;
        Map<String, Integer> redeemed = new java.util.HashMap<>();
        Map<String, Integer> rolledBack = new java.util.HashMap<>();
        for (Op op : ops) {
            Api.Reply r = op.reply();
            if (r.status() == 429) {
                assertThat(r.code()).isEqualTo("rate_limited");
                rateLimited++;
                continue;
            }
            switch (op.kind()) {
                case "earn" -> {
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    earned += r.body().path("pointsEarned").asLong();
                    earns++;
                }
                case "redeem" -> {
                    if (r.status() == 201) {
                        assertThat(r.body().path("balance").path("available").asLong()).as(r.toString()).isGreaterThanOrEqualTo(0);
                        redeemed.merge(op.rewardId(), 1, Integer::sum);
                    } else {
                        assertThat(r.status()).as(r.toString()).isEqualTo(409);
                        assertThat(r.code()).as(r.toString()).isIn("limit_reached", "insufficient_points");
                        if (op.rewardId().equals("plain")) {
                            assertThat(r.code()).as("plain has no limit: %s", r).isEqualTo("insufficient_points");
                        }
                    }
                }
                case "rollback" -> {
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    rolledBack.merge(op.rewardId(), 1, Integer::sum);
                }
                default -> throw new AssertionError(op.kind());
            }
        }
        System.out.printf("mixed: %d operations, %d rate_limited, redeemed %s, rolled back %s%n",
                ops.size(), rateLimited, redeemed, rolledBack);

        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, c);
        // what answered success happened, exactly once; what was refused (429, 409) changed nothing
        assertThat(s.ofType("earn")).as("earn entries = successful earns").hasSize(earns);
        assertThat(s.sum("earn")).as("earned points").isEqualTo(earned);
        for (String reward : List.of("capped", "plain")) {
            assertThat(s.ofType("redeem", reward)).as("redeem entries of %s", reward).hasSize(redeemed.getOrDefault(reward, 0));
            assertThat(s.ofType("rollback", reward)).as("rollback entries of %s", reward).hasSize(rolledBack.getOrDefault(reward, 0));
        }
        int netCapped = redeemed.getOrDefault("capped", 0) - rolledBack.getOrDefault("capped", 0);
        int netPlain = redeemed.getOrDefault("plain", 0) - rolledBack.getOrDefault("plain", 0);
        assertThat(netPlain).as("every plain redemption was rolled back").isZero();
        assertThat(netCapped).as("capped redemptions standing (limit perCustomer 3)").isBetween(0, 3);
        assertThat(s.available()).isEqualTo(earned - 30L * netCapped - 40L * netPlain);
        // the stored per-customer count agrees with the ledger
        assertThat(s.reward("capped").path("eligible").asBoolean()).as("wallet %s with %d capped standing", s.wallet(), netCapped)
                .isEqualTo(netCapped < 3);
        Api.Reply more = api.shop("POST", P + "/redeem", redeemBody(c, "capped", null, null), key("capped-after"));
        if (netCapped < 3) {
            assertThat(more.status()).as(more.toString()).isEqualTo(201);
        } else {
            assertThat(more.code()).as(more.toString()).isEqualTo("limit_reached");
        }
    }

    // ------------------------------------------------------------------ 5. rollback racing itself

    @Test
    void eightConcurrentRollbacksOfOneRedemptionGiveBackOnce() {
        seed(List.of("a", "b", "c"));
        Api.Reply first = api.shop("POST", P + "/redeem", redeemBody("a", "one-only", null, null), key("a-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Reply full = api.shop("POST", P + "/redeem", redeemBody("b", "one-only", null, null), key("b-1"));
        assertThat(full.code()).as("budget of one is full: %s", full).isEqualTo("budget_exhausted");
        String id = first.body().path("redemptionId").asText();

        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> api.shop("POST", P + "/redemptions/" + id + "/rollback", null));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        assertThat(replies.stream().filter(r -> r.status() == 200)).as("replies %s", replies).hasSize(1);
        for (Api.Reply r : replies) {
            if (r.status() != 200) {
                assertThat(r.status()).as(r.toString()).isEqualTo(409);
                assertThat(r.code()).as(r.toString()).isEqualTo("already_rolled_back");
            } else {
                assertThat(r.body().path("pointsRestored").asLong()).isEqualTo(200);
            }
        }
        Invariants.Snapshot a = Invariants.checkWithLifetime(api, PID, "a");
        assertThat(a.available()).as("points restored once").isEqualTo(SEED);
        assertThat(a.ofType("rollback")).hasSize(1);

        // the budget came back once: b can now redeem, c still cannot
        Api.Reply b = api.shop("POST", P + "/redeem", redeemBody("b", "one-only", null, null), key("b-2"));
        assertThat(b.status()).as("after the rollback the budget has room: %s", b).isEqualTo(201);
        Api.Reply c = api.shop("POST", P + "/redeem", redeemBody("c", "one-only", null, null), key("c-1"));
        assertThat(c.status()).as("the budget was given back only once: %s", c).isEqualTo(409);
        assertThat(c.code()).isEqualTo("budget_exhausted");
        Invariants.checkWithLifetime(api, PID, "b");
        assertThat(Invariants.checkWithLifetime(api, PID, "c").available()).isEqualTo(SEED);
    }

    // ------------------------------------------------------------------ extras

    @ParameterizedTest(name = "balance of exactly one redemption: {0}")
    @ValueSource(booleans = {false, true})
    void eightConcurrentRedeemsWithOneIdempotencyKeyRedeemOnce(boolean tight) {
        // the race is won or lost in milliseconds: a few rounds make a lost replay likely to show
        for (int round = 0; round < 4; round++) {
            String c = "k" + round;
            long start;
            if (tight) {
                // 40 points, exactly the cost: a retry that decides again after the first commit must replay, not refuse
                Api.Reply e = api.shop("POST", P + "/earn", Api.orderPaid(c, "o-" + c, 4000, "2026-11-23T08:00:00Z"));
                assertThat(e.status()).as(e.toString()).isEqualTo(200);
                start = 40;
            } else {
                seed(List.of(c));
                start = SEED;
            }
            String body = redeemBody(c, "plain", null, null);
            List<Callable<Api.Reply>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> api.shop("POST", P + "/redeem", body, key("same-key-" + c)));
            }
            List<Api.Reply> replies = Invariants.race(8, tasks);
            for (Api.Reply r : replies) {
                assertThat(r.status()).as("round %d, replies %s", round, replies).isEqualTo(201);
                assertThat(r.body()).as("every answer is the first").isEqualTo(replies.get(0).body());
            }
            assertThat(replies.stream().filter(r -> "true".equals(r.headers().get("idempotent-replayed"))))
                    .as("replayed answers").hasSize(7);
            Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, c);
            assertThat(s.ofType("redeem")).hasSize(1);
            assertThat(s.available()).isEqualTo(start - 40);
        }
    }

    @Test
    void perCustomerLimitHoldsWhenOneCustomerRedeemsConcurrently() {
        seed(List.of("eager"));
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            tasks.add(() -> api.shop("POST", P + "/redeem", redeemBody("eager", "capped", null, null), key("e-" + n)));
        }
        List<Api.Reply> replies = Invariants.race(12, tasks);
        long ok = replies.stream().filter(r -> r.status() == 201).count();
        for (Api.Reply r : replies) {
            if (r.status() != 201) {
                assertThat(r.code()).as(r.toString()).isIn("limit_reached", "rate_limited");
            }
        }
        assertThat(ok).as("redemptions of a reward with perCustomer 3: %s", replies).isLessThanOrEqualTo(3);
        if (replies.stream().noneMatch(r -> r.status() == 429)) {
            assertThat(ok).isEqualTo(3);
        }
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, "eager");
        assertThat(s.ofType("redeem")).hasSize((int) ok);
        assertThat(s.available()).isEqualTo(SEED - 30 * ok);
        assertThat(s.reward("capped").path("eligible").asBoolean()).isEqualTo(ok < 3);
    }

    @Test
    void oneCustomerRedeemingConcurrentlyNeverOverspends() {
        seed(List.of("spender"));
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            tasks.add(() -> api.shop("POST", P + "/redeem", redeemBody("spender", "hundred", null, null), key("h-" + n)));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        long ok = replies.stream().filter(r -> r.status() == 201).count();
        long limited = replies.stream().filter(r -> r.status() == 429).count();
        for (Api.Reply r : replies) {
            if (r.status() == 409) {
                assertThat(r.code()).as(r.toString()).isEqualTo("insufficient_points");
            } else if (r.status() != 201) {
                assertThat(r.code()).as(r.toString()).isEqualTo("rate_limited");
            }
        }
        assertThat(ok).as("redemptions of 100 from 1000 points (%d rate_limited)", limited).isLessThanOrEqualTo(10);
        if (limited == 0) {
            assertThat(ok).isEqualTo(10);
        }
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, PID, "spender");
        assertThat(s.available()).isEqualTo(SEED - 100 * ok);
        assertThat(s.ofType("redeem")).hasSize((int) ok);
    }

    // ------------------------------------------------------------------ earning rule budgets and caps

    static final String EARN_PROGRAM = """
            {"name": "Earn budgets", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "signup", "trigger": "customer.joined", "points": {"fixed": 25}},
               {"id": "social", "trigger": "social.liked", "points": {"fixed": 10},
                "limits": {"total": {"points": 100}}},
               {"id": "newsletter", "trigger": "newsletter.subscribed", "points": {"fixed": 50},
                "limits": {"perCustomer": {"count": 1}}},
               {"id": "review", "trigger": "review.written", "points": {"fixed": 30},
                "limits": {"perCustomer": {"points": 100}}}
             ]}
            """;

    static String simpleEvent(String customerId, String type, String id) {
        return "{\"customerId\": \"" + customerId + "\", \"event\": {\"type\": \"" + type + "\", \"id\": \"" + id + "\"}}";
    }

    void earnProgram() {
        Api.Reply put = api.admin("PUT", "/v1/programs/earnb", EARN_PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    @Test
    void ruleTotalBudgetIsNeverExceededUnderConcurrentEarns() {
        earnProgram();
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String c = "liker-" + i;
            tasks.add(() -> api.shop("POST", "/v1/programs/earnb/earn", simpleEvent(c, "social.liked", "like-" + c)));
        }
        List<Api.Reply> replies = Invariants.race(16, tasks);
        long social = 0;
        long limited = 0;
        for (int i = 0; i < replies.size(); i++) {
            Api.Reply r = replies.get(i);
            if (r.status() == 429) {
                limited++;
                assertThat(r.code()).isEqualTo("rate_limited");
                continue;
            }
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            long p = r.body().path("pointsEarned").asLong();
            assertThat(p).as(r.toString()).isIn(0L, 10L);
            social += p;
            Invariants.Snapshot s = Invariants.checkWithLifetime(api, "earnb", "liker-" + i);
            assertThat(s.available()).as("liker-%d: signup 25 + %d", i, p).isEqualTo(25 + p);
        }
        assertThat(social).as("points from a rule with total budget 100 (%d rate_limited)", limited).isLessThanOrEqualTo(100);
        if (limited == 0) {
            assertThat(social).as("the budget is used to the last point").isEqualTo(100);
        }
        Api.Reply after = api.shop("POST", "/v1/programs/earnb/earn", simpleEvent("late", "social.liked", "like-late"));
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(after.body().path("pointsEarned").asLong()).as("budget full: %s", after)
                .isEqualTo(social == 100 ? 0 : 10);
    }

    @Test
    void perCustomerCapsHoldUnderConcurrentEarnsOfOneCustomer() {
        earnProgram();
        seedEarnb("capper");
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            tasks.add(() -> api.shop("POST", "/v1/programs/earnb/earn", simpleEvent("capper", "newsletter.subscribed", "nl-" + n)));
            tasks.add(() -> api.shop("POST", "/v1/programs/earnb/earn", simpleEvent("capper", "review.written", "rv-" + n)));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        for (Api.Reply r : replies) {
            assertThat(r.status()).as(r.toString()).isIn(200, 429);
        }
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, "earnb", "capper");
        long newsletter = s.ofType("earn").stream().filter(e -> "newsletter".equals(e.path("ruleId").asText(null)))
                .mapToLong(e -> e.path("points").asLong()).sum();
        long review = s.ofType("earn").stream().filter(e -> "review".equals(e.path("ruleId").asText(null)))
                .mapToLong(e -> e.path("points").asLong()).sum();
        assertThat(newsletter).as("newsletter: perCustomer count 1 of 50 points; replies %s", replies).isLessThanOrEqualTo(50);
        assertThat(review).as("review: perCustomer points 100; replies %s", replies).isLessThanOrEqualTo(100);
        long ok = replies.stream().filter(r -> r.status() == 200).count();
        assertThat(s.ofType("earn")).as("one earn entry per 200 (plus the signup)").hasSize((int) ok + 1);
        if (replies.stream().noneMatch(r -> r.status() == 429)) {
            assertThat(newsletter).isEqualTo(50);
            assertThat(review).isEqualTo(100);
        }
        assertThat(s.available()).isEqualTo(25 + newsletter + review);
    }

    void seedEarnb(String customerId) {
        Api.Reply r = api.shop("PUT", "/v1/programs/earnb/customers/" + customerId, "{\"email\": \"a@example.com\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().path("signupPoints").asLong()).isEqualTo(25);
    }

    @Test
    void concurrentFirstEarnsAndUpsertsEnrolACustomerOnceWithOneSignupBonus() {
        earnProgram();
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            tasks.add(() -> api.shop("POST", "/v1/programs/earnb/earn", Api.orderPaid("fresh", "f-" + n, 1000L * (n + 1),
                    "2026-11-23T08:00:00Z")));
        }
        for (int i = 0; i < 2; i++) {
            tasks.add(() -> api.shop("PUT", "/v1/programs/earnb/customers/fresh", "{\"email\": \"fresh@example.com\"}"));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        long created = 0;
        long enrolledByEarn = 0;
        long earned = 0;
        int earns = 0;
        for (int i = 0; i < replies.size(); i++) {
            Api.Reply r = replies.get(i);
            if (r.status() == 429) {
                continue;
            }
            if (i < 6) {
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                earned += r.body().path("pointsEarned").asLong();
                earns++;
                if (r.body().has("enrolled")) {
                    enrolledByEarn++;
                }
            } else {
                assertThat(r.status()).as(r.toString()).isIn(200, 201);
                if (r.status() == 201) {
                    created++;
                }
            }
        }
        assertThat(created + enrolledByEarn).as("answers that say they enrolled the customer: %s", replies).isEqualTo(1);
        Invariants.Snapshot s = Invariants.checkWithLifetime(api, "earnb", "fresh");
        List<JsonNode> signup = s.ofType("earn").stream().filter(e -> "signup".equals(e.path("ruleId").asText(null))).toList();
        assertThat(signup).as("signup bonus entries").hasSize(1);
        assertThat(s.ofType("earn")).hasSize(earns + 1);
        assertThat(s.available()).isEqualTo(25 + earned);
        assertThat(s.wallet().path("customerId").asText()).isEqualTo("fresh");
    }

    // ------------------------------------------------------------------ refunds racing on one order

    @Test
    void concurrentRefundsOfOneOrderNeverRefundMoreThanItsTotal() {
        seed(List.of("refunder"));
        Api.Reply e = api.shop("POST", P + "/earn", Api.orderPaid("refunder", "big", 20000, "2026-11-23T08:00:00Z"));
        assertThat(e.status()).as(e.toString()).isEqualTo(200);
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            tasks.add(() -> api.shop("POST", P + "/refunds",
                    "{\"customerId\": \"refunder\", \"orderId\": \"big\", \"amountMinor\": 5000}", key("rf-" + n)));
        }
        List<Api.Reply> replies = Invariants.race(8, tasks);
        long ok = 0;
        long clawed = 0;
        for (Api.Reply r : replies) {
            if (r.status() == 200) {
                ok++;
                clawed += r.body().path("pointsClawedBack").asLong();
            } else if (r.status() == 400) {
                assertThat(r.code()).as(r.toString()).isEqualTo("invalid_request");
            } else {
                assertThat(r.code()).as(r.toString()).isEqualTo("rate_limited");
            }
        }
        assertThat(ok).as("refunds of 5,000 on an order of 20,000: %s", replies).isLessThanOrEqualTo(4);
        assertThat(clawed).isEqualTo(50 * ok);
        Invariants.Snapshot s = Invariants.check(api, PID, "refunder");
        assertThat(s.ofType("refund")).hasSize((int) ok);
        assertThat(s.available()).isEqualTo(SEED + 200 - clawed);
        Api.Reply more = api.shop("POST", P + "/refunds", "{\"customerId\": \"refunder\", \"orderId\": \"big\", \"amountMinor\": "
                + (20000 - 5000 * ok + 1) + "}");
        assertThat(more.status()).as("refunding beyond the total: %s", more).isEqualTo(400);
    }
}
