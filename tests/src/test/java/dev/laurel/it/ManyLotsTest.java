package dev.laurel.it;

import dev.laurel.local.LocalClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Expiry;
import dev.laurel.domain.Lot;
import dev.laurel.store.dynamodb.Keys;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Issue 9 defect 6 (S6): a member's profile stays bounded and every operation on it fits
 * DynamoDB's limits (an update expression of at most 4 KB, at most 100 items per transaction, an
 * item of at most 400 KB) however many lots they hold: lots of one expiry, order and return window
 * merge; per-period cap counters are pruned; a spend, rollback, refund, expiry or reminders run of
 * thousands of lots goes through; points_expiring is one reminder per expiry day.
 */
class ManyLotsTest {
    static final String PROGRAM = """
            {"name": "Many", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "liked", "trigger": "social.liked", "points": {"fixed": 10},
                               "limits": {"perCustomer": {"count": 100, "period": "day"}}}],
             "rewards": [{"id": "all", "type": "product", "cost": 30000}, {"id": "small", "type": "product", "cost": 30}],
             "expiry": {"afterDays": 365},
             "reminders": {"pointsExpiring": {"daysBefore": 3}}}
            """;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final int MAX_ITEM_BYTES = 400 * 1024;

    /** Watches every request of the functions' client against DynamoDB's limits. */
    static final class Watch implements ExecutionInterceptor {
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicInteger profileTransactions = new AtomicInteger();
        final AtomicInteger maxItems = new AtomicInteger();
        final AtomicInteger maxExpression = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            if (r instanceof TransactWriteItemsRequest t) {
                maxItems.accumulateAndGet(t.transactItems().size(), Math::max);
                if (t.transactItems().size() > 100) {
                    violations.add("a transaction of " + t.transactItems().size() + " items");
                }
                for (TransactWriteItem i : t.transactItems()) {
                    if (i.update() != null) {
                        expression(i.update().updateExpression());
                        expression(i.update().conditionExpression());
                        if (Keys.PROFILE.equals(i.update().key().get("sk").s())) {
                            profileTransactions.incrementAndGet();
                        }
                    }
                    if (i.put() != null) {
                        expression(i.put().conditionExpression());
                    }
                }
            } else if (r instanceof UpdateItemRequest u) {
                expression(u.updateExpression());
                expression(u.conditionExpression());
            }
        }

