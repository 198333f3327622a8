package dev.laurel.store.dynamodb;

import dev.laurel.domain.Customer;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.RemindWrite;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Marks lots reminded and queues their points_expiring notifications, in one transaction. */
final class RemindTx {
    private RemindTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, RemindWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        w.reminded().forEach(u::reminded);
        u.remove.add(RunFailures.REMIND_COUNTER); // a run that succeeds ends a run of failures
        u.write(tx, cpk, c.customerId(), c.seq(), List.of());
        Writes.notifications(tx, cpk, c.customerId(), w.notifications());
        return tx.commit(ddb, null);
    }
}
