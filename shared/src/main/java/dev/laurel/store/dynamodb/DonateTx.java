package dev.laurel.store.dynamodb;

import dev.laurel.domain.Customer;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.DonateWrite;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A donation in one transaction: the idempotency record, the profile (points and the lots taken,
 * on its seq, which also guards the balance), the {@code donation} ledger entry and the debt
 * payments of lots the write releases. A retry with the same key finds the record and replays.
 */
final class DonateTx {
    private DonateTx() {
    }

    static Commit run(DynamoDbClient ddb, String table, DonateWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        Writes.spend(tx, cpk, c, w.after(), w.takes(), w.entry(), w.programVersion(), w.now());
        return tx.commit(ddb, null);
    }
}
