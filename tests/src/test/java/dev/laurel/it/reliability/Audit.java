package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Budgets;
import dev.laurel.it.Api;
import dev.laurel.it.TableSnapshot;
import dev.laurel.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Checks every invariant of DESIGN.md "What must always hold" on one tenant's program after a
 * run, from three independent sources: the items in the table (one consistent scan), the public
 * API (wallets and whole ledgers, paged with the cursor) and, when given, the {@link Model} of
 * what the callers were told (the first answer of every request that took effect).
 *
 * <p>Conservation, per customer and in total: issued = available + pending + redeemed + expired
 * + refunded (clawed back) − adjustments, where "redeemed" is net of rollbacks. Each term is taken
 * from a different place wherever one exists: issued from the answers (model) and from the earn
 * entries, redeemed from the redemption items, refunded from the answers and from the refund
 * entries, expired from the {@code expire} entries (the expiry service's own report joins it
 * when that service exists), debt paid from the {@code debt} entries. What a refund could not take
 * back is owed: owed = the refunds' uncollected points − debt paid, so the points held never
 * exceed what was earned net of spends, refunds (all they were due), expiry, plus what is owed.
 */
final class Audit {
    static final Set<String> ENTRY_TYPES = Set.of("earn", "redeem", "rollback", "expire", "refund", "adjust", "import", "debt",
            "code_expired", "referral", "donation", "import_revert", "tier_changed");

    /**
     * A member's referral counters agree with their {@code referral} entries: {@code referralPoints}
     * is their sum, and {@code referred} the referrer's awards (entries naming a referee) less their
     * cancellations; every award entry has its other party's entry for the same order.
     */
    void referrals(String c, Map<String, AttributeValue> p, List<Entry> entries) {
        List<Entry> mine = entries.stream().filter(e -> e.type().equals("referral")).toList();
        long points = mine.stream().mapToLong(Entry::points).sum();
        if (points != n(p, "referralPoints")) {
            fail("customer %s: referralPoints %d, its referral entries sum to %d", c, n(p, "referralPoints"), points);
        }
        long awards = mine.stream().filter(e -> e.details().hasNonNull("refereeId")).mapToLong(e -> e.points() > 0 ? 1 : -1).sum();
        if (awards != n(p, "referred")) {
            fail("customer %s: referred %d, its referral entries as referrer say %d", c, n(p, "referred"), awards);
        }
        if (points < 0) {
            fail("customer %s: referral entries sum to %d < 0", c, points);
        }
    }

    /** What the callers were told: only first answers of requests that took effect. */
    static final class Model {
        /** customer → points of acknowledged earns and signup bonuses. */
        final Map<String, AtomicLong> issued = new ConcurrentHashMap<>();
        /** earn entry id (from the answer) → points it announced. */
        final Map<String, Long> earnEntries = new ConcurrentHashMap<>();
        final Set<String> redemptions = ConcurrentHashMap.newKeySet();
        final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
        /** customer → points clawed back by acknowledged refunds. */
        final Map<String, AtomicLong> refundedPoints = new ConcurrentHashMap<>();
        /** customer | order → amount refunded by acknowledged refunds. */
        final Map<String, AtomicLong> refundedMinor = new ConcurrentHashMap<>();
        final AtomicLong refunds = new AtomicLong();
        /** Enrolments answered (each posts its signup bonus as an earn entry of its own). */
        final AtomicLong joins = new AtomicLong();
        /** donation id (from a first 201 answer) → points it gave. */
        final Map<String, Long> donations = new ConcurrentHashMap<>();

        void issued(String customerId, long points) {
            issued.computeIfAbsent(customerId, k -> new AtomicLong()).addAndGet(points);
        }

        void refunded(String customerId, String orderId, long points, long minor) {
            refundedPoints.computeIfAbsent(customerId, k -> new AtomicLong()).addAndGet(points);
            refundedMinor.computeIfAbsent(customerId + "|" + orderId, k -> new AtomicLong()).addAndGet(minor);
            refunds.incrementAndGet();
        }

        static long get(Map<String, AtomicLong> m, String k) {
            AtomicLong v = m.get(k);
            return v == null ? 0 : v.get();
        }
    }

    /** Violations found (empty when every invariant holds) and the figures checked. */
    record Report(List<String> violations, Map<String, Long> figures) {
        @Override
        public String toString() {
            return "figures " + figures + (violations.isEmpty() ? ", no violation"
                    : ", " + violations.size() + " violations:\n  " + String.join("\n  ", violations.subList(0,
                    Math.min(60, violations.size()))));
        }
    }

    private record Redemption(String id, String customerId, String rewardId, long cost, long valueMinor, long orderMinor,
                              long discountMinor, String orderId, String stackCategory, boolean exclusive, boolean budgeted,
                              String status, int budgetSubCounter) {
        boolean redeemed() {
            return "redeemed".equals(status);
        }
    }

    private record Entry(String id, String customerId, String type, long points, String rewardId, String orderId,
                         String redemptionId, JsonNode details) {
    }

