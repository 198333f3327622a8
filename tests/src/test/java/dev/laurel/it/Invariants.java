package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The properties of DESIGN.md "What must always hold", checked through the public API (wallet
 * and the whole ledger, paged with its cursor) and, for lots, through the store's own read; plus
 * a small harness that starts many calls at the same instant on real threads.
 */
final class Invariants {
    private Invariants() {
    }

    /** What a customer looks like after the dust settles. */
    record Snapshot(long available, long pending, long lifetimeEarned, List<JsonNode> entries, JsonNode wallet) {
        List<JsonNode> ofType(String type) {
            return entries.stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        List<JsonNode> ofType(String type, String rewardId) {
            return ofType(type).stream().filter(e -> rewardId.equals(e.path("rewardId").asText(null))).toList();
        }

        long sum(String type) {
            return ofType(type).stream().mapToLong(e -> e.path("points").asLong()).sum();
        }

        JsonNode reward(String rewardId) {
            for (JsonNode r : wallet.path("rewards")) {
                if (rewardId.equals(r.path("rewardId").asText())) {
                    return r;
                }
            }
            throw new AssertionError("wallet lists no reward " + rewardId + ": " + wallet);
        }
    }

    static JsonNode wallet(Api api, String programId, String customerId) {
        Api.Reply w = api.shop("GET", "/v1/programs/" + programId + "/customers/" + customerId, null);
        assertThat(w.status()).as("wallet of %s: %s", customerId, w).isEqualTo(200);
        return w.body();
    }

    /** Every ledger entry of a customer, newest first, paging with the cursor. */
    static List<JsonNode> ledger(Api api, String programId, String customerId, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            String path = "/v1/programs/" + programId + "/customers/" + customerId + "/ledger?limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Reply r = api.shop("GET", path, null);
            assertThat(r.status()).as("ledger page %d of %s: %s", page, customerId, r).isEqualTo(200);
            JsonNode entries = r.body().path("entries");
            assertThat(entries.size()).as("page size").isLessThanOrEqualTo(pageSize);
            entries.forEach(all::add);
            cursor = r.body().path("cursor").asText(null);
            if (cursor == null) {
                Set<String> ids = new HashSet<>();
                for (JsonNode e : all) {
                    assertThat(ids.add(e.path("id").asText())).as("ledger entry %s listed twice while paging", e).isTrue();
                }
                return all;
            }
            assertThat(entries.size()).as("a page with a cursor is full").isEqualTo(pageSize);
        }
        throw new AssertionError("ledger of " + customerId + " never ends");
    }

    /**
     * Checks, for one customer: available >= 0, pending >= 0, available + pending = sum of the
     * ledger, the available lots hold exactly the available balance and the pending lots the
     * pending one, and no lot holds less than zero.
     */
    static Snapshot check(Api api, String programId, String customerId) {
        JsonNode wallet = wallet(api, programId, customerId);
        List<JsonNode> entries = ledger(api, programId, customerId, 7);
        long available = wallet.path("balance").path("available").asLong();
        long pending = wallet.path("balance").path("pending").asLong();
        long lifetime = wallet.path("balance").path("lifetimeEarned").asLong();
        long ledgerSum = entries.stream().mapToLong(e -> e.path("points").asLong()).sum();
        assertThat(available).as("available of %s", customerId).isGreaterThanOrEqualTo(0);
        assertThat(pending).as("pending of %s", customerId).isGreaterThanOrEqualTo(0);
        assertThat(available + pending).as("available + pending of %s = sum of its %d ledger entries %s",
                customerId, entries.size(), entries).isEqualTo(ledgerSum);
        Customer c = api.store.readWithLots(api.tenant, programId, customerId).current(api.clock.instant());
        for (Lot lot : c.lots()) {
            assertThat(lot.remaining()).as("lot %s of %s", lot.lotId(), customerId).isGreaterThanOrEqualTo(0);
        }
        long lots = c.lots().stream().filter(l -> !l.pending()).mapToLong(Lot::remaining).sum();
        assertThat(lots).as("points held in the available lots of %s = available", customerId).isEqualTo(available);
        long pendingLots = c.lots().stream().filter(Lot::pending).mapToLong(Lot::remaining).sum();
        assertThat(pendingLots).as("points held in the pending lots of %s = pending", customerId).isEqualTo(pending);
        return new Snapshot(available, pending, lifetime, entries, wallet);
    }

    /** {@link #check} plus: lifetimeEarned = sum of the earn entries (for customers with no refunds). */
    static Snapshot checkWithLifetime(Api api, String programId, String customerId) {
        Snapshot s = check(api, programId, customerId);
        assertThat(s.lifetimeEarned()).as("lifetimeEarned of %s = sum of earn entries", customerId).isEqualTo(s.sum("earn"));
        return s;
    }

    /**
     * Runs every task on {@code threads} real threads; the first {@code threads} tasks are held
     * at a start gate and released together. Returns the results in task order.
     */
    static <T> List<T> race(int threads, List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(Math.min(threads, tasks.size()));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return t.call();
                }));
            }
            assertThat(ready.await(20, TimeUnit.SECONDS)).as("threads ready").isTrue();
            gate.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("a concurrent call threw " + e.getCause(), e.getCause());
                }
            }
            return out;
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("concurrent calls did not finish", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static Map<String, String> key(String k) {
        return Map.of("Idempotency-Key", k);
    }
}
