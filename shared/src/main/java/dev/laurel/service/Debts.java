package dev.laurel.service;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Debt;
import dev.laurel.json.Json;
import dev.laurel.store.Records.DebtEntry;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        String details = Json.write(Json.object().put("owedBefore", p.owedBefore()).put("owedAfter", p.owedAfter()));
        return new Entry(id, TYPE, -p.points(), at, null, null, null, null, details);
    }
}
