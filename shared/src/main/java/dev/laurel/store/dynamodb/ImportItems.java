package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Refusal;
import dev.laurel.store.Commit;
import dev.laurel.store.ImportStore.ImportDef;
import dev.laurel.store.ImportStore.ImportStatus;
import dev.laurel.store.ImportStore.RowError;
import dev.laurel.store.ImportStore.RevertWrite;
import dev.laurel.store.ImportStore.RowMarker;
import dev.laurel.store.ImportStore.RowWrite;
import dev.laurel.store.ImportStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * An import's items, in a partition of its own ({@code T#t#P#p#IMPORT#id}):
 * <pre>
 * IMPORT        the definition, status and counters (rows, imported, failed, pointsImported)
 * ROW#%010d     a row's marker: written with attribute_not_exists in the row's own transaction
 *               (customerId, points, entryId), so a row takes effect at most once
 * ERR#%010d     a failed row's error (column, code, message): GET reads the first 100 in row order
 *               (a revert walks the ROW# markers in pages: {@link ImportReverts})
 * </pre>
 * A referral code is kept unique in its program by {@code T#t#P#p#REF#code} / {@code REF}
 * (customerId), put in the row's transaction on condition that it is free or the member's own.
 * The counters change in each row's transaction, so they are exact whatever fails between rows.
 */
final class ImportItems implements ImportStore {
    static final String IMPORT = "IMPORT";

    private final DynamoDbClient ddb;
    private final String table;

    ImportItems(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    @Override
    public ImportDef createImport(String tenant, String programId, ImportDef def) {
        return Outages.guard(() -> create(ddb, table, tenant, programId, def));
    }

    @Override
    public Optional<ImportStatus> importStatus(String tenant, String programId, String importId, int maxErrors) {
        return Outages.guard(() -> get(ddb, table, tenant, programId, importId, maxErrors));
    }

    @Override
    public Commit importRow(RowWrite w) {
        return Outages.guard(() -> row(ddb, table, w));
    }

    @Override
    public Commit importRowFailed(String tenant, String programId, String importId, RowError error, Instant now) {
        return Outages.guard(() -> failed(ddb, table, tenant, programId, importId, error, now));
    }

    @Override
    public boolean importComplete(String tenant, String programId, String importId, Instant now) {
        return Outages.guard(() -> ImportReverts.complete(ddb, table, tenant, programId, importId, now));
    }

    @Override
    public Optional<ImportStatus> startRevert(String tenant, String programId, String importId, Instant now) {
        return Outages.guard(() -> ImportReverts.start(ddb, table, tenant, programId, importId, now));
    }

    @Override
    public List<RowMarker> rowsAfter(String tenant, String programId, String importId, long afterRow, int limit) {
        return Outages.guard(() -> ImportReverts.rowsAfter(ddb, table, tenant, programId, importId, afterRow, limit));
    }

    @Override
    public boolean revertCursor(String tenant, String programId, String importId, long from, long to) {
        return Outages.guard(() -> ImportReverts.cursor(ddb, table, tenant, programId, importId, from, to));
    }

    @Override
    public boolean revertFinished(String tenant, String programId, String importId, long cursor, Instant now) {
        return Outages.guard(() -> ImportReverts.finished(ddb, table, tenant, programId, importId, cursor, now));
    }

    @Override
    public Commit revertMember(RevertWrite w) {
        return Outages.guard(() -> ImportReverts.member(ddb, table, w));
    }

    @Override
    public Commit restoreRow(ImportStore.RestoreWrite w) {
        return Outages.guard(() -> ImportReverts.restore(ddb, table, w));
    }

    static String partition(String tenant, String programId, String importId) {
        return Keys.program(tenant, programId) + "#IMPORT#" + importId;
    }

    static String referralCode(String tenant, String programId, String code) {
        return Keys.program(tenant, programId) + "#REF#" + code;
    }

    static String row(long row) {
        return String.format("ROW#%010d", row);
    }

    static String error(long row) {
        return String.format("ERR#%010d", row);
    }

    static ImportDef create(DynamoDbClient ddb, String table, String tenant, String programId, ImportDef d) {
        Map<String, AttributeValue> item = Av.key(partition(tenant, programId, d.importId()), IMPORT);
        item.put("importId", s(d.importId()));
        item.put("fingerprint", s(d.fingerprint()));
        item.put("dryRun", Av.bool(d.dryRun()));
        item.put("mode", s(d.mode()));
        Writes.putIf(item, "ruleId", d.ruleId());
        item.put("createdAt", s(d.createdAt().toString()));
        item.put("status", s(ImportStore.OPEN));
        for (String c : List.of("rows", "imported", "failed", "pointsImported")) {
            item.put(c, n(0));
        }
        try {
            ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return d;
        } catch (ConditionalCheckFailedException e) {
            return get(ddb, table, tenant, programId, d.importId(), 0).orElseThrow().def();
        }
    }

    static Optional<ImportStatus> get(DynamoDbClient ddb, String table, String tenant, String programId, String importId,
                                      int maxErrors) {
        String pk = partition(tenant, programId, importId);
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(Av.key(pk, IMPORT)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        List<RowError> errors = new ArrayList<>();
        if (maxErrors > 0) {
            QueryResponse q = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":e", s("ERR#"))).limit(maxErrors).consistentRead(true));
            for (Map<String, AttributeValue> e : q.items()) {
                errors.add(new RowError(Av.num(e, "row"), Av.str(e, "column"), Av.str(e, "code"), Av.str(e, "message")));
            }
        }
        ImportDef def = new ImportDef(importId, Av.str(item, "fingerprint"), item.get("dryRun").bool(), Av.str(item, "mode"),
                Av.str(item, "ruleId"), Instant.parse(Av.str(item, "createdAt")));
        String started = Av.str(item, "revertStartedAt");
        String finished = Av.str(item, "revertFinishedAt");
        ImportStore.Revert revert = started == null ? null : new ImportStore.Revert(Av.num(item, "revertCursor"),
                Av.num(item, "pointsReverted"), item.containsKey("pointsRestored") ? Av.num(item, "pointsRestored") : 0,
                Instant.parse(started), finished == null ? null : Instant.parse(finished));
        return Optional.of(new ImportStatus(def, Av.str(item, "status"), Av.num(item, "rows"), Av.num(item, "imported"),
                Av.num(item, "failed"), Av.num(item, "pointsImported"), errors, revert,
                item.containsKey("completedAt") ? Instant.parse(Av.str(item, "completedAt")) : null));
    }

    /** A row's effect, its marker and the counters in one transaction ({@link ImportStore#importRow}). */
    static Commit row(DynamoDbClient ddb, String table, RowWrite w) {
        Tx tx = w.earn() == null ? new Tx(table) : EarnTx.build(table, w.earn());
        String pk = partition(w.tenant(), w.programId(), w.importId());
        Map<String, AttributeValue> marker = Av.key(pk, row(w.row()));
        marker.put("row", n(w.row()));
        marker.put("customerId", s(w.customerId()));
        marker.put("points", n(w.points()));
        Writes.putIf(marker, "entryId", w.entryId());
        if (w.points() < 0 && w.earn() != null) {
            marker.put("restore", n(w.restore()));
        }
        marker.put("at", s(w.now().toString()));
        tx.put(Tx.Role.IMPORT_ROW, String.valueOf(w.row()), marker, "attribute_not_exists(pk)", null, null);
        if (w.referralCode() != null && w.earn() != null) {
            Map<String, AttributeValue> code = Av.key(referralCode(w.tenant(), w.programId(), w.referralCode()), "REF");
            code.put("customerId", s(w.customerId()));
            code.put("code", s(w.referralCode()));
            tx.put(Tx.Role.REFERRAL_CODE, w.referralCode(), code, "attribute_not_exists(pk) OR customerId = :c", null,
                    Map.of(":c", s(w.customerId())));
        }
        counters(tx, pk, 1, 0, w.points());
        return outcome(tx.run(ddb, null));
    }

    static Commit failed(DynamoDbClient ddb, String table, String tenant, String programId, String importId, RowError e,
                         Instant now) {
        String pk = partition(tenant, programId, importId);
        Tx tx = new Tx(table);
        Map<String, AttributeValue> marker = Av.key(pk, row(e.row()));
        marker.put("row", n(e.row()));
        marker.put("failed", Av.bool(true));
        marker.put("at", s(now.toString()));
        tx.put(Tx.Role.IMPORT_ROW, String.valueOf(e.row()), marker, "attribute_not_exists(pk)", null, null);
        Map<String, AttributeValue> err = Av.key(pk, error(e.row()));
        err.put("row", n(e.row()));
        Writes.putIf(err, "column", e.column());
        err.put("code", s(e.code()));
        err.put("message", s(e.message()));
        tx.put(Tx.Role.IMPORT_ROW, String.valueOf(e.row()), err, "attribute_not_exists(pk)", null, null);
        counters(tx, pk, 0, 1, 0);
        return outcome(tx.run(ddb, null));
    }

    private static void counters(Tx tx, String pk, long imported, long failed, long points) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":one", n(1));
        v.put(":i", n(imported));
        v.put(":f", n(failed));
        v.put(":p", n(points));
        v.put(":open", s(ImportStore.OPEN));
        tx.update(Tx.Role.IMPORT, "counters", Av.key(pk, IMPORT), "ADD #rows :one, imported :i, failed :f, pointsImported :p",
                "#status = :open", Map.of("#rows", "rows", "#status", "status"), v);
    }

    private static Commit outcome(Tx.Failure f) {
        if (f != null && !f.conflict() && f.role() == Tx.Role.IMPORT_ROW) {
            return new Commit.Replay(null, 0, null); // the row was applied or failed before: skipped
        }
        return Tx.outcome(f, x -> switch (x.role()) {
            case REFERRAL_CODE -> new Refusal(Refusal.Code.INVALID_REQUEST, "referral code " + x.label()
                    + " belongs to another member", Map.of("code", "referral_code_taken"));
            case IMPORT -> new Refusal(Refusal.Code.INVALID_REQUEST, "the import is no longer open",
                    Map.of("code", "not_open"));
            default -> null;
        });
    }
}
