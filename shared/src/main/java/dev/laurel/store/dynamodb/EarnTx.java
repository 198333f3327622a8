package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import dev.laurel.store.Commit;
import dev.laurel.store.Records;
import dev.laurel.store.Records.EarnWrite;
import dev.laurel.store.Records.Earned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Earn or upsert (see {@link EarnWrite}) in one transaction: the idempotency record, a ledger
 * entry and lot per earned amount, each order's record, the rules' total budgets (conditional on
 * their limits), queued reminders, and the profile (created whole, or updated on its seq).
 */
final class EarnTx {
    private EarnTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, EarnWrite w) {
        return build(table, w).commit(ddb, null);
    }

    /** The transaction's items (an import adds its row marker and counters to them: {@link ImportTx}). */
    static Tx build(String table, EarnWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        String ppk = Keys.program(w.tenant(), w.programId());
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());

        Map<String, long[]> caps = new LinkedHashMap<>();
        Map<String, Long> ruleBudgets = new LinkedHashMap<>();
        Map<String, Long> ruleLimits = new HashMap<>();
        List<Lot> newLots = new ArrayList<>();
        for (Earned e : w.earned()) {
            e.plan().capKeys().forEach((k, d) -> caps.merge(k, d, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]}));
            e.plan().ruleBudgets().forEach((k, v) -> ruleBudgets.merge(k, v, Long::sum));
            ruleLimits.putAll(e.plan().ruleLimits());
            Writes.ledgerEntry(tx, cpk, c.customerId(), e.entry(), w.programVersion(), c.seq() + 1);
            if (e.lot() != null) {
                newLots.add(e.lot());
            }
            if (e.orderId() != null) {
                Map<String, AttributeValue> v = new HashMap<>();
                v.put(":t", n(e.orderTotalMinor()));
                v.put(":zero", n(0));
                v.put(":p", n(e.plan().points()));
                String update = "SET totalMinor = if_not_exists(totalMinor, :t), refundedMinor = if_not_exists(refundedMinor, :zero), "
                        + "clawed = if_not_exists(clawed, :zero), customerId = :c ADD earned :p";
                v.put(":c", s(c.customerId()));
                String month = dev.laurel.domain.OrderStats.bucketMonth(e.plan().capKeys());
                if (month != null) { // the month whose spend a refund lowers (OrderStats)
                    update = update.replace(", customerId = :c", ", customerId = :c, statsMonth = if_not_exists(statsMonth, :sm)");
                    v.put(":sm", s(month));
                }
                tx.update(Tx.Role.ORDER, e.orderId(), Av.key(cpk, Keys.ORDER_PREFIX + e.orderId()), update, null, null, v);
            }
        }
        for (var rb : ruleBudgets.entrySet()) {
            Map<String, AttributeValue> rv = new HashMap<>();
            rv.put(":n", n(rb.getValue()));
            String cond = Writes.atMost("points", ":max", ruleLimits.get(rb.getKey()) - rb.getValue(), rv);
            tx.update(Tx.Role.RULE_BUDGET, rb.getKey(), Av.key(ppk, Keys.ruleBudget(rb.getKey())), "ADD points :n",
                    cond, null, rv);
        }
        Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());
        profile(tx, cpk, c, caps, newLots, w);
        ReferralItems.add(tx, w.tenant(), w.programId(), c.customerId(), w.referral(), w.programVersion(), w.now());
        Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);
        return tx;
    }

    private static void profile(Tx tx, String cpk, Customer c, Map<String, long[]> caps, List<Lot> newLots, EarnWrite w) {
        String tier = w.tierAfter();
        Records.ProfileFields fields = w.profile();
        Instant now = w.now();
        Records.ProfileAfter after = w.after();
        if (!c.member()) {
            Map<String, AttributeValue> item = newProfile(cpk, c, caps, newLots, w);
            ConsentItems.write(tx, c.customerId(), w.tenant(), w.programId(), w.consent(), now, null, item);
            tx.put(Tx.Role.PROFILE, c.customerId(), item, "attribute_not_exists(pk)", null, null);
            return;
        }
        ProfileChange u = ProfileChange.optimistic(cpk, after, now);
        ConsentItems.write(tx, c.customerId(), w.tenant(), w.programId(), w.consent(), now, u, null);
        if (tier != null && !tier.equals(c.tierId())) {
            u.set("tier = " + u.value(s(tier)));
        }
        int i = 0;
        for (var cap : caps.entrySet()) {
            String k = "#k" + i++;
            u.names.put(k, cap.getKey());
            String zero = u.value(n(0));
            u.set("ruleCounts." + k + " = if_not_exists(ruleCounts." + k + ", " + zero + ") + " + u.value(n(cap.getValue()[0])));
            u.set("rulePoints." + k + " = if_not_exists(rulePoints." + k + ", " + zero + ") + " + u.value(n(cap.getValue()[1])));
        }
        int p = 0;
        for (String old : w.prunedCaps()) {
            if (caps.containsKey(old)) {
                continue; // this write counts on it
            }
            String k = "#p" + p++;
            u.names.put(k, old);
            if (c.ruleCounts().containsKey(old)) {
                u.remove.add("ruleCounts." + k);
            }
            if (c.rulePoints().containsKey(old)) {
                u.remove.add("rulePoints." + k);
            }
        }
        newLots.forEach(u::add);
        u.takes(w.takes());
        if (fields.email() != null) {
            u.set("email = " + u.value(s(fields.email())));
        }
        if (fields.locale() != null) {
            u.set("locale = " + u.value(s(fields.locale())));
        }
        if (fields.marketingConsent() != null) {
            u.set("marketingConsent = " + u.value(Av.bool(fields.marketingConsent())));
        }
        if (fields.referralCode() != null) {
            u.set("referralCode = " + u.value(s(fields.referralCode())));
        }
        if (fields.attributes() != null) {
            int j = 0;
            for (var e : fields.attributes().entrySet()) {
                String k = "#a" + j++;
                u.names.put(k, e.getKey());
                if (e.getValue() == null) {
                    u.remove.add("attrs." + k);
                } else {
                    u.set("attrs." + k + " = " + u.value(Av.fromPlain(e.getValue())));
                }
            }
        }
        ReferralItems.fields(u, w.referral());
        u.write(tx, cpk, c.customerId(), c.seq(), after.notifications());
    }

    /** A newcomer's profile, created whole. */
    private static Map<String, AttributeValue> newProfile(String cpk, Customer c, Map<String, long[]> caps, List<Lot> newLots,
                                                          EarnWrite w) {
        Records.ProfileFields fields = w.profile();
        Records.ProfileAfter after = w.after();
        Set<String> notified = new HashSet<>();
        for (Records.NotificationRecord r : after.notifications()) {
            notified.add(r.id());
        }
        Map<String, AttributeValue> item = Av.key(cpk, Keys.PROFILE);
        item.put("customerId", s(c.customerId()));
        item.put("seq", n(1));
        item.put("available", n(after.available()));
        item.put("pending", n(after.pending()));
        item.put("lifetimeEarned", n(after.lifetimeEarned()));
        if (w.tierAfter() != null) {
            item.put("tier", s(w.tierAfter()));
        }
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> pts = new HashMap<>();
        caps.forEach((k, d) -> {
            counts.put(k, d[0]);
            pts.put(k, d[1]);
        });
        item.put("ruleCounts", Av.longMap(counts));
        item.put("rulePoints", Av.longMap(pts));
        item.put("redemptions", Av.longMap(Map.of()));
        Map<String, AttributeValue> lots = new HashMap<>();
        newLots.forEach(l -> lots.put(l.lotId(), ProfileChange.lotValue(l)));
        item.put("lots", AttributeValue.fromM(lots));
        Map<String, AttributeValue> attrs = new HashMap<>();
        if (fields.attributes() != null) {
            fields.attributes().forEach((k, v) -> {
                if (v != null) {
                    attrs.put(k, Av.fromPlain(v));
                }
            });
        }
        item.put("attrs", AttributeValue.fromM(attrs));
        item.put("marketingConsent", Av.bool(Boolean.TRUE.equals(fields.marketingConsent())));
        Writes.putIf(item, "email", fields.email());
        Writes.putIf(item, "locale", fields.locale());
        Writes.putIf(item, "referralCode", fields.referralCode());
        ReferralItems.fields(item, w.referral());
        if (!notified.isEmpty()) {
            item.put("notified", AttributeValue.fromSs(List.copyOf(notified)));
        }
        item.put("joinedAt", s(w.now().toString()));
        item.put("updatedAt", s(w.now().toString()));
        ProfileChange.index(item, cpk, after);
        return item;
    }
}