    private final List<String> violations = new ArrayList<>();
    private final Map<String, Long> figures = new LinkedHashMap<>();

    private Audit() {
    }

    /** Audits one program of one tenant; {@code model} may be null (table and API only). */
    static Report check(Gateway.Tenant tenant, String programId, Model model) {
        Audit a = new Audit();
        a.run(tenant, programId, model);
        return new Report(List.copyOf(a.violations), Map.copyOf(a.figures));
    }

    private void fail(String format, Object... args) {
        violations.add(String.format(format, args));
    }

    private void figure(String name, long value) {
        figures.merge(name, value, Long::sum);
    }

    private void run(Gateway.Tenant tenant, String programId, Model model) {
        String ppk = "T#" + tenant.id() + "#P#" + programId;
        Map<String, Map<String, AttributeValue>> items = TableSnapshot.of(Gateway.table(), tenant.id());
        JsonNode program = null;
        Map<String, Map<String, AttributeValue>> profiles = new TreeMap<>();
        Map<String, List<Entry>> ledgers = new TreeMap<>();
        Map<String, Map<String, AttributeValue>> orders = new TreeMap<>();
        Map<String, Map<String, AttributeValue>> ruleBudgets = new TreeMap<>();
        Map<String, Map<String, AttributeValue>> rewardBudgets = new TreeMap<>();
        Map<String, Map<Integer, Map<String, AttributeValue>>> subCounters = new TreeMap<>();
        Map<String, Map<String, AttributeValue>> stacks = new TreeMap<>();
        Map<String, Redemption> redemptions = new TreeMap<>();
        Map<String, String> redemptionCodes = new TreeMap<>();
        Map<String, Map<String, AttributeValue>> codes = new TreeMap<>();
        Map<String, List<JsonNode>> idempotency = new TreeMap<>();
        Map<String, String> referralCodes = new TreeMap<>();
        for (Map<String, AttributeValue> item : items.values()) {
            String pk = s(item, "pk");
            String sk = s(item, "sk");
            if (!pk.startsWith(ppk)) {
                continue; // another program of the tenant
            }
            String rest = pk.substring(ppk.length());
            if (rest.isEmpty()) {
                if (sk.equals("DEF")) {
                    program = Json.read(s(item, "definition"));
                } else if (sk.startsWith("BUDGET#rule#")) {
                    ruleBudgets.put(sk.substring(12), item);
                } else if (sk.startsWith("BUDGET#reward#")) {
                    rewardBudgets.put(sk.substring(14), item);
                } else {
                    fail("unknown item under the program: %s | %s", pk, sk);
                }
            } else if (rest.startsWith("#C#")) {
                String c = rest.substring(3);
                if (sk.equals("P")) {
                    profiles.put(c, item);
                } else if (sk.startsWith("E#")) {
                    String d = s(item, "details");
                    ledgers.computeIfAbsent(c, k -> new ArrayList<>()).add(new Entry(s(item, "id"), s(item, "customerId"),
                            s(item, "type"), n(item, "points"), s(item, "rewardId"), s(item, "orderId"), s(item, "redemptionId"),
                            d == null ? Json.object() : Json.read(d)));
                } else if (sk.startsWith("X#")) {
                    orders.put(c + "|" + sk.substring(2), item);
                } else {
                    fail("unknown item of customer %s: %s", c, sk);
                }
            } else if (rest.startsWith("#R#")) {
                String id = rest.substring(3);
                redemptions.put(id, new Redemption(id, s(item, "customerId"), s(item, "rewardId"), n(item, "cost"),
                        n(item, "valueMinor"), n(item, "orderMinor"), n(item, "discountMinor"), s(item, "orderId"),
                        s(item, "stackCategory"), bool(item, "exclusive"), bool(item, "budgeted"), s(item, "status"),
                        item.containsKey("budgetSubCounter") ? (int) n(item, "budgetSubCounter") : 0));
                redemptionCodes.put(id, s(item, "code"));
            } else if (rest.startsWith("#K#") && sk.equals("K")) {
                codes.put(rest.substring(3), item);
            } else if (rest.startsWith("#O#")) {
                stacks.put(rest.substring(3), item);
            } else if (rest.startsWith("#I#")) {
                String scope = rest.substring(3, rest.indexOf('#', 3));
                idempotency.computeIfAbsent(scope, k -> new ArrayList<>()).add(Json.read(s(item, "body")));
            } else if (rest.startsWith("#B#") && sk.equals("BUDGET")) {
                // a hot budget's sub-counter i (1..N-1; sub-counter 0 is the BUDGET#reward# item)
                String[] wi = rest.substring(3).split("#");
                subCounters.computeIfAbsent(wi[0], k -> new TreeMap<>()).put(Integer.parseInt(wi[1]), item);
            } else if (rest.startsWith("#REF#") && sk.equals("REF")) {
                referralCodes.put(rest.substring(5), s(item, "customerId"));
            } else {
                fail("unknown item: %s | %s", pk, sk);
            }
        }
        // every member's referral code is theirs alone: its code item names them (issue 12)
        for (var e : profiles.entrySet()) {
            String code = s(e.getValue(), "referralCode");
            if (code == null) {
                fail("member %s has no referral code", e.getKey());
            } else if (!e.getKey().equals(referralCodes.get(code))) {
                fail("member %s has referral code %s, whose item names %s", e.getKey(), code, referralCodes.get(code));
            }
        }
        referralCodes.forEach((code, owner) -> {
            if (!profiles.containsKey(owner)) {
                fail("referral code %s names %s, who is not a member", code, owner);
            }
        });
        // every reward code names its redemption, which names it back, in a status that agrees with it
        for (var e : codes.entrySet()) {
            String code = e.getKey();
            Redemption r = redemptions.get(s(e.getValue(), "redemptionId"));
            String status = s(e.getValue(), "status");
            if (r == null || !code.equals(redemptionCodes.get(r.id())) || !code.equals(s(e.getValue(), "code"))) {
                fail("code %s names no redemption that names it: %s", code, e.getValue());
                continue;
            }
            boolean agrees = switch (r.status()) {
                case "redeemed" -> status.equals("issued") || status.equals("used");
                case "rolled_back" -> status.equals("rolled_back");
                case "expired" -> status.equals("expired");
                default -> false;
            };
            if (!agrees) {
                fail("code %s is %s while its redemption %s is %s", code, status, r.id(), r.status());
            }
        }
        if (codes.size() != redemptions.size()) {
            fail("%d reward codes for %d redemptions", codes.size(), redemptions.size());
        }
        if (program == null) {
            fail("program %s is not in the table", programId);
            return;
        }
        figure("customers", profiles.size());
        figure("redemptions", redemptions.size());

        // ------------------------------------------------------------ every customer
        Set<String> customers = new TreeSet<>(profiles.keySet());
        customers.addAll(ledgers.keySet());
        Map<String, Long> rulePointsTotal = new HashMap<>();
        long[] total = new long[9];
        for (String c : customers) {
            Map<String, AttributeValue> p = profiles.get(c);
            List<Entry> entries = ledgers.getOrDefault(c, List.of());
            if (p == null) {
                fail("customer %s has %d ledger entries and no profile", c, entries.size());
                continue;
            }
            long available = n(p, "available");
            long pending = n(p, "pending");
            if (available < 0) {
                fail("customer %s: available %d < 0", c, available);
            }
            if (pending < 0) {
                fail("customer %s: pending %d < 0", c, pending);
            }
            Map<String, Long> byType = new TreeMap<>();
            Set<String> ids = new HashSet<>();
            for (Entry e : entries) {
                if (!ENTRY_TYPES.contains(e.type())) {
                    fail("customer %s: entry %s has unknown type %s", c, e.id(), e.type());
                }
                if (!ids.add(e.id())) {
                    fail("customer %s: entry id %s twice", c, e.id());
                }
                if (!c.equals(e.customerId())) {
                    fail("entry %s under customer %s names customer %s", e.id(), c, e.customerId());
                }
                boolean negative = e.type().equals("redeem") || e.type().equals("expire") || e.type().equals("refund")
                        || e.type().equals("debt") || e.type().equals("donation") || e.type().equals("import_revert");
                // an import entry is negative when a mode set row lowered the balance
                boolean positive = e.type().equals("earn") || e.type().equals("rollback") || e.type().equals("code_expired");
                if (e.type().equals("tier_changed") && e.points() != 0) { // a tier review moves no points
                    fail("customer %s: tier_changed entry %s has points %d", c, e.id(), e.points());
                }
                if ((negative && e.points() > 0) || (positive && e.points() < 0)) {
                    fail("customer %s: %s entry %s has points %d of the wrong sign", c, e.type(), e.id(), e.points());
                }
                byType.merge(e.type(), e.points(), Long::sum);
                if (e.type().equals("earn")) {
                    for (JsonNode line : e.details().path("breakdown")) {
                        if (line.hasNonNull("ruleId")) {
                            rulePointsTotal.merge(line.path("ruleId").asText() + "|" + c, line.path("points").asLong(), Long::sum);
                            rulePointsTotal.merge(line.path("ruleId").asText(), line.path("points").asLong(), Long::sum);
                        }
                    }
                }
            }
            long ledgerSum = byType.values().stream().mapToLong(Long::longValue).sum();
            if (available + pending != ledgerSum) {
                fail("customer %s: available %d + pending %d != sum of its %d ledger entries %d %s", c, available, pending,
                        entries.size(), ledgerSum, byType);
            }
            // lots
            long lots = 0;
            AttributeValue lv = p.get("lots");
            if (lv != null && lv.hasM()) {
                for (var lot : lv.m().entrySet()) {
                    long r = n(lot.getValue().m(), "r");
                    long e = n(lot.getValue().m(), "e");
                    if (r < 0 || r > e) {
                        fail("customer %s: lot %s holds %d of %d", c, lot.getKey(), r, e);
                    }
                    lots += r;
                }
            }
            if (lots != available) {
                fail("customer %s: lots hold %d, available is %d", c, lots, available);
            }
            // conservation with the redemption items as the source of "redeemed"
            // referral points (issue 12) are issued; a refund's cancellation of them is a negative referral entry
            long issued = byType.getOrDefault("earn", 0L) + byType.getOrDefault("import", 0L)
                    + byType.getOrDefault("referral", 0L)
                    + byType.getOrDefault("import_revert", 0L); // imported net of what a revert took back
            referrals(c, p, entries);
            long redeemedLedger = -(byType.getOrDefault("redeem", 0L) + byType.getOrDefault("rollback", 0L)
                    + byType.getOrDefault("code_expired", 0L));
            long expired = -byType.getOrDefault("expire", 0L);
            long refunded = -byType.getOrDefault("refund", 0L);
            long adjusted = byType.getOrDefault("adjust", 0L);
            long debtPaid = -byType.getOrDefault("debt", 0L);
            long donated = -byType.getOrDefault("donation", 0L);
            for (Entry e : entries) {
                // a donation's value is its points at the charity's point value, as the program stood then
                if (e.type().equals("donation") && (e.points() >= 0 || !e.details().path("charityId").isTextual()
                        || e.details().path("valueMinor").asLong() != -e.points() * e.details().path("pointValueMinor").asLong())) {
                    fail("customer %s: donation %s of %d points says %s", c, e.id(), -e.points(), e.details());
                }
            }
            long owed = n(p, "owed");
            long uncollected = entries.stream().filter(e -> e.type().equals("refund"))
                    .mapToLong(e -> e.details().path("uncollectedPoints").asLong()).sum();
            if (owed < 0 || owed != uncollected - debtPaid) {
                fail("customer %s: owes %d, its refunds left %d uncollected and its debt entries paid %d", c, owed, uncollected,
                        debtPaid);
            }
            for (Entry e : entries) {
                if (e.type().equals("debt") && e.details().path("owedBefore").asLong() + e.points()
                        != e.details().path("owedAfter").asLong()) {
                    fail("customer %s: debt entry %s pays %d from %s", c, e.id(), -e.points(), e.details());
                }
            }
            long redeemedItems = redemptions.values().stream().filter(r -> c.equals(r.customerId()) && r.redeemed())
                    .mapToLong(Redemption::cost).sum();
            if (redeemedItems != redeemedLedger) {
                fail("customer %s: redemption items hold %d points, the ledger says %d redeemed net of rollbacks", c,
                        redeemedItems, redeemedLedger);
            }
            if (issued + adjusted != available + pending + redeemedItems + expired + refunded + debtPaid + donated) {
                fail("customer %s: conservation: issued %d + adjusted %d != available %d + pending %d + redeemed %d + expired %d"
                        + " + refunded %d + debt paid %d + donated %d", c, issued, adjusted, available, pending, redeemedItems, expired,
                        refunded, debtPaid, donated);
            }
            // no points that no rule gave: held - owed = earned net of spends, all that refunds were due, and expiry
            if (available + pending - owed != issued + adjusted - redeemedItems - expired - donated - (refunded + uncollected)) {
                fail("customer %s: holds %d and owes %d; earned %d net of redeemed %d, expired %d and refunds due %d", c,
                        available + pending, owed, issued + adjusted, redeemedItems, expired, refunded + uncollected);
            }
            long lifetime = n(p, "lifetimeEarned");
            if (lifetime < 0 || lifetime > issued) {
                fail("customer %s: lifetimeEarned %d outside 0..%d (issued)", c, lifetime, issued);
            }
            total[0] += issued;
            total[1] += available;
            total[2] += pending;
            total[3] += redeemedItems;
            total[4] += expired;
            total[5] += refunded;
            total[6] += adjusted;
            total[7] += debtPaid;
            total[8] += donated;
            figure("entries." + "all", entries.size());
            byType.forEach((t, v) -> figure("points." + t, v));
            // per-customer redemption counters and limits
            Map<String, Long> counts = new HashMap<>();
            redemptions.values().stream().filter(r -> c.equals(r.customerId()) && r.redeemed())
                    .forEach(r -> counts.merge(r.rewardId(), 1L, Long::sum));
            Map<String, Long> stored = new HashMap<>();
            AttributeValue rv = p.get("redemptions");
            if (rv != null && rv.hasM()) {
                rv.m().forEach((k, v) -> stored.put(k, Long.parseLong(v.n())));
            }
            for (String r : union(counts.keySet(), stored.keySet())) {
                long have = counts.getOrDefault(r, 0L);
                if (have != stored.getOrDefault(r, 0L)) {
                    fail("customer %s: profile counts %d redemptions of %s, the items %d", c, stored.getOrDefault(r, 0L), r, have);
                }
                JsonNode limit = reward(program, r).path("limits").path("perCustomer");
                if (limit.isNumber() && have > limit.asLong()) {
                    fail("customer %s redeemed %s %d times, the limit is %d", c, r, have, limit.asLong());
                }
            }
            // every redemption item has its redeem entry, and a rollback entry exactly when rolled back
            for (Redemption r : redemptions.values()) {
                if (!c.equals(r.customerId())) {
                    continue;
                }
                List<Entry> redeem = entries.stream().filter(e -> e.type().equals("redeem") && r.id().equals(e.redemptionId())).toList();
                // a redemption is given back once: by a rollback, or by the daily run when its code lapsed unused
                List<Entry> rollback = entries.stream().filter(e -> (e.type().equals("rollback") || e.type().equals("code_expired"))
                        && r.id().equals(e.redemptionId())).toList();
                if (redeem.size() != 1 || redeem.get(0).points() != -r.cost()) {
                    fail("redemption %s of %s: %d redeem entries %s for cost %d", r.id(), c, redeem.size(), redeem, r.cost());
                }
                if (rollback.size() != (r.redeemed() ? 0 : 1) || (!rollback.isEmpty() && rollback.get(0).points() != r.cost())) {
                    fail("redemption %s of %s (%s): %d rollback entries", r.id(), c, r.status(), rollback.size());
                }
            }
            for (Entry e : entries) {
                if ((e.type().equals("redeem") || e.type().equals("rollback")) && !redemptions.containsKey(e.redemptionId())) {
                    fail("customer %s: %s entry %s names no redemption item (%s)", c, e.type(), e.id(), e.redemptionId());
                }
            }
        }
        figure("total.issued", total[0]);
        figure("total.available", total[1]);
        figure("total.redeemed", total[3]);
        figure("total.expired", total[4]);
        figure("total.refunded", total[5]);
        figure("total.debtPaid", total[7]);
        figure("total.donated", total[8]);
        if (total[0] + total[6] != total[1] + total[2] + total[3] + total[4] + total[5] + total[7] + total[8]) {
            fail("total conservation: issued %d + adjusted %d != available %d + pending %d + redeemed %d + expired %d + refunded %d"
                    + " + debt paid %d + donated %d", total[0], total[6], total[1], total[2], total[3], total[4], total[5], total[7],
                    total[8]);
        }

        // ------------------------------------------------------------ orders and refunds
        for (var o : orders.entrySet()) {
            String c = o.getKey().substring(0, o.getKey().indexOf('|'));
            String orderId = o.getKey().substring(o.getKey().indexOf('|') + 1);
            Map<String, AttributeValue> item = o.getValue();
            List<Entry> entries = ledgers.getOrDefault(c, List.of());
            long earned = entries.stream().filter(e -> e.type().equals("earn") && orderId.equals(e.orderId()))
                    .mapToLong(Entry::points).sum();
            if (n(item, "earned") != earned) {
                fail("order %s of %s: the order item says %d earned, its earn entries %d", orderId, c, n(item, "earned"), earned);
            }
            List<Entry> refunds = entries.stream().filter(e -> e.type().equals("refund") && orderId.equals(e.orderId())).toList();
            long refundedMinor = refunds.stream().mapToLong(e -> e.details().path("refundMinor").asLong()).sum();
            long due = refunds.stream().mapToLong(e -> e.details().path("pointsDue").asLong()).sum();
            long taken = -refunds.stream().mapToLong(Entry::points).sum();
            long uncollected = refunds.stream().mapToLong(e -> e.details().path("uncollectedPoints").asLong()).sum();
            if (n(item, "refundedMinor") != refundedMinor || refundedMinor > n(item, "totalMinor")) {
                fail("order %s of %s: refundedMinor %d, its refund entries %d, total %d", orderId, c, n(item, "refundedMinor"),
                        refundedMinor, n(item, "totalMinor"));
            }
            if (n(item, "clawed") != due || taken + uncollected != due || due > earned) {
                fail("order %s of %s: clawed %d, due by its refund entries %d (taken %d + uncollected %d), earned %d", orderId, c,
                        n(item, "clawed"), due, taken, uncollected, earned);
            }
            if (model != null && Model.get(model.refundedMinor, c + "|" + orderId) != refundedMinor) {
                fail("order %s of %s: the answers refunded %d, the ledger %d", orderId, c,
                        Model.get(model.refundedMinor, c + "|" + orderId), refundedMinor);
            }
        }

        // ------------------------------------------------------------ budgets
        for (JsonNode rule : program.path("earningRules")) {
            String id = rule.path("id").asText();
            JsonNode totalLimit = rule.path("limits").path("total").path("points");
            long used = rulePointsTotal.getOrDefault(id, 0L);
            Map<String, AttributeValue> b = ruleBudgets.get(id);
            if (totalLimit.isNumber()) {
                long stored = b == null ? 0 : n(b, "points");
                figure("budget.rule." + id, stored);
                if (stored != used) {
                    fail("rule %s: budget used %d, its earn entries %d", id, stored, used);
                }
                if (stored > totalLimit.asLong()) {
                    fail("rule %s: budget used %d > limit %d", id, stored, totalLimit.asLong());
                }
            }
            JsonNode perCustomer = rule.path("limits").path("perCustomer").path("points");
            if (perCustomer.isNumber()) {
                for (String c : customers) {
                    long got = rulePointsTotal.getOrDefault(id + "|" + c, 0L);
                    if (got > perCustomer.asLong()) {
                        fail("customer %s got %d points from rule %s, its cap is %d", c, got, id, perCustomer.asLong());
                    }
                }
            }
        }
        for (JsonNode reward : program.path("rewards")) {
            String id = reward.path("id").asText();
            JsonNode l = reward.path("limits");
            List<Redemption> live = redemptions.values().stream().filter(r -> id.equals(r.rewardId()) && r.redeemed()).toList();
            Map<String, AttributeValue> b = rewardBudgets.get(id);
            if (l.has("totalRedemptions") || l.has("totalDiscountMinor") || l.has("totalOrderMinor")) {
                long count = live.stream().filter(Redemption::budgeted).count();
                long value = live.stream().filter(Redemption::budgeted).mapToLong(Redemption::valueMinor).sum();
                long orderValue = live.stream().filter(Redemption::budgeted).mapToLong(Redemption::orderMinor).sum();
                long[] stored = b == null ? new long[3] : new long[] {n(b, "redemptions"), n(b, "valueMinor"), n(b, "orderMinor")};
                // a hot budget: the figures are the sums of its sub-counters, each conserved on its own
                Map<Integer, Map<String, AttributeValue>> subs = new TreeMap<>(subCounters.getOrDefault(id, Map.of()));
                long[] shares = new long[4]; // the shares' sums per limit; [3]: sub-counters in an open split
                if (!subs.isEmpty() && b != null) {
                    subs.put(0, b);
                }
                for (var e : subs.entrySet()) {
                    int i = e.getKey();
                    if (i < 0 || i >= Budgets.SUB_COUNTERS) {
                        fail("reward %s has a sub-counter %d outside 0..%d", id, i, Budgets.SUB_COUNTERS - 1);
                    }
                    List<Redemption> on = live.stream().filter(r -> r.budgeted() && r.budgetSubCounter() == i).toList();
                    long[] sub = {n(e.getValue(), "redemptions"), n(e.getValue(), "valueMinor"), n(e.getValue(), "orderMinor")};
                    if (sub[0] != on.size() || sub[1] != on.stream().mapToLong(Redemption::valueMinor).sum()
                            || sub[2] != on.stream().mapToLong(Redemption::orderMinor).sum()) {
                        fail("reward %s sub-counter %d holds %d, %d, %d; its live redemptions %d", id, i, sub[0], sub[1], sub[2],
                                on.size());
                    }
                    if (i > 0) {
                        stored = new long[] {stored[0] + sub[0], stored[1] + sub[1], stored[2] + sub[2]};
                    }
                    splitShares(id, i, e.getValue(), sub, shares);
                }
                if (shares[3] > 0 && b != null) {
                    // an open split: its shares sum to the limits it was made for, exactly
                    String[] made = s(b, "splitLimits").split("/");
                    for (int d = 0; d < 3; d++) {
                        if (!made[d].equals("-") && shares[d] != Long.parseLong(made[d])) {
                            fail("reward %s: the shares of limit %d sum to %d, not %s", id, d, shares[d], made[d]);
                        }
                    }
                }
                figure("budget.reward." + id + ".redemptions", stored[0]);
                if (stored[0] != count || stored[1] != value || stored[2] != orderValue) {
                    fail("reward %s: budget holds redemptions %d, value %d, order value %d; its live redemptions %d, %d, %d", id,
                            stored[0], stored[1], stored[2], count, value, orderValue);
                }
                checkLimit(id, "totalRedemptions", stored[0], l);
                checkLimit(id, "totalDiscountMinor", stored[1], l);
                checkLimit(id, "totalOrderMinor", stored[2], l);
            } else if (b != null) {
                fail("reward %s has no budget but a budget item", id);
            }
        }

        // ------------------------------------------------------------ stacking on orders
        Map<String, List<Redemption>> byOrder = new TreeMap<>();
        redemptions.values().stream().filter(r -> r.orderId() != null && r.redeemed())
                .forEach(r -> byOrder.computeIfAbsent(r.orderId(), k -> new ArrayList<>()).add(r));
        for (String orderId : union(byOrder.keySet(), stacks.keySet())) {
            List<Redemption> on = byOrder.getOrDefault(orderId, List.of());
            Map<String, AttributeValue> st = stacks.get(orderId);
            long n = st == null ? 0 : n(st, "n");
            long disc = st == null ? 0 : n(st, "disc");
            long sum = on.stream().mapToLong(Redemption::discountMinor).sum();
            if (n != on.size() || disc != sum) {
                fail("order %s: stack holds %d rewards and %d discount; its live redemptions %d and %d", orderId, n, disc, on.size(), sum);
            }
            Map<String, Long> perCategory = new HashMap<>();
            on.stream().filter(r -> r.stackCategory() != null).forEach(r -> perCategory.merge(r.stackCategory(), 1L, Long::sum));
            perCategory.forEach((cat, k) -> {
                if (k > 1) {
                    fail("order %s: %d live rewards of stacking category %s", orderId, k, cat);
                }
                if (st == null || !st.containsKey("cat:" + cat)) {
                    fail("order %s: category %s is live but not on the stack", orderId, cat);
                }
            });
            if (st != null) {
                st.keySet().stream().filter(k -> k.startsWith("cat:") && !perCategory.containsKey(k.substring(4)))
                        .forEach(k -> fail("order %s: stack holds %s with no live redemption", orderId, k));
            }
            if (on.stream().anyMatch(Redemption::exclusive) && on.size() > 1) {
                fail("order %s: an exclusive reward stacked with %d others", orderId, on.size() - 1);
            }
        }

        // ------------------------------------------------------------ idempotency records
        List<JsonNode> redeemRecords = idempotency.getOrDefault("redeem", List.of());
        Set<String> recorded = new HashSet<>();
        for (JsonNode body : redeemRecords) {
            String id = body.path("redemptionId").asText();
            if (!recorded.add(id)) {
                fail("redemption %s is the answer of two idempotency keys", id);
            }
            if (!redemptions.containsKey(id)) {
                fail("an idempotency record answers redemption %s, which does not exist", id);
            }
        }
        if (redeemRecords.size() != redemptions.size()) {
            fail("%d redeem idempotency records for %d redemptions", redeemRecords.size(), redemptions.size());
        }
        Map<String, Entry> entriesById = new HashMap<>();
        ledgers.values().forEach(l -> l.forEach(e -> entriesById.put(e.id(), e)));
        for (JsonNode body : idempotency.getOrDefault("earn", List.of())) {
            Entry e = entriesById.get(body.path("entryId").asText());
            if (e == null || !e.type().equals("earn") || e.points() != body.path("pointsEarned").asLong()) {
                fail("earn idempotency record %s names entry %s", body, e);
            }
        }
        List<JsonNode> donationRecords = idempotency.getOrDefault("donation", List.of());
        for (JsonNode body : donationRecords) {
            Entry e = entriesById.get(body.path("donationId").asText());
            if (e == null || !e.type().equals("donation") || -e.points() != body.path("points").asLong()) {
                fail("donation idempotency record %s names entry %s", body, e);
            }
        }
        long donationEntries = entriesById.values().stream().filter(e -> e.type().equals("donation")).count();
        if (donationEntries != donationRecords.size()) {
            fail("%d donation entries for %d donation idempotency records", donationEntries, donationRecords.size());
        }
        figure("idempotency.records", idempotency.values().stream().mapToLong(List::size).sum());

        // ------------------------------------------------------------ the public API tells the same story
        Gateway api = Gateway.clean();
        for (String c : profiles.keySet()) {
            Map<String, AttributeValue> p = profiles.get(c);
            Api.Reply w = api.call("GET", "/v1/programs/" + programId + "/customers/" + c, null, tenant.shopKey(), Map.of());
            JsonNode bal = w.body().path("balance");
            if (w.status() != 200 || bal.path("available").asLong() != n(p, "available")
                    || bal.path("pending").asLong() != n(p, "pending") || bal.path("lifetimeEarned").asLong() != n(p, "lifetimeEarned")
                    || !bal.path("owed").isIntegralNumber() || bal.path("owed").asLong() != n(p, "owed")) {
                fail("customer %s: the wallet says %s, the profile available %d", c, w, n(p, "available"));
            }
            List<String> listed = ledgerIds(api, tenant, programId, c);
            List<String> stored = ledgers.getOrDefault(c, List.of()).stream().map(Entry::id).sorted().toList();
            if (!listed.stream().sorted().toList().equals(stored)) {
                fail("customer %s: the ledger API lists %d entries, the table holds %d", c, listed.size(), stored.size());
            }
        }

        // ------------------------------------------------------------ what the callers were told
        if (model != null) {
            for (String c : union(customers, model.issued.keySet())) {
                long earnedEntries = ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("earn"))
                        .mapToLong(Entry::points).sum();
                long told = Model.get(model.issued, c);
                if (told != earnedEntries) {
                    fail("customer %s: the answers issued %d points, the earn entries hold %d", c, told, earnedEntries);
                }
                long refundedTold = Model.get(model.refundedPoints, c);
                long refundedEntries = -ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("refund"))
                        .mapToLong(Entry::points).sum();
                if (refundedTold != refundedEntries) {
                    fail("customer %s: the answers clawed back %d points, the refund entries %d", c, refundedTold, refundedEntries);
                }
                Map<String, AttributeValue> p = profiles.get(c);
                if (p != null) {
                    long redeemed = redemptions.values().stream().filter(r -> c.equals(r.customerId()) && r.redeemed())
                            .mapToLong(Redemption::cost).sum();
                    long expired = -ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("expire"))
                            .mapToLong(Entry::points).sum();
                    long debtPaid = -ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("debt"))
                            .mapToLong(Entry::points).sum();
                    long donated = -ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("donation"))
                            .mapToLong(Entry::points).sum(); // checked against the answers below
                    // referral awards are not in an earn's pointsEarned (they are its referral part): from their entries,
                    // which referrals() checks against the profile's counters
                    long referral = ledgers.getOrDefault(c, List.of()).stream().filter(e -> e.type().equals("referral"))
                            .mapToLong(Entry::points).sum();
                    if (told + referral != n(p, "available") + n(p, "pending") + redeemed + expired + refundedTold + debtPaid + donated) {
                        fail("customer %s: conservation against the answers: issued %d + referral %d != available %d + pending %d"
                                + " + redeemed %d + expired %d + refunded %d + debt paid %d + donated %d", c, told, referral,
                                n(p, "available"), n(p, "pending"), redeemed, expired, refundedTold, debtPaid, donated);
                    }
                }
            }
            model.earnEntries.forEach((id, points) -> {
                Entry e = entriesById.get(id);
                if (e == null || e.points() != points) {
                    fail("earn answered entry %s with %d points; the ledger holds %s", id, points, e);
                }
            });
            long earnEntries = entriesById.values().stream().filter(e -> e.type().equals("earn")).count();
            if (earnEntries != model.earnEntries.size() + model.joins.get()) {
                fail("%d earn entries, %d announced by answers and %d signup bonuses", earnEntries, model.earnEntries.size(),
                        model.joins.get());
            }
            if (!model.redemptions.equals(redemptions.keySet())) {
                fail("redemptions answered 201 %s != redemption items %s", diff(model.redemptions, redemptions.keySet()),
                        diff(redemptions.keySet(), model.redemptions));
            }
            Set<String> rolled = new TreeSet<>();
            redemptions.values().stream().filter(r -> !r.redeemed()).forEach(r -> rolled.add(r.id()));
            if (!model.rolledBack.equals(rolled)) {
                fail("rollbacks answered 200 %s != rolled back items %s", diff(model.rolledBack, rolled), diff(rolled, model.rolledBack));
            }
            model.donations.forEach((id, points) -> {
                Entry e = entriesById.get(id);
                if (e == null || !e.type().equals("donation") || -e.points() != points) {
                    fail("a donation answered 201 as %s of %d points; the ledger holds %s", id, points, e);
                }
            });
            if (donationEntries != model.donations.size()) {
                fail("%d donation entries, %d donations answered 201", donationEntries, model.donations.size());
            }
            long refundEntries = entriesById.values().stream().filter(e -> e.type().equals("refund")).count();
            if (refundEntries != model.refunds.get()) {
                fail("%d refund entries, %d refunds answered 200", refundEntries, model.refunds.get());
            }
        }
    }

    /**
     * A split sub-counter (docs/ARCHITECTURE.md, "Hot budgets"): unless closed, its room under each share
     * is the share less its use, and its use is within its share. Adds its shares to {@code shares}.
     */
    private void splitShares(String rewardId, int i, Map<String, AttributeValue> item, long[] used, long[] shares) {
        if (!item.containsKey("splitSeq") || item.containsKey("closed")) {
            return;
        }
        shares[3]++;
        String[] dims = {"R", "V", "O"};
        for (int d = 0; d < 3; d++) {
            if (!item.containsKey("cap" + dims[d])) {
                continue;
            }
            long cap = n(item, "cap" + dims[d]);
            long room = n(item, "room" + dims[d]);
            shares[d] += cap;
            if (room != cap - used[d] || used[d] > cap) {
                fail("reward %s sub-counter %d: use %d, share %d, room %d (limit %d)", rewardId, i, used[d], cap, room, d);
            }
        }
    }

    private void checkLimit(String rewardId, String limit, long used, JsonNode limits) {
        if (limits.has(limit) && used > limits.path(limit).asLong()) {
            fail("reward %s: %s used %d > limit %d", rewardId, limit, used, limits.path(limit).asLong());
        }
    }

    private static JsonNode reward(JsonNode program, String rewardId) {
        for (JsonNode r : program.path("rewards")) {
            if (rewardId.equals(r.path("id").asText())) {
                return r;
            }
        }
        return Json.object();
    }

    static List<String> ledgerIds(Gateway api, Gateway.Tenant tenant, String programId, String customerId) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            String path = "/v1/programs/" + programId + "/customers/" + customerId + "/ledger?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Reply r = api.call("GET", path, null, tenant.shopKey(), Map.of());
            if (r.status() != 200) {
                ids.add("<ledger page answered " + r + ">");
                return ids;
            }
            r.body().path("entries").forEach(e -> ids.add(e.path("id").asText()));
            cursor = r.body().path("cursor").asText(null);
            if (cursor == null) {
                return ids;
            }
        }
        ids.add("<ledger never ends>");
        return ids;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
