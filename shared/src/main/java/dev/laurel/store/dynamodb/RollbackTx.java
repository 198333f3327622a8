package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Refusal;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.Redemption;
import dev.laurel.store.Records.RollbackWrite;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A rollback in one transaction (see {@link RollbackWrite}): points, lots, budget and stacking slot given back once. */
final class RollbackTx {
    private RollbackTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, RollbackWrite w) {
        Redemption r = w.redemption();
        String cpk = Keys.customer(w.tenant(), w.programId(), r.customerId());
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        // a code past its validity gives its redemption back as "expired"; a rollback as "rolled_back"
        tx.update(Tx.Role.REDEMPTION, r.redemptionId(), Av.key(Keys.redemption(w.tenant(), w.programId(), r.redemptionId()), "R"),
                "SET #s = :rolled, rolledBackAt = :now", "#s = :redeemed", Map.of("#s", "status"),
                Map.of(":rolled", s(w.codeExpired() ? "expired" : "rolled_back"), ":redeemed", s("redeemed"),
                        ":now", s(w.now().toString())));
        Customer c = w.before();
        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        u.names.put("#r", r.rewardId());
        u.set("redemptions.#r = redemptions.#r - " + u.value(n(1)));
        // the points go back as lots of their own with the original lots' dates, so they expire and
        // are spent exactly as before, whatever happened to the originals meanwhile
        w.restored().forEach(u::add);
        u.write(tx, cpk, r.customerId(), c.seq(), w.after().notifications());
        Writes.notifications(tx, cpk, r.customerId(), w.after().notifications());
        if (r.budgeted()) {
            // back to the sub-counter the unit came from (0: the budget item itself, or not split)
            tx.update(Tx.Role.REWARD_BUDGET, r.rewardId(), Keys.rewardBudget(w.tenant(), w.programId(), r.rewardId(),
                    r.budgetSubCounter()), "ADD redemptions :r, valueMinor :v, orderMinor :o, roomR :nr, roomV :nv, roomO :no",
                    null, null, Map.of(":r", n(-1), ":v", n(-r.valueMinor()), ":o", n(-r.orderMinor()),
                            // and the room under its share (SplitTx; ignored on an item never split)
                            ":nr", n(1), ":nv", n(r.valueMinor()), ":no", n(r.orderMinor())));
        }
        if (r.orderId() != null) {
            Map<String, String> stackNames = new HashMap<>();
            String update = "ADD n :minus, disc :disc";
            Map<String, AttributeValue> sv = new HashMap<>();
            sv.put(":minus", n(-1));
            sv.put(":disc", n(-r.discountMinor()));
            if (r.exclusive()) {
                update = "SET excl = :f " + update;
                sv.put(":f", Av.bool(false));
            }
            if (r.stackCategory() != null) {
                update += " REMOVE #c";
                stackNames.put("#c", "cat:" + r.stackCategory());
            }
            tx.update(Tx.Role.STACK, r.orderId(), Av.key(Keys.orderStack(w.tenant(), w.programId(), r.orderId()), "STACK"),
                    update, "attribute_exists(pk)", stackNames, sv);
        }
        if (w.codeExpired()) {
            CodeItems.expire(tx, w.tenant(), w.programId(), r.code(), w.now());
        } else if (r.codeItem()) {
            // issued or already used at a till: the points come back and the code can no longer be used
            CodeItems.rollBack(tx, w.tenant(), w.programId(), r.code(), w.now());
        }
        Writes.ledgerEntry(tx, cpk, r.customerId(), w.entry(), w.programVersion(), c.seq() + 1);
        Writes.debts(tx, cpk, r.customerId(), w.after(), c.seq() + 1);
        return tx.commit(ddb, f -> f.role() == Tx.Role.REDEMPTION ? new Refusal(Refusal.Code.ALREADY_ROLLED_BACK,
                "redemption " + r.redemptionId() + " was already rolled back", Map.of("redemptionId", r.redemptionId()))
                : null);
    }
}
