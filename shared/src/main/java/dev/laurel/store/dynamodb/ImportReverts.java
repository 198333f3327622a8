package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Refusal;
import dev.laurel.store.Commit;
import dev.laurel.store.ImportStore;
import dev.laurel.store.ImportStore.ImportStatus;
import dev.laurel.store.ImportStore.RevertWrite;
import dev.laurel.store.ImportStore.RowMarker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A revert's items (see {@link ImportItems} for the partition): on the {@code IMPORT} item the
 * status ({@code open → reverting → reverted}, each step conditional), {@code revertCursor} (the
 * last row whose member is done: a revert walks the {@code ROW#} markers in row order, in pages,
 * never a scan) and {@code pointsReverted}, which each member's revert transaction adds to.
 */
final class ImportReverts {
    private ImportReverts() {
    }

    /** {@code completedAt} set once, on an existing import (the stream sees it appear: {@code import.completed}). */
    static boolean complete(DynamoDbClient ddb, String table, String tenant, String programId, String importId, Instant now) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(ImportItems.partition(tenant, programId, importId), ImportItems.IMPORT))
                    .updateExpression("SET completedAt = :now").conditionExpression("attribute_exists(pk) AND attribute_not_exists(completedAt)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException e) {
            return ImportItems.get(ddb, table, tenant, programId, importId, 0).isPresent();
        }
        return true;
    }

    static Optional<ImportStatus> start(DynamoDbClient ddb, String table, String tenant, String programId, String importId,
                                        Instant now) {
        String pk = ImportItems.partition(tenant, programId, importId);
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(pk, ImportItems.IMPORT))
                    .updateExpression("SET #status = :reverting, revertCursor = :zero, pointsReverted = :zero, revertStartedAt = :now")
                    .conditionExpression("#status = :open")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":reverting", s(ImportStore.REVERTING), ":open", s(ImportStore.OPEN),
                            ":zero", n(0), ":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException e) {
            // missing, or reverting / reverted already: the status as it is
        }
        return ImportItems.get(ddb, table, tenant, programId, importId, 0);
    }

    static List<RowMarker> rowsAfter(DynamoDbClient ddb, String table, String tenant, String programId, String importId,
                                     long afterRow, int limit) {
        String pk = ImportItems.partition(tenant, programId, importId);
        var q = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":from", s(ImportItems.row(afterRow + 1)),
                        ":to", s(ImportItems.row(9_999_999_999L))))
                .projectionExpression("#row, customerId, points, #restore, restoredAt").expressionAttributeNames(Map.of("#row", "row", "#restore", "restore"))
                .limit(limit).consistentRead(true));
        List<RowMarker> out = new ArrayList<>();
        for (Map<String, AttributeValue> m : q.items()) {
            out.add(new RowMarker(Av.num(m, "row"), Av.str(m, "customerId"), Av.num(m, "points"),
                    m.containsKey("restore") ? Av.num(m, "restore") : null, m.containsKey("restoredAt")));
        }
        return out;
    }

    static boolean cursor(DynamoDbClient ddb, String table, String tenant, String programId, String importId, long from, long to) {
        return step(ddb, table, tenant, programId, importId, "SET revertCursor = :to", from,
                Map.of(":to", n(to)));
    }

    static boolean finished(DynamoDbClient ddb, String table, String tenant, String programId, String importId, long cursor,
                            Instant now) {
        return step(ddb, table, tenant, programId, importId, "SET #status = :reverted, revertFinishedAt = :now", cursor,
                Map.of(":reverted", s(ImportStore.REVERTED), ":now", s(now.toString())));
    }

    private static boolean step(DynamoDbClient ddb, String table, String tenant, String programId, String importId,
                                String update, long from, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> v = new java.util.HashMap<>(values);
        v.put(":reverting", s(ImportStore.REVERTING));
        v.put(":from", n(from));
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(ImportItems.partition(tenant, programId, importId), ImportItems.IMPORT))
                    .updateExpression(update).conditionExpression("#status = :reverting AND revertCursor = :from")
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(v));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** One member's revert in one transaction ({@link ImportStore#revertMember}). */
    static Commit member(DynamoDbClient ddb, String table, RevertWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        Writes.spend(tx, cpk, c, w.after(), w.takes(), w.entry(), w.programVersion(), w.now());
        tx.update(Tx.Role.IMPORT, "revert", Av.key(ImportItems.partition(w.tenant(), w.programId(), w.importId()), ImportItems.IMPORT),
                "ADD pointsReverted :p", "#status = :reverting", Map.of("#status", "status"),
                Map.of(":p", n(-w.entry().points()), ":reverting", s(ImportStore.REVERTING)));
        return tx.commit(ddb, f -> f.role() == Tx.Role.IMPORT
                ? new Refusal(Refusal.Code.INVALID_REQUEST, "the import is not reverting", Map.of("code", "not_reverting"))
                : null);
    }

    /** Giving back what a lowering row took, in one transaction ({@link ImportStore#restoreRow}). */
    static Commit restore(DynamoDbClient ddb, String table, ImportStore.RestoreWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        String pk = ImportItems.partition(w.tenant(), w.programId(), w.importId());
        Tx tx = new Tx(table);
        ProfileChange u = ProfileChange.optimistic(cpk, w.after(), w.now());
        if (w.lot() != null) {
            u.add(w.lot());
        }
        u.write(tx, cpk, c.customerId(), c.seq(), w.after().notifications());
        Writes.notifications(tx, cpk, c.customerId(), w.after().notifications());
        Writes.ledgerEntry(tx, cpk, c.customerId(), w.entry(), w.programVersion(), c.seq() + 1);
        Writes.debts(tx, cpk, c.customerId(), w.after(), c.seq() + 1);
        tx.update(Tx.Role.IMPORT_ROW, String.valueOf(w.row()), Av.key(pk, ImportItems.row(w.row())), "SET restoredAt = :now",
                "attribute_exists(pk) AND attribute_not_exists(restoredAt)", null, Map.of(":now", s(w.now().toString())));
        tx.update(Tx.Role.IMPORT, "restore", Av.key(pk, ImportItems.IMPORT), "ADD pointsRestored :p", "#status = :reverting",
                Map.of("#status", "status"), Map.of(":p", n(w.entry().points()), ":reverting", s(ImportStore.REVERTING)));
        return tx.commit(ddb, f -> switch (f.role()) {
            case IMPORT_ROW -> new Refusal(Refusal.Code.INVALID_REQUEST, "row " + w.row() + " was given back already",
                    Map.of("code", "restored"));
            case IMPORT -> new Refusal(Refusal.Code.INVALID_REQUEST, "the import is not reverting", Map.of("code", "not_reverting"));
            default -> null;
        });
    }
}
