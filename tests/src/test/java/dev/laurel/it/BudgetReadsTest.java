package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.domain.Budgets;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;

/**
 * What validate and redeem read of a reward's budget, counted on the functions' DynamoDB client
 * (DynamoDB Local): a budget the program does not split is one item; one it splits is its
 * {@link Budgets#SUB_COUNTERS} sub-counters in the same request; one split under an older threshold
 * or limit is found split on its item and its other sub-counters read then. And what a change of the
 * deployment's split threshold does to budgets already used: a split budget stays split, an unsplit
 * one is split whole on its next redemption; both grant exactly their limit.
 */
class BudgetReadsTest {
    static final String P = "/v1/programs/reads";

    /** The budget keys of each BatchGetItem the functions send, as {@code pk|sk}. */
    final List<List<String>> budgetReads = new CopyOnWriteArrayList<>();
    Api api;

    @BeforeEach
    void setUp() {
        ExecutionInterceptor count = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchGetItemRequest r) {
                    List<String> keys = new ArrayList<>();
                    r.requestItems().values().forEach(ka -> ka.keys().forEach(k -> {
                        if (k.get("sk").s().startsWith("BUDGET#reward#") || k.get("pk").s().contains("#B#")) {
                            keys.add(k.get("pk").s() + "|" + k.get("sk").s());
                        }
                    }));
                    budgetReads.add(keys);
                }
            }
        };
        DynamoDbClient watched = LocalDynamo.client(LocalDynamo.get().endpoint(), count);
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-12-04T09:00:00Z")), Duration.ZERO, LocalDynamo.TABLE, watched);
        Api.Reply put = api.admin("PUT", P, """
                {"name": "Reads", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "seed", "trigger": "seed.granted", "points": {"fixed": 100000}}],
                 "rewards": [
                   {"id": "plain", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"totalRedemptions": 20}},
                   {"id": "hot", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"totalRedemptions": 1000}}
                 ]}
                """);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        Api.Reply e = api.shop("POST", P + "/earn", "{\"customerId\": \"c0\", \"event\": {\"type\": \"seed.granted\", \"id\": \"s0\"}}");
        assertThat(e.status()).as(e.toString()).isEqualTo(200);
    }

    Api.Reply redeem(String reward, String k) {
        return api.shop("POST", P + "/redeem", "{\"customerId\": \"c0\", \"rewardId\": \"" + reward + "\"}", key(k));
    }

    boolean exhausted(String reward) {
        Api.Reply v = api.shop("POST", P + "/validate", "{\"customerId\": \"c0\", \"rewards\": [\"" + reward + "\"]}");
        assertThat(v.status()).as(v.toString()).isEqualTo(200);
        return v.body().path("rewards").get(0).path("reasons").toString().contains("budget_exhausted");
    }

    /** The budget keys each BatchGetItem of {@code call} read (requests without one left out). */
    List<Integer> budgetKeysRead(Runnable call) {
        budgetReads.clear();
        call.run();
        return budgetReads.stream().map(List::size).filter(n -> n > 0).toList();
    }

    /** The stored sub-counter items of a reward's budget (0 is the budget item). */
    List<Map<String, AttributeValue>> items(String reward) {
        String ppk = "T#" + api.tenant + "#P#reads";
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int i = 0; i < Budgets.SUB_COUNTERS; i++) {
            Map<String, AttributeValue> key = i == 0
                    ? Map.of("pk", AttributeValue.fromS(ppk), "sk", AttributeValue.fromS("BUDGET#reward#" + reward))
                    : Map.of("pk", AttributeValue.fromS(ppk + "#B#" + reward + "#" + i), "sk", AttributeValue.fromS("BUDGET"));
            var item = LocalDynamo.get().client().getItem(b -> b.tableName(api.table).key(key).consistentRead(true)).item();
            if (item != null && !item.isEmpty()) {
                out.add(item);
            }
        }
        return out;
    }

    @Test
    void aBudgetNotSplitIsReadAsOneItemAndAHotOneAsItsSubCountersAtOnce() {
        assertThat(budgetKeysRead(() -> exhausted("plain"))).as("validate, unsplit").containsExactly(1);
        assertThat(budgetKeysRead(() -> assertThat(redeem("plain", "p1").status()).isEqualTo(201)))
                .as("redeem, unsplit").containsExactly(1);
        assertThat(budgetKeysRead(() -> exhausted("hot"))).as("validate, hot").containsExactly(Budgets.SUB_COUNTERS);
        assertThat(budgetKeysRead(() -> assertThat(redeem("hot", "h1").status()).isEqualTo(201)))
                .as("redeem, hot: one read, the split and the charge need no other").containsExactly(Budgets.SUB_COUNTERS);
        assertThat(items("plain")).hasSize(1).allSatisfy(i -> assertThat(i).doesNotContainKey("splitSeq"));
        assertThat(items("hot")).hasSize(Budgets.SUB_COUNTERS).allSatisfy(i -> assertThat(i).containsKey("splitSeq"));
    }

    @Test
    void aBudgetSplitUnderALowerThresholdStaysSplitAndExactWhenTheThresholdIsRaised() {
        api.laurel.splittingBudgetsAt(Budgets.MIN_SPLIT_THRESHOLD); // a deployment that splits budgets of 8 or more
        for (int k = 0; k < 5; k++) {
            assertThat(redeem("plain", "low-" + k).status()).isEqualTo(201);
        }
        assertThat(items("plain")).hasSize(Budgets.SUB_COUNTERS).allSatisfy(i -> assertThat(i).containsKey("splitSeq"));
        api.laurel.splittingBudgetsAt(Budgets.DEFAULT_SPLIT_THRESHOLD); // redeployed with the default: 20 is under it
        assertThat(budgetKeysRead(() -> assertThat(exhausted("plain")).isFalse()))
                .as("the budget item, found split, then its other sub-counters").containsExactly(1, Budgets.SUB_COUNTERS - 1);
        for (int k = 0; k < 15; k++) {
            assertThat(redeem("plain", "high-" + k).status()).as("redemption %d of the 15 left", k).isEqualTo(201);
        }
        Api.Reply over = redeem("plain", "over");
        assertThat(over.code()).as(over.toString()).isEqualTo("budget_exhausted");
        assertThat(exhausted("plain")).isTrue();
        assertThat(items("plain").stream().mapToLong(i -> Long.parseLong(i.get("redemptions").n())).sum()).isEqualTo(20);
        assertThat(items("plain")).as("still split").allSatisfy(i -> assertThat(i).containsKey("splitSeq"));
    }

    @Test
    void aBudgetUsedUnsplitIsSplitWholeWhenTheThresholdIsLowered() {
        for (int k = 0; k < 5; k++) {
            assertThat(redeem("plain", "unsplit-" + k).status()).isEqualTo(201);
        }
        assertThat(items("plain")).as("one item, not split").hasSize(1);
        api.laurel.splittingBudgetsAt(Budgets.MIN_SPLIT_THRESHOLD); // redeployed with a lower threshold
        assertThat(redeem("plain", "split").status()).isEqualTo(201);
        List<Map<String, AttributeValue>> split = items("plain");
        assertThat(split).as("all sub-counters, in one write").hasSize(Budgets.SUB_COUNTERS)
                .allSatisfy(i -> assertThat(i).containsKey("splitSeq").containsKey("capR"));
        assertThat(split.stream().mapToLong(i -> Long.parseLong(i.get("capR").n())).sum()).as("shares sum to the limit")
                .isEqualTo(20);
        for (int k = 0; k < 14; k++) {
            assertThat(redeem("plain", "after-" + k).status()).as("redemption %d of the 14 left", k).isEqualTo(201);
        }
        assertThat(redeem("plain", "over").code()).isEqualTo("budget_exhausted");
        assertThat(exhausted("plain")).isTrue();
    }
}
