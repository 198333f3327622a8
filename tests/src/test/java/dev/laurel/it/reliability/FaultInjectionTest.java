package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.it.Api;
import dev.laurel.it.LocalDynamo;
import dev.laurel.it.TableSnapshot;
import dev.laurel.local.LocalClock;
import dev.laurel.store.Backoff;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Item 2 of issue 5: faults between the functions and DynamoDB, injected by {@link Faults} (an
 * SDK ExecutionInterceptor on the functions' client), through the real handlers on DynamoDB
 * Local. Requests that fail before reaching DynamoDB, requests whose write succeeds but whose
 * answer is lost, throttling, transaction conflicts and unprocessed keys; the callers retry as
 * shops do (same body, same Idempotency-Key), and afterwards every invariant holds and every
 * operation took effect exactly once ({@link Audit} with the callers' {@link Audit.Model}).
 *
 * <p>When DynamoDB stays unreachable or throttles past the SDK's retries, every route answers
 * 503 {@code unavailable} with a {@code Retry-After} header (API.md Part 2), having changed
 * nothing; never 500, never a 429 that blames one customer's contention.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultInjectionTest {
    static final String P = Workload.P;
    static final long SEED = Long.getLong("laurel.reliability.seed", 20261202L);

    @BeforeAll
    static void onAnEmulatorThatHonoursClientRequestTokens() {
        assumeTrue(honoursClientRequestTokens(), "this emulator applies a repeated transaction twice (moto does): "
                + "lost-answer retries cannot be exact there, so the fault suite runs on DynamoDB Local");
    }

    // ------------------------------------------------------------------ what the emulator does with tokens

    /** Sends one ADD twice with one token; DynamoDB (and DynamoDB Local) applies it once. */
    static boolean honoursClientRequestTokens() {
        DynamoDbClient ddb = LocalDynamo.get().client();
        String pk = "probe#token#" + UUID.randomUUID();
        String token = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(add(pk, 1)));
        }
        var item = ddb.getItem(b -> b.tableName(Gateway.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("n")))).item();
        return "1".equals(item.get("n").n());
    }

    static TransactWriteItem add(String pk, int n) {
        return TransactWriteItem.builder().update(Update.builder().tableName(Gateway.table())
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("n")))
                .updateExpression("ADD n :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(n))))
                .build()).build();
    }

    @Test
    void aRepeatedTransactionWithOneTokenIsAppliedOnceAndTheTokenCannotBeReusedForAnother() {
        DynamoDbClient ddb = LocalDynamo.get().client();
        String pk = "probe#token#" + UUID.randomUUID();
        String token = UUID.randomUUID().toString();
        ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(add(pk, 1)));
        ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(add(pk, 1)));
        assertThatThrownBy(() -> ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(add(pk, 5))))
                .isInstanceOf(IdempotentParameterMismatchException.class);
        var item = ddb.getItem(b -> b.tableName(Gateway.table()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("n")))).item();
        assertThat(item.get("n").n()).as("applied once").isEqualTo("1");
    }

    // ------------------------------------------------------------------ the workload under faults

    Workload workload(Gateway gateway, Gateway.Tenant tenant, long seed, int threads, int ops, boolean retryOn5xx) {
        Workload.createProgram(tenant);
        return new Workload(gateway, tenant, new Workload.Config(seed, threads, ops, 5, null, retryOn5xx));
    }

    static Gateway gateway(DynamoDbClient client) {
        return new Gateway(client, LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200));
    }

    void assertExact(String what, Workload w, Faults faults) {
        Audit.Report report = Audit.check(w.tenant, Workload.PROGRAM_ID, w.model);
        String seed = "seed " + w.config.seed() + " (replay with -Dlaurel.reliability.seed=" + w.config.seed() + ")";
        System.out.println("FaultInjectionTest " + what + ", " + seed + ": faults " + faults.counts() + "\n"
                + Workload.summary(w, report));
        assertThat(w.violations).as(what + ": answers that broke a rule, " + seed).isEmpty();
        assertThat(report.violations()).as(what + ": invariants, " + seed + "\n" + report).isEmpty();
        assertThat(faults.tokenViolations).as("every attempt of a transaction carries its one token").isEmpty();
    }

    @Test
    void theSdkRetriesRefusedConnectionsAndLostAnswersWithOneTokenAndEveryOperationTakesEffectOnce() {
        try (Faults faults = new Faults(SEED)
                .rule(Faults.Kind.REFUSE, Faults.ALL, 0.12, 2)
                .rule(Faults.Kind.LOSE_ANSWER, Faults.ALL, 0.12, 2)) {
            Gateway gateway = gateway(faults.client(3));
            Workload w = workload(gateway, gateway.tenant(), SEED, 4, 60, false);
            w.run();
            assertExact("SDK retries", w, faults);
            assertThat(faults.count(Faults.Kind.LOSE_ANSWER, "TransactWriteItems")).as("writes whose answer was lost").isGreaterThan(5);
            assertThat(faults.count(Faults.Kind.REFUSE, "TransactWriteItems")).as("writes refused").isGreaterThan(5);
            assertThat(faults.count(Faults.Kind.LOSE_ANSWER) + faults.count(Faults.Kind.REFUSE) - faults.count(Faults.Kind.LOSE_ANSWER,
                    "TransactWriteItems") - faults.count(Faults.Kind.REFUSE, "TransactWriteItems")).as("reads that failed").isGreaterThan(10);
        }
    }

    @Test
    void withoutSdkRetriesTheShopsRetryWithTheSameKeyAndEveryOperationTakesEffectOnce() {
        try (Faults faults = new Faults(SEED + 1)
                .rule(Faults.Kind.REFUSE, Faults.ALL, 0.08, 1)
                .rule(Faults.Kind.LOSE_ANSWER, Faults.ALL, 0.08, 1)) {
            Gateway gateway = gateway(faults.client(0));
            Workload w = workload(gateway, gateway.tenant(), SEED + 1, 4, 60, true);
            w.run();
            assertExact("shop retries", w, faults);
            long retried = w.outcomeCounts().entrySet().stream().filter(e -> e.getKey().endsWith("(then retried)"))
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(retried).as("errors the shops saw and retried after").isGreaterThan(5);
            assertThat(faults.tokenCalls.values().stream().filter(n -> n.get() > 1).count())
                    .as("transactions the store sent again with their token").isGreaterThan(3);
        }
    }

    // ------------------------------------------------------------------ one lost answer per write, every kind of write

    @Test
    void aWriteWhoseAnswerIsLostIsSentAgainWithItsTokenAndTakesEffectOnceWithoutAnyIdempotencyKey() {
        try (Faults faults = new Faults(SEED).loseFirstAnswerOfEveryTransaction()) {
            Gateway gateway = gateway(faults.client(0));
            Gateway.Tenant t = gateway.tenant();
            Workload.createProgram(t);
            String shop = t.shopKey();
            SoftAssertions s = new SoftAssertions();
            Api.Reply join = gateway.call("PUT", P + "/customers/c-1", "{\"email\": \"c1@example.com\"}", shop, Map.of());
            s.assertThat(join.status()).as(join.toString()).isEqualTo(201);
            Api.Reply earn = gateway.call("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 50_000, "2026-11-23T09:00:00Z"), shop, Map.of());
            s.assertThat(earn.status()).as(earn.toString()).isEqualTo(200);
            s.assertThat(earn.headers()).as("the first answer, not a replay").doesNotContainKey("idempotent-replayed");
            Api.Reply redeem = gateway.call("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"small\"}", shop,
                    Map.of("Idempotency-Key", "k-1"));
            s.assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
            String id = redeem.body().path("redemptionId").asText();
            Api.Reply rollback = gateway.call("POST", P + "/redemptions/" + id + "/rollback", null, shop, Map.of());
            s.assertThat(rollback.status()).as("a keyless rollback whose answer was lost: " + rollback).isEqualTo(200);
            Api.Reply refund = gateway.call("POST", P + "/refunds",
                    "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 10000}", shop, Map.of());
            s.assertThat(refund.status()).as("a keyless refund whose answer was lost: " + refund).isEqualTo(200);
            s.assertThat(refund.body().path("pointsClawedBack").asLong()).isEqualTo(100);
            s.assertAll();

            assertThat(faults.count(Faults.Kind.LOSE_ANSWER, "TransactWriteItems")).as("answers lost").isEqualTo(5);
            assertThat(faults.tokenCalls.values()).as("each of the 5 transactions sent twice with its token")
                    .hasSize(5).allMatch(n -> n.get() == 2);
            JsonNode ledger = Gateway.clean().call("GET", P + "/customers/c-1/ledger", null, shop, Map.of()).body().path("entries");
            Map<String, Integer> byType = new LinkedHashMap<>();
            ledger.forEach(e -> byType.merge(e.path("type").asText(), 1, Integer::sum));
            assertThat(byType).as("one entry per operation: " + ledger)
                    .containsExactlyInAnyOrderEntriesOf(Map.of("earn", 2, "redeem", 1, "rollback", 1, "refund", 1));
            JsonNode wallet = Gateway.clean().call("GET", P + "/customers/c-1", null, shop, Map.of()).body();
            assertThat(wallet.path("balance").path("available").asLong()).as(wallet.toString()).isEqualTo(25 + 500 - 100);
            assertThat(Audit.check(t, Workload.PROGRAM_ID, null).violations()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ reads that fail

    /** One request of each route that reads before it writes (or only reads). */
    static List<String[]> everyRoute(String redemptionId) {
        return List.of(
                new String[] {"GET", "", null},
                new String[] {"GET", "/customers/c-1", null},
                new String[] {"GET", "/customers/c-1/ledger?limit=5", null},
                new String[] {"PUT", "/customers/c-2", "{\"email\": \"c2@example.com\"}"},
                new String[] {"POST", "/earn", Api.orderPaid("c-1", "o-9", 20_000, "2026-11-23T09:00:00Z")},
                new String[] {"POST", "/validate", "{\"customerId\": \"c-1\", \"order\": {\"totalMinor\": 5000, \"currency\": \"EUR\"}}"},
                new String[] {"POST", "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"free\"}"},
                new String[] {"POST", "/redemptions/" + redemptionId + "/rollback", null},
                new String[] {"POST", "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 100}"},
                new String[] {"PATCH", "/rewards/free", "{\"status\": \"disabled\"}"});
    }

    /** A tenant of the bank program whose customer c-1 has earned on o-1 and redeemed once; for tests that need not know the redemption. */
    Gateway.Tenant tenantWithARedemption() {
        return tenantWithARedemption(new String[1]);
    }

    Gateway.Tenant tenantWithARedemption(String[] redemptionId) {
        Gateway clean = Gateway.clean();
        Gateway.Tenant t = clean.tenant();
        Workload.createProgram(t);
        clean.call("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 50_000, "2026-11-23T09:00:00Z"), t.shopKey(), Map.of());
        Api.Reply r = clean.call("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"small\"}", t.shopKey(),
                Map.of("Idempotency-Key", "k-setup"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        redemptionId[0] = r.body().path("redemptionId").asText();
        return t;
    }

    @Test
    void whenEveryReadFailsEachRouteAnswersACleanErrorAndChangesNothingAndWithSdkRetriesItSucceeds() {
        String[] rid = new String[1];
        Gateway.Tenant t = tenantWithARedemption(rid);
        for (Faults.Kind kind : List.of(Faults.Kind.REFUSE, Faults.Kind.LOSE_ANSWER)) {
            try (Faults faults = new Faults(SEED).rule(kind, Faults.READS, 1.0, 99)) {
                Gateway gateway = gateway(faults.client(0));
                var before = TableSnapshot.of(Gateway.table(), t.id());
                SoftAssertions s = new SoftAssertions();
                for (String[] r : everyRoute(rid[0])) {
                    String key = r[0].equals("PATCH") || r[1].isEmpty() ? t.adminKey() : t.shopKey();
                    Api.Reply got = gateway.call(r[0], P + r[1], r[2], key, Map.of("Idempotency-Key", "k-" + kind));
                    String what = kind + " on every read, " + r[0] + " " + r[1] + ": " + got;
                    assertUnavailable(s, got, what + " (never a success, never a 4xx that blames the caller)");
                }
                s.assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as(kind + ": nothing changed")
                        .isEmpty();
                s.assertAll();
            }
        }
        // the same reads failing once per call, with the SDK's retries: every route succeeds
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.REFUSE, Faults.READS, 1.0, 1)) {
            Gateway gateway = gateway(faults.client(2));
            for (String[] r : everyRoute(rid[0])) {
                String key = r[0].equals("PATCH") || r[1].isEmpty() ? t.adminKey() : t.shopKey();
                Api.Reply got = gateway.call(r[0], P + r[1], r[2], key, Map.of("Idempotency-Key", "k-retried"));
                assertThat(got.status()).as(r[0] + " " + r[1] + " with one failed read per call: " + got).isBetween(200, 201);
            }
            assertThat(faults.count(Faults.Kind.REFUSE)).isGreaterThanOrEqualTo(everyRoute("x").size());
        }
        assertThat(Audit.check(t, Workload.PROGRAM_ID, null).violations()).isEmpty();
    }

    /** 503 {@code unavailable} in the one error shape, with {@code Retry-After} in whole seconds. */
    static void assertUnavailable(SoftAssertions s, Api.Reply got, String what) {
        s.assertThat(got.status()).as(what).isEqualTo(503);
        s.assertThat(got.code()).as(what + ": the error shape").isEqualTo("unavailable");
        s.assertThat(got.body().path("error").path("message").isTextual()).as(what + ": the error shape").isTrue();
        s.assertThat(got.headers().getOrDefault("retry-after", "")).as(what + ": Retry-After in seconds").matches("[1-9][0-9]*");
    }

    @Test
    void whenDynamoDbThrottlesEveryCallEveryRouteAnswers503WithRetryAfterAndNothingChanges() {
        String[] rid = new String[1];
        Gateway.Tenant t = tenantWithARedemption(rid);
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.THROTTLE, Faults.ALL, 1.0, 99)) {
            Gateway gateway = gateway(faults.client(1));
            var before = TableSnapshot.of(Gateway.table(), t.id());
            SoftAssertions s = new SoftAssertions();
            for (String[] r : everyRoute(rid[0])) {
                String key = r[0].equals("PATCH") || r[1].isEmpty() ? t.adminKey() : t.shopKey();
                Api.Reply got = gateway.call(r[0], P + r[1], r[2], key, Map.of("Idempotency-Key", "k-throttled-all"));
                assertUnavailable(s, got, "throttled every time, " + r[0] + " " + r[1] + ": " + got);
            }
            s.assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
            s.assertAll();
        }
    }

    @Test
    void whenDynamoDbIsUnreachableEveryRouteAnswersAnErrorQuicklyAndNothingChanges() throws Exception {
        String[] rid = new String[1];
        Gateway.Tenant t = tenantWithARedemption(rid);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Gateway gateway = gateway(Faults.client(URI.create("http://127.0.0.1:" + closed), 1, null));
        var before = TableSnapshot.of(Gateway.table(), t.id());
        SoftAssertions s = new SoftAssertions();
        for (String[] r : everyRoute(rid[0])) {
            String key = r[0].equals("PATCH") || r[1].isEmpty() ? t.adminKey() : t.shopKey();
            long start = System.nanoTime();
            Api.Reply got = gateway.call(r[0], P + r[1], r[2], key, Map.of("Idempotency-Key", "k-down"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            String what = "DynamoDB unreachable, " + r[0] + " " + r[1] + ": " + got + " in " + ms + " ms";
            System.out.println(what);
            assertUnavailable(s, got, what);
            s.assertThat(ms).as(what + ": answered within a Lambda's patience").isLessThan(5_000);
        }
        s.assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
        s.assertAll();
    }

    @Test
    void whenOnlyTheWritesFailTheStoreSendsEachAFewTimesThenAnswersAnErrorAndNothingChanges() {
        Gateway.Tenant t = tenantWithARedemption();
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.REFUSE, Set("TransactWriteItems"), 1.0, 99)) {
            Gateway gateway = gateway(faults.client(0));
            var before = TableSnapshot.of(Gateway.table(), t.id());
            Api.Reply got = gateway.call("POST", P + "/earn", Api.orderPaid("c-1", "o-2", 20_000, "2026-11-23T09:00:00Z"),
                    t.shopKey(), Map.of());
            SoftAssertions s = new SoftAssertions();
            assertUnavailable(s, got, got.toString());
            s.assertAll();
            assertThat(faults.count(Faults.Kind.REFUSE, "TransactWriteItems")).as("sends of the one transaction")
                    .isEqualTo(Backoff.MAX_SENDS);
            assertThat(faults.tokenCalls).as("all with one token").hasSize(1);
            assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
        }
    }

    @Test
    void aTransactionDynamoDbRefusesForGoodIsNotDecidedAgainAndNotAnsweredAsContention() {
        try (Faults faults = new Faults(SEED)) {
            Gateway gateway = gateway(faults.client(0));
            Gateway.Tenant t = gateway.tenant();
            Workload.createProgram(t);
            Api.Reply created = gateway.call("PUT", P + "/customers/big", "{\"email\": \"big@example.com\"}", t.shopKey(), Map.of());
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            // the API keeps attributes small; an item that has grown close to 400 KB some other way
            // (here: written directly) is what a transaction cannot write
            LocalDynamo.get().client().updateItem(b -> b.tableName(Gateway.table())
                    .key(Map.of("pk", AttributeValue.fromS("T#" + t.id() + "#P#bank#C#big"), "sk", AttributeValue.fromS("P")))
                    .updateExpression("SET padding = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("g".repeat(400_000)))));
            int before = faults.counts().getOrDefault("call TransactWriteItems", 0);
            var items = TableSnapshot.of(Gateway.table(), t.id());
            // the profile would pass 400 KB: DynamoDB cancels with ValidationError, which no retry can overcome
            Api.Reply r = gateway.call("PUT", P + "/customers/big", "{\"attributes\": {\"a2\": \"" + "g".repeat(12_000) + "\"}}",
                    t.shopKey(), Map.of());
            int calls = faults.counts().getOrDefault("call TransactWriteItems", 0) - before;
            System.out.println("an item past 400 KB: " + r + " after " + calls + " TransactWriteItems call(s)");
            assertThat(calls).as("sent once, not decided again").isEqualTo(1);
            assertThat(r.status()).as("not 429 'retry shortly': a retry cannot succeed; " + r).isNotEqualTo(429);
            assertThat(TableSnapshot.diff(items, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
            // a 400 KB item slows every later scan of the suite's table: remove it
            LocalDynamo.get().client().deleteItem(b -> b.tableName(Gateway.table()).key(Map.of(
                    "pk", AttributeValue.fromS("T#" + t.id() + "#P#bank#C#big"), "sk", AttributeValue.fromS("P"))));
        }
    }

    // ------------------------------------------------------------------ throttling and conflicts

    @Test
    void throttledWritesAreSentAgainWithBackoffAndAnswer503HavingChangedNothingWhenThrottledEveryTime() {
        Gateway.Tenant t = tenantWithARedemption();
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.THROTTLE, Set("TransactWriteItems"), 1.0, 99)) {
            long ms = redeemFaultedEveryTime(faults, t, Faults.Kind.THROTTLE, "k-throttled", "sends", Backoff.MAX_SENDS,
                    503, "unavailable");
            assertThat(ms).as("bounded").isLessThan(4_000);
        }
        // throttled half of the time: every operation still takes effect exactly once
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.THROTTLE, Faults.WRITES, 0.5, 99)) {
            everyOperationTakesEffectOnce("throttling", faults, SEED + 2, Faults.Kind.THROTTLE, 20);
        }
    }

    @Test
    void transactionConflictsAreDecidedAgainWithBackoffAndAnswer429HavingChangedNothingWhenTheyNeverEnd() {
        Gateway.Tenant t = tenantWithARedemption();
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.CONFLICT, Set("TransactWriteItems"), 1.0, 99)) {
            redeemFaultedEveryTime(faults, t, Faults.Kind.CONFLICT, "k-conflicted", "decisions", Backoff.MAX_ATTEMPTS,
                    429, "rate_limited");
        }
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.CONFLICT, Set("TransactWriteItems"), 0.4, 99)) {
            everyOperationTakesEffectOnce("conflicts", faults, SEED + 3, Faults.Kind.CONFLICT, 10);
        }
    }

    /**
     * A redeem whose every TransactWriteItems meets {@code kind}: {@code status} {@code code} after
     * exactly {@code times} of them ({@code counted}), and nothing changed. Returns how long it took, in ms.
     */
    long redeemFaultedEveryTime(Faults faults, Gateway.Tenant t, Faults.Kind kind, String idempotencyKey, String counted,
                                int times, int status, String code) {
        Gateway gateway = gateway(faults.client(0));
        var before = TableSnapshot.of(Gateway.table(), t.id());
        long start = System.nanoTime();
        Api.Reply got = gateway.call("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"free\"}", t.shopKey(),
                Map.of("Idempotency-Key", idempotencyKey));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(got.status()).as(got.toString()).isEqualTo(status);
        assertThat(got.code()).isEqualTo(code);
        if (status == 503) {
            assertThat(got.headers().get("retry-after")).as(got + ": Retry-After").matches("[1-9][0-9]*");
        }
        assertThat(faults.count(kind, "TransactWriteItems")).as(counted).isEqualTo(times);
        assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
        return ms;
    }

    /** The workload of a new tenant under {@code faults} (3 threads, 40 operations): exact, having met {@code kind} more than {@code atLeast} times. */
    void everyOperationTakesEffectOnce(String what, Faults faults, long seed, Faults.Kind kind, int atLeast) {
        Gateway gateway = gateway(faults.client(0));
        Gateway.Tenant u = gateway.tenant();
        Workload w = workload(gateway, u, seed, 3, 40, false);
        w.run();
        assertExact(what, w, faults);
        assertThat(faults.count(kind)).isGreaterThan(atLeast);
    }

    @Test
    void unprocessedKeysAreReadAgainAFewTimesThenAnswer503() {
        Gateway.Tenant t = tenantWithARedemption();
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.UNPROCESSED, Set("BatchGetItem"), 0.5, 99)) {
            Gateway gateway = gateway(faults.client(0));
            for (int i = 0; i < 5; i++) {
                Api.Reply got = gateway.call("POST", P + "/earn", Api.orderPaid("c-1", "o-u" + i, 2_000, "2026-11-23T09:00:00Z"),
                        t.shopKey(), Map.of());
                assertThat(got.status()).as(got.toString()).isEqualTo(200);
            }
            assertThat(faults.count(Faults.Kind.UNPROCESSED)).isGreaterThan(0);
        }
        try (Faults faults = new Faults(SEED).rule(Faults.Kind.UNPROCESSED, Set("BatchGetItem"), 1.0, 99)) {
            Gateway gateway = gateway(faults.client(0));
            var before = TableSnapshot.of(Gateway.table(), t.id());
            Api.Reply got = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> gateway.call("POST", P + "/earn",
                    Api.orderPaid("c-1", "o-never", 2_000, "2026-11-23T09:00:00Z"), t.shopKey(), Map.of()),
                    "a BatchGetItem that never processes its keys must not be read again forever");
            SoftAssertions s = new SoftAssertions();
            assertUnavailable(s, got, got.toString());
            s.assertAll();
            assertThat(TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), t.id()))).as("nothing changed").isEmpty();
        }
    }

    private static java.util.Set<String> Set(String... ops) {
        return java.util.Set.of(ops);
    }
}
