package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.it.Api;
import dev.laurel.it.TableSnapshot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Item 3, tenancy, beyond TenancyTest's route-by-route checks: (1) two tenants with the very same
 * program, customer, event, order and idempotency ids run the workload at the same time through
 * one container (one program cache, one set of handlers), and each tenant's ledger adds up exactly
 * to what its own callers were told; (2) a seeded generator aims one tenant's keys at the other's
 * ids on every route (programs, customers, redemptions, orders, idempotency keys, event ids, ledger
 * cursors made from the other's entries): never a 5xx, never a byte of the other's data in an
 * answer, and the other's items unchanged.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TenancyUnderLoadTest {
    static final long SEED = Long.getLong("laurel.reliability.seed", 424242L);
    static final String P = Workload.P;

    @Test
    void twoTenantsWithTheSameIdsRunConcurrentlyInOneContainerAndEachAddsUpToItsOwnAnswers() {
        Gateway gateway = Gateway.clean();
        Gateway.Tenant a = gateway.tenant();
        Gateway.Tenant b = gateway.tenant();
        Workload.createProgram(a);
        Workload.createProgram(b);
        Workload wa = new Workload(gateway, a, new Workload.Config(SEED, 3, 30, 4, null, false));
        Workload wb = new Workload(gateway, b, new Workload.Config(SEED, 3, 30, 4, null, false));
        CompletableFuture<Integer> fa = CompletableFuture.supplyAsync(wa::run);
        CompletableFuture<Integer> fb = CompletableFuture.supplyAsync(wb::run);
        fa.join();
        fb.join();
        for (Workload w : List.of(wa, wb)) {
            Audit.Report r = Audit.check(w.tenant, Workload.PROGRAM_ID, w.model);
            assertThat(w.violations).as("tenant %s, seed %d", w.tenant.id(), SEED).isEmpty();
            assertThat(r.violations()).as("tenant %s, seed %d: %s", w.tenant.id(), SEED, r).isEmpty();
        }
        assertThat(wa.model.redemptions).as("redemption ids are the tenant's own").doesNotContainAnyElementsOf(wb.model.redemptions);
    }

    @Test
    void oneTenantsKeysAimedAtTheOthersIdsOnEveryRouteNeverSeeOrChangeAnything() {
        Gateway gateway = Gateway.clean();
        Gateway.Tenant a = gateway.tenant();
        Gateway.Tenant b = gateway.tenant();
        String marker = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        // B: the shared program id and one only B has, a customer with secrets, orders, redemptions
        List<String> markers = new ArrayList<>(List.of(marker));
        List<String> bRedemptions = new ArrayList<>();
        List<String> bKeys = new ArrayList<>();
        List<String> bCursors = new ArrayList<>();
        Workload.createProgram(a);
        Workload.createProgram(b);
        Api.Reply only = gateway.call("PUT", "/v1/programs/b-only", Workload.PROGRAM, b.adminKey(), Map.of());
        assertThat(only.status()).isEqualTo(201);
        for (String program : List.of("bank", "b-only")) {
            String p = "/v1/programs/" + program;
            assertThat(gateway.call("PUT", p + "/customers/bob", "{\"email\": \"" + marker + "@example.com\", \"attributes\": {\"note\": \""
                    + marker + "\"}}", b.shopKey(), Map.of()).status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                Api.Reply e = gateway.call("POST", p + "/earn", Api.orderPaid("bob", "o-" + i, 40_000, "2026-11-23T09:00:00Z"), b.shopKey(),
                        Map.of());
                markers.add(e.body().path("entryId").asText());
                String key = "k-b-" + i;
                bKeys.add(key);
                Api.Reply r = gateway.call("POST", p + "/redeem", "{\"customerId\": \"bob\", \"rewardId\": \"free\"}", b.shopKey(),
                        Map.of("Idempotency-Key", key));
                bRedemptions.add(r.body().path("redemptionId").asText());
                markers.add(r.body().path("code").asText());
            }
            JsonNode ledger = gateway.call("GET", p + "/customers/bob/ledger", null, b.shopKey(), Map.of()).body();
            for (JsonNode e : ledger.path("entries")) {
                markers.add(e.path("id").asText());
                // the cursor B's own pages would carry: base64url of the entry's sort key
                bCursors.add(Base64.getUrlEncoder().withoutPadding().encodeToString(("E#" + String.format("%013d",
                        java.time.Instant.parse(e.path("at").asText()).toEpochMilli()) + "#" + e.path("id").asText())
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        var bBefore = TableSnapshot.of(Gateway.table(), b.id());
        Random rnd = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (int i = 0; i < 400; i++) {
            String program = rnd.nextBoolean() ? "bank" : "b-only";
            String p = "/v1/programs/" + program;
            String customer = rnd.nextInt(3) == 0 ? "c-" + rnd.nextInt(3) : "bob";
            String key = pick(rnd, bKeys);
            String rid = pick(rnd, bRedemptions);
            String order = "o-" + rnd.nextInt(3);
            boolean admin = rnd.nextInt(3) == 0;
            String k = admin ? a.adminKey() : a.shopKey();
            String[] req = switch (rnd.nextInt(13)) {
                case 0 -> new String[] {"GET", p, null};
                case 1 -> new String[] {"PATCH", p + "/rewards/free", "{\"status\": \"" + (rnd.nextBoolean() ? "active" : "disabled") + "\"}"};
                case 2 -> new String[] {"PATCH", p + "/earningRules/purchase", "{\"status\": \"active\"}"};
                case 3 -> new String[] {"GET", p + "/customers/" + customer, null};
                case 4 -> new String[] {"GET", p + "/customers/" + customer + "/ledger?limit=" + (1 + rnd.nextInt(5))
                        + (rnd.nextBoolean() ? "&cursor=" + URLEncoder.encode(pick(rnd, bCursors), StandardCharsets.UTF_8) : ""), null};
                case 5 -> new String[] {"POST", p + "/earn", Api.orderPaid(customer, order, 40_000, "2026-11-23T09:00:00Z")};
                case 6 -> new String[] {"POST", p + "/validate", "{\"customerId\": \"" + customer + "\", \"order\": {\"id\": \"" + order
                        + "\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}"};
                case 7 -> new String[] {"POST", p + "/redeem", "{\"customerId\": \"" + customer + "\", \"rewardId\": \"free\"}"};
                case 8 -> new String[] {"POST", p + "/redemptions/" + rid + "/rollback", null};
                case 9 -> new String[] {"POST", p + "/refunds", "{\"customerId\": \"" + customer + "\", \"orderId\": \"" + order
                        + "\", \"amountMinor\": " + (1 + rnd.nextInt(40_000)) + "}"};
                case 10 -> new String[] {"PUT", p + "/customers/" + customer, "{\"attributes\": {\"note\": \"a's\"}}"};
                case 11 -> new String[] {"GET", p + "/customers/" + customer, null};
                default -> new String[] {"PUT", P, Workload.PROGRAM}; // A's own program (a PUT of b-only would create A's own)
            };
            boolean adminRoute = req[0].equals("PATCH") || req[1].split("/").length == 4;
            if (adminRoute) {
                k = a.adminKey();
            }
            Api.Reply r = gateway.call(req[0], req[1], req[2], k, Map.of("Idempotency-Key", key));
            sent++;
            statuses.merge(r.status(), 1, Integer::sum);
            String what = "A " + req[0] + " " + req[1] + " -> " + r;
            if (r.status() >= 500) {
                failures.add(what + " (a 5xx)");
            }
            String text = r.toString() + r.headers();
            for (String m : markers) {
                if (!m.isEmpty() && text.contains(m)) {
                    failures.add(what + " shows B's " + m);
                }
            }
            if (req[1].startsWith("/v1/programs/b-only") && r.status() != 404) {
                failures.add(what + ": B's program must not exist for A");
            }
        }
        System.out.println("TenancyUnderLoadTest: " + sent + " requests of A aimed at B's ids, answers " + statuses);
        assertThat(failures).as("seed " + SEED).isEmpty();
        assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(Gateway.table(), b.id()))).as("B's items are unchanged").isEmpty();
        assertThat(Audit.check(b, "bank", null).violations()).isEmpty();
        assertThat(Audit.check(a, "bank", null).violations()).isEmpty();
    }

    static <T> T pick(Random rnd, List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }
}
