package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.store.WebhookStore;
import dev.laurel.store.WebhookStore.Delivery;
import dev.laurel.store.WebhookStore.DeliveryKey;
import dev.laurel.store.WebhookStore.DeliveryPage;
import dev.laurel.store.WebhookStore.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Webhooks and their deliveries on the table ({@link Keys}). A webhook is one item of its tenant's
 * {@code WEBHOOKS} partition. A delivery lives in the partition of the item its event came from
 * (the customer's), key {@code H#<webhookId>#<eventId>}; while waiting for an attempt it carries the
 * {@code remind} index's keys under shards of its own ({@code W#07}, never read by the reminders
 * run), and while failed or dead the {@code lists} index's keys ({@code listKey} = webhook and
 * status, {@code listSort} = creation instant and event id), which the listing queries. A delivered
 * delivery is removed by the table's TTL 7 days later, a dead one 30 days later ({@code deleteAt}).
 */
final class WebhookItems {
    static final String LIST = Index.LIST_KEY;
    static final String LIST_AT = Index.LIST_SORT;
    /** How long a settled delivery stays (then the table's TTL, {@code deleteAt}, removes it). */
    static final java.time.Duration KEEP_DELIVERED = java.time.Duration.ofDays(7);
    static final java.time.Duration KEEP_DEAD = java.time.Duration.ofDays(30);

    private final DynamoDbClient ddb;
    private final String table;

