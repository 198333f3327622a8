package dev.laurel.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One {@code TransactWriteItems} under construction. Each item carries a role, so that a
 * cancellation can be mapped, item by item, to what it means for the API.
 */
final class Tx {
    /** DynamoDB's limit on items in one transaction. */
    static final int MAX_ITEMS = 100;

    enum Role { IDEMPOTENCY, PROFILE, LEDGER, ORDER, RULE_BUDGET, REWARD_BUDGET, STACK, REDEMPTION, NOTIFICATION, DEAD_LETTER }

    /** The first item whose condition failed, with its old image, or a conflict with another transaction. */
    record Failure(Role role, String label, Map<String, AttributeValue> old, boolean conflict) {
    }

    private final String table;
    private final List<TransactWriteItem> items = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();

    Tx(String table) {
        this.table = table;
    }

    int size() {
        return items.size();
    }

    Tx put(Role role, String label, Map<String, AttributeValue> item, String condition,
           Map<String, String> names, Map<String, AttributeValue> values) {
        Put.Builder b = Put.builder().tableName(table).item(item)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        names = Expr.names(names);
        if (condition != null) {
            b.conditionExpression(Expr.alias(condition, names));
        }
        if (names != null && !names.isEmpty()) {
            b.expressionAttributeNames(names);
        }
        if (values != null && !values.isEmpty()) {
            b.expressionAttributeValues(values);
        }
        return add(role, label, TransactWriteItem.builder().put(b.build()).build());
    }

    Tx update(Role role, String label, Map<String, AttributeValue> key, String update, String condition,
              Map<String, String> names, Map<String, AttributeValue> values) {
        names = Expr.names(names);
        Update.Builder b = Update.builder().tableName(table).key(key).updateExpression(Expr.alias(update, names))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (condition != null) {
            b.conditionExpression(Expr.alias(condition, names));
        }
        if (names != null && !names.isEmpty()) {
            b.expressionAttributeNames(names);
        }
        if (values != null && !values.isEmpty()) {
            b.expressionAttributeValues(values);
        }
        return add(role, label, TransactWriteItem.builder().update(b.build()).build());
    }

    Tx delete(Role role, String label, Map<String, AttributeValue> key, String condition,
              Map<String, AttributeValue> values) {
        Map<String, String> names = Expr.names(null);
        Delete.Builder b = Delete.builder().tableName(table).key(key).conditionExpression(Expr.alias(condition, names))
                .expressionAttributeNames(names)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (values != null && !values.isEmpty()) {
            b.expressionAttributeValues(values);
        }
        return add(role, label, TransactWriteItem.builder().delete(b.build()).build());
    }

    private Tx add(Role role, String label, TransactWriteItem item) {
        items.add(item);
        roles.add(role);
        labels.add(label);
        return this;
    }

    /**
     * Runs the transaction. Returns null when it committed, else the failure that matters most:
     * an idempotency hit first (a replay explains every other failure), then any other failed
     * condition, then a conflict.
     */
    Failure run(DynamoDbClient ddb, String clientToken) {
        if (items.size() > MAX_ITEMS) {
            throw new dev.laurel.domain.ApiException(dev.laurel.domain.ErrorCode.INVALID_REQUEST,
                    "this operation would touch " + items.size() + " items, more than one transaction can hold");
        }
        try {
            TransactWriteItemsRequest.Builder req = TransactWriteItemsRequest.builder().transactItems(items);
            if (clientToken != null) {
                req.clientRequestToken(clientToken);
            }
            ddb.transactWriteItems(req.build());
            return null;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            Failure conflict = null;
            Failure condition = null;
            for (int i = 0; i < reasons.size() && i < items.size(); i++) {
                CancellationReason r = reasons.get(i);
                String code = r.code();
                if ("ConditionalCheckFailed".equals(code)) {
                    Failure f = new Failure(roles.get(i), labels.get(i), r.hasItem() ? r.item() : Map.of(), false);
                    if (roles.get(i) == Role.IDEMPOTENCY) {
                        return f;
                    }
                    if (condition == null) {
                        condition = f;
                    }
                } else if (code != null && !"None".equals(code) && conflict == null) {
                    conflict = new Failure(roles.get(i), labels.get(i), Map.of(), true);
                }
            }
            if (condition != null) {
                return condition;
            }
            return conflict != null ? conflict : new Failure(null, null, Map.of(), true);
        }
    }
}
