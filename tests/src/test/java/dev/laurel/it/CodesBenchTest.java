package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.app.ApiKeys;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Figures for docs/BENCHMARKS.md (skipped unless {@code -Dlaurel.bench=true}): a code's use at a
 * till (p50/p99 over 200 uses, handler + authorizer + DynamoDB Local), 16 tills racing for one
 * code, and the authorizer's session token verification against an API key look-up.
 */
@EnabledIfSystemProperty(named = "laurel.bench", matches = "true")
class CodesBenchTest {
    static final String P = "/v1/programs/bench";

    @Test
    void codesAndSessions() throws Exception {
        Api api = new Api();
        api.admin("PUT", P, """
                {"name": "Bench", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "grant", "trigger": "points.granted", "points": {"fixed": 100000}}],
                 "rewards": [{"id": "mug", "type": "product", "cost": 1}], "expiry": {"afterDays": 365}}""");
        api.shop("POST", P + "/earn", "{\"customerId\": \"c-1\", \"event\": {\"type\": \"points.granted\", \"id\": \"g\"}}");
        int n = 240;
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            codes.add(api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}", Map.of("Idempotency-Key", "k" + i))
                    .body().path("code").asText());
        }
        long[] ns = new long[200];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Api.Reply r = api.shop("POST", P + "/codes/" + codes.get(i) + "/use", "{\"orderId\": \"pos-" + i + "\"}");
            long t = System.nanoTime() - t0;
            assertThat(r.status()).isEqualTo(200);
            if (i >= n - 200) {
                ns[i - (n - 200)] = t; // the first 40 warm up
            }
        }
        Arrays.sort(ns);
        System.out.printf("BENCH code use: p50 %.2f ms, p99 %.2f ms over 200 uses%n", ns[99] / 1e6, ns[197] / 1e6);

        // 16 tills racing for one code, 20 times
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long[] race = new long[20];
        for (int round = 0; round < 20; round++) {
            String code = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                    Map.of("Idempotency-Key", "race" + round)).body().path("code").asText();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> f = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String order = "pos-r" + round + "-" + t;
                f.add(pool.submit(() -> {
                    start.await();
                    return api.shop("POST", P + "/codes/" + code + "/use", "{\"orderId\": \"" + order + "\"}").status();
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            int ok = 0;
            for (Future<Integer> x : f) {
                ok += x.get() == 200 ? 1 : 0;
            }
            race[round] = System.nanoTime() - t0;
            assertThat(ok).isEqualTo(1);
        }
        pool.shutdown();
        Arrays.sort(race);
        System.out.printf("BENCH 16-till race: exactly one 200 in 20 of 20 rounds; all 16 answered in p50 %.1f ms, max %.1f ms%n",
                race[9] / 1e6, race[19] / 1e6);

        // the authorizer: a session token (HMAC, no I/O) against an API key (SHA-256 + DynamoDB GetItem)
        AuthorizerHandler auth = new AuthorizerHandler(new ApiKeys(api.store), api.sessionKeys, api.clock);
        String token = api.shop("POST", P + "/customers/c-1/sessions", null).body().path("token").asText();
        String bearerToken = "Bearer " + token;
        String bearerKey = "Bearer " + api.shopKey;
        for (int i = 0; i < 2000; i++) {
            auth.authorize(bearerToken);
            auth.authorize(bearerKey);
        }
        int m = 20000;
        long t0 = System.nanoTime();
        for (int i = 0; i < m; i++) {
            assertThat(auth.authorize(bearerToken).path("context").path("role").asText()).isEqualTo("member");
        }
        double tokenUs = (System.nanoTime() - t0) / 1e3 / m;
        int k = 2000;
        t0 = System.nanoTime();
        for (int i = 0; i < k; i++) {
            auth.authorize(bearerKey);
        }
        double keyUs = (System.nanoTime() - t0) / 1e3 / k;
        System.out.printf("BENCH authorizer: session token %.1f us per verification (%d), API key %.1f us per look-up (%d, DynamoDB Local)%n",
                tokenUs, m, keyUs, k);
    }
}
