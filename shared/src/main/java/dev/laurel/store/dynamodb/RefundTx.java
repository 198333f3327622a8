package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.OrderRecord;
import dev.laurel.store.Records.RefundWrite;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A refund in one transaction (see {@link RefundWrite}): claws back the order's share of points, from its own lots first. */
final class RefundTx {
    private RefundTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, RefundWrite w) {
        Customer c = w.before();
        OrderRecord o = w.order();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        u.takes(w.takes());
        if (w.tierAfter() != null && !w.tierAfter().equals(c.tierId())) {
            u.set("tier = " + u.value(s(w.tierAfter())));
        }
        int i = 0;
        for (var st : w.stats().entrySet()) { // the refund lowers the order statistics' spend (OrderStats)
            String k = "#st" + i++;
            u.names.put(k, st.getKey());
            u.set("rulePoints." + k + " = rulePoints." + k + " + " + u.value(n(st.getValue()[1])));
        }
        ReferralItems.fields(u, w.referral());
        u.write(tx, cpk, c.customerId(), c.seq(), w.after().notifications());
        Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());
        tx.update(Tx.Role.ORDER, o.orderId(), Av.key(cpk, Keys.ORDER_PREFIX + o.orderId()),
                "SET refundedMinor = :refunded, clawed = :clawed", "refundedMinor = :before",
                null, Map.of(":refunded", n(o.refundedMinor() + w.refundMinor()), ":clawed", n(w.clawTarget()),
                        ":before", n(o.refundedMinor())));
        Writes.ledgerEntry(tx, cpk, c.customerId(), w.entry(), w.programVersion(), c.seq() + 1);
        Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);
        for (dev.laurel.store.Records.Entry e : w.extraEntries()) {
            Writes.ledgerEntry(tx, cpk, c.customerId(), e, w.programVersion(), c.seq() + 1);
        }
        ReferralItems.add(tx, w.tenant(), w.programId(), c.customerId(), w.referral(), w.programVersion(), w.now());
        return tx.commit(ddb, null);
    }
}
