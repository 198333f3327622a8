package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;
import static dev.laurel.store.dynamodb.Av.key;

import dev.laurel.store.Records;
import dev.laurel.store.Records.Cursor;
import dev.laurel.store.Records.DeadLetter;
import dev.laurel.store.Records.DuePage;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.Records.Items;
import dev.laurel.store.RunStore;
import dev.laurel.store.Usage;
import dev.laurel.store.Records.StoredNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The store side of the scheduled functions: queries of the sparse {@code due} and {@code remind}
 * indexes ({@link Index}), the profiles and notifications they point to, and the writes of
 * notification delivery (expiry and reminders are {@link ExpireTx} and {@link RemindTx}). Every
 * read reports its consumed capacity into a {@link Usage}, so a run can say what it cost.
 */
public final class ScheduledStore {
    /** Adds what one read request consumed to a run's usage. */
    static void add(Usage usage, ConsumedCapacity c) {
        usage.add(c == null ? null : c.readCapacityUnits() != null ? c.readCapacityUnits() : c.capacityUnits());
    }

    private final DynamoDbClient ddb;
    private final String table;

    public ScheduledStore(DynamoStore store) {
        Objects.requireNonNull(store, "store");
        this.ddb = store.client();
        this.table = store.table();
    }

    ScheduledStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    // ---------------------------------------------------------------- reads

