package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The one-off backfill of the {@code lists} index ({@link Index#LISTS}) for profiles stored
 * before it existed: one Scan of the whole table (the only scan in Laurel, run once by an
 * operator, never by a request) for profiles without {@code listKey}, and for each an UpdateItem
 * that sets the two keys, conditional on the profile existing and still lacking them. It leaves
 * {@code seq} alone, so a member's concurrent write is neither refused nor changed (it sets the
 * same keys with {@code if_not_exists} anyway). Running it twice changes nothing the second time.
 */
public final class MemberIndexBackfill {
    private MemberIndexBackfill() {
    }

    /** Keys every unkeyed profile of {@code table}; reports each one keyed to {@code keyed}; answers how many. */
    public static long run(DynamoDbClient ddb, String table, LongConsumer keyed) {
        Map<String, String> names = new HashMap<>();
        String filter = Expr.alias("sk = :p AND attribute_not_exists(" + Index.LIST_KEY + ")", names);
        String projection = Expr.alias("pk", names);
        Map<String, AttributeValue> start = null;
        long done = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r = ddb.scan(b -> b.tableName(table).filterExpression(filter).projectionExpression(projection)
                    .expressionAttributeNames(names).expressionAttributeValues(Map.of(":p", s(Keys.PROFILE)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                if (key(ddb, table, str(item, "pk"))) {
                    keyed.accept(++done);
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return done;
    }

    private static boolean key(DynamoDbClient ddb, String table, String pk) {
        String[] ids = Keys.parseCustomer(pk);
        if (ids == null) {
            return false;
        }
        Map<String, String> names = new HashMap<>();
        String update = Expr.alias("SET " + Index.LIST_KEY + " = :o, " + Index.LIST_SORT + " = :c", names);
        String condition = Expr.alias("attribute_exists(pk) AND attribute_not_exists(" + Index.LIST_KEY + ")", names);
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(pk, Keys.PROFILE)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":o", s(Keys.program(ids[0], ids[1])), ":c", s(ids[2]))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // keyed meanwhile by the member's own write
        }
    }
}
