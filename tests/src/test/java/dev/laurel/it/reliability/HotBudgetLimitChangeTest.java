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
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(OwnTable.WithoutStream.class)
class HotBudgetLimitChangeTest {
    static final String PID = "hotlimits";
    static final String P = "/v1/programs/" + PID;
    static final int THREADS = 64;

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
        tenant = gateway.tenant();
        List<Callable<Api.Reply>> seeds = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String c = "c" + t;
            seeds.add(() -> gateway.call("POST", P + "/earn", "{\"customerId\": \"" + c
                    + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"seed-" + c + "\"}}", tenant.shopKey(), Map.of()));
        }
        put(program(900, null));
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
        assertThat(hammer(600, "unsplit")).as("600 of 900, on the one budget item").hasSize(600);
        assertThat(subCounters()).as("not split").hasSize(1);
        put(program(1000, null)); // the threshold: split on the next redemption, all 600 on sub-counter 0
        assertThat(hammer(399, "split")).as("399 of the 400 left").hasSize(399);
        assertThat(subCounters()).hasSize(Budgets.SUB_COUNTERS);
        long caps = subCounters().stream().mapToLong(i -> Long.parseLong(i.get("capR").n())).sum();
        assertThat(caps).as("the shares sum to the limit").isEqualTo(1000);
        assertThat(exhausted()).as("one unit left").isFalse();
        assertThat(redeem("c3", "last").status()).as("the last unit is found").isEqualTo(201);
        assertThat(hammer(128, "after")).isEmpty();
        assertThat(exhausted()).isTrue();
        auditPasses(1000);
    }

    @Test
    void theFirstSplitHammeredAboveWhatIsLeftNeverPassesTheLimit() throws Exception {
        assertThat(hammer(600, "unsplit")).hasSize(600);
        put(program(1000, null));
        assertThat(hammer(640, "split")).as("exactly the 400 left of 1,000").hasSize(400);
        assertThat(exhausted()).isTrue();
        auditPasses(1000);
    }

    @Test
    void aGrownLimitGrantsExactlyTheNewRoom() throws Exception {
        put(program(1000, null));
        assertThat(hammer(640, "first")).hasSize(640);
        put(program(1203, null));
        assertThat(hammer(640, "second")).as("1,203 - 640").hasSize(563);
        assertThat(exhausted()).isTrue();
        auditPasses(1203);
    }

    @Test
    void aLimitShrunkBelowWhatIsUsedGrantsNothingUntilRollbacksBringTheUseUnderIt() throws Exception {
        put(program(1600, null));
        List<Api.Reply> first = hammer(1200, "first");
        assertThat(first).hasSize(1200);
        put(program(1100, null));
        assertThat(hammer(128, "second")).as("1,200 used, limit 1,100").isEmpty();
        assertThat(exhausted()).isTrue();
    }

    @Test
    void rollbacksUnderAShrunkLimitFreeOnlyWhatTheLimitLeaves() throws Exception {
        put(program(1600, null));
        List<Api.Reply> first = hammer(1200, "first");
        assertThat(first).hasSize(1200);
        put(program(1100, null));
        // 150 rolled back, each to its own sub-counter: 1,050 used, 50 left under 1,100
        for (Api.Reply r : first.subList(0, 150)) {
            String id = r.body().path("redemptionId").asText();
            Api.Reply rb = gateway.call("POST", P + "/redemptions/" + id + "/rollback", "{}", tenant.shopKey(), Map.of());
            assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        }
        assertThat(hammer(128, "again")).as("1,100 - 1,050").hasSize(50);
        assertThat(exhausted()).isTrue();
        auditPasses(1100);
    }

    @Test
    void aLimitShrunkBelowTheThresholdAfterASplitStaysSplitAndExact() throws Exception {
        put(program(1000, null));
        assertThat(hammer(640, "first")).hasSize(640);
        put(program(700, null)); // below the threshold: the program alone would not split it
        assertThat(hammer(128, "second")).as("700 - 640").hasSize(60);
        assertThat(exhausted()).isTrue();
        auditPasses(700);
    }

    @Test
    void aValueLimitsRoomSpreadOverTheSubCountersIsNotStranded() throws Exception {
        // 64,100 split 8 ways: 8,013 or 8,012 each; 80 gift cards of 100 per sub-counter leave 12 or 13 on
        // each, 100 in all: the 641st is granted by moving that room onto one sub-counter
        put(program(1000, 64_100L));
        assertThat(hammer(700, "value")).as("64,100 / 100").hasSize(641);
        assertThat(exhausted()).isTrue();
        auditPasses(641);
    }
}
