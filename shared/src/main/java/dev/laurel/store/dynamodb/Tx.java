package dev.laurel.store.dynamodb;

import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.retry.Backoff;
import dev.laurel.store.Commit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * One {@code TransactWriteItems} under construction. Each item carries a role, so that a
 * cancellation can be mapped, item by item, to what it means for the API.
 *
 * <p>{@link #run} sends it with a {@code ClientRequestToken} of its own, the same on every send
 * of this transaction: DynamoDB answers a repeat of an identical request with that token (for 10
 * minutes) with the first outcome instead of applying it again, so sending again after a lost
 * answer is exact. The SDK's own retries reuse the token too.
 */
final class Tx {
    /** DynamoDB's limit on items in one transaction. */
    static final int MAX_ITEMS = 100;

    /** Cancellation reasons that no later attempt can overcome. */
    private static final java.util.Set<String> PERMANENT = java.util.Set.of("ValidationError", "ItemCollectionSizeLimitExceeded");

    enum Role { IDEMPOTENCY, PROFILE, LEDGER, ORDER, RULE_BUDGET, REWARD_BUDGET, STACK, REDEMPTION, CODE, NOTIFICATION, DEAD_LETTER, IMPORT_ROW, IMPORT,
        REFERRAL_CODE, REFERRER, CONSENT_TOKEN,
        API_KEY, API_KEY_COUNT }

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

    /** How many items of {@code role} this transaction holds so far. */
    int count(Role role) {
        return (int) roles.stream().filter(r -> r == role).count();
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
     *
     * <p>When a send ends without a definite outcome (the SDK gave up on throttling, a timeout or
     * a lost connection, a 5xx), the identical request is sent again with the same token after a
     * jittered pause, at most {@link Backoff#MAX_SENDS} times in all. Throttled every time, it
     * answers 503 {@code unavailable}, having changed nothing. If a send may have reached
     * DynamoDB and no later send settled it, the last error is thrown: the caller is told it
     * failed, never that it succeeded, and (per DynamoDB's token semantics) nothing was applied
     * twice.
     *
     * @throws dev.laurel.domain.Refused 400 when the transaction would hold more than
     *                                        {@link #MAX_ITEMS} items; 503 when throttled on every send
     * @throws SdkException when the outcome could not be learnt
     */
    Failure run(DynamoDbClient ddb, String clientToken) {
        if (items.size() > MAX_ITEMS) {
            throw new Refused(Refusal.Code.INVALID_REQUEST,
                    "this operation would touch " + items.size() + " items, more than one transaction can hold");
        }
        TransactWriteItemsRequest req = TransactWriteItemsRequest.builder().transactItems(items)
                .clientRequestToken(clientToken != null ? clientToken : UUID.randomUUID().toString()).build();
        boolean uncertain = false;
        for (int send = 1; ; send++) {
            try {
                ddb.transactWriteItems(req);
                return null;
            } catch (TransactionCanceledException e) {
                // definite: with the token, a cancellation also means no earlier send took effect
                return failure(e);
            } catch (IdempotentParameterMismatchException e) {
                throw new IllegalStateException("client request token " + req.clientRequestToken()
                        + " was used for another transaction", e);
            } catch (SdkException e) {
                Outcome outcome = outcome(e);
                if (outcome == Outcome.FAILED) {
                    throw e;
                }
                uncertain |= outcome == Outcome.UNKNOWN;
                if (send >= Backoff.MAX_SENDS) {
                    if (!uncertain) {
                        throw new Refused(Refusal.unavailable("the database is throttling writes"));
                    }
                    throw e;
                }
                Backoff.SENDS.sleep(send);
            }
        }
    }

    /**
     * Runs the transaction and says how it ended, the one mapping of cancellations for every
     * write: a conflict with another transaction, or a changed item read before, is
     * {@link Commit.Retry} (decide again); a used idempotency key is {@link Commit.Replay} of the
     * first answer; a failed condition that {@code refusals} names (a budget, a stacking slot, an
     * already rolled back redemption) is {@link Commit.Refused}.
     */
    Commit commit(DynamoDbClient ddb, Function<Failure, Refusal> refusals) {
        return outcome(run(ddb, null), refusals);
    }

    /** {@link #commit}'s mapping of a run's failure (null: committed). */
    static Commit outcome(Failure f, Function<Failure, Refusal> refusals) {
        if (f == null) {
            return Commit.DONE;
        }
        if (f.conflict()) {
            return new Commit.Retry(f.role() + " " + f.label() + " conflict");
        }
        if (f.role() == Role.IDEMPOTENCY) {
            Map<String, AttributeValue> old = f.old();
            return new Commit.Replay(Av.str(old, "requestHash"), (int) Av.num(old, "status"), Av.str(old, "body"));
        }
        Refusal refusal = refusals == null ? null : refusals.apply(f);
        return refusal != null ? new Commit.Refused(refusal) : new Commit.Retry(f.role() + " " + f.label() + " changed");
    }

    /** What an exception says about a send: throttled (not applied), unknown (maybe applied), or failed for good. */
    enum Outcome { THROTTLED, UNKNOWN, FAILED }

    static Outcome outcome(SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            if ("TransactionInProgressException".equals(code) || s.statusCode() >= 500) {
                return Outcome.UNKNOWN; // an earlier send with this token is still running, or the service failed midway
            }
            return s.isThrottlingException() ? Outcome.THROTTLED : Outcome.FAILED;
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return Outcome.UNKNOWN;
        }
        if (e instanceof SdkClientException) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IOException || t instanceof UncheckedIOException) {
                    return Outcome.UNKNOWN; // sent or not: the answer never arrived
                }
            }
        }
        return Outcome.FAILED;
    }

    private Failure failure(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        Failure conflict = null;
        Failure condition = null;
        String permanent = null;
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
            } else if (PERMANENT.contains(code) && permanent == null) {
                permanent = roles.get(i) + " " + labels.get(i) + ": " + code + " (" + r.message() + ")";
            } else if (code != null && !"None".equals(code) && conflict == null) {
                conflict = new Failure(roles.get(i), labels.get(i), Map.of(), true);
            }
        }
        if (permanent != null) {
            // deciding again cannot help (an item over 400 KB, a value DynamoDB cannot hold): a bug, not contention
            throw new IllegalStateException("DynamoDB refused the transaction for good: " + permanent);
        }
        if (condition != null) {
            return condition;
        }
        return conflict != null ? conflict : new Failure(null, null, Map.of(), true);
    }
}