    WebhookItems(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    // ---------------------------------------------------------------- webhooks

    /** One UpdateItem: every field replaced, {@code createdAt} kept from the first put. */
    boolean put(String tenant, Webhook w) {
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":id", s(w.webhookId()));
        v.put(":url", s(w.url()));
        v.put(":secret", s(w.secret()));
        v.put(":events", AttributeValue.fromL(w.events().stream().map(Av::s).toList()));
        v.put(":programs", AttributeValue.fromL(w.programs().stream().map(Av::s).toList()));
        v.put(":st", s(w.status()));
        v.put(":c", s(w.createdAt().toString()));
        v.put(":u", s(w.updatedAt().toString()));
        var old = ddb.updateItem(b -> b.tableName(table).key(Av.key(Keys.webhooks(tenant), Keys.webhook(w.webhookId())))
                .updateExpression("SET webhookId = :id, #url = :url, secret = :secret, events = :events, programs = :programs, "
                        + "#st = :st, createdAt = if_not_exists(createdAt, :c), updatedAt = :u")
                .expressionAttributeNames(Map.of("#url", "url", "#st", "status"))
                .expressionAttributeValues(v).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    Optional<Webhook> get(String tenant, String webhookId) {
        var r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.webhooks(tenant), Keys.webhook(webhookId))).consistentRead(true));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(webhook(r.item())) : Optional.empty();
    }

    boolean delete(String tenant, String webhookId) {
        var old = ddb.deleteItem(b -> b.tableName(table).key(Av.key(Keys.webhooks(tenant), Keys.webhook(webhookId)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    List<Webhook> all(String tenant) {
        List<Webhook> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = ddb.query(QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.webhooks(tenant)))).exclusiveStartKey(start).build());
            r.items().forEach(i -> out.add(webhook(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static Webhook webhook(Map<String, AttributeValue> i) {
        return new Webhook(str(i, "webhookId"), str(i, "url"), str(i, "secret"), strings(i, "events"), strings(i, "programs"),
                str(i, "status"), Instant.parse(str(i, "createdAt")), Instant.parse(str(i, "updatedAt")));
    }

    private static List<String> strings(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }

    // ---------------------------------------------------------------- deliveries

    /** The delivery's key: in its customer's partition (the program's for an event without a customer). */
    static DeliveryKey key(Delivery d) {
        String pk = d.customerId() != null ? Keys.customer(d.tenant(), d.programId(), d.customerId())
                : Keys.program(d.tenant(), d.programId());
        return new DeliveryKey(pk, Keys.delivery(d.webhookId(), d.eventId()));
    }

    DeliveryKey create(Delivery d) {
        DeliveryKey key = key(d);
        Map<String, AttributeValue> item = Av.key(key.pk(), key.sk());
        item.put("tenant", s(d.tenant()));
        item.put("webhookId", s(d.webhookId()));
        item.put("eventId", s(d.eventId()));
        item.put("type", s(d.type()));
        item.put("programId", s(d.programId()));
        Writes.putIf(item, "customerId", d.customerId());
        item.put("sequence", n(d.sequence()));
        item.put("createdAt", s(d.createdAt().toString()));
        item.put("body", s(d.body()));
        item.put("status", s(WebhookStore.PENDING));
        item.put("attempts", n(0));
        item.put("nextAt", s(d.nextAt().toString()));
        item.put(Index.REMIND_SHARD, s(Index.deliverShard(key.pk())));
        item.put(Index.REMIND_AT, Index.at(d.nextAt()));
        try {
            ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return key;
        } catch (ConditionalCheckFailedException e) {
            return null; // the stream record was delivered before: this delivery exists
        }
    }

    List<DeliveryKey> due(int shard, Instant upTo, int limit) {
        QueryResponse r = ddb.query(QueryRequest.builder().tableName(table).indexName(Index.REMIND)
                .keyConditionExpression("#s = :s AND #a <= :t")
                .expressionAttributeNames(Map.of("#s", Index.REMIND_SHARD, "#a", Index.REMIND_AT))
                .expressionAttributeValues(Map.of(":s", s(Index.deliverShard(shard)), ":t", Index.at(upTo)))
                .limit(limit).build());
        return r.items().stream().map(i -> new DeliveryKey(str(i, "pk"), str(i, "sk"))).toList();
    }

    Optional<Delivery> claim(DeliveryKey key, Instant upTo, Instant leaseUntil) {
        Map<String, String> names = Map.of("#a", Index.REMIND_AT, "#st", "status");
        Map<String, AttributeValue> values = Map.of(":lease", Index.at(leaseUntil), ":t", Index.at(upTo),
                ":p", s(WebhookStore.PENDING), ":f", s(WebhookStore.FAILED));
        try {
            var r = ddb.updateItem(b -> b.tableName(table).key(Av.key(key.pk(), key.sk()))
                    .updateExpression("SET #a = :lease")
                    .conditionExpression("#a <= :t AND (#st = :p OR #st = :f)")
                    .expressionAttributeNames(names).expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
            return Optional.of(delivery(r.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty(); // another run has it, or it was settled meanwhile
        }
    }

    boolean record(DeliveryKey key, Delivery d, int attemptsBefore, String status, Instant at, Instant nextAt, String lastError) {
        Map<String, String> names = new HashMap<>(Map.of("#st", "status", "#s", Index.REMIND_SHARD, "#a", Index.REMIND_AT,
                "#l", LIST, "#la", LIST_AT));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":st", s(status));
        values.put(":n", n(attemptsBefore + 1));
        values.put(":before", n(attemptsBefore));
        values.put(":at", s(at.toString()));
        StringBuilder set = new StringBuilder("SET #st = :st, attempts = :n, lastAttemptAt = :at");
        List<String> remove = new ArrayList<>();
        if (lastError != null) {
            set.append(", lastError = :e");
            values.put(":e", s(lastError.length() > 500 ? lastError.substring(0, 500) : lastError));
        } else {
            remove.add("lastError");
        }
        if (nextAt != null) {
            set.append(", #s = :s, #a = :next, nextAt = :nextText");
            values.put(":s", s(Index.deliverShard(key.pk())));
            values.put(":next", Index.at(nextAt));
            values.put(":nextText", s(nextAt.toString()));
        } else {
            remove.addAll(List.of("#s", "#a", "nextAt"));
        }
        if (WebhookStore.DELIVERED.equals(status) || WebhookStore.DEAD.equals(status)) {
            set.append(", deleteAt = :del"); // the table's TTL attribute
            values.put(":del", n(at.plus(WebhookStore.DELIVERED.equals(status) ? KEEP_DELIVERED : KEEP_DEAD).getEpochSecond()));
        }
        if (WebhookStore.FAILED.equals(status) || WebhookStore.DEAD.equals(status)) {
            set.append(", #l = :l, #la = :la");
            values.put(":l", s(Keys.deliveryList(d.tenant(), d.webhookId(), status)));
            values.put(":la", s(d.createdAt() + "#" + d.eventId()));
        } else {
            remove.addAll(List.of("#l", "#la"));
        }
        String update = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(key.pk(), key.sk())).updateExpression(update)
                    .conditionExpression("attempts = :before").expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    Optional<DeliveryPage> page(String tenant, String webhookId, String status, int limit, String cursor) {
        String list = Keys.deliveryList(tenant, webhookId, status);
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            String[] parts;
            try {
                parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (parts.length != 3 || parts[0].length() > 300 || parts[1].length() > 300 || parts[2].length() > 300
                    || !parts[0].startsWith("T#" + tenant + "#") || !parts[1].startsWith(Keys.DELIVERY_PREFIX + webhookId + "#")) {
                return Optional.empty();
            }
            start = new HashMap<>(Av.key(parts[0], parts[1]));
            start.put(LIST, s(list));
            start.put(LIST_AT, s(parts[2]));
        }
        QueryResponse r = ddb.query(QueryRequest.builder().tableName(table).indexName(Index.LISTS)
                .keyConditionExpression("#l = :l").expressionAttributeNames(Map.of("#l", LIST))
                .expressionAttributeValues(Map.of(":l", s(list))).scanIndexForward(false).limit(limit + 1)
                .exclusiveStartKey(start).build());
        List<Map<String, AttributeValue>> items = r.items().subList(0, Math.min(limit, r.items().size()));
        // the index holds keys only: the page's deliveries in one BatchGetItem, in the index's order
        Map<String, Map<String, AttributeValue>> whole = new HashMap<>();
        for (Map<String, AttributeValue> i : Reads.batchGet(ddb, table, items.stream().map(i -> Av.key(str(i, "pk"), str(i, "sk"))).toList(), null)) {
            whole.put(str(i, "pk") + "\n" + str(i, "sk"), i);
        }
        List<Delivery> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : items) {
            Map<String, AttributeValue> d = whole.get(str(i, "pk") + "\n" + str(i, "sk"));
            if (d != null) { // gone between the Query and the read (its TTL): not listed
                out.add(delivery(d));
            }
        }
        String next = null;
        if (r.items().size() > limit) {
            Map<String, AttributeValue> last = items.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((str(last, "pk") + "\n" + str(last, "sk") + "\n"
                    + str(last, LIST_AT)).getBytes(StandardCharsets.UTF_8));
        }
        return Optional.of(new DeliveryPage(out, next));
    }

    private static Delivery delivery(Map<String, AttributeValue> i) {
        String next = str(i, "nextAt");
        String last = str(i, "lastAttemptAt");
        return new Delivery(str(i, "tenant"), str(i, "webhookId"), str(i, "eventId"), str(i, "type"), str(i, "programId"),
                str(i, "customerId"), num(i, "sequence"), Instant.parse(str(i, "createdAt")), str(i, "body"), str(i, "status"),
                (int) num(i, "attempts"), next == null ? null : Instant.parse(next), last == null ? null : Instant.parse(last),
                str(i, "lastError"), new DeliveryKey(str(i, "pk"), str(i, "sk")));
    }
}
