package dev.laurel.it;

import static dev.laurel.it.Invariants.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What can be measured here of a hot budget (docs/BENCHMARKS.md "Hot budgets"): 64 threads redeem
 * 1.28 x S times a reward of S split into 8 sub-counters, and a reward of S - 1 (not split), while an
 * SDK interceptor on the functions' client counts the TransactWriteItems sent and why DynamoDB
 * cancelled them. Both give exactly their limit. The counts are printed for the document. S is the
 * split threshold the functions have here, {@link HotBudgetsTest#S}: 80, or 1,000 (the document's
 * figures) with {@code -Dlaurel.long=true}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HotBudgetsContentionTest {
    static final String P = "/v1/programs/hotc";
    static final int THREADS = 64;
    static final int S = HotBudgetsTest.S;

    /** Counts transactions and their cancellation reasons. */
    static final class Count implements ExecutionInterceptor {
        final LongAdder transactions = new LongAdder();
        final Map<String, LongAdder> cancelled = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest) {
                transactions.increment();
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.exception() instanceof TransactionCanceledException t) {
                String why = t.cancellationReasons().stream().map(CancellationReason::code)
                        .filter(c -> c != null && !"None".equals(c)).distinct().sorted().toList().toString();
                cancelled.computeIfAbsent(why, k -> new LongAdder()).increment();
            } else {
                cancelled.computeIfAbsent(context.exception().getClass().getSimpleName(), k -> new LongAdder()).increment();
            }
        }

        Map<String, Long> snapshot() {
            Map<String, Long> m = new TreeMap<>();
            m.put("transactions", transactions.sum());
            cancelled.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }

        void reset() {
            transactions.reset();
            cancelled.clear();
        }
    }

    @Test
    void splitAndUnsplitBudgetsGiveExactlyTheirLimitUnder64Threads() {
        Count count = new Count();
        DynamoDbClient watched = DynamoDbClient.builder()
                .endpointOverride(LocalDynamo.get().endpoint())
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(count))
                .build();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-12-04T09:00:00Z")), Duration.ofMillis(200),
                LocalDynamo.freshTable(), watched);
        api.laurel.splittingBudgetsAt(S);
        Api.Reply put = api.admin("PUT", P, """
                {"name": "Hot", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "seed", "trigger": "seed.granted", "points": {"fixed": 100000}}],
                 "rewards": [
                   {"id": "split", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"totalRedemptions": %d}},
                   {"id": "single", "type": "gift_card", "valueMinor": 100, "cost": 1, "limits": {"totalRedemptions": %d}}
                 ]}
                """.formatted(S, S - 1));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        for (int t = 0; t < THREADS; t++) {
            Api.Reply e = api.shop("POST", P + "/earn", "{\"customerId\": \"c" + t
                    + "\", \"event\": {\"type\": \"seed.granted\", \"id\": \"seed-" + t + "\"}}");
            assertThat(e.status()).as(e.toString()).isEqualTo(200);
        }
        for (String reward : List.of("single", "split")) {
            count.reset();
            long started = System.nanoTime();
            List<Api.Reply> replies = hammer(api, reward, S * 128 / 100);
            long ms = (System.nanoTime() - started) / 1_000_000;
            long granted = replies.stream().filter(r -> r.status() == 201).count();
            System.out.printf("hot budget %s: " + S * 128 / 100 + " asked by %d threads, %d granted, %d refused in %d ms; %s%n", reward, THREADS,
                    granted, replies.size() - granted, ms, count.snapshot());
            assertThat(granted).as(reward).isEqualTo("split".equals(reward) ? S : S - 1);
        }
    }

    static List<Api.Reply> hammer(Api api, String reward, int demand) {
        List<Callable<List<Api.Reply>>> tasks = HotBudgetsTest.demand(THREADS, demand, (c, k) -> api.shop("POST", P + "/redeem",
                "{\"customerId\": \"" + c + "\", \"rewardId\": \"" + reward + "\"}",
                key(reward + "-" + c + "-" + k)));
        List<Api.Reply> all = new ArrayList<>();
        Invariants.race(THREADS, tasks).forEach(all::addAll);
        for (Api.Reply r : all) {
            if (r.status() != 201) {
                assertThat(r.code()).as(r.toString()).isEqualTo("budget_exhausted");
            }
        }
        return all;
    }
}
