package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.app.SessionKeys;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.TemplateTables;
import dev.laurel.store.dynamodb.DynamoStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reward codes and member sessions (issue 13, part A), through the real handlers (event bytes in, response bytes
 * out) on DynamoDB Local: a code's use at a till (p50/p99 over 200 uses after 40 warm-up), 16 tills racing for one
 * code (exactly one 200 per round, or the run fails), and the authorizer's verification of a member session token
 * (HMAC, no I/O) against an API key look-up (SHA-256 and a GetItem).
 */
public final class CodesBench {
    static final String USE_ROUTE = "POST /v1/programs/{programId}/codes/{code}/use";
    static final String SESSION_ROUTE = "POST /v1/programs/{programId}/customers/{customerId}/sessions";

    private CodesBench() {
    }

    public static void main(String[] a) throws Exception {
        Args args = new Args(a);
        boolean quick = args.flag("quick");
        int measured = quick ? 50 : 200;
        int warmup = quick ? 10 : 40;
        int rounds = quick ? 5 : 20;
        URI endpoint = args.uri("endpoint");
        var ddb = Ddb.client(endpoint, null);
        String table = "bench-codes-" + UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.ensureMain(ddb, Path.of("template.yaml"), table, false);
        LocalClock clock = LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z"));
        DynamoStore store = new DynamoStore(ddb, table);
        Laurel laurel = new Laurel(store, clock, ProgramCache.DEFAULT_RECHECK);
        Events events = new Events(args.path("root"));
        String tenant = "codes-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode program = (ObjectNode) Json.read("""
                {"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "grant", "trigger": "points.granted", "points": {"fixed": 100000}}],
                 "rewards": [{"id": "mug", "type": "product", "cost": 1}], "expiry": {"afterDays": 365}}""");
        Events.expect(Events.invoke(new ProgramsHandler(laurel), events.event(Fixture.PROGRAM_ROUTE, Map.of("programId", "bench"),
                Map.of(), Json.write(program), tenant, "admin")), 201, "PUT program");
        Fixture shape = new Fixture(args.path("root"), ddb, table);
        Events.expect(Events.invoke(shape.earn, events.event(Fixture.PURCHASE_ROUTE, Map.of("programId", "bench"), Map.of(),
                "{\"customerId\": \"c-1\", \"event\": {\"type\": \"points.granted\", \"id\": \"g\"}}", tenant, "shop")), 200, "grant");
        RedeemHandler codes = new RedeemHandler(laurel);
        try {
            int n = warmup + measured;
            List<String> issued = new ArrayList<>();
            for (int i = 0; i < n + rounds; i++) {
                issued.add(redeem(events, codes, tenant, "k" + i));
            }
            long[] ns = new long[measured];
            for (int i = 0; i < n; i++) {
                byte[] ev = events.event(USE_ROUTE, Map.of("programId", "bench", "code", issued.get(i)), Map.of(),
                        "{\"orderId\": \"pos-" + i + "\"}", tenant, "shop");
                long t0 = System.nanoTime();
                Events.expect(Events.invoke(codes, ev), 200, "use");
                long t = System.nanoTime() - t0;
                if (i >= warmup) {
                    ns[i - warmup] = t;
                }
            }
            Arrays.sort(ns);
            double p50 = ns[measured / 2 - 1] / 1e6;
            double p99 = ns[(int) Math.ceil(measured * 0.99) - 1] / 1e6;
            System.out.printf("codes: use p50 %.2f ms, p99 %.2f ms over %d uses (%d warm-up)%n", p50, p99, measured, warmup);

            ExecutorService pool = Executors.newFixedThreadPool(16);
            long[] race = new long[rounds];
            try {
                for (int round = 0; round < rounds; round++) {
                    String code = issued.get(n + round);
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Integer>> f = new ArrayList<>();
                    for (int t = 0; t < 16; t++) {
                        byte[] ev = events.event(USE_ROUTE, Map.of("programId", "bench", "code", code), Map.of(),
                                "{\"orderId\": \"pos-r" + round + "-" + t + "\"}", tenant, "shop");
                        f.add(pool.submit(() -> {
                            start.await();
                            return Events.invoke(codes, ev).path("statusCode").asInt();
                        }));
                    }
                    long t0 = System.nanoTime();
                    start.countDown();
                    int ok = 0;
                    for (Future<Integer> x : f) {
                        int status = x.get();
                        ok += status == 200 ? 1 : 0;
                        if (status != 200 && status != 409) {
                            throw new IllegalStateException("a racing till got " + status);
                        }
                    }
                    race[round] = System.nanoTime() - t0;
                    if (ok != 1) {
                        throw new IllegalStateException(ok + " tills used one code in round " + round);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            Arrays.sort(race);
            double raceP50 = race[rounds / 2 - 1] / 1e6;
            double raceMax = race[rounds - 1] / 1e6;
            System.out.printf("codes: 16 tills racing, exactly one 200 in %d of %d rounds; all 16 answered in p50 %.1f ms, max %.1f ms%n",
                    rounds, rounds, raceP50, raceMax);

            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            SessionKeys keys = SessionKeys.of(new SessionKeys.Key("k1", secret));
            ApiKeys apiKeys = new ApiKeys(store);
            String shopKey = apiKeys.create(tenant, "shop", null, null, clock.instant());
            JsonNode session = Events.expect(Events.invoke(new CustomersHandler(laurel, keys), events.event(SESSION_ROUTE,
                    Map.of("programId", "bench", "customerId", "c-1"), Map.of(), null, tenant, "shop")), 201, "session");
            String token = session.path("token").asText();
            AuthorizerHandler auth = new AuthorizerHandler(apiKeys, keys, clock);
            String bearerToken = "Bearer " + token;
            String bearerKey = "Bearer " + shopKey;
            for (int i = 0; i < (quick ? 200 : 2000); i++) {
                auth.authorize(bearerToken);
                auth.authorize(bearerKey);
            }
            int m = quick ? 2000 : 20000;
            long t0 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                if (!"member".equals(auth.authorize(bearerToken).path("context").path("role").asText())) {
                    throw new IllegalStateException("the session token was not authorized");
                }
            }
            double tokenUs = (System.nanoTime() - t0) / 1e3 / m;
            int k = quick ? 200 : 2000;
            t0 = System.nanoTime();
            for (int i = 0; i < k; i++) {
                auth.authorize(bearerKey);
            }
            double keyUs = (System.nanoTime() - t0) / 1e3 / k;
            System.out.printf("codes: authorizer session token %.1f us per verification (%d), API key %.1f us per look-up (%d)%n",
                    tokenUs, m, keyUs, k);
            ObjectNode out = Json.object().put("uses", measured).put("warmup", warmup).put("useP50Ms", p50).put("useP99Ms", p99)
                    .put("raceRounds", rounds).put("raceTills", 16).put("raceWinnersPerRound", 1).put("raceP50Ms", raceP50)
                    .put("raceMaxMs", raceMax).put("sessionTokenUs", tokenUs).put("sessionTokens", m).put("apiKeyUs", keyUs)
                    .put("apiKeys", k);
            Files.writeString(args.path("out"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } finally {
            ddb.deleteTable(b -> b.tableName(table));
        }
    }

    private static String redeem(Events events, RedeemHandler redeem, String tenant, String key) {
        JsonNode r = Events.expect(Events.invoke(redeem, events.event(Fixture.REDEEM_ROUTE, Map.of("programId", "bench"),
                Map.of("Idempotency-Key", key), "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}", tenant, "shop")), 201, "redeem");
        return r.path("code").asText();
    }
}
