package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.store.ReportStore;
import dev.laurel.store.ReportStore.ReportRead;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The report counters ({@link Keys#report}): a day item {@code D#yyyy-MM-dd} holds the day's figures
 * under flattened names ({@code pointsIssued}, {@code rule:<id>:points}, ...) and, per stream shard,
 * {@code seq:<shard>}, the zero-padded sequence number of the last record it applied; the
 * {@code OUTSTANDING} item holds {@code outstandingPoints}, {@code seq:<shard>} and {@code at:<shard>}
 * (epoch seconds of the shard's last record, to forget shards past the stream's 24-hour retention).
 * Every add is one UpdateItem conditional on the shard's sequence being below the batch's first record.
 */
final class ReportItems {
    static final String SEQ = "seq:";
    static final String AT = "at:";
    static final String AS_OF = "asOf";
    static final String OUTSTANDING = "outstandingPoints";

    private final DynamoDbClient ddb;
    private final String table;

    ReportItems(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    static String pad(String sequence) {
        return ReportStore.padded(sequence);
    }

    String addToDay(String tenant, String programId, LocalDate day, String shard, String first, String last,
                    Map<String, Long> figures, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (var f : figures.entrySet()) {
            if (f.getValue() == 0) {
                continue;
            }
            names.put("#f" + i, f.getKey());
            values.put(":f" + i, n(f.getValue()));
            adds.add("#f" + i + " :f" + i);
            i++;
        }
        String update = "SET #seq = :last, " + AS_OF + " = :now" + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
        return conditional(Av.key(Keys.report(tenant, programId), Keys.reportDay(day)), shard, first, last, update, names, values, now, null);
    }

    String addToOutstanding(String tenant, String programId, String shard, String first, String last, long delta,
                            Instant recordAt, Instant forgetBefore, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#at", AT + shard);
        names.put("#o", OUTSTANDING);
        values.put(":at", n(recordAt.getEpochSecond()));
        values.put(":d", n(delta));
        Map<String, AttributeValue> key = Av.key(Keys.report(tenant, programId), Keys.REPORT_OUTSTANDING);
        Map<String, AttributeValue> after = new HashMap<>();
        String stored = conditional(key, shard, first, last, "SET #seq = :last, #at = :at, " + AS_OF + " = :now ADD #o :d",
                names, values, now, after);
        if (stored == null) {
            forget(key, shard, after, forgetBefore);
        }
        return stored;
    }

    private String conditional(Map<String, AttributeValue> key, String shard, String first, String last, String update,
                               Map<String, String> names, Map<String, AttributeValue> values, Instant now,
                               Map<String, AttributeValue> after) {
        names.put("#seq", SEQ + shard);
        values.put(":first", s(pad(first)));
        values.put(":last", s(pad(last)));
        values.put(":now", s(now.toString()));
        try {
            var r = ddb.updateItem(b -> b.tableName(table).key(key).updateExpression(update)
                    .conditionExpression("attribute_not_exists(#seq) OR #seq < :first")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(after == null ? ReturnValue.NONE : ReturnValue.ALL_NEW));
            if (after != null && r.attributes() != null) {
                after.putAll(r.attributes());
            }
            return null;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(key).consistentRead(true)
                    .projectionExpression("#seq").expressionAttributeNames(Map.of("#seq", SEQ + shard))).item();
            String stored = item == null ? null : Av.str(item, SEQ + shard);
            // the condition failed, so a stored sequence exists (the item is never deleted)
            return stored == null ? pad(first) : stored;
        }
    }

    /**
     * Removes the sequences of other shards whose last record is older than {@code before} (the item
     * as the add left it), each only if that shard has not written since: the item stays small.
     */
    private void forget(Map<String, AttributeValue> key, String shard, Map<String, AttributeValue> item, Instant before) {
        for (var a : item.entrySet()) {
            if (!a.getKey().startsWith(AT) || a.getKey().equals(AT + shard)) {
                continue;
            }
            long at = Long.parseLong(a.getValue().n());
            if (at >= before.getEpochSecond()) {
                continue;
            }
            String other = a.getKey().substring(AT.length());
            try {
                ddb.updateItem(b -> b.tableName(table).key(key).updateExpression("REMOVE #seq, #at")
                        .conditionExpression("#at = :at").expressionAttributeNames(Map.of("#seq", SEQ + other, "#at", AT + other))
                        .expressionAttributeValues(Map.of(":at", a.getValue())));
            } catch (ConditionalCheckFailedException e) {
                // the shard wrote again since the read: it is alive
            }
        }
    }

    ReportRead read(String tenant, String programId, LocalDate from, LocalDate to) {
        String pk = Keys.report(tenant, programId);
        Map<LocalDate, Map<String, Long>> days = new TreeMap<>();
        double units = 0;
        Instant asOf = null;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse r = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":a", s(Keys.reportDay(from)), ":b", s(Keys.reportDay(to))))
                    .exclusiveStartKey(exclusiveStart).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            units += r.consumedCapacity() == null || r.consumedCapacity().capacityUnits() == null ? 0 : r.consumedCapacity().capacityUnits();
            for (Map<String, AttributeValue> item : r.items()) {
                Map<String, Long> figures = new HashMap<>();
                for (var a : item.entrySet()) {
                    if (a.getValue().n() != null && !a.getKey().startsWith(SEQ)) {
                        figures.put(a.getKey(), Long.parseLong(a.getValue().n()));
                    }
                }
                days.put(Keys.parseReportDay(Av.str(item, "sk")), figures);
                asOf = later(asOf, Av.str(item, AS_OF));
            }
            start = r.lastEvaluatedKey() == null || r.lastEvaluatedKey().isEmpty() ? null : r.lastEvaluatedKey();
        } while (start != null);
        var g = ddb.getItem(b -> b.tableName(table).key(Av.key(pk, Keys.REPORT_OUTSTANDING))
                .projectionExpression("#o, #a").expressionAttributeNames(Map.of("#o", OUTSTANDING, "#a", AS_OF))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        units += g.consumedCapacity() == null || g.consumedCapacity().capacityUnits() == null ? 0 : g.consumedCapacity().capacityUnits();
        long outstanding = 0;
        if (g.item() != null && !g.item().isEmpty()) {
            outstanding = Av.num(g.item(), OUTSTANDING);
            asOf = later(asOf, Av.str(g.item(), AS_OF));
        }
        return new ReportRead(days, outstanding, asOf, units);
    }

    private static Instant later(Instant a, String b) {
        if (b == null) {
            return a;
        }
        Instant t = Instant.parse(b);
        return a == null || t.isAfter(a) ? t : a;
    }
}