    /**
     * One page of what is due at or before {@code upTo} in one shard of an index ({@link Index#DUE}
     * or {@link Index#REMIND}): keys only, soonest first.
     */
    public DuePage due(RunStore.DueIndex which, int shard, Instant upTo, Cursor from, int limit, Usage usage) {
        boolean dueIndex = which == RunStore.DueIndex.DUE;
        String index = dueIndex ? Index.DUE : Index.REMIND;
        String shardAttr = dueIndex ? Index.DUE_SHARD : Index.REMIND_SHARD;
        String atAttr = dueIndex ? Index.DUE_AT : Index.REMIND_AT;
        String shardKey = dueIndex ? Index.dueShard(shard) : Index.remindShard(shard);
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index)
                .keyConditionExpression("#s = :s AND #a <= :t")
                .expressionAttributeNames(Map.of("#s", shardAttr, "#a", atAttr))
                .expressionAttributeValues(Map.of(":s", s(shardKey), ":t", Index.at(upTo)))
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (from != null) {
            Map<String, AttributeValue> start = key(from.pk(), from.sk());
            start.put(shardAttr, s(shardKey));
            start.put(atAttr, n(from.at()));
            q.exclusiveStartKey(start);
        }
        QueryResponse r = ddb.query(q.build());
        add(usage, r.consumedCapacity());
        List<ItemKey> items = new ArrayList<>();
        for (Map<String, AttributeValue> i : r.items()) {
            ItemKey k = itemKey(str(i, "pk"), str(i, "sk"));
            if (k != null) {
                items.add(k);
            }
        }
        Cursor next = null;
        if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
            Map<String, AttributeValue> last = r.lastEvaluatedKey();
            next = new Cursor(str(last, "pk"), str(last, "sk"), num(last, atAttr));
        }
        return new DuePage(items, next);
    }

    static ItemKey itemKey(String pk, String sk) {
        String[] t = Keys.parseCustomer(pk);
        if (t == null && Keys.CODE.equals(sk)) {
            t = Keys.parseCode(pk); // a reward code that lapses ({@link CodeItems}): no customer in its key
            return t == null ? null : new ItemKey(pk, sk, t[0], t[1], null);
        }
        return t == null ? null : new ItemKey(pk, sk, t[0], t[1], t[2]);
    }

    /** The code a due reward code item's key names, or null for any other item. */
    static String code(ItemKey k) {
        String[] t = Keys.CODE.equals(k.sk()) ? Keys.parseCode(k.pk()) : null;
        return t == null ? null : t[2];
    }

    /**
     * What a page of keys points to, in one consistent BatchGetItem per 100 keys: the items and, for each notification, its customer's profile (consent and email are
     * checked when a reminder is sent, not when it was queued).
     */
    public Items read(Collection<ItemKey> keys, Usage usage) {
        Map<String, Map<String, AttributeValue>> wanted = new LinkedHashMap<>();
        for (ItemKey k : keys) {
            if (code(k) != null) {
                continue; // a reward code: the expiry run reads it itself
            }
            wanted.put(k.pk() + "|" + k.sk(), key(k.pk(), k.sk()));
            wanted.put(k.pk() + "|" + Keys.PROFILE, key(k.pk(), Keys.PROFILE));
        }
        Map<String, Records.DueProfile> profiles = new HashMap<>();
        List<StoredNotification> notifications = new ArrayList<>();
        Map<String, RuntimeException> unreadableProfiles = new HashMap<>();
        Map<ItemKey, RuntimeException> unreadableNotifications = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : batchGet(new ArrayList<>(wanted.values()), usage)) {
            String pk = str(item, "pk");
            String sk = str(item, "sk");
            ItemKey k = itemKey(pk, sk);
            if (k == null) {
                continue;
            }
            try {
                if (Keys.PROFILE.equals(sk)) {
                    profiles.put(pk, dueProfile(k, item));
                } else if (sk.startsWith(Keys.NOTIFICATION_PREFIX)) {
                    notifications.add(notification(k, item));
                }
            } catch (RuntimeException e) {
                if (Keys.PROFILE.equals(sk)) {
                    unreadableProfiles.put(pk, e);
                } else {
                    unreadableNotifications.put(k, e);
                }
            }
        }
        return new Items(profiles, notifications, unreadableProfiles, unreadableNotifications);
    }

    /** One customer's profile (a consistent GetItem), or null. */
    public Records.DueProfile profile(ItemKey k, Usage usage) {
        var r = ddb.getItem(b -> b.tableName(table).key(key(k.pk(), Keys.PROFILE)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        add(usage, r.consumedCapacity());
        return !r.hasItem() || r.item().isEmpty() ? null : dueProfile(k, r.item());
    }

    private static Records.DueProfile dueProfile(ItemKey k, Map<String, AttributeValue> item) {
        return new Records.DueProfile(Reads.customer(k.customerId(), item), instant(item, Index.DUE_AT),
                instant(item, Index.REMIND_AT));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(v.n()));
    }

    private static StoredNotification notification(ItemKey k, Map<String, AttributeValue> i) {
        String created = str(i, "createdAt");
        AttributeValue at = i.get(Index.REMIND_AT);
        return new StoredNotification(k, str(i, "id"), str(i, "type"), str(i, "payload"), str(i, "status"),
                num(i, "attempts"), created == null ? null : Instant.parse(created),
                at == null ? null : Instant.ofEpochSecond(Long.parseLong(at.n())), str(i, "lastError"));
    }

    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, Usage usage) {
        return Reads.batchGet(ddb, table, keys, usage);
    }

    /** A customer's notifications (for the local runner and tests). */
    public List<StoredNotification> notifications(String tenant, String programId, String customerId) {
        String cpk = Keys.customer(tenant, programId, customerId);
        ItemKey base = new ItemKey(cpk, null, tenant, programId, customerId);
        List<StoredNotification> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = ddb.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :n)")
                    .expressionAttributeValues(Map.of(":pk", s(cpk), ":n", s(Keys.NOTIFICATION_PREFIX)))
                    .consistentRead(true).exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> i : r.items()) {
                out.add(notification(new ItemKey(cpk, str(i, "sk"), base.tenant(), base.programId(), base.customerId()), i));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** A tenant's dead letters, newest first. */
    public List<DeadLetter> deadLetters(String tenant, int limit) {
        QueryResponse r = ddb.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(Keys.deadLetters(tenant))))
                .scanIndexForward(false).limit(limit).consistentRead(true).build());
        List<DeadLetter> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : r.items()) {
            out.add(new DeadLetter(str(i, "programId"), str(i, "customerId"), str(i, "id"), str(i, "type"), num(i, "attempts"),
                    str(i, "error"), Instant.parse(str(i, "at"))));
        }
        return out;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Claims a queued notification for sending until {@code leaseUntil}: only one run can, and a run
     * that dies while sending leaves it {@code sending}, which a later run turns into a dead letter
     * rather than a second send. Returns false when another run has it (or it is not due).
     */
    public boolean claim(StoredNotification n, Instant now, Instant leaseUntil) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(n.key().pk(), n.key().sk()))
                    .updateExpression("SET #st = :sending, #at = :lease, attempts = attempts + :one, claimedAt = :now")
                    .conditionExpression("#st = :queued AND #at <= :now")
                    .expressionAttributeNames(Map.of("#st", "status", "#at", Index.REMIND_AT))
                    .expressionAttributeValues(Map.of(":sending", s(StoredNotification.SENDING), ":queued",
                            s(StoredNotification.QUEUED), ":lease", Index.at(leaseUntil), ":one", n(1),
                            ":now", Index.at(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The claimed notification went out: it leaves the index for good. */
    public void sent(StoredNotification n, Instant now) {
        finish(n, StoredNotification.SENT, "sentAt", now, null);
    }

    /** Not sent and never will be (no consent, no channel, ...): it leaves the index with the reason. */
    public void skipped(StoredNotification n, Instant now, String reason) {
        finish(n, StoredNotification.SKIPPED, "skippedAt", now, reason);
    }

    private void finish(StoredNotification n, String status, String atName, Instant now, String reason) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":st", s(status));
        v.put(":now", s(now.toString()));
        String set = "SET #st = :st, " + atName + " = :now";
        if (reason != null) {
            set += ", reason = :reason";
            v.put(":reason", s(reason));
        }
        Map<String, String> names = new HashMap<>();
        names.put("#st", "status");
        String update = Expr.alias(set + " REMOVE " + Index.REMIND_SHARD + ", " + Index.REMIND_AT, names);
        ddb.updateItem(b -> b.tableName(table).key(key(n.key().pk(), n.key().sk())).updateExpression(update)
                .expressionAttributeNames(names).expressionAttributeValues(v));
    }

    /** A send failed and may succeed later: queued again for {@code at}. */
    public void retryLater(StoredNotification n, Instant at, String error) {
        ddb.updateItem(b -> b.tableName(table).key(key(n.key().pk(), n.key().sk()))
                .updateExpression("SET #st = :queued, #at = :at, lastError = :e")
                .expressionAttributeNames(Map.of("#st", "status", "#at", Index.REMIND_AT))
                .expressionAttributeValues(Map.of(":queued", s(StoredNotification.QUEUED), ":at", Index.at(at),
                        ":e", s(truncate(error)))));
    }

    /**
     * A notification that will not be delivered: it leaves the index as {@code dead}, and a dead
     * letter goes to its tenant's list, in one transaction (never silently dropped).
     */
    public void dead(StoredNotification n, Instant now, long attempts, String error) {
        Tx tx = new Tx(table);
        Map<String, String> names = new HashMap<>();
        names.put("#st", "status");
        tx.update(Tx.Role.NOTIFICATION, n.id(), key(n.key().pk(), n.key().sk()),
                "SET #st = :dead, deadAt = :now, lastError = :e REMOVE " + Index.REMIND_SHARD + ", " + Index.REMIND_AT,
                null, names, Map.of(":dead", s(StoredNotification.DEAD), ":now", s(now.toString()), ":e", s(truncate(error))));
        ItemKey k = n.key();
        Map<String, AttributeValue> item = key(Keys.deadLetters(k.tenant()),
                now.toString() + "#" + k.programId() + "#" + k.customerId() + "#" + n.id());
        item.put("programId", s(k.programId()));
        item.put("customerId", s(k.customerId()));
        item.put("id", s(n.id()));
        item.put("type", s(n.type()));
        item.put("attempts", n(attempts));
        item.put("error", s(truncate(error)));
        item.put("at", s(now.toString()));
        tx.put(Tx.Role.DEAD_LETTER, n.id(), item, null, null, null);
        Tx.Failure f = tx.run(ddb, null);
        if (f != null) {
            throw new IllegalStateException("could not record dead letter " + n.id() + ": " + f);
        }
    }

    private static String truncate(String s) {
        String v = s == null ? "unknown error" : s;
        return v.length() > 1000 ? v.substring(0, 1000) : v;
    }
}