        private void expression(String e) {
            if (e != null) {
                maxExpression.accumulateAndGet(e.length(), Math::max);
                if (e.length() > 4096) {
                    violations.add("an expression of " + e.length() + " characters: " + e.substring(0, 200) + "...");
                }
            }
        }
    }

    final Watch watch = new Watch();
    Api api;
    Jobs jobs;
    DynamoDbClient plain;

    @BeforeEach
    void setUp() {
        DynamoDbClient watched = DynamoDbClient.builder()
                .endpointOverride(LocalDynamo.get().endpoint())
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(watch))
                .build();
        plain = LocalDynamo.get().client();
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable(),
                watched);
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    // ------------------------------------------------------------------ helpers

    Api.Reply ok(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    void customer(String id, boolean consent) {
        ok(api.shop("PUT", "/v1/programs/p/customers/" + id, "{\"consent\": {\"marketing\": " + consent + "}}"), 201);
    }

    void liked(String customer, String eventId) {
        ok(api.shop("POST", "/v1/programs/p/earn", "{\"customerId\": \"" + customer + "\", \"event\": {\"type\": \"social.liked\", \"id\": \""
                + eventId + "\"}}"), 200);
    }

    Customer stored(String customer) {
        return api.store.readWithLots(api.tenant, "p", customer);
    }

    Map<String, AttributeValue> profileItem(String customer) {
        return plain.getItem(b -> b.tableName(api.store.table()).key(Map.of("pk",
                AttributeValue.fromS(Keys.customer(api.tenant, "p", customer)), "sk", AttributeValue.fromS(Keys.PROFILE)))
                .consistentRead(true)).item();
    }

    /** DynamoDB's size of an item (names and values, as its documentation counts them). */
    static long size(Map<String, AttributeValue> item) {
        long n = 0;
        for (var e : item.entrySet()) {
            n += e.getKey().length() + size(e.getValue());
        }
        return n;
    }

    static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 2;
        }
        if (v.hasM()) {
            return 3 + v.m().entrySet().stream().mapToLong(e -> e.getKey().length() + size(e.getValue()) + 1).sum();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> size(x) + 1).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(String::length).sum();
        }
        return 1;
    }

    /**
     * Gives an enrolled customer {@code count} lots of 10 points written straight into the profile
     * item (the API merges lots, so it cannot make this many quickly) with an {@code import} ledger
     * entry of their sum, then upserts them so that the write keys them in the indexes as it would.
     */
    void plant(String customer, int count, IntFunction<Lot> lotOf) {
        Map<String, AttributeValue> lots = new HashMap<>();
        long total = 0;
        for (int i = 0; i < count; i++) {
            Lot l = lotOf.apply(i);
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("r", AttributeValue.fromN(Long.toString(l.remaining())));
            m.put("e", AttributeValue.fromN(Long.toString(l.earned())));
            m.put("a", AttributeValue.fromS(l.earnedAt().toString()));
            m.put("x", AttributeValue.fromS(l.expiresAt().toString()));
            if (l.orderId() != null) {
                m.put("o", AttributeValue.fromS(l.orderId()));
            }
            lots.put(l.lotId(), AttributeValue.fromM(m));
            total += l.remaining();
        }
        String pk = Keys.customer(api.tenant, "p", customer);
        long sum = total;
        plain.updateItem(b -> b.tableName(api.store.table())
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(Keys.PROFILE)))
                .updateExpression("SET lots = :lots, available = available + :t, lifetimeEarned = lifetimeEarned + :t ADD seq :one")
                .expressionAttributeValues(Map.of(":lots", AttributeValue.fromM(lots), ":t", AttributeValue.fromN(Long.toString(sum)),
                        ":one", AttributeValue.fromN("1"))));
        Instant at = api.clock.instant();
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("pk", AttributeValue.fromS(pk));
        entry.put("sk", AttributeValue.fromS("E#" + String.format("%013d", at.toEpochMilli()) + "#import-" + customer));
        entry.put("id", AttributeValue.fromS("import-" + customer));
        entry.put("customerId", AttributeValue.fromS(customer));
        entry.put("type", AttributeValue.fromS("import"));
        entry.put("points", AttributeValue.fromN(Long.toString(sum)));
        entry.put("at", AttributeValue.fromS(at.toString()));
        entry.put("programVersion", AttributeValue.fromN("1"));
        plain.putItem(b -> b.tableName(api.store.table()).item(entry));
        ok(api.shop("PUT", "/v1/programs/p/customers/" + customer, "{}"), 200);
        assertThat(stored(customer).lots()).hasSize(count);
    }

    static Lot lot(int i, LocalDate lastDay, String orderId) {
        return new Lot("L" + String.format("%05d", i), 10, 10, Instant.parse("2026-11-20T10:00:00Z").plusSeconds(i),
                Expiry.endOfDay(lastDay, BERLIN), orderId);
    }

    void withinLimits(String customer) {
        assertThat(watch.violations).isEmpty();
        assertThat(size(profileItem(customer))).as("profile item size").isLessThan(MAX_ITEM_BYTES);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void earnsOfOneExpiryDayMergeIntoOneLotOrdersKeepTheirOwnAndARollbackMergesBack() {
        customer("c-1", false);
        for (int i = 0; i < 5; i++) {
            liked("c-1", "like-" + i);
        }
        assertThat(stored("c-1").lots()).as("five likes of one day").hasSize(1);
        assertThat(stored("c-1").lots().get(0).remaining()).isEqualTo(50);
        ok(api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-1", "o-1", 1000, api.clock.instant().toString())), 200);
        ok(api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-1", "o-2", 2000, api.clock.instant().toString())), 200);
        assertThat(stored("c-1").lots()).as("each order's lot is its own").hasSize(3);
        api.clock.advance(Duration.ofDays(1));
        liked("c-1", "like-next-day");
        assertThat(stored("c-1").lots()).hasSize(4);

        Api.Reply r = ok(api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"small\"}",
                Invariants.key("k-1")), 201);
        ok(api.shop("POST", "/v1/programs/p/redemptions/" + r.body().path("redemptionId").asText() + "/rollback", null), 200);
        List<Lot> lots = stored("c-1").lots();
        assertThat(lots).as(lots.toString()).hasSize(4);
        assertThat(lots.stream().filter(l -> l.orderId() == null).mapToLong(Lot::remaining).sorted().toArray())
                .containsExactly(10, 50);
        Invariants.checkWithLifetime(api, "p", "c-1");
        withinLimits("c-1");
    }

    @Test
    void countersOfPeriodsLongOverArePruned() {
        customer("c-1", false);
        liked("c-1", "d-1");
        api.clock.advance(Duration.ofDays(1));
        liked("c-1", "d-2");
        assertThat(stored("c-1").ruleCounts()).hasSize(2);
        api.clock.advance(Duration.ofDays(401));
        liked("c-1", "d-3");
        assertThat(stored("c-1").ruleCounts()).as(stored("c-1").ruleCounts().toString()).hasSize(1);
        assertThat(stored("c-1").rulePoints()).hasSize(1);
        assertThat(stored("c-1").ruleCounts().keySet().iterator().next()).endsWith("@2027-12-30");
    }

    @Test
    void thousandsOfLotsAreRedeemedRolledBackRefundedAndExpiredWithinDynamoDbsLimits() {
        customer("c-1", false);
        LocalDate first = LocalDate.parse("2027-01-01");
        plant("c-1", 3000, i -> lot(i, first.plusDays(i % 300), "o-" + i));
        withinLimits("c-1");
        // the order a refund names: everything the planted lots hold was earned on it, as far as its record says
        String pk = Keys.customer(api.tenant, "p", "c-1");
        plain.putItem(b -> b.tableName(api.store.table()).item(Map.of("pk", AttributeValue.fromS(pk),
                "sk", AttributeValue.fromS("X#big"), "totalMinor", AttributeValue.fromN("3000000"),
                "earned", AttributeValue.fromN("30000"), "refundedMinor", AttributeValue.fromN("0"),
                "clawed", AttributeValue.fromN("0"), "customerId", AttributeValue.fromS("c-1"))));

        Api.Reply redeem = ok(api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"all\"}",
                Invariants.key("all-1")), 201);
        assertThat(redeem.body().path("balance").path("available").asLong()).isZero();
        assertThat(stored("c-1").lots()).isEmpty();
        withinLimits("c-1");

        ok(api.shop("POST", "/v1/programs/p/redemptions/" + redeem.body().path("redemptionId").asText() + "/rollback", null), 200);
        assertThat(Invariants.wallet(api, "p", "c-1").path("balance").path("available").asLong()).isEqualTo(30000);
        assertThat(stored("c-1").lots().size()).as("restored lots").isBetween(1, 1000);
        withinLimits("c-1");

        Api.Reply refund = ok(api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"c-1\", \"orderId\": \"big\", \"amountMinor\": 1500000}"), 200);
        assertThat(refund.body().path("pointsClawedBack").asLong()).as(refund.toString()).isEqualTo(15000);
        withinLimits("c-1");
        Invariants.check(api, "p", "c-1");

        customer("c-2", false);
        plant("c-2", 3000, i -> lot(i, first.plusDays(i % 300), "o-" + i));
        api.clock.set(Instant.parse("2028-01-01T00:00:00Z"));
        List<JsonNode> run = jobs.expiry();
        assertThat(run.stream().mapToLong(a -> a.path("pointsExpired").asLong()).sum()).as(run.toString()).isEqualTo(45000);
        assertThat(stored("c-1").lots()).isEmpty();
        assertThat(stored("c-2").lots()).isEmpty();
        Invariants.check(api, "p", "c-1");
        Invariants.check(api, "p", "c-2");
        withinLimits("c-2");
    }

    @Test
    void donationsOfThousandsOfLotsStayWithinDynamoDbsLimits() {
        ok(api.admin("PUT", "/v1/programs/p", PROGRAM.replace("\"expiry\"",
                "\"charities\": [{\"id\": \"trees\", \"name\": \"Trees\", \"pointValueMinor\": 1}], \"expiry\"")), 200);
        api.clock.advance(Duration.ofSeconds(1));
        customer("c-1", false);
        LocalDate first = LocalDate.parse("2027-01-01");
        plant("c-1", 3000, i -> lot(i, first.plusDays(i % 300), "o-" + i));
        // 1 point: from the soonest-expiring lot
        ok(api.shop("POST", "/v1/programs/p/donations", "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 1}",
                Invariants.key("one")), 201);
        assertThat(stored("c-1").lots().stream().filter(l -> l.remaining() == 9).toList()).hasSize(1)
                .allMatch(l -> l.expiresAt().equals(Expiry.endOfDay(first, BERLIN)));
        // 20,000 points of 2,000 lots, then every point left
        ok(api.shop("POST", "/v1/programs/p/donations", "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 20000}",
                Invariants.key("many")), 201);
        withinLimits("c-1");
        Api.Reply all = ok(api.shop("POST", "/v1/programs/p/donations",
                "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 9999}", Invariants.key("all")), 201);
        assertThat(all.body().path("balance").path("available").asLong()).isZero();
        assertThat(stored("c-1").lots()).isEmpty();
        withinLimits("c-1");
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void aMembersDueLotsAreRemindedOncePerExpiryDayInOneTransaction() {
        customer("c-1", true);
        LocalDate first = LocalDate.parse("2026-12-01");
        plant("c-1", 3000, i -> lot(i, first.plusDays(i % 3), i % 2 == 0 ? "o-" + i : null));
        api.clock.set(Instant.parse("2026-12-01T00:30:00Z"));
        int before = watch.profileTransactions.get();
        List<JsonNode> run = jobs.reminders();
        assertThat(run.stream().mapToLong(a -> a.path("recorded").asLong()).sum()).as(run.toString()).isEqualTo(3);
        assertThat(watch.profileTransactions.get() - before).as("transactions on the profile").isEqualTo(1);
        var sent = jobs.outbox.all().stream().filter(s -> s.notification().type().equals("points_expiring")).toList();
        assertThat(sent.stream().map(s -> s.notification().id()).sorted())
                .containsExactly("points_expiring:2026-12-01", "points_expiring:2026-12-02", "points_expiring:2026-12-03");
        assertThat(sent).allSatisfy(s -> {
            assertThat(s.notification().payload().path("points").asLong()).isEqualTo(10000);
            assertThat(s.notification().id()).endsWith(s.notification().payload().path("expiresOn").asText());
        });
        assertThat(stored("c-1").lots()).allMatch(Lot::reminded);
        withinLimits("c-1");
        jobs.reminders();
        assertThat(jobs.outbox.all()).hasSize(3);
    }

    @Test
    void pointsARollbackBringsBackToADayAlreadyRemindedAreNotRemindedAgain() {
        customer("c-1", true);
        for (int i = 0; i < 3; i++) {
            liked("c-1", "like-" + i);
        }
        Lot lot = stored("c-1").lots().get(0);
        api.clock.set(lot.expiresAt().minus(Duration.ofDays(2)));
        assertThat(jobs.reminders().stream().mapToLong(a -> a.path("recorded").asLong()).sum()).isEqualTo(1);
        Api.Reply r = ok(api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"small\"}",
                Invariants.key("k-1")), 201);
        assertThat(stored("c-1").lots()).isEmpty();
        ok(api.shop("POST", "/v1/programs/p/redemptions/" + r.body().path("redemptionId").asText() + "/rollback", null), 200);
        assertThat(stored("c-1").lots()).singleElement().matches(l -> !l.reminded());
        jobs.reminders();
        jobs.reminders();
        assertThat(jobs.outbox.all()).hasSize(1);
        assertThat(stored("c-1").lots()).singleElement().matches(Lot::reminded);
        withinLimits("c-1");
    }
}
