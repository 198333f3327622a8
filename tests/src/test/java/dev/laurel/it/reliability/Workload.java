package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.it.Api;
import dev.laurel.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A randomized, concurrent workload in the spirit of Jepsen's bank test. Many threads act as
 * shops on a few customers and a few budgets of one program: earns (orders and a capped social
 * rule with a total budget), enrolments, redemptions (four rewards with budgets, per-customer
 * limits and stacking on shared baskets), rollbacks, refunds, replays of all of those with their
 * idempotency keys (and reuses of a key with another body), validations, wallet and ledger reads,
 * and moves of the clock (so lots come due). Every answer is checked as it arrives (allowed status
 * and code for the operation, the one error shape, never a 5xx, a replay answers the first answer
 * with {@code Idempotent-Replayed}); the first answer of everything that took effect goes into an
 * {@link Audit.Model}, which {@link Audit} holds against the table and the API afterwards.
 *
 * <p>Each thread draws its operations from its own {@code Random(seed, thread)}, so a seed fixes
 * every thread's sequence of operations and their bodies; the interleaving is the scheduler's, as
 * in Jepsen. With one thread a run is replayed exactly.
 *
 * <p>Expiry runs are one pluggable operation, {@link ExpiryRun}, called at random moments right
 * after the clock moves forward (BankWorkloadTest invokes the expiry function with its scheduled
 * event; with {@link Config#expiry()} null the clock still moves and lots stay spendable). The
 * audit accounts for the {@code expire} entries such a run posts.
 *
 * <p>With {@link Config#retryOn5xx()} the callers behave as shops do after an error or a timeout:
 * they send the identical request again (same body, same Idempotency-Key) until it gets an answer
 * that is not a 5xx; that mode always sends keys on rollbacks and refunds, since without one a
 * retry is a new request by definition.
 */
final class Workload {
    /** One run of the scheduled expiry function at the gateway's current clock time. */
    interface ExpiryRun {
        void run(Gateway gateway, Gateway.Tenant tenant, String programId, Instant now);
    }

    record Config(long seed, int threads, int opsPerThread, int customers, ExpiryRun expiry, boolean retryOn5xx) {
        Config {
            if (threads < 1 || opsPerThread < 1 || customers < 1) {
                throw new IllegalArgumentException("threads, ops and customers must be positive");
            }
        }
    }

    static final String PROGRAM_ID = "bank";
    static final String PROGRAM = """
            {"name": "Bank", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 25}},
               {"id": "social", "trigger": "social.liked", "points": {"fixed": 10},
                "limits": {"perCustomer": {"points": 60}, "total": {"points": 300}}}
             ],
             "rewards": [
               {"id": "small", "type": "gift_card", "valueMinor": 100, "cost": 20, "limits": {"totalRedemptions": 30}},
               {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000,
                "limits": {"perCustomer": 3, "totalDiscountMinor": 25000, "totalOrderMinor": 600000},
                "stacking": {"category": "loyalty"}},
               {"id": "pct", "type": "discount_percent", "percent": 10, "cost": 50, "limits": {"totalDiscountMinor": 6000},
                "stacking": {"category": "pct"}},
               {"id": "free", "type": "gift_card", "valueMinor": 100, "cost": 30}
             ],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 800, "earnMultiplier": 1.5}],
             "referrals": {"referrer": {"points": 40}, "referee": {"points": 15}, "minOrderMinor": 2000,
                           "limits": {"perReferrer": 2}},
             "charities": [{"id": "trees", "name": "Plant a tree", "pointValueMinor": 3}],
             "expiry": {"afterDays": 7}}
            """;
    static final Map<String, Long> COST = Map.of("small", 20L, "ten-off", 100L, "pct", 50L, "free", 30L);
    static final List<String> REWARDS = List.of("small", "ten-off", "pct", "free");
    static final String P = "/v1/programs/" + PROGRAM_ID;

    /** A request as sent, and the first answer that took effect. */
    record Sent(String customerId, String body, Map<String, String> headers, Api.Reply first, String orderId, long totalMinor) {
    }

    /** An answer together with whether errors (5xx, retried) came before it. */
    record Outcome(Api.Reply reply, int errors) {
        boolean replayed() {
            return "true".equals(reply.headers().get("idempotent-replayed"));
        }

        /** The answer that tells what took effect: a first answer, or a replay that follows errors. */
        boolean first() {
            return !replayed() || errors > 0;
        }
    }

    final Gateway gateway;
    final Gateway.Tenant tenant;
    final Config config;
    final Audit.Model model = new Audit.Model();
    final List<String> customers = new ArrayList<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final List<Sent> earns = new CopyOnWriteArrayList<>();
    private final List<Sent> orderEarns = new CopyOnWriteArrayList<>();
    private final List<Sent> redemptions = new CopyOnWriteArrayList<>();
    private final List<Sent> keyedRollbacks = new CopyOnWriteArrayList<>();
    private final List<Sent> keyedRefunds = new CopyOnWriteArrayList<>();
    private final List<Sent> donations = new CopyOnWriteArrayList<>();
    private final Map<String, String> enrolledBy = new ConcurrentHashMap<>();
    /** Referral codes the wallets showed: a newcomer's upsert may name one (issue 12). */
    private final List<String> referralCodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger expiryRuns = new AtomicInteger();
    /** Redemptions a rollback was refused for as already rolled back: each must have had a rollback answered 200. */
    private final Set<String> alreadyRolledBack = ConcurrentHashMap.newKeySet();

    Workload(Gateway gateway, Gateway.Tenant tenant, Config config) {
        this.gateway = gateway;
        this.tenant = tenant;
        this.config = config;
        for (int i = 0; i < config.customers(); i++) {
            customers.add("c-" + i);
        }
    }

    /** Creates the program (through a clean gateway: setting up is not under test). */
    static void createProgram(Gateway.Tenant tenant) {
        Api.Reply put = Gateway.clean().call("PUT", P, PROGRAM, tenant.adminKey(), Map.of());
        if (put.status() != 201) {
            throw new AssertionError("program: " + put);
        }
    }

    /** Runs every thread to its end; returns the number of operations sent. */
    int run() {
        ExecutorService pool = Executors.newFixedThreadPool(config.threads());
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < config.threads(); t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(config.seed() * 1_000_003L + thread);
                    gate.await();
                    for (int n = 0; n < config.opsPerThread(); n++) {
                        step(rnd, thread, n);
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            gate.countDown();
            for (Future<?> f : futures) {
                try {
                    f.get(300, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("a workload thread threw " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the workload did not finish", e);
        } finally {
            pool.shutdownNow();
        }
        for (String id : alreadyRolledBack) {
            if (!model.rolledBack.contains(id)) {
                violation("rollback", "answered already_rolled_back for " + id + ", which no rollback was answered 200 for");
            }
        }
        return sent.get();
    }

    /** Outcome counts by operation, status and code, for the report. */
    Map<String, Integer> outcomeCounts() {
        Map<String, Integer> m = new TreeMap<>();
        outcomes.forEach((k, v) -> m.put(k, v.get()));
        m.put("expiry runs", expiryRuns.get());
        return m;
    }

    // ================================================================== operations

    private void step(Random rnd, int thread, int n) {
        String c = customers.get(rnd.nextInt(customers.size()));
        String tag = thread + "-" + n;
        int dice = rnd.nextInt(100);
        if (dice < 22) {
            earnOrder(rnd, c, tag);
        } else if (dice < 28) {
            earnSocial(c, tag);
        } else if (dice < 33) {
            replay("earn replay", earns, rnd, s -> P + "/earn", 200);
        } else if (dice < 35) {
            conflicting("earn key reused", orderEarns, rnd, P + "/earn", Workload::otherTotal);
        } else if (dice < 39) {
            upsert(rnd, c);
        } else if (dice < 59) {
            redeem(rnd, c, tag);
        } else if (dice < 63) {
            replay("redeem replay", redemptions, rnd, s -> P + "/redeem", 201);
        } else if (dice < 65) {
            conflicting("redeem key reused", redemptions, rnd, P + "/redeem", Workload::otherReward);
        } else if (dice < 73) {
            rollback(rnd, tag);
        } else if (dice < 75) {
            replay("rollback replay", keyedRollbacks, rnd, s -> P + "/redemptions/" + s.orderId() + "/rollback", 200);
        } else if (dice < 82) {
            refund(rnd, tag);
        } else if (dice < 84) {
            replay("refund replay", keyedRefunds, rnd, s -> P + "/refunds", 200);
        } else if (dice < 88) {
            validate(rnd, c);
        } else if (dice < 92) {
            wallet(c);
        } else if (dice < 94) {
            ledger(rnd, c);
        } else if (dice < 96) {
            if (rnd.nextInt(4) == 0) {
                replay("donation replay", donations, rnd, s -> P + "/donations", 201);
            } else {
                donate(rnd, c, tag);
            }
        } else {
            tick(rnd);
        }
    }

    private void earnOrder(Random rnd, String c, String tag) {
        String orderId = "o-" + tag;
        long total = 500 + rnd.nextInt(30_000);
        String body = Api.orderPaid(c, orderId, total, gateway.clock.instant().toString()).trim();
        Outcome o = send("earn order", "POST", P + "/earn", body, Map.of(), Set.of(200), Set.of());
        if (o.replayed() && o.errors() == 0) {
            violation("earn order", "a new event answered as a replay: " + o.reply());
        }
        if (o.reply().status() == 200 && o.first()) {
            Sent s = new Sent(c, body, Map.of(), o.reply(), orderId, total);
            acknowledgeEarn(c, o.reply());
            earns.add(s);
            orderEarns.add(s);
            long points = o.reply().body().path("pointsEarned").asLong();
            if (points < total / 100) {
                violation("earn order", "an order of " + total + " earned " + points + ": " + o.reply());
            }
        }
    }

    private void earnSocial(String c, String tag) {
        String body = "{\"customerId\": \"" + c + "\", \"event\": {\"type\": \"social.liked\", \"id\": \"s-" + tag + "\"}}";
        Outcome o = send("earn social", "POST", P + "/earn", body, Map.of(), Set.of(200), Set.of());
        if (o.reply().status() == 200 && o.first()) {
            long points = o.reply().body().path("pointsEarned").asLong();
            if (points < 0 || points > 15) { // 10, times 1.5 for silver
                violation("earn social", "earned " + points + ": " + o.reply());
            }
            acknowledgeEarn(c, o.reply());
            earns.add(new Sent(c, body, Map.of(), o.reply(), null, 0));
        }
    }

    private void acknowledgeEarn(String c, Api.Reply r) {
        JsonNode b = r.body();
        model.issued(c, b.path("pointsEarned").asLong());
        model.earnEntries.put(b.path("entryId").asText(), b.path("pointsEarned").asLong());
        if (b.has("enrolled")) {
            enrolled(c, "earn", b.path("enrolled").path("signupPoints").asLong());
        }
    }

    private void enrolled(String c, String how, long signupPoints) {
        String before = enrolledBy.putIfAbsent(c, how);
        if (before != null) {
            violation(how, "customer " + c + " enrolled a second time (first by " + before + ")");
        }
        model.issued(c, signupPoints);
        model.joins.incrementAndGet();
        if (signupPoints != 25) {
            violation(how, "customer " + c + " enrolled with " + signupPoints + " signup points, the welcome rule gives 25");
        }
    }

    /** An earn event sent again with another total: the same event id, another body. */
    private static String otherTotal(Sent s) {
        return s.body().replace("\"totalMinor\": " + s.totalMinor(), "\"totalMinor\": " + (s.totalMinor() + 1));
    }

    private void upsert(Random rnd, String c) {
        String referredBy = !enrolledBy.containsKey(c) && !referralCodes.isEmpty() && rnd.nextBoolean()
                ? ", \"referredBy\": \"" + referralCodes.get(rnd.nextInt(referralCodes.size())) + "\"" : "";
        String body = "{\"email\": \"" + c + "@example.com\", \"attributes\": {\"visits\": " + rnd.nextInt(100)
                + "}, \"consent\": {\"marketing\": " + rnd.nextBoolean() + "}" + referredBy + "}";
        // naming a referrer: refused when the customer joined meanwhile, or the referrer is at their limit
        Outcome o = send(referredBy.isEmpty() ? "upsert" : "upsert referred", "PUT", P + "/customers/" + c, body, Map.of(),
                referredBy.isEmpty() ? Set.of(200, 201) : Set.of(200, 201, 422), Set.of("not_eligible"));
        Api.Reply r = o.reply();
        if (r.status() == 201 || (r.status() == 200 && r.body().path("created").asBoolean())) {
            enrolled(c, "upsert", r.body().path("signupPoints").asLong());
        }
    }

    private void redeem(Random rnd, String c, String tag) {
        String rewardId = REWARDS.get(rnd.nextInt(REWARDS.size()));
        String body;
        String orderId = null;
        long total = 0;
        if (rewardId.equals("ten-off") || rewardId.equals("pct") || rnd.nextInt(4) == 0) {
            // a basket of this customer's: fresh, or one redeemed on before (stacking)
            orderId = rnd.nextInt(3) == 0 ? "b-" + c + "-" + rnd.nextInt(4) : "b-" + tag;
            total = 1_000 + 500L * rnd.nextInt(80);
            body = "{\"customerId\": \"" + c + "\", \"rewardId\": \"" + rewardId + "\", \"order\": {\"id\": \"" + orderId
                    + "\", \"totalMinor\": " + total + ", \"currency\": \"EUR\"}}";
        } else {
            body = "{\"customerId\": \"" + c + "\", \"rewardId\": \"" + rewardId + "\"}";
        }
        Map<String, String> key = Map.of("Idempotency-Key", "k-" + tag);
        Outcome o = send("redeem " + rewardId, "POST", P + "/redeem", body, key, Set.of(201, 404, 409, 422),
                Set.of("insufficient_points", "budget_exhausted", "limit_reached", "not_eligible", "not_found"));
        Api.Reply r = o.reply();
        if (o.replayed() && o.errors() == 0) {
            violation("redeem", "a new key answered as a replay: " + r);
        }
        if (r.status() == 201 && o.first()) {
            String id = r.body().path("redemptionId").asText();
            if (r.body().path("pointsSpent").asLong() != COST.get(rewardId) || r.body().path("balance").path("available").asLong() < 0) {
                violation("redeem", "answered " + r);
            }
            if (!model.redemptions.add(id)) {
                violation("redeem", "redemption id " + id + " answered twice as new");
            }
            redemptions.add(new Sent(c, body, key, r, orderId, total));
        }
    }

    /** Points given to the program's charity (API.md Donations): spent as a redemption spends them. */
    private void donate(Random rnd, String c, String tag) {
        long points = 1 + rnd.nextInt(40);
        String body = "{\"customerId\": \"" + c + "\", \"charityId\": \"trees\", \"points\": " + points + "}";
        Map<String, String> key = Map.of("Idempotency-Key", "d-" + tag);
        Outcome o = send("donate", "POST", P + "/donations", body, key, Set.of(201, 404, 409), Set.of("insufficient_points", "not_found"));
        Api.Reply r = o.reply();
        if (o.replayed() && o.errors() == 0) {
            violation("donate", "a new key answered as a replay: " + r);
        }
        if (r.status() == 201 && o.first()) {
            if (r.body().path("points").asLong() != points || r.body().path("valueMinor").asLong() != 3 * points
                    || r.body().path("balance").path("available").asLong() < 0) {
                violation("donate", "answered " + r);
            }
            if (model.donations.put(r.body().path("donationId").asText(), points) != null) {
                violation("donate", "donation id " + r.body().path("donationId") + " answered twice as new");
            }
            donations.add(new Sent(c, body, key, r, null, 0));
        }
    }

    /** A redemption sent again with its key for the other reward. */
    private static String otherReward(Sent s) {
        String other = s.body().contains("\"small\"") ? "\"free\"" : "\"small\"";
        return s.body().replaceFirst("\"rewardId\": \"[a-z-]+\"", "\"rewardId\": " + other);
    }

    private String rollbackPath(Sent redemption) {
        return P + "/redemptions/" + redemption.first().body().path("redemptionId").asText() + "/rollback";
    }

    private void rollback(Random rnd, String tag) {
        Sent d = pick(rnd, redemptions);
        if (d == null) {
            return;
        }
        boolean keyed = config.retryOn5xx() || rnd.nextBoolean();
        Map<String, String> headers = keyed ? Map.of("Idempotency-Key", "rb-" + tag) : Map.of();
        String body = rnd.nextBoolean() ? null : "{\"reason\": \"basket abandoned " + tag + "\"}";
        Outcome o = send("rollback", "POST", rollbackPath(d), body, headers, Set.of(200, 409), Set.of("already_rolled_back"));
        Api.Reply r = o.reply();
        String id = d.first().body().path("redemptionId").asText();
        if (r.status() == 200 && o.first()) {
            if (!model.rolledBack.add(id)) {
                violation("rollback", "redemption " + id + " rolled back twice: " + r);
            }
            if (r.body().path("pointsRestored").asLong() != d.first().body().path("pointsSpent").asLong()) {
                violation("rollback", "restored " + r + " for " + d.first());
            }
            if (keyed) {
                keyedRollbacks.add(new Sent(d.customerId(), body, headers, r, id, 0));
            }
        } else if (r.status() == 409) {
            alreadyRolledBack.add(id);
        }
    }

    private void refund(Random rnd, String tag) {
        Sent e = pick(rnd, orderEarns);
        if (e == null) {
            return;
        }
        long amount = 1 + (long) rnd.nextInt((int) e.totalMinor());
        if (rnd.nextInt(4) == 0) {
            amount = e.totalMinor();
        }
        boolean keyed = config.retryOn5xx() || rnd.nextInt(3) > 0;
        Map<String, String> headers = keyed ? Map.of("Idempotency-Key", "rf-" + tag) : Map.of();
        String body = "{\"customerId\": \"" + e.customerId() + "\", \"orderId\": \"" + e.orderId() + "\", \"amountMinor\": "
                + amount + "}";
        Outcome o = send("refund", "POST", P + "/refunds", body, headers, Set.of(200, 400), Set.of("invalid_request"));
        Api.Reply r = o.reply();
        if (r.status() == 400 && !"amountMinor".equals(r.field())) {
            violation("refund", "a 400 that does not name amountMinor: " + r);
        }
        if (r.status() == 200 && o.first()) {
            JsonNode b = r.body();
            model.refunded(e.customerId(), e.orderId(), b.path("pointsClawedBack").asLong(), b.path("refundedMinor").asLong());
            if (b.path("refundedMinor").asLong() != amount || b.path("totalRefundedMinor").asLong() > e.totalMinor()) {
                violation("refund", "answered " + r + " for " + amount + " of " + e.totalMinor());
            }
            if (keyed) {
                keyedRefunds.add(new Sent(e.customerId(), body, headers, r, e.orderId(), amount));
            }
        }
    }

    /** One of {@code from} sent again as it was: answered as a replay of its first answer ({@code status}). */
    private void replay(String op, List<Sent> from, Random rnd, Function<Sent, String> path, int status) {
        Sent s = pick(rnd, from);
        if (s == null) {
            return;
        }
        Outcome o = send(op, "POST", path.apply(s), s.body(), s.headers(), Set.of(status), Set.of());
        expectReplay(op, s, o);
    }

    /** One of {@code from} sent again with its key but another body: 409 {@code idempotency_key_reused}. */
    private void conflicting(String op, List<Sent> from, Random rnd, String path, Function<Sent, String> otherBody) {
        Sent s = pick(rnd, from);
        if (s == null) {
            return;
        }
        send(op, "POST", path, otherBody.apply(s), s.headers(), Set.of(409), Set.of("idempotency_key_reused"));
    }

    private void expectReplay(String op, Sent s, Outcome o) {
        Api.Reply r = o.reply();
        if (r.status() == 429 || r.status() == 503) {
            return;
        }
        if (!o.replayed()) {
            violation(op, "a repeated request was not answered as a replay: " + r + " (first: " + s.first() + ")");
        } else if (r.status() != s.first().status() || !r.body().equals(s.first().body())) {
            violation(op, "the replay " + r + " differs from the first answer " + s.first());
        }
    }

    private void validate(Random rnd, String c) {
        String body = "{\"customerId\": \"" + c + "\", \"order\": {\"id\": \"b-" + c + "-" + rnd.nextInt(4)
                + "\", \"totalMinor\": " + (1_000 + rnd.nextInt(40_000)) + ", \"currency\": \"EUR\"}"
                + (rnd.nextBoolean() ? ", \"rewards\": [\"" + REWARDS.get(rnd.nextInt(REWARDS.size())) + "\"]" : "") + "}";
        Outcome o = send("validate", "POST", P + "/validate", body, Map.of(), Set.of(200), Set.of());
        if (o.reply().status() == 200 && !o.reply().body().path("valid").isBoolean()) {
            violation("validate", "answered " + o.reply());
        }
    }

    private void wallet(String c) {
        Outcome o = send("wallet", "GET", P + "/customers/" + c, null, Map.of(), Set.of(200, 404), Set.of("not_found"));
        if (o.reply().status() == 200 && o.reply().body().path("balance").path("available").asLong() < 0) {
            violation("wallet", "negative balance: " + o.reply());
        }
        String code = o.reply().body().path("referral").path("code").asText(null);
        if (o.reply().status() == 200 && code == null) {
            violation("wallet", "a member without a referral code: " + o.reply());
        } else if (code != null && !referralCodes.contains(code)) {
            referralCodes.add(code);
        }
    }

    private void ledger(Random rnd, String c) {
        send("ledger", "GET", P + "/customers/" + c + "/ledger?limit=" + (1 + rnd.nextInt(20)), null, Map.of(),
                Set.of(200, 404), Set.of("not_found"));
    }

    private void tick(Random rnd) {
        gateway.clock.advance(Duration.ofHours(6 + rnd.nextInt(60)));
        if (config.expiry() != null) {
            config.expiry().run(gateway, tenant, PROGRAM_ID, gateway.clock.instant());
            expiryRuns.incrementAndGet();
        }
    }

    // ================================================================== sending and checking

    /**
     * Sends one request as a shop, retrying the identical request after a 5xx when the config
     * says so, and checks the answer: a 5xx is a violation, an error has the one shape, and the
     * status and code are among those allowed for the operation (429 rate_limited and 503
     * unavailable, the database throttling past its retries, always are).
     */
    private Outcome send(String op, String method, String path, String body, Map<String, String> headers,
                         Set<Integer> statuses, Set<String> codes) {
        Api.Reply r = gateway.call(method, path, body, tenant.shopKey(), headers);
        int errors = 0;
        while (config.retryOn5xx() && r.status() >= 500 && errors < 20) {
            errors++;
            count(op + " " + r.status() + " (then retried)");
            sleep(5L * errors);
            r = gateway.call(method, path, body, tenant.shopKey(), headers);
        }
        count(op + " " + r.status() + (r.code() == null ? "" : " " + r.code()));
        boolean unavailable = r.status() == 503 && "unavailable".equals(r.code());
        if (r.status() >= 500 && !unavailable) {
            violation(op, "a 5xx: " + r);
        } else if (r.status() >= 400) {
            JsonNode err = r.body().path("error");
            if (r.body().size() != 1 || !err.path("code").isTextual() || !err.path("message").isTextual()
                    || !err.path("details").isObject()) {
                violation(op, "not the error shape: " + r);
            }
            boolean allowed = (r.status() == 429 && "rate_limited".equals(r.code())) || unavailable
                    || (statuses.contains(r.status()) && codes.contains(r.code()));
            if (!allowed) {
                violation(op, "an answer this operation must not give: " + r);
            }
        } else if (!statuses.contains(r.status())) {
            violation(op, "an answer this operation must not give: " + r);
        }
        return new Outcome(r, errors);
    }

    private void count(String what) {
        outcomes.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private void violation(String op, String what) {
        violations.add(op + ": " + what);
    }

    private static <T> T pick(Random rnd, List<T> from) {
        int size = from.size();
        return size == 0 ? null : from.get(rnd.nextInt(size));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A readable summary: counts by outcome, and the audit's figures. */
    static String summary(Workload w, Audit.Report report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcomes", w.outcomeCounts());
        m.put("figures", new TreeMap<>(report.figures()));
        ObjectNode o = Json.mapper().valueToTree(m);
        return o.toPrettyString();
    }
}
