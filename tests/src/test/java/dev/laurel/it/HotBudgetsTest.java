package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.domain.Budgets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hot budgets (issue 14): a reward budget of the deployment's split threshold or more is split into
 * {@link Budgets#SUB_COUNTERS} sub-counters. Under 64-way contention exactly the limit is granted,
 * never more, and no unit is stranded on a sub-counter when demand exceeds supply. The functions here
 * split at {@link #S} (80; the default 1,000 with {@code -Dlaurel.long=true}) and the limits are
 * figures of it: the same splits, siblings and last units with 8 to 10 units per sub-counter.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
public class HotBudgetsTest {
    static final String PID = "hot";
    static final String P = "/v1/programs/" + PID;
    static final int THREADS = 64;
    /** The split threshold and the first limit: 80 (10 per sub-counter), 1,000 in a long run. */
    public static final int S = LongRuns.size(80, (int) Budgets.DEFAULT_SPLIT_THRESHOLD);

    static String program(long limit) {
        return """
                {"name": "Hot", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "seed", "trigger": "seed.granted", "points": {"fixed": 100000}}],
                 "rewards": [
                   {"id": "hot", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"totalRedemptions": %d}}
                 ]}
                """.formatted(limit);
    }

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api();
        api.laurel.splittingBudgetsAt(S);
        Api.Reply put = api.admin("PUT", P, program(S));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        List<Callable<Api.Reply>> seeds = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String c = "c" + t;
            seeds.add(() -> api.shop("POST", P + "/earn", "{\"customerId\": \"" + c
                    + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"seed-" + c + "\"}}"));
        }
        Invariants.race(8, seeds).forEach(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    }

    /**
     * {@code threads} tasks, one per customer {@code c0, c1, ...}, that together ask {@code demand}
     * redemptions ({@code redeem} of a customer and its k-th try), spread as evenly as can be.
     */
    public static List<Callable<List<Api.Reply>>> demand(int threads, int demand, BiFunction<String, Integer, Api.Reply> redeem) {
        List<Callable<List<Api.Reply>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String c = "c" + t;
            int mine = demand / threads + (t < demand % threads ? 1 : 0);
            tasks.add(() -> {
                List<Api.Reply> out = new ArrayList<>();
                for (int k = 0; k < mine; k++) {
                    out.add(redeem.apply(c, k));
                }
                return out;
            });
        }
        return tasks;
    }

    /** The answers of {@code demand} redemptions of the hot reward by 64 threads (one customer each). */
    List<Api.Reply> hammer(int demand, String tag) {
        List<Callable<List<Api.Reply>>> tasks = demand(THREADS, demand, (c, k) -> api.shop("POST", P + "/redeem",
                "{\"customerId\": \"" + c + "\", \"rewardId\": \"hot\"}",
                key(tag + "-" + c + "-" + k)));
        List<Api.Reply> all = new ArrayList<>();
        Invariants.race(THREADS, tasks).forEach(all::addAll);
        for (Api.Reply r : all) {
            if (r.status() != 201) {
                assertThat(r.status()).as(r.toString()).isEqualTo(409);
                assertThat(r.code()).as(r.toString()).isEqualTo("budget_exhausted");
            }
        }
        return all;
    }

    static long granted(List<Api.Reply> replies) {
        return replies.stream().filter(r -> r.status() == 201).count();
    }

    boolean validateSaysExhausted() {
        Api.Reply v = api.shop("POST", P + "/validate", "{\"customerId\": \"c0\", \"rewards\": [\"hot\"]}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        return v.body().path("rewards").get(0).path("reasons").toString().contains("budget_exhausted");
    }

    @Test
    void demandAboveSupplyGetsExactlyTheLimitAndNothingIsStranded() {
        List<Api.Reply> replies = hammer(S * 128 / 100, "above");
        assertThat(granted(replies)).as("granted of 1.28 x S asked, limit S in 8 sub-counters").isEqualTo(S);
        assertThat(validateSaysExhausted()).isTrue();
        // one more, after the race, is refused too
        Api.Reply more = api.shop("POST", P + "/redeem", "{\"customerId\": \"c1\", \"rewardId\": \"hot\"}", key("more"));
        assertThat(more.code()).as(more.toString()).isEqualTo("budget_exhausted");
    }

    @Test
    void demandJustAboveTheLimit() {
        List<Api.Reply> replies = hammer(S + 1, "above1");
        assertThat(granted(replies)).isEqualTo(S);
        assertThat(replies.size() - granted(replies)).as("refused").isEqualTo(1);
    }

    @Test
    void demandJustBelowTheLimitIsAllGrantedOnTheBudgetsFirstUse() {
        assertThat(validateSaysExhausted()).as("first use: no sub-counter exists yet").isFalse();
        List<Api.Reply> replies = hammer(S - 1, "below");
        assertThat(granted(replies)).as("S - 1 asked of S").isEqualTo(S - 1);
        assertThat(validateSaysExhausted()).as("one unit left, on some sub-counter").isFalse();
        Api.Reply last = api.shop("POST", P + "/redeem", "{\"customerId\": \"c2\", \"rewardId\": \"hot\"}", key("last"));
        assertThat(last.status()).as("the last unit is found, whichever sub-counter holds it: " + last).isEqualTo(201);
        assertThat(validateSaysExhausted()).isTrue();
    }

    @Test
    void rollbackReturnsTheUnitToItsSubCounterAndItCanBeRedeemedAgain() {
        List<Api.Reply> replies = hammer(S, "all");
        assertThat(granted(replies)).isEqualTo(S);
        String id = replies.get(0).body().path("redemptionId").asText();
        Api.Reply rb = api.shop("POST", P + "/redemptions/" + id + "/rollback", "{}");
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        assertThat(validateSaysExhausted()).as("after a rollback").isFalse();
        List<Api.Reply> again = hammer(64, "again");
        assertThat(granted(again)).as("the one unit given back, won once of 64 tries").isEqualTo(1);
        assertThat(validateSaysExhausted()).isTrue();
    }

    @Test
    void aBudgetGrownWhileSplitGrantsExactlyTheNewLimit() {
        int first = S * 64 / 100; // 51 (640)
        int grown = S * 1203 / 1000; // 96 (1,203)
        assertThat(granted(hammer(first, "first"))).isEqualTo(first);
        Api.Reply put = api.admin("PUT", P, program(grown));
        assertThat(put.status()).as(put.toString()).isBetween(200, 201);
        assertThat(granted(hammer(first, "second"))).as("more asked than the grown limit leaves").isEqualTo(grown - first);
        assertThat(validateSaysExhausted()).isTrue();
    }

    @Test
    void aBudgetShrunkBelowWhatIsUsedGrantsNothingMore() {
        Api.Reply grow = api.admin("PUT", P, program(S * 16 / 10));
        assertThat(grow.status()).as(grow.toString()).isBetween(200, 201);
        assertThat(granted(hammer(S * 12 / 10, "first"))).isEqualTo(S * 12 / 10);
        Api.Reply shrink = api.admin("PUT", P, program(S * 11 / 10));
        assertThat(shrink.status()).as(shrink.toString()).isBetween(200, 201);
        assertThat(granted(hammer(THREADS, "second"))).as("1.2 x S used, limit now 1.1 x S").isZero();
        assertThat(validateSaysExhausted()).isTrue();
    }

    @Test
    void subLimitsSumToTheLimitExactly() {
        for (long limit : new long[] {0, 1, 7, 8, 999, 1000, 1001, 1203, Long.MAX_VALUE}) {
            long sum = 0;
            for (int i = 0; i < Budgets.SUB_COUNTERS; i++) {
                long s = Budgets.subLimit(limit, Budgets.SUB_COUNTERS, i);
                assertThat(s).isBetween(limit / Budgets.SUB_COUNTERS, limit / Budgets.SUB_COUNTERS + 1);
                sum = dev.laurel.domain.Arith.add(sum, s);
            }
            assertThat(sum).as("sum of the sub-limits of %d", limit).isEqualTo(limit);
        }
        assertThat(Budgets.subLimit(null, 8, 3)).isNull();
    }
}
