package dev.laurel.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Every item of one tenant in a test table (all keys of a tenant start with {@code T#<tenant>#}),
 * read with a consistent Scan on the clean client of {@link LocalDynamo}, keyed by
 * {@code pk | sk}, full item maps; and the difference of two such snapshots. Used to prove that a
 * request wrote nothing.
 */
public final class TableSnapshot {
    /** How much of one item or attribute value a {@link #diff} line shows (items may be 400 KB). */
    static final int SHOWN = 400;

    private TableSnapshot() {
    }

    /** The tenant's items in the shared test table {@link LocalDynamo#TABLE}. */
    public static Map<String, Map<String, AttributeValue>> of(String tenant) {
        return of(LocalDynamo.TABLE, tenant);
    }

    /** The tenant's items in {@code table}. */
    public static Map<String, Map<String, AttributeValue>> of(String table, String tenant) {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse r = LocalDynamo.get().client().scan(ScanRequest.builder()
                    .tableName(table)
                    .filterExpression("begins_with(pk, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("T#" + tenant + "#")))
                    .consistentRead(true)
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : r.items()) {
                out.put(item.get("pk").s() + " | " + item.get("sk").s(), Map.copyOf(item));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /**
     * What changed between two snapshots, one line per item; empty when they are equal. Items and
     * values are shown up to {@value #SHOWN} characters each.
     */
    public static String diff(Map<String, Map<String, AttributeValue>> before, Map<String, Map<String, AttributeValue>> after) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            Map<String, AttributeValue> b = before.get(k);
            Map<String, AttributeValue> a = after.get(k);
            if (b == null) {
                lines.add("+ added   " + k + " " + shown(a));
            } else if (a == null) {
                lines.add("- removed " + k);
            } else if (!Objects.equals(a, b)) {
                TreeSet<String> attrs = new TreeSet<>(b.keySet());
                attrs.addAll(a.keySet());
                StringBuilder s = new StringBuilder("~ changed " + k + ":");
                for (String attr : attrs) {
                    if (!Objects.equals(b.get(attr), a.get(attr))) {
                        s.append(" ").append(attr).append(" ").append(shown(b.get(attr))).append(" -> ").append(shown(a.get(attr)))
                                .append(";");
                    }
                }
                lines.add(s.toString());
            }
        }
        return String.join("\n", lines);
    }

    private static String shown(Object value) {
        String s = String.valueOf(value);
        return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "…(" + s.length() + " chars)";
    }
}
