package dev.laurel.app;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Debt;
import dev.laurel.domain.Lot;
import dev.laurel.json.Json;
import dev.laurel.store.Records.DebtEntry;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code debt} ledger entries of {@link Debt} payments: minus what a credit paid, with
 * {@code details} {"owedBefore", "owedAfter"}, and an id derived from the credit so that a
 * repeated write (or expiry run) cannot record a payment twice.
 */
final class Debts {
    static final String TYPE = "debt";

    private Debts() {
    }

    /** The payment of a credit that is available at once (an earn, a rollback): {@code debt-<its entry id>}. */
    static Entry ofCredit(String creditEntryId, Debt.Payment p, Instant at) {
        return entry("debt-" + creditEntryId, p, at);
    }

    /** A credit's lot after it paid a debt (null: all of it went to the debt), and the customer after. */
    record Credited(Lot lot, Customer after) {
    }

    /**
     * A credit available at once ({@code lot}, new, of entry {@code creditEntryId}) pays the customer's
     * debt first: its {@code debt} entry is added to {@code debts}, the lot keeps what is left.
     */
    static Credited payFirst(Customer after, Lot lot, String creditEntryId, Instant at, List<Entry> debts) {
        if (lot == null || after.owed() <= 0) {
            return new Credited(lot, after);
        }
        Debt.Payment paid = Debt.pay(after.owed(), lot.remaining());
        debts.add(ofCredit(creditEntryId, paid, at));
        List<Lot> left = Debt.payFrom(List.of(lot), paid.points());
        return new Credited(left.isEmpty() ? null : left.get(0),
                after.paid(paid).withLots(after.available() - paid.points(), after.pending(), after.lifetimeEarned(), List.of()));
    }

    /** The payments of the pending lots {@code raw} releases at {@code now}: {@code debt-release-<lot id>}, at the release. */
    static List<DebtEntry> onRelease(Customer raw, Instant now, long programVersion) {
        List<DebtEntry> out = new ArrayList<>();
        for (Debt.LotPayment lp : Debt.onRelease(raw, now)) {
            out.add(new DebtEntry(entry("debt-release-" + lp.lot().lotId(), lp.payment(), lp.lot().pendingUntil()),
                    lp.take(), programVersion));
        }
        return out;
    }

    private static Entry entry(String id, Debt.Payment p, Instant at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("owedBefore", p.owedBefore());
        d.put("owedAfter", p.owedAfter());
        String details = Json.write(d);
        return new Entry(id, TYPE, -p.points(), at, null, null, null, null, details);
    }
}
