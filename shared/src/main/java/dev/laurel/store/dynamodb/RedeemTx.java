package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Spending;
import dev.laurel.domain.SubCounters;
import dev.laurel.domain.SubCounters.Caps;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.BudgetCharge;
import dev.laurel.store.Records.RedeemWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A redemption in one transaction: the idempotency record, the profile (points, lots and the
 * per-customer count, on its seq), the reward's budget (conditional on its limits),
 * the order's stacking slot, the redemption record (for rollback) and the ledger entry.
 */
final class RedeemTx {
    /**
     * The first sub-counter's pick: not ThreadLocalRandom, whose state every copy restored from one SnapStart
     * snapshot shares (their picks would fall on the same sub-counters); reseeded after each restore (Entropy).
     */
    private static final java.security.SecureRandom PICK = dev.laurel.domain.Entropy.secure();
    /** At most this many lots are kept on a redemption to give back on rollback (merged: {@link Lots#taken}). */
    static final int REDEMPTION_LOTS = 500;

    /** {@link #once}'s sub-counter for a budget never split: its one item, under the program's limits. */
    private static final int UNSPLIT = -1;
    /** How many times a hot budget's charge reads its sub-counters again (and re-splits) before it is refused. */
    private static final int SPLIT_ROUNDS = 4;

    private RedeemTx() {
    }

    /**
     * Commits the redemption. A budget never split is charged on its one item under the program's
     * limits (and only while it is not split). A hot budget is first (re-)split when it must be
     * ({@link SubCounters#needsSplit}); then a sub-counter picked at random is charged under its own
     * stored room, and when that one is spent the next sibling is tried (skipping those read spent). When every sub-counter
     * refused, the sub-counters are read again: if the sum still takes the charge (its room lies
     * spread over several sub-counters, e.g. a discount larger than any one room), they are re-split
     * with the charge's need on one of them, and it is charged there; else the budget is exhausted.
     */
    static Commit run(DynamoDbClient ddb, String table, RedeemWrite w) {
        BudgetCharge b = w.budget();
        if (b == null || (b.subCounters() == 1 && !SubCounters.split(b.subs()))) {
            return once(ddb, table, w, UNSPLIT);
        }
        Caps limits = new Caps(b.maxRedemptions(), b.maxValueMinor(), b.maxOrderMinor());
        Budgets.Used need = new Budgets.Used(b.redemptions(), b.valueMinor(), b.orderMinor());
        List<SubCounters.Sub> subs = b.subs();
        int n = Budgets.SUB_COUNTERS;
        int start = PICK.nextInt(n);
        Commit commit = null;
        for (int round = 0; round < SPLIT_ROUNDS; round++) {
            boolean asRead = true; // subs are the sub-counters as they stand, not (re-)split since
            if (SubCounters.needsSplit(subs, limits, w.programVersion(), b.subCounters())) {
                SplitTx.resplit(ddb, table, w.tenant(), w.programId(), b.rewardId(), subs, limits, w.programVersion(), -1, need);
                asRead = false;
            } else if (round > 0) {
                if (SubCounters.takes(limits, SubCounters.sum(subs), need)
                        && SubCounters.shares(subs, limits, start, need) != null) {
                    SplitTx.resplit(ddb, table, w.tenant(), w.programId(), b.rewardId(), subs, limits, w.programVersion(), start, need);
                    asRead = false;
                } else {
                    return commit;
                }
            }
            boolean tried = false;
            for (int k = 0; k < n; k++) {
                int i = (start + k) % n;
                // a sub-counter read spent is skipped (the next round's read and re-split finds room given back
                // meanwhile); one is always tried, so that the idempotency record decides a retry's answer
                if (asRead && !SubCounters.room(subs.get(i), need) && (tried || k < n - 1)) {
                    continue;
                }
                tried = true;
                commit = once(ddb, table, w, i);
                if (!(commit instanceof Commit.Refused r && r.refusal().code() == Refusal.Code.BUDGET_EXHAUSTED)) {
                    return commit;
                }
            }
            subs = SplitTx.read(ddb, table, w.tenant(), w.programId(), b.rewardId());
        }
        return commit;
    }

