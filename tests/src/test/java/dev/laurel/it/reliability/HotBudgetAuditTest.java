package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.it.Api;
import dev.laurel.it.LocalDynamo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit understands a hot budget's sub-counters: after redemptions and rollbacks of a split
 * budget it passes, its figure is the sum of the sub-counters, and a sub-counter that no longer
 * matches the redemptions recorded on it is named.
 */
class HotBudgetAuditTest {
    static final String PID = "hotaudit";
    static final String P = "/v1/programs/" + PID;
    static final DynamoDbClient DDB = LocalDynamo.get().client();
    static Gateway gateway;
    static Gateway.Tenant tenant;

    @BeforeAll
    static void redeemAndRollBack() {
        gateway = Gateway.clean();
        tenant = gateway.tenant();
        Api.Reply put = gateway.call("PUT", P, """
                {"name": "Hot audit", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "seed", "trigger": "seed.granted", "points": {"fixed": 1000}}],
                 "rewards": [{"id": "hot", "type": "gift_card", "valueMinor": 100, "cost": 10,
                              "limits": {"totalRedemptions": 1000}}]}
                """, tenant.adminKey(), Map.of());
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        for (int c = 0; c < 4; c++) {
            Api.Reply e = gateway.call("POST", P + "/earn", "{\"customerId\": \"c" + c
                    + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"s" + c + "\"}}", tenant.shopKey(), Map.of());
            assertThat(e.status()).as(e.toString()).isEqualTo(200);
            for (int k = 0; k < 10; k++) {
                Api.Reply r = gateway.call("POST", P + "/redeem", "{\"customerId\": \"c" + c + "\", \"rewardId\": \"hot\"}",
                        tenant.shopKey(), Map.of("Idempotency-Key", "r-" + c + "-" + k));
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                if (k % 3 == 0) {
                    Api.Reply rb = gateway.call("POST", P + "/redemptions/" + r.body().path("redemptionId").asText()
                            + "/rollback", "{}", tenant.shopKey(), Map.of());
                    assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void aSplitBudgetPassesTheAuditWithItsSummedFigure() {
        Audit.Report r = Audit.check(tenant, PID, null);
        assertThat(r.violations()).as(r.toString()).isEmpty();
        assertThat(r.figures().get("budget.reward.hot.redemptions")).as("40 redeemed, 16 rolled back").isEqualTo(24L);
    }

    @Test
    void aSubCounterOffByOneIsNamed() {
        List<Map<String, AttributeValue>> subs = DDB.scanPaginator(b -> b.tableName(Gateway.table())
                        .filterExpression("begins_with(pk, :p) AND sk = :s")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("T#" + tenant.id() + "#P#" + PID + "#B#hot#"),
                                ":s", AttributeValue.fromS("BUDGET"))))
                .items().stream().toList();
        assertThat(subs).as("24 live redemptions spread over sub-counters 1..7 too").isNotEmpty();
        Map<String, AttributeValue> before = subs.get(0);
        Map<String, AttributeValue> after = new HashMap<>(before);
        after.put("redemptions", AttributeValue.fromN(Long.toString(Long.parseLong(before.get("redemptions").n()) + 1)));
        DDB.putItem(b -> b.tableName(Gateway.table()).item(after));
        try {
            String found = String.join("\n", Audit.check(tenant, PID, null).violations());
            assertThat(found).contains("reward hot sub-counter").contains("reward hot: budget holds redemptions 25");
        } finally {
            DDB.putItem(b -> b.tableName(Gateway.table()).item(before));
        }
    }
}
