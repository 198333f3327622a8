package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** A program definition's save: one conditional UpdateItem that bumps its version (moved out of {@link DynamoStore}). */
final class ProgramWrite {
    private ProgramWrite() {
    }

    /** Creates or replaces a program definition, conditional on {@code ifMatch} when given; empty when that version is stale. */
    static OptionalLong save(DynamoDbClient ddb, String table, String tenant, String programId, String definition, Long ifMatch,
                             Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":d", s(definition));
        values.put(":now", s(now.toString()));
        values.put(":one", n(1));
        String condition = null;
        if (ifMatch != null) {
            values.put(":v", n(ifMatch));
            condition = "version = :v";
        }
        Map<String, String> names = Expr.names(null);
        String update = Expr.alias("SET definition = :d, updatedAt = :now, createdAt = if_not_exists(createdAt, :now) ADD version :one", names);
        String cond = Expr.alias(condition, names);
        try {
            UpdateItemResponse r = ddb.updateItem(b -> b.tableName(table)
                    .key(Av.key(Keys.program(tenant, programId), Keys.DEF))
                    .updateExpression(update)
                    .conditionExpression(cond)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW));
            return OptionalLong.of(num(r.attributes(), "version"));
        } catch (ConditionalCheckFailedException e) {
            return OptionalLong.empty();
        }
    }
}
