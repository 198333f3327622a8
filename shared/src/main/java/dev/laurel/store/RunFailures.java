package dev.laurel.store;

import static dev.laurel.store.Av.n;
import static dev.laurel.store.Av.num;
import static dev.laurel.store.Av.s;
import static dev.laurel.store.DynamoStore.key;

import dev.laurel.store.Records.ItemKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * What a scheduled run does with an item it failed on, so that one bad item never stops a run
 * and is never retried forever: each failure is counted on the customer's profile and recorded
 * as a dead letter of its tenant (as undeliverable reminders are); at the {@link #MAX}th failure
 * in a row the profile leaves the run's index (a later write of the customer puts it back, with
 * its count reset by the next successful run). An unreadable notification leaves the index at once.
 */
public final class RunFailures {
    /** Failed runs in a row before a customer leaves the run's index. */
    public static final int MAX = 3;
    public static final String EXPIRY_FAILED = "expiry_failed";
    public static final String REMINDERS_FAILED = "reminders_failed";
    static final String EXPIRY_COUNTER = "expiryFailures";
    static final String REMIND_COUNTER = "remindFailures";

    private final DynamoDbClient ddb;
    private final String table;

    RunFailures(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /**
     * True when the failure is the store's, not the item's (DynamoDB unreachable, throttling past
     * the SDK's retries, a 5xx): the run stops, what is due stays due, the scheduler retries it.
     */
    public static boolean outage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException) {
                return true;
            }
            if (t instanceof AwsServiceException a && (a.isThrottlingException() || a.statusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records that the run over {@code index} ({@link Index#DUE} or {@link Index#REMIND}) up to
     * {@code upTo} failed for the customer of {@code k}; returns the failures in a row (0 when the
     * profile no longer exists).
     */
    public long customer(String index, ItemKey k, Instant upTo, Instant now, String error) {
        boolean due = Index.DUE.equals(index);
        String counter = due ? EXPIRY_COUNTER : REMIND_COUNTER;
        long attempts;
        try {
            var r = ddb.updateItem(b -> b.tableName(table).key(key(k.pk(), Keys.PROFILE))
                    .updateExpression("ADD #c :one").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#c", counter)).expressionAttributeValues(Map.of(":one", n(1)))
                    .returnValues(ReturnValue.UPDATED_NEW));
            attempts = num(r.attributes(), counter);
        } catch (ConditionalCheckFailedException e) {
            return 0; // the profile is gone: nothing of it is due
        }
        boolean giveUp = attempts >= MAX;
        String outcome = giveUp
                ? "given up after " + attempts + " failed runs: it left the " + index + " index until the customer's next write"
                : "the next run tries again (failure " + attempts + " of " + MAX + ")";
        String type = due ? EXPIRY_FAILED : REMINDERS_FAILED;
        ddb.putItem(b -> b.tableName(table).item(deadLetter(k, (due ? "expiry:" : "reminders:") + upTo, type, attempts,
                error + "; " + outcome, now)));
        if (giveUp) {
            String shard = due ? Index.DUE_SHARD : Index.REMIND_SHARD;
            String at = due ? Index.DUE_AT : Index.REMIND_AT;
            try {
                ddb.updateItem(b -> b.tableName(table).key(key(k.pk(), Keys.PROFILE))
                        .updateExpression("REMOVE #s, #a, #c").conditionExpression("#c >= :max")
                        .expressionAttributeNames(Map.of("#s", shard, "#a", at, "#c", counter))
                        .expressionAttributeValues(Map.of(":max", n(MAX))));
            } catch (ConditionalCheckFailedException e) {
                // a run succeeded for the customer meanwhile (and reset the count): it stays
            }
        }
        return attempts;
    }

    /** A notification the reminders run cannot read: it leaves the index as {@code dead}, with a dead letter. */
    public void notification(ItemKey k, Instant now, String error) {
        Map<String, String> names = new HashMap<>(Map.of("#st", "status", "#s", Index.REMIND_SHARD, "#a", Index.REMIND_AT));
        ddb.updateItem(b -> b.tableName(table).key(key(k.pk(), k.sk()))
                .updateExpression("SET #st = :dead, deadAt = :now, lastError = :e REMOVE #s, #a")
                .conditionExpression("attribute_exists(pk)").expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":dead", s(Records.StoredNotification.DEAD), ":now", s(now.toString()),
                        ":e", s(truncate(error)))));
        String id = k.sk().startsWith(Keys.NOTIFICATION_PREFIX) ? k.sk().substring(Keys.NOTIFICATION_PREFIX.length()) : k.sk();
        ddb.putItem(b -> b.tableName(table).item(deadLetter(k, id, REMINDERS_FAILED, 0, "unreadable: " + error, now)));
    }

    /** A dead letter in its tenant's list (as {@link ScheduledStore#deadLetters} reads them). */
    static Map<String, AttributeValue> deadLetter(ItemKey k, String id, String type, long attempts, String error, Instant now) {
        Map<String, AttributeValue> item = key(Keys.deadLetters(k.tenant()),
                now.toString() + "#" + k.programId() + "#" + k.customerId() + "#" + id);
        item.put("programId", s(k.programId()));
        item.put("customerId", s(k.customerId()));
        item.put("id", s(id));
        item.put("type", s(type));
        item.put("attempts", n(attempts));
        item.put("error", s(truncate(error)));
        item.put("at", s(now.toString()));
        return item;
    }

    static String truncate(String s) {
        String v = s == null ? "unknown error" : s;
        return v.length() > 1000 ? v.substring(0, 1000) : v;
    }
}
