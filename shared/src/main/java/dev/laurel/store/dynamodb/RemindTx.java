package dev.laurel.store.dynamodb;

import dev.laurel.domain.Customer;
import dev.laurel.store.Commit;
import dev.laurel.store.Records;
import dev.laurel.store.Records.RemindWrite;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Marks lots reminded and queues their points_expiring notifications, in one transaction. A
 * day's reminder recorded before (points that came back to a day already reminded, by a
 * rollback) is not recorded again: its lots are marked, and the write goes through without it.
 */
final class RemindTx {
    private RemindTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, RemindWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        List<Records.NotificationRecord> notes = new ArrayList<>(w.notifications());
        while (true) {
            Tx tx = new Tx(table);
            ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
            w.reminded().forEach(u::reminded);
            u.remove.add(RunFailures.REMIND_COUNTER); // a run that succeeds ends a run of failures
            u.write(tx, cpk, c.customerId(), c.seq(), w.after().notifications());
            Writes.notifications(tx, cpk, c.customerId(), notes);
            Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());
            Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);
            Tx.Failure f = tx.run(ddb, null);
            if (f != null && f.role() == Tx.Role.NOTIFICATION && !f.conflict() && notes.removeIf(r -> r.id().equals(f.label()))) {
                continue; // recorded before: the write goes through without it
            }
            return Tx.outcome(f, null);
        }
    }
}
