package dev.laurel.store.dynamodb;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.ExpireWrite;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Expires a customer's due lots and releases their ended return windows: one transaction of
 * the profile (conditional on its seq) and one {@code expire} entry per lot, each conditional
 * on not existing (its id is derived from the lot), so a repeated or overlapping run expires
 * nothing twice.
 */
final class ExpireTx {
    private ExpireTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, ExpireWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        for (Lot l : w.expired()) {
            u.removeLot(l.lotId());
        }
        u.remove.add(RunFailures.EXPIRY_COUNTER); // a run that succeeds ends a run of failures
        if (w.tier() != null) { // a tier review: the tier, and since when it stands (a counter, as earns keep it)
            u.set("tier = " + u.value(Av.s(w.tier().tierId())));
            u.names.put("#tierSince", dev.laurel.domain.TierWindow.SINCE);
            u.set("rulePoints.#tierSince = if_not_exists(rulePoints.#tierSince, " + u.value(Av.n(0)) + ") + "
                    + u.value(Av.n(w.tier().sinceDelta())));
        }
        u.write(tx, cpk, c.customerId(), c.seq(), w.after().notifications());
        for (Entry e : w.entries()) {
            Writes.ledgerEntry(tx, cpk, c.customerId(), e, w.programVersion(), c.seq() + 1);
        }
        Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);
        Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());
        return tx.commit(ddb, null);
    }
}
