package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.domain.Budgets;
import dev.laurel.it.Api;
import dev.laurel.it.HotBudgetsTest;
import dev.laurel.it.LocalDynamo;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A hot budget's limit changes (docs/ARCHITECTURE.md, "Hot budgets: sub-counters"): its first split
 * after being used unsplit, a grown limit, a limit shrunk below what is used (then rollbacks), a limit
 * shrunk below the split threshold after a split, and a value limit whose room lies spread over the
 * sub-counters. Each is hammered by 64 threads; exactly what the limit leaves is granted, never more,
 * nothing is stranded, and the reliability {@link Audit} (each sub-counter's share and room) passes.
 * The functions split at {@link HotBudgetsTest#S} (80; 1,000 in a long run) and the limits are figures of it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(OwnTable.WithoutStream.class)
class HotBudgetLimitChangeTest {
    static final String PID = "hotlimits";
    static final String P = "/v1/programs/" + PID;
    static final int THREADS = 64;
    static final int S = HotBudgetsTest.S;

    Gateway gateway;
    Gateway.Tenant tenant;

    static String program(long redemptions, Long discountMinor) {
        return """
                {"name": "Hot limits", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "seed", "trigger": "seed.granted", "points": {"fixed": 100000}}],
                 "rewards": [{"id": "hot", "type": "gift_card", "valueMinor": 100, "cost": 1,
                              "limits": {"totalRedemptions": %d%s}}]}
                """.formatted(redemptions, discountMinor == null ? "" : ", \"totalDiscountMinor\": " + discountMinor);
    }

    @BeforeEach
    void setUp() throws Exception {
        // programs are read afresh on every request: a limit change applies to the next redemption
        gateway = new Gateway(LocalDynamo.get().client(), LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")),
                Duration.ZERO);
        gateway.laurel.splittingBudgetsAt(S);
        tenant = gateway.tenant();
        List<Callable<Api.Reply>> seeds = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String c = "c" + t;
            seeds.add(() -> gateway.call("POST", P + "/earn", "{\"customerId\": \"" + c
                    + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"seed-" + c + "\"}}", tenant.shopKey(), Map.of()));
        }
        put(program(S * 9 / 10, null)); // under the threshold: not split
        race(seeds).forEach(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    }

    void put(String program) {
        Api.Reply put = gateway.call("PUT", P, program, tenant.adminKey(), Map.of());
        assertThat(put.status()).as(put.toString()).isBetween(200, 201);
    }

    static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    Api.Reply redeem(String c, String key) {
        return gateway.call("POST", P + "/redeem", "{\"customerId\": \"" + c + "\", \"rewardId\": \"hot\"}", tenant.shopKey(),
                Map.of("Idempotency-Key", key));
    }

    /** The redemptions granted of {@code demand} asked by 64 threads; every other answer is budget_exhausted. */
    List<Api.Reply> hammer(int demand, String tag) throws Exception {
        List<Callable<List<Api.Reply>>> tasks = HotBudgetsTest.demand(THREADS, demand, (c, k) -> redeem(c, tag + "-" + c + "-" + k));
        List<Api.Reply> granted = new ArrayList<>();
        for (List<Api.Reply> replies : race(tasks)) {
            for (Api.Reply r : replies) {
                if (r.status() == 201) {
                    granted.add(r);
                } else {
                    assertThat(r.status()).as(r.toString()).isEqualTo(409);
                    assertThat(r.code()).as(r.toString()).isEqualTo("budget_exhausted");
                }
            }
        }
        return granted;
    }

    void auditPasses(long redemptions) {
        Audit.Report r = Audit.check(tenant, PID, null);
        assertThat(r.violations()).as(r.toString()).isEmpty();
        assertThat(r.figures().get("budget.reward.hot.redemptions")).isEqualTo(redemptions);
    }

    boolean exhausted() {
        Api.Reply v = gateway.call("POST", P + "/validate", "{\"customerId\": \"c0\", \"rewards\": [\"hot\"]}",
                tenant.shopKey(), Map.of());
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        return v.body().path("rewards").get(0).path("reasons").toString().contains("budget_exhausted");
    }

    /** The sub-counter items of the hot budget (0 is the budget item itself). */
    List<Map<String, AttributeValue>> subCounters() {
        String ppk = "T#" + tenant.id() + "#P#" + PID;
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int i = 0; i < Budgets.SUB_COUNTERS; i++) {
            Map<String, AttributeValue> key = i == 0
                    ? Map.of("pk", AttributeValue.fromS(ppk), "sk", AttributeValue.fromS("BUDGET#reward#hot"))
                    : Map.of("pk", AttributeValue.fromS(ppk + "#B#hot#" + i), "sk", AttributeValue.fromS("BUDGET"));
            var item = LocalDynamo.get().client().getItem(b -> b.tableName(Gateway.table()).key(key).consistentRead(true)).item();
            if (item != null && !item.isEmpty()) {
                out.add(item);
            }
        }
        return out;
    }

    @Test
    void theFirstSplitOfABudgetUsedUnsplitGrantsExactlyWhatIsLeftAndStrandsNothing() throws Exception {
        int used = S * 6 / 10; // 48 (600)
        assertThat(hammer(used, "unsplit")).as("0.6 x S of 0.9 x S, on the one budget item").hasSize(used);
        assertThat(subCounters()).as("not split").hasSize(1);
        put(program(S, null)); // the threshold: split on the next redemption, all used on sub-counter 0
        assertThat(hammer(S - used - 1, "split")).as("all but one of what is left").hasSize(S - used - 1);
        assertThat(subCounters()).hasSize(Budgets.SUB_COUNTERS);
        long caps = subCounters().stream().mapToLong(i -> Long.parseLong(i.get("capR").n())).sum();
        assertThat(caps).as("the shares sum to the limit").isEqualTo(S);
        assertThat(exhausted()).as("one unit left").isFalse();
        assertThat(redeem("c3", "last").status()).as("the last unit is found").isEqualTo(201);
        assertThat(hammer(THREADS, "after")).isEmpty();
        assertThat(exhausted()).isTrue();
        auditPasses(S);
    }

    @Test
    void theFirstSplitHammeredAboveWhatIsLeftNeverPassesTheLimit() throws Exception {
        int used = S * 6 / 10;
        assertThat(hammer(used, "unsplit")).hasSize(used);
        put(program(S, null));
        assertThat(hammer(S * 64 / 100, "split")).as("exactly what is left of S").hasSize(S - used);
        assertThat(exhausted()).isTrue();
        auditPasses(S);
    }

    @Test
    void aGrownLimitGrantsExactlyTheNewRoom() throws Exception {
        int first = S * 64 / 100; // 51 (640)
        int grown = S * 1203 / 1000; // 96 (1,203)
        put(program(S, null));
        assertThat(hammer(first, "first")).hasSize(first);
        put(program(grown, null));
        assertThat(hammer(first, "second")).as("the grown limit's room").hasSize(grown - first);
        assertThat(exhausted()).isTrue();
        auditPasses(grown);
    }

    @Test
    void aLimitShrunkBelowWhatIsUsedGrantsNothingUntilRollbacksBringTheUseUnderIt() throws Exception {
        put(program(S * 16 / 10, null));
        List<Api.Reply> first = hammer(S * 12 / 10, "first");
        assertThat(first).hasSize(S * 12 / 10);
        put(program(S * 11 / 10, null));
        assertThat(hammer(THREADS, "second")).as("1.2 x S used, limit 1.1 x S").isEmpty();
        assertThat(exhausted()).isTrue();
    }

    @Test
    void rollbacksUnderAShrunkLimitFreeOnlyWhatTheLimitLeaves() throws Exception {
        put(program(S * 16 / 10, null));
        List<Api.Reply> first = hammer(S * 12 / 10, "first");
        assertThat(first).hasSize(S * 12 / 10);
        put(program(S * 11 / 10, null));
        // 0.15 x S rolled back, each to its own sub-counter: 1.05 x S used, 0.05 x S left under 1.1 x S
        for (Api.Reply r : first.subList(0, S * 15 / 100)) {
            String id = r.body().path("redemptionId").asText();
            Api.Reply rb = gateway.call("POST", P + "/redemptions/" + id + "/rollback", "{}", tenant.shopKey(), Map.of());
            assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        }
        assertThat(hammer(THREADS, "again")).as("1.1 x S - 1.05 x S").hasSize(S * 11 / 10 - S * 12 / 10 + S * 15 / 100);
        assertThat(exhausted()).isTrue();
        auditPasses(S * 11 / 10);
    }

    @Test
    void aLimitShrunkBelowTheThresholdAfterASplitStaysSplitAndExact() throws Exception {
        put(program(S, null));
        assertThat(hammer(S * 64 / 100, "first")).hasSize(S * 64 / 100);
        put(program(S * 7 / 10, null)); // below the threshold: the program alone would not split it
        assertThat(hammer(THREADS, "second")).as("0.7 x S - 0.64 x S").hasSize(S * 7 / 10 - S * 64 / 100);
        assertThat(exhausted()).isTrue();
        auditPasses(S * 7 / 10);
    }

    @Test
    void aValueLimitsRoomSpreadOverTheSubCountersIsNotStranded() throws Exception {
        // k gift cards of 100 per sub-counter and 100 more: 8 x 100 k + 100 split 8 ways leaves 12 or 13
        // on each after its k cards, 100 in all: card 8 k + 1 is granted by moving that room onto one
        // sub-counter (k = 80 in a long run: 64,100, card 641)
        int k = S * 8 / 100; // 6 (80)
        put(program(S, 800L * k + 100));
        assertThat(hammer(S * 7 / 10, "value")).as("(8 x 100 k + 100) / 100").hasSize(8 * k + 1);
        assertThat(exhausted()).isTrue();
        auditPasses(8 * k + 1);
    }

    /**
     * A split closes (SubCounters: no sub-counter takes anything) when it is re-split for a limit that
     * its use has already passed. A redemption refuses before writing when the use it reads is past the
     * limit, so the state is reached as it is in production: a container that still has the program
     * before the limit was lowered (its program cache) spends the old shares while a container with
     * the new program, which read the use under the new limit, is re-splitting. Closed, redemptions from
     * either are refused with the API's budget_exhausted error and change nothing; raising the limit
     * above the use reopens the split for exactly the new room.
     */
    @Test
    void aSplitClosedByALoweredLimitRefusesAndChangesNothingUntilTheLimitIsRaised() throws Exception {
        int before = S; // 80 (1,000), split
        int read = S / 2; // what the fresh container reads used: 40 (500)
        int lowered = S * 6 / 10; // 48 (600): above what it reads, below what the stale one spends
        int raised = S * 11 / 10; // 88 (1,100)
        put(program(before, null));
        Gateway stale = new Gateway(LocalDynamo.get().client(), gateway.clock, Duration.ofDays(1)); // keeps the program it read
        stale.laurel.splittingBudgetsAt(S);
        java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        software.amazon.awssdk.core.interceptor.ExecutionInterceptor pause = new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest
                        && armed.compareAndSet(true, false)) {
                    paused.countDown();
                    try {
                        resume.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        Gateway fresh = new Gateway(LocalDynamo.client(LocalDynamo.get().endpoint(), pause), gateway.clock, Duration.ZERO);
        fresh.laurel.splittingBudgetsAt(S);

        for (int k = 0; k < read; k++) { // through the stale container: it reads the program now, and splits it
            assertThat(redeem(stale, "c" + k % (THREADS - 1), "old-" + k).status()).isEqualTo(201);
        }
        put(program(lowered, null));
        armed.set(true);
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            // the fresh container reads S / 2 used under the lowered limit and pauses on its re-split (for a
            // customer the stale one never redeems for: a changed profile would make it decide again) ...
            Future<Api.Reply> closing = one.submit(() -> redeem(fresh, "c" + (THREADS - 1), "closing"));
            assertThat(paused.await(60, TimeUnit.SECONDS)).isTrue();
            for (int k = read; k < before; k++) { // ... while the stale one spends the old shares to the end
                assertThat(redeem(stale, "c" + k % (THREADS - 1), "old-" + k).status()).isEqualTo(201);
            }
            resume.countDown();
            assertExhausted(closing.get(60, TimeUnit.SECONDS));
        } finally {
            resume.countDown();
            one.shutdownNow();
        }
        List<Map<String, AttributeValue>> closed = subCounters();
        assertThat(closed).hasSize(Budgets.SUB_COUNTERS).allSatisfy(i -> assertThat(i).containsKey("closed"));
        Api.Reply wallet = gateway.call("GET", P + "/customers/c2", null, tenant.shopKey(), Map.of());
        for (Gateway g : List.of(gateway, stale, fresh)) {
            assertExhausted(redeem(g, "c2", "refused-" + System.identityHashCode(g)));
        }
        assertThat(exhausted()).isTrue();
        assertThat(subCounters()).as("nothing changed").isEqualTo(closed);
        assertThat(gateway.call("GET", P + "/customers/c2", null, tenant.shopKey(), Map.of()).body()).isEqualTo(wallet.body());

        put(program(raised, null)); // above the use: the next redemption re-splits it open
        assertThat(hammer(raised - before + THREADS, "reopened")).as("the raised limit's room").hasSize(raised - before);
        assertThat(subCounters()).noneSatisfy(i -> assertThat(i).containsKey("closed"));
        assertThat(exhausted()).isTrue();
        auditPasses(raised);
    }

    Api.Reply redeem(Gateway g, String c, String key) {
        return g.call("POST", P + "/redeem", "{\"customerId\": \"" + c + "\", \"rewardId\": \"hot\"}", tenant.shopKey(),
                Map.of("Idempotency-Key", key));
    }

    /** The API's refusal of a redemption by the budget: 409 budget_exhausted, naming the reward. */
    static void assertExhausted(Api.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).as(r.toString()).isEqualTo("budget_exhausted");
        assertThat(r.body().toString()).as(r.toString()).contains("\"rewardId\":\"hot\"");
    }
}