    private static Commit once(DynamoDbClient ddb, String table, RedeemWrite w, int sub) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());

        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        u.names.put("#r", w.rewardId());
        u.set("redemptions.#r = if_not_exists(redemptions.#r, " + u.value(n(0)) + ") + " + u.value(n(1)));
        u.takes(w.takes());
        u.write(tx, cpk, c.customerId(), c.seq(), w.after().notifications());
        Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());

        BudgetCharge b = w.budget();
        if (b != null) {
            List<String> conds = new ArrayList<>();
            Map<String, AttributeValue> bv = new HashMap<>();
            bv.put(":r", n(b.redemptions()));
            bv.put(":v", n(b.valueMinor()));
            bv.put(":o", n(b.orderMinor()));
            if (sub == UNSPLIT) {
                if (b.maxRedemptions() != null) {
                    conds.add(Writes.atMost("redemptions", ":maxR", b.maxRedemptions() - b.redemptions(), bv));
                }
                if (b.maxValueMinor() != null) {
                    conds.add(Writes.atMost("valueMinor", ":maxV", b.maxValueMinor() - b.valueMinor(), bv));
                }
                if (b.maxOrderMinor() != null) {
                    conds.add(Writes.atMost("orderMinor", ":maxO", b.maxOrderMinor() - b.orderMinor(), bv));
                }
                conds.add("attribute_not_exists(splitSeq)"); // split meanwhile: read again (the refusal mapping)
                tx.update(Tx.Role.REWARD_BUDGET, b.rewardId(), Keys.rewardBudget(w.tenant(), w.programId(), b.rewardId(), 0),
                        "ADD redemptions :r, valueMinor :v, orderMinor :o", String.join(" AND ", conds), null, bv);
            } else {
                // the sub-counter's own stored room under its share (SplitTx): no program limit is needed here
                bv.put(":nr", n(-b.redemptions()));
                bv.put(":nv", n(-b.valueMinor()));
                bv.put(":no", n(-b.orderMinor()));
                conds.add("attribute_exists(splitSeq) AND attribute_not_exists(closed)");
                conds.add("(attribute_not_exists(capR) OR roomR >= :r)");
                conds.add("(attribute_not_exists(capV) OR roomV >= :v)");
                conds.add("(attribute_not_exists(capO) OR roomO >= :o)");
                tx.update(Tx.Role.REWARD_BUDGET, b.rewardId(), Keys.rewardBudget(w.tenant(), w.programId(), b.rewardId(), sub),
                        "ADD redemptions :r, valueMinor :v, orderMinor :o, roomR :nr, roomV :nv, roomO :no",
                        String.join(" AND ", conds), null, bv);
            }
        }
        if (w.orderId() != null) {
            // Every redemption on an order takes its place on the order's stack item, so that an
            // exclusive reward and a category are enforced atomically whatever the concurrency.
            Map<String, AttributeValue> sv = new HashMap<>();
            Map<String, String> stackNames = new HashMap<>();
            sv.put(":one", n(1));
            String update;
            String cond;
            if (w.exclusive()) {
                update = "SET excl = :t";
                cond = "attribute_not_exists(pk) OR n = :zero";
                sv.put(":t", Av.bool(true));
                sv.put(":zero", n(0));
            } else {
                update = "SET excl = if_not_exists(excl, :f)";
                cond = w.stackCategory() == null ? "attribute_not_exists(pk) OR excl = :f"
                        : "attribute_not_exists(pk) OR (excl = :f AND attribute_not_exists(#c))";
                sv.put(":f", Av.bool(false));
            }
            if (w.stackCategory() != null) {
                update += ", #c = :rid";
                stackNames.put("#c", "cat:" + w.stackCategory());
                sv.put(":rid", s(w.redemptionId()));
            }
            // discounts on one order never add up to more than its total
            cond = "(" + cond + ") AND " + Writes.atMost("disc", ":maxD", w.orderTotalMinor() - w.discountMinor(), sv);
            sv.put(":d", n(w.discountMinor()));
            tx.update(Tx.Role.STACK, w.orderId(), Av.key(Keys.orderStack(w.tenant(), w.programId(), w.orderId()), "STACK"),
                    update + " ADD n :one, disc :d", cond, stackNames, sv);
        }
        Map<String, AttributeValue> r = Av.key(Keys.redemption(w.tenant(), w.programId(), w.redemptionId()), Keys.REDEMPTION);
        r.put("customerId", s(c.customerId()));
        r.put("rewardId", s(w.rewardId()));
        r.put("cost", n(w.cost()));
        r.put("valueMinor", n(b == null ? 0 : b.valueMinor()));
        r.put("orderMinor", n(b == null ? 0 : b.orderMinor()));
        r.put("discountMinor", n(w.discountMinor()));
        // the value of the order the reward was redeemed on (0 without an order): the report's attribution
        r.put("attributedOrderMinor", n(w.orderId() == null ? 0 : w.orderTotalMinor()));
        r.put("budgeted", Av.bool(b != null));
        if (b != null && sub != UNSPLIT) {
            r.put("budgetSubCounter", n(sub)); // a rollback gives the unit back to this sub-counter
        }
        Writes.putIf(r, "orderId", w.orderId());
        Writes.putIf(r, "stackCategory", w.orderId() == null ? null : w.stackCategory());
        r.put("exclusive", Av.bool(w.orderId() != null && w.exclusive()));
        r.put("status", s("redeemed"));
        r.put("code", s(w.code()));
        r.put("codeItem", Av.bool(true));
        r.put("at", s(w.now().toString()));
        var lots = Json.array();
        for (Lot l : Lots.taken(w.takes(), REDEMPTION_LOTS)) {
            var o = lots.addObject();
            o.put("lotId", l.lotId());
            o.put("points", l.remaining());
            o.put("earned", l.earned());
            o.put("earnedAt", l.earnedAt().toString());
            if (l.expiresAt() != null) {
                o.put("expiresAt", l.expiresAt().toString());
            }
            if (l.orderId() != null) {
                o.put("orderId", l.orderId());
            }
        }
        r.put("lots", s(Json.write(lots)));
        tx.put(Tx.Role.REDEMPTION, w.redemptionId(), r, "attribute_not_exists(pk)", null, null);
        CodeItems.issue(tx, w, c.customerId(), c.seq() + 1);
        Writes.ledgerEntry(tx, cpk, c.customerId(), w.entry(), w.programVersion(), c.seq() + 1);
        Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);

        return tx.commit(ddb, f -> switch (f.role()) {
            // a budget split since it was read is no refusal: read again and charge a sub-counter
            case REWARD_BUDGET -> sub == UNSPLIT && f.old().containsKey("splitSeq") ? null : Budgets.budgetRefusal(w.rewardId());
            case STACK -> Budgets.stackingRefusal(w.rewardId(), w.orderId());
            default -> null;
        });
    }
}
