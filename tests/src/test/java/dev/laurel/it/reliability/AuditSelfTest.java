package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.it.LocalDynamo;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit can fail: after a small run that passes it, each test plants one violation in the
 * table (or in the model of answers) the way a bug would leave it, checks that {@link Audit}
 * names it, and puts the item back. And an {@code expire} entry posted the way the expiry service
 * will post it (entry, lot and balance in step) is accounted for by conservation.
 */
@ExtendWith(OwnTable.class) // its audits scan the table
class AuditSelfTest {
    static Gateway.Tenant tenant;
    static Workload run;
    static final DynamoDbClient DDB = LocalDynamo.get().client();

    @BeforeAll
    static void aSmallRunThatPasses() {
        Gateway gateway = Gateway.clean();
        tenant = gateway.tenant();
        Workload.createProgram(tenant);
        run = new Workload(gateway, tenant, new Workload.Config(7, 1, 120, 3, null, false));
        run.run();
        assertThat(run.violations).isEmpty();
        Audit.Report r = Audit.check(tenant, Workload.PROGRAM_ID, run.model);
        assertThat(r.violations()).as(r.toString()).isEmpty();
        assertThat(r.figures().get("redemptions")).as("the run redeemed").isGreaterThan(3);
    }

    static String pk(String customerId) {
        return "T#" + tenant.id() + "#P#bank#C#" + customerId;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    static Map<String, AttributeValue> get(String pk, String sk) {
        return DDB.getItem(b -> b.tableName(Gateway.table()).key(key(pk, sk)).consistentRead(true)).item();
    }

    static void put(Map<String, AttributeValue> item) {
        DDB.putItem(b -> b.tableName(Gateway.table()).item(item));
    }

    /** Changes one item, audits, restores the item; returns the violations found. */
    static String plant(String pk, String sk, Consumer<Map<String, AttributeValue>> change) {
        Map<String, AttributeValue> before = get(pk, sk);
        assertThat(before).as(pk + " | " + sk).isNotEmpty();
        Map<String, AttributeValue> after = new HashMap<>(before);
        change.accept(after);
        put(after);
        try {
            return String.join("\n", Audit.check(tenant, Workload.PROGRAM_ID, run.model).violations());
        } finally {
            put(before);
        }
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static String aCustomerWithPoints() {
        for (String c : run.customers) {
            Map<String, AttributeValue> p = get(pk(c), "P");
            if (!p.isEmpty() && Long.parseLong(p.get("available").n()) >= 10) {
                return c;
            }
        }
        throw new AssertionError("no customer has points");
    }

    @Test
    void aBalanceThatDisagreesWithTheLedgerAndTheLotsIsFound() {
        String c = aCustomerWithPoints();
        String found = plant(pk(c), "P", p -> p.put("available", n(Long.parseLong(p.get("available").n()) + 1)));
        assertThat(found).contains("customer " + c + ": available").contains("!= sum of its")
                .contains("lots hold").contains("conservation");
    }

    @Test
    void aBudgetThatDisagreesWithItsRedemptionsIsFound() {
        String found = plant("T#" + tenant.id() + "#P#bank", "BUDGET#reward#small",
                b -> b.put("redemptions", n(Long.parseLong(b.get("redemptions").n()) + 1)));
        assertThat(found).contains("reward small: budget holds redemptions");
    }

    @Test
    void aBudgetOverItsLimitIsFound() {
        String found = plant("T#" + tenant.id() + "#P#bank", "BUDGET#reward#small", b -> b.put("redemptions", n(31)));
        assertThat(found).contains("reward small: totalRedemptions used 31 > limit 30");
    }

    @Test
    void aRedemptionCounterBeyondThePerCustomerLimitIsFound() {
        String c = aCustomerWithPoints();
        String found = plant(pk(c), "P", p -> p.put("redemptions", AttributeValue.fromM(Map.of("ten-off", n(4)))));
        assertThat(found).contains("customer " + c + ": profile counts 4 redemptions of ten-off");
    }

    @Test
    void aPointsEntryNobodyWasToldAboutIsFound() {
        String c = aCustomerWithPoints();
        Map<String, AttributeValue> p = get(pk(c), "P");
        // an earn applied without any answer saying so: entry, lot and balance all in step
        Map<String, AttributeValue> entry = new HashMap<>(key(pk(c), "E#0000000000001#zz-planted"));
        entry.putAll(Map.of("id", AttributeValue.fromS("zz-planted"), "customerId", AttributeValue.fromS(c),
                "type", AttributeValue.fromS("earn"), "points", n(5), "at", AttributeValue.fromS("2026-11-23T09:00:00Z"),
                "programVersion", n(1)));
        Map<String, AttributeValue> profile = new HashMap<>(p);
        Map<String, AttributeValue> lots = new HashMap<>(p.get("lots").m());
        lots.put("zz-planted", AttributeValue.fromM(Map.of("r", n(5), "e", n(5), "a", AttributeValue.fromS("2026-11-23T09:00:00Z"))));
        profile.put("lots", AttributeValue.fromM(lots));
        profile.put("available", n(Long.parseLong(p.get("available").n()) + 5));
        put(entry);
        put(profile);
        try {
            Audit.Report r = Audit.check(tenant, Workload.PROGRAM_ID, run.model);
            assertThat(Audit.check(tenant, Workload.PROGRAM_ID, null).violations()).as("consistent in the table alone").isEmpty();
            assertThat(String.join("\n", r.violations())).contains("customer " + c + ": the answers issued")
                    .contains("earn entries, ");
        } finally {
            DDB.deleteItem(b -> b.tableName(Gateway.table()).key(key(pk(c), "E#0000000000001#zz-planted")));
            put(p);
        }
    }

    @Test
    void aRedemptionNobodyWasAnsweredIsFound() {
        String id = run.model.redemptions.iterator().next();
        run.model.redemptions.remove(id);
        try {
            assertThat(String.join("\n", Audit.check(tenant, Workload.PROGRAM_ID, run.model).violations()))
                    .contains("redemptions answered 201").contains(id);
        } finally {
            run.model.redemptions.add(id);
        }
    }

    @Test
    void anExpireEntryPostedInStepWithItsLotAndBalanceIsConservedAndOneWithoutIsFound() {
        String c = aCustomerWithPoints();
        Map<String, AttributeValue> p = get(pk(c), "P");
        var lot = p.get("lots").m().entrySet().stream().filter(e -> Long.parseLong(e.getValue().m().get("r").n()) >= 3)
                .findFirst().orElseThrow();
        long r = Long.parseLong(lot.getValue().m().get("r").n());
        Map<String, AttributeValue> entry = new HashMap<>(key(pk(c), "E#9999999999999#zz-expire"));
        entry.putAll(Map.of("id", AttributeValue.fromS("zz-expire"), "customerId", AttributeValue.fromS(c),
                "type", AttributeValue.fromS("expire"), "points", n(-3), "at", AttributeValue.fromS("2027-01-01T00:00:00Z"),
                "programVersion", n(1)));
        put(entry);
        try {
            // the entry alone: balance and lots no longer add up
            String alone = String.join("\n", Audit.check(tenant, Workload.PROGRAM_ID, run.model).violations());
            assertThat(alone).contains("customer " + c + ": available").contains("!= sum of its");

            // the entry with its lot and balance: every invariant holds, and the 3 points count as expired
            Map<String, AttributeValue> profile = new HashMap<>(p);
            Map<String, AttributeValue> lots = new HashMap<>(p.get("lots").m());
            Map<String, AttributeValue> l = new HashMap<>(lot.getValue().m());
            l.put("r", n(r - 3));
            lots.put(lot.getKey(), AttributeValue.fromM(l));
            profile.put("lots", AttributeValue.fromM(lots));
            profile.put("available", n(Long.parseLong(p.get("available").n()) - 3));
            put(profile);
            Audit.Report inStep = Audit.check(tenant, Workload.PROGRAM_ID, run.model);
            assertThat(inStep.violations()).as(inStep.toString()).isEmpty();
            assertThat(inStep.figures().get("total.expired")).isEqualTo(3);
            assertThat(inStep.figures().get("points.expire")).isEqualTo(-3);
        } finally {
            DDB.deleteItem(b -> b.tableName(Gateway.table()).key(key(pk(c), "E#9999999999999#zz-expire")));
            put(p);
        }
        assertThat(Audit.check(tenant, Workload.PROGRAM_ID, run.model).violations()).as("restored").isEmpty();
    }

    /** A reward code that no longer agrees with its redemption (used again after a rollback, or renamed) is found. */
    @Test
    void aCodeThatDisagreesWithItsRedemptionIsFound() {
        var scan = DDB.scan(b -> b.tableName(Gateway.table()).filterExpression("begins_with(pk, :p) AND sk = :k")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("T#" + tenant.id() + "#P#bank#K#"),
                        ":k", AttributeValue.fromS("K"))));
        assertThat(scan.items()).as("the run's codes").isNotEmpty();
        Map<String, AttributeValue> code = scan.items().get(0);
        String pk = code.get("pk").s();
        String status = code.get("status").s();
        String wrong = status.equals("rolled_back") ? "used" : "rolled_back";
        assertThat(plant(pk, "K", i -> i.put("status", AttributeValue.fromS(wrong)))).contains("while its redemption");
        assertThat(plant(pk, "K", i -> i.put("redemptionId", AttributeValue.fromS("nope")))).contains("names no redemption");
    }
}
