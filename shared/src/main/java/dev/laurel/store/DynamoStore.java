package dev.laurel.store;

import static dev.laurel.store.Av.n;
import static dev.laurel.store.Av.num;
import static dev.laurel.store.Av.s;
import static dev.laurel.store.Av.str;

import dev.laurel.domain.ApiException;
import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.ErrorCode;
import dev.laurel.json.Json;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Spending;
import dev.laurel.store.Records.ApiKey;
import dev.laurel.store.Records.BudgetCharge;
import dev.laurel.store.Records.EarnRead;
import dev.laurel.store.Records.EarnWrite;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import dev.laurel.store.Records.LedgerEntry;
import dev.laurel.store.Records.LedgerPage;
import dev.laurel.store.Records.OrderRecord;
import dev.laurel.store.Records.OrderStack;
import dev.laurel.store.Records.Redemption;
import dev.laurel.store.Records.RedeemWrite;
import dev.laurel.store.Records.RefundWrite;
import dev.laurel.store.Records.RollbackWrite;
import dev.laurel.store.Records.StoredProgram;
import dev.laurel.store.Records.ValidateRead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Laurel's storage on one DynamoDB table (layout in {@link Keys}). Reads are one round trip;
 * every state change is one {@code TransactWriteItems} carrying its idempotency record, ledger
 * entries, balance and lot changes, and every budget it touches, each with a condition.
 */
public final class DynamoStore {
    /** At most this many lots are kept on a redemption to give back on rollback (merged: {@link dev.laurel.domain.Lots#taken}). */
    static final int REDEMPTION_LOTS = 500;
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoStore(DynamoDbClient ddb, String table) {
        this.ddb = java.util.Objects.requireNonNull(ddb, "ddb");
        this.table = java.util.Objects.requireNonNull(table, "table");
    }

    /**
     * The client a Lambda uses: the small URL-connection HTTP client, region and credentials from
     * the environment, and the endpoint from {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL}
     * when set (LocalStack, DynamoDB Local, moto).
     */
    public static DynamoDbClient clientFromEnvironment() {
        var b = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint == null || endpoint.isBlank()) {
            endpoint = System.getenv("AWS_ENDPOINT_URL");
        }
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(java.net.URI.create(endpoint));
        }
        return b.build();
    }

    public static DynamoStore fromEnvironment() {
        String table = System.getenv("TABLE_NAME");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("TABLE_NAME is not set");
        }
        return new DynamoStore(clientFromEnvironment(), table);
    }

    public DynamoDbClient client() {
        return ddb;
    }

    public String table() {
        return table;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>();
        k.put("pk", s(pk));
        k.put("sk", s(sk));
        return k;
    }

    // ---------------------------------------------------------------- programs

    public Optional<StoredProgram> program(String tenant, String programId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(key(Keys.program(tenant, programId), Keys.DEF))
                .consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        String created = str(r.item(), "createdAt");
        return Optional.of(new StoredProgram(str(r.item(), "definition"), num(r.item(), "version"),
                created == null ? null : Instant.parse(created)));
    }

    /** The stored version only (a small read, used to re-check a cached program). */
    public OptionalLong programVersion(String tenant, String programId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(key(Keys.program(tenant, programId), Keys.DEF))
                .projectionExpression("#v").expressionAttributeNames(Map.of("#v", "version")));
        if (!r.hasItem() || r.item().isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(num(r.item(), "version"));
    }

    /**
     * Stores a definition and returns its new version. With {@code ifMatch}, only if the stored
     * version is that one; otherwise 409 {@code version_conflict}. The first save records
     * {@code createdAt} (as does the next save of a program stored before it was recorded).
     */
    public long saveProgram(String tenant, String programId, String definition, Long ifMatch, Instant now) {
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
                    .key(key(Keys.program(tenant, programId), Keys.DEF))
                    .updateExpression(update)
                    .conditionExpression(cond)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW));
            return num(r.attributes(), "version");
        } catch (ConditionalCheckFailedException e) {
            throw new ApiException(ErrorCode.VERSION_CONFLICT,
                    "the program is not at version " + ifMatch + "; read it again and retry with its current version",
                    Map.of("expectedVersion", ifMatch));
        }
    }

    // ---------------------------------------------------------------- api keys

    public void putApiKey(String sha256Hex, String tenant, String role, String name, Instant now) {
        Map<String, AttributeValue> item = key(Keys.apiKey(sha256Hex), "KEY");
        item.put("tenant", s(tenant));
        item.put("role", s(role));
        item.put("name", s(name));
        item.put("createdAt", s(now.toString()));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    public Optional<ApiKey> apiKey(String sha256Hex) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(key(Keys.apiKey(sha256Hex), "KEY")));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(str(r.item(), "tenant"), str(r.item(), "role"), str(r.item(), "name")));
    }

    // ---------------------------------------------------------------- reads

    /** One BatchGetItem: the profile and the named rules' total budgets. */
    public EarnRead readForEarn(String tenant, String programId, String customerId, Collection<String> budgetRuleIds) {
        String cpk = Keys.customer(tenant, programId, customerId);
        String ppk = Keys.program(tenant, programId);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(key(cpk, Keys.PROFILE));
        for (String r : budgetRuleIds) {
            keys.add(key(ppk, Keys.ruleBudget(r)));
        }
        Map<String, Map<String, AttributeValue>> items = batchGet(keys);
        Map<String, AttributeValue> profile = items.get(cpk + "|" + Keys.PROFILE);
        Map<String, Long> used = new HashMap<>();
        for (String r : budgetRuleIds) {
            Map<String, AttributeValue> b = items.get(ppk + "|" + Keys.ruleBudget(r));
            if (b != null) {
                used.put(r, num(b, "points"));
            }
        }
        return new EarnRead(profile == null ? Customer.newcomer(customerId) : customer(customerId, profile), used);
    }

    /** One BatchGetItem: the profile, what is stacked on the order, and the named rewards' and rules' budgets. */
    public ValidateRead readForValidate(String tenant, String programId, String customerId, String orderId,
                                        Collection<String> budgetRewardIds, Collection<String> budgetRuleIds) {
        String cpk = Keys.customer(tenant, programId, customerId);
        String ppk = Keys.program(tenant, programId);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(key(cpk, Keys.PROFILE));
        if (orderId != null) {
            keys.add(key(Keys.orderStack(tenant, programId, orderId), "STACK"));
        }
        for (String r : budgetRewardIds) {
            keys.add(key(ppk, Keys.rewardBudget(r)));
        }
        for (String r : budgetRuleIds) {
            keys.add(key(ppk, Keys.ruleBudget(r)));
        }
        Map<String, Map<String, AttributeValue>> items = batchGet(keys);
        Map<String, AttributeValue> profile = items.get(cpk + "|" + Keys.PROFILE);
        OrderStack stack = OrderStack.EMPTY;
        if (orderId != null) {
            Map<String, AttributeValue> st = items.get(Keys.orderStack(tenant, programId, orderId) + "|STACK");
            if (st != null) {
                Set<String> cats = new HashSet<>();
                st.keySet().stream().filter(k -> k.startsWith("cat:")).forEach(k -> cats.add(k.substring(4)));
                AttributeValue ex = st.get("excl");
                stack = new OrderStack(cats, ex != null && Boolean.TRUE.equals(ex.bool()), num(st, "n"), num(st, "disc"));
            }
        }
        Map<String, Budgets.Used> budgets = new HashMap<>();
        for (String r : budgetRewardIds) {
            Map<String, AttributeValue> b = items.get(ppk + "|" + Keys.rewardBudget(r));
            if (b != null) {
                budgets.put(r, new Budgets.Used(num(b, "redemptions"), num(b, "valueMinor"), num(b, "orderMinor")));
            }
        }
        Map<String, Long> ruleUsed = new HashMap<>();
        for (String r : budgetRuleIds) {
            Map<String, AttributeValue> b = items.get(ppk + "|" + Keys.ruleBudget(r));
            if (b != null) {
                ruleUsed.put(r, num(b, "points"));
            }
        }
        return new ValidateRead(profile == null ? Customer.newcomer(customerId) : customer(customerId, profile),
                stack, budgets, ruleUsed);
    }

    private Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        batchGet(ddb, table, keys, null).forEach(item -> out.put(str(item, "pk") + "|" + str(item, "sk"), item));
        return out;
    }

    /**
     * Consistent BatchGetItem of any number of keys, 100 at a time; unprocessed keys are read again
     * with backoff, boundedly (then 429). With {@code usage}, the consumed capacity is reported to it.
     */
    static List<Map<String, AttributeValue>> batchGet(DynamoDbClient ddb, String table, List<Map<String, AttributeValue>> keys,
                                                      ScheduledStore.Usage usage) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            int attempts = 0;
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> req = request;
                BatchGetItemResponse r = ddb.batchGetItem(b -> {
                    b.requestItems(req);
                    if (usage != null) {
                        b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                    }
                });
                if (usage != null) {
                    r.consumedCapacity().forEach(usage::add);
                }
                out.addAll(r.responses().getOrDefault(table, List.of()));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : null;
                if (request != null && !request.isEmpty()) {
                    Backoff.pauseOrGiveUp(++attempts, "unprocessed keys");
                }
            }
        }
        return out;
    }

    /** The customer with their lots: one consistent GetItem (the lots live in the profile item). */
    public Customer readWithLots(String tenant, String programId, String customerId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(key(Keys.customer(tenant, programId, customerId), Keys.PROFILE)).consistentRead(true));
        return !r.hasItem() || r.item().isEmpty() ? Customer.newcomer(customerId) : customer(customerId, r.item());
    }

    /** One BatchGetItem: the customer with their lots, and the order's record. */
    public Records.RefundRead readForRefund(String tenant, String programId, String customerId, String orderId) {
        String cpk = Keys.customer(tenant, programId, customerId);
        Map<String, Map<String, AttributeValue>> items = batchGet(List.of(key(cpk, Keys.PROFILE),
                key(cpk, Keys.ORDER_PREFIX + orderId)));
        Map<String, AttributeValue> p = items.get(cpk + "|" + Keys.PROFILE);
        Map<String, AttributeValue> o = items.get(cpk + "|" + Keys.ORDER_PREFIX + orderId);
        return new Records.RefundRead(p == null ? Customer.newcomer(customerId) : customer(customerId, p),
                o == null ? Optional.empty() : Optional.of(new OrderRecord(orderId, num(o, "totalMinor"), num(o, "earned"),
                        num(o, "refundedMinor"), num(o, "clawed"))));
    }

    private static List<Lot> lots(Map<String, AttributeValue> profile) {
        List<Lot> out = new ArrayList<>();
        AttributeValue v = profile.get("lots");
        if (v != null && v.hasM()) {
            v.m().forEach((id, l) -> out.add(ProfileChange.lot(id, l.m())));
        }
        return out;
    }

    static Customer customer(String customerId, Map<String, AttributeValue> p) {
        List<Lot> lots = lots(p);
        Map<String, Object> attrs = new LinkedHashMap<>();
        AttributeValue a = p.get("attrs");
        if (a != null && a.hasM()) {
            a.m().forEach((k, v) -> attrs.put(k, Av.plain(v)));
        }
        AttributeValue consent = p.get("marketingConsent");
        String joined = str(p, "joinedAt");
        return new Customer(customerId, true, num(p, "seq"), str(p, "email"), attrs,
                consent != null && Boolean.TRUE.equals(consent.bool()), str(p, "tier"), num(p, "available"),
                num(p, "pending"), num(p, "lifetimeEarned"), Av.longs(p, "ruleCounts"), Av.longs(p, "rulePoints"),
                Av.longs(p, "redemptions"), lots, joined == null ? null : Instant.parse(joined), Av.strings(p, "notified"),
                num(p, "owed"));
    }

    public Optional<Redemption> redemption(String tenant, String programId, String redemptionId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(key(Keys.redemption(tenant, programId, redemptionId), "R")).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> i = r.item();
        List<Lot> lots = new ArrayList<>();
        for (var node : Json.read(str(i, "lots"))) {
            lots.add(new Lot(node.get("lotId").textValue(), node.get("points").longValue(), node.get("earned").longValue(),
                    Instant.parse(node.get("earnedAt").textValue()),
                    node.hasNonNull("expiresAt") ? Instant.parse(node.get("expiresAt").textValue()) : null,
                    node.hasNonNull("orderId") ? node.get("orderId").textValue() : null));
        }
        AttributeValue ex = i.get("exclusive");
        AttributeValue budgeted = i.get("budgeted");
        return Optional.of(new Redemption(redemptionId, str(i, "customerId"), str(i, "rewardId"), num(i, "cost"),
                num(i, "valueMinor"), num(i, "orderMinor"), num(i, "discountMinor"), str(i, "orderId"), str(i, "stackCategory"),
                ex != null && Boolean.TRUE.equals(ex.bool()), budgeted != null && Boolean.TRUE.equals(budgeted.bool()),
                str(i, "status"), lots, Instant.parse(str(i, "at")), str(i, "code")));
    }

    /** A stored idempotency record as a replay (read only on failure paths, to answer a retry exactly). */
    public Optional<Commit.Replay> idempotency(String tenant, String programId, String scope, String key) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(key(Keys.idempotency(tenant, programId, scope, key), "I")).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Commit.Replay(str(r.item(), "requestHash"), (int) num(r.item(), "status"), str(r.item(), "body")));
    }

    /** Ledger entries newest first; the cursor is opaque to callers. */
    public LedgerPage ledger(String tenant, String programId, String customerId, int limit, String cursor) {
        String cpk = Keys.customer(tenant, programId, customerId);
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            String sk;
            try {
                sk = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("cursor", "is not a cursor this API returned");
            }
            if (!sk.startsWith(Keys.LEDGER_PREFIX) || sk.length() > 200) {
                throw ApiException.invalid("cursor", "is not a cursor this API returned");
            }
            start = key(cpk, sk);
        }
        QueryResponse r = ddb.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                .expressionAttributeValues(Map.of(":pk", s(cpk), ":e", s(Keys.LEDGER_PREFIX)))
                .scanIndexForward(false)
                .limit(limit + 1)
                .exclusiveStartKey(start)
                .build());
        List<LedgerEntry> entries = new ArrayList<>();
        List<Map<String, AttributeValue>> page = r.items().subList(0, Math.min(limit, r.items().size()));
        for (Map<String, AttributeValue> i : page) {
            entries.add(new LedgerEntry(str(i, "id"), str(i, "type"), num(i, "points"), Instant.parse(str(i, "at")),
                    str(i, "ruleId"), str(i, "rewardId"), str(i, "orderId"), str(i, "redemptionId"),
                    num(i, "programVersion"), str(i, "details")));
        }
        String next = null;
        if (r.items().size() > limit) {
            // one more entry exists: continue after the last one returned
            next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(str(page.get(limit - 1), "sk").getBytes(StandardCharsets.UTF_8));
        }
        return new LedgerPage(entries, next);
    }

    // ---------------------------------------------------------------- writes

    private void idempotency(Tx tx, String tenant, String programId, Idempotency idem, Instant now) {
        if (idem == null) {
            return;
        }
        Map<String, AttributeValue> item = key(Keys.idempotency(tenant, programId, idem.scope(), idem.key()), "I");
        item.put("requestHash", s(idem.requestHash()));
        item.put("status", n(idem.status()));
        item.put("body", s(idem.body()));
        item.put("at", s(now.toString()));
        tx.put(Tx.Role.IDEMPOTENCY, idem.key(), item, "attribute_not_exists(pk)", null, null);
    }

    static void ledgerEntry(Tx tx, String cpk, String customerId, Entry e, long programVersion) {
        Map<String, AttributeValue> item = key(cpk, Keys.ledger(e.at().toEpochMilli(), e.entryId()));
        item.put("id", s(e.entryId()));
        item.put("customerId", s(customerId));
        item.put("type", s(e.type()));
        item.put("points", n(e.points()));
        item.put("at", s(e.at().toString()));
        item.put("programVersion", n(programVersion));
        putIf(item, "ruleId", e.ruleId());
        putIf(item, "rewardId", e.rewardId());
        putIf(item, "orderId", e.orderId());
        putIf(item, "redemptionId", e.redemptionId());
        putIf(item, "details", e.details());
        tx.put(Tx.Role.LEDGER, e.entryId(), item, "attribute_not_exists(pk)", null, null);
    }

    /** The debt payments a write records (see {@link Records.ProfileAfter#debts}). */
    static void debts(Tx tx, String cpk, String customerId, Records.ProfileAfter after) {
        for (Records.DebtEntry d : after.debts()) {
            ledgerEntry(tx, cpk, customerId, d.entry(), d.programVersion());
        }
    }

    static void putIf(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    /** Earn or upsert (see {@link EarnWrite}). */
    public Commit earn(EarnWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        String ppk = Keys.program(w.tenant(), w.programId());
        Tx tx = new Tx(table);
        idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());

        Map<String, long[]> caps = new LinkedHashMap<>();
        Map<String, Long> ruleBudgets = new LinkedHashMap<>();
        Map<String, Long> ruleLimits = new HashMap<>();
        List<Lot> newLots = new ArrayList<>();
        for (Earned e : w.earned()) {
            e.plan().capKeys().forEach((k, d) -> caps.merge(k, d, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]}));
            e.plan().ruleBudgets().forEach((k, v) -> ruleBudgets.merge(k, v, Long::sum));
            ruleLimits.putAll(e.plan().ruleLimits());
            ledgerEntry(tx, cpk, c.customerId(), e.entry(), w.programVersion());
            if (e.lot() != null) {
                newLots.add(e.lot());
            }
            if (e.orderId() != null) {
                Map<String, AttributeValue> v = new HashMap<>();
                v.put(":t", n(e.orderTotalMinor()));
                v.put(":zero", n(0));
                v.put(":p", n(e.plan().points()));
                String update = "SET totalMinor = if_not_exists(totalMinor, :t), refundedMinor = if_not_exists(refundedMinor, :zero), "
                        + "clawed = if_not_exists(clawed, :zero), customerId = :c ADD earned :p";
                v.put(":c", s(c.customerId()));
                tx.update(Tx.Role.ORDER, e.orderId(), key(cpk, Keys.ORDER_PREFIX + e.orderId()), update, null, null, v);
            }
        }
        for (var rb : ruleBudgets.entrySet()) {
            Map<String, AttributeValue> rv = new HashMap<>();
            rv.put(":n", n(rb.getValue()));
            String cond = atMost("points", ":max", ruleLimits.get(rb.getKey()) - rb.getValue(), rv);
            tx.update(Tx.Role.RULE_BUDGET, rb.getKey(), key(ppk, Keys.ruleBudget(rb.getKey())), "ADD points :n",
                    cond, null, rv);
        }
        notifications(tx, cpk, c.customerId(), w.notifications());
        profile(tx, cpk, c, caps, newLots, w);
        debts(tx, cpk, c.customerId(), w.after());

        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        return switch (f.role() == null ? Tx.Role.PROFILE : f.role()) {
            case IDEMPOTENCY -> f.conflict() ? new Commit.Retry("conflict on " + f.role()) : replay(f);
            default -> new Commit.Retry(f.role() + " " + f.label() + (f.conflict() ? " conflict" : " changed"));
        };
    }

    /** Queues reminders recorded with a write (each at most once: its id is the item's key). */
    static void notifications(Tx tx, String cpk, String customerId, List<Records.NotificationRecord> notifications) {
        for (Records.NotificationRecord r : notifications) {
            Map<String, AttributeValue> item = key(cpk, Keys.notification(r.id()));
            item.put("id", s(r.id()));
            item.put("type", s(r.type()));
            item.put("customerId", s(customerId));
            item.put("payload", s(r.payloadJson()));
            item.put("status", s(Records.StoredNotification.QUEUED));
            item.put("attempts", n(0));
            item.put("createdAt", s(r.at().toString()));
            item.put(Index.REMIND_SHARD, s(Index.remindShard(cpk)));
            item.put(Index.REMIND_AT, Index.at(r.at()));
            tx.put(Tx.Role.NOTIFICATION, r.id(), item, "attribute_not_exists(pk)", null, null);
        }
    }

    private void profile(Tx tx, String cpk, Customer c, Map<String, long[]> caps, List<Lot> newLots, EarnWrite w) {
        String tier = w.tierAfter();
        Records.ProfileFields fields = w.profile();
        Instant now = w.now();
        Records.ProfileAfter after = w.after();
        Set<String> notified = new HashSet<>();
        for (Records.NotificationRecord r : w.notifications()) {
            notified.add(r.id());
        }
        if (!c.member()) {
            Map<String, AttributeValue> item = key(cpk, Keys.PROFILE);
            item.put("customerId", s(c.customerId()));
            item.put("seq", n(1));
            item.put("available", n(after.available()));
            item.put("pending", n(after.pending()));
            item.put("lifetimeEarned", n(after.lifetimeEarned()));
            if (tier != null) {
                item.put("tier", s(tier));
            }
            Map<String, Long> counts = new HashMap<>();
            Map<String, Long> pts = new HashMap<>();
            caps.forEach((k, d) -> {
                counts.put(k, d[0]);
                pts.put(k, d[1]);
            });
            item.put("ruleCounts", Av.longMap(counts));
            item.put("rulePoints", Av.longMap(pts));
            item.put("redemptions", Av.longMap(Map.of()));
            Map<String, AttributeValue> lots = new HashMap<>();
            newLots.forEach(l -> lots.put(l.lotId(), ProfileChange.lotValue(l)));
            item.put("lots", AttributeValue.fromM(lots));
            Map<String, AttributeValue> attrs = new HashMap<>();
            if (fields.attributes() != null) {
                fields.attributes().fields().forEachRemaining(e -> {
                    if (!e.getValue().isNull()) {
                        attrs.put(e.getKey(), Av.fromJson(e.getValue()));
                    }
                });
            }
            item.put("attrs", AttributeValue.fromM(attrs));
            item.put("marketingConsent", Av.bool(Boolean.TRUE.equals(fields.marketingConsent())));
            putIf(item, "email", fields.email());
            if (!notified.isEmpty()) {
                item.put("notified", AttributeValue.fromSs(List.copyOf(notified)));
            }
            item.put("joinedAt", s(now.toString()));
            item.put("updatedAt", s(now.toString()));
            ProfileChange.index(item, cpk, after);
            tx.put(Tx.Role.PROFILE, c.customerId(), item, "attribute_not_exists(pk)", null, null);
            return;
        }
        ProfileChange u = new ProfileChange();
        u.set("seq = seq + " + u.value(n(1)));
        u.after(cpk, after, now);
        if (tier != null && !tier.equals(c.tierId())) {
            u.set("tier = " + u.value(s(tier)));
        }
        int i = 0;
        for (var cap : caps.entrySet()) {
            String k = "#k" + i++;
            u.names.put(k, cap.getKey());
            String zero = u.value(n(0));
            u.set("ruleCounts." + k + " = if_not_exists(ruleCounts." + k + ", " + zero + ") + " + u.value(n(cap.getValue()[0])));
            u.set("rulePoints." + k + " = if_not_exists(rulePoints." + k + ", " + zero + ") + " + u.value(n(cap.getValue()[1])));
        }
        int p = 0;
        for (String old : w.prunedCaps()) {
            if (caps.containsKey(old)) {
                continue; // this write counts on it
            }
            String k = "#p" + p++;
            u.names.put(k, old);
            if (c.ruleCounts().containsKey(old)) {
                u.remove.add("ruleCounts." + k);
            }
            if (c.rulePoints().containsKey(old)) {
                u.remove.add("rulePoints." + k);
            }
        }
        newLots.forEach(u::add);
        if (fields.email() != null) {
            u.set("email = " + u.value(s(fields.email())));
        }
        if (fields.marketingConsent() != null) {
            u.set("marketingConsent = " + u.value(Av.bool(fields.marketingConsent())));
        }
        if (fields.attributes() != null) {
            int j = 0;
            for (var it = fields.attributes().fields(); it.hasNext(); j++) {
                var e = it.next();
                String k = "#a" + j;
                u.names.put(k, e.getKey());
                if (e.getValue().isNull()) {
                    u.remove.add("attrs." + k);
                } else {
                    u.set("attrs." + k + " = " + u.value(Av.fromJson(e.getValue())));
                }
            }
        }
        String update = u.expression() + ScheduledStore.notified(u, w.notifications());
        u.values.put(":seq", n(c.seq()));
        tx.update(Tx.Role.PROFILE, c.customerId(), key(cpk, Keys.PROFILE), update, "seq = :seq", u.names, u.values);
    }

    /**
     * A counter's condition: {@code attr + charge <= limit}, given {@code max = limit - charge}. A
     * counter not yet written counts as 0; with {@code max < 0} the charge is larger than the
     * limit itself and the condition is false whether the item exists or not.
     */
    static String atMost(String attr, String placeholder, long max, Map<String, AttributeValue> values) {
        values.put(placeholder, n(max));
        return max < 0 ? "(" + attr + " <= " + placeholder + ")"
                : "(attribute_not_exists(" + attr + ") OR " + attr + " <= " + placeholder + ")";
    }

    private static Commit replay(Tx.Failure f) {
        Map<String, AttributeValue> old = f.old();
        return new Commit.Replay(str(old, "requestHash"), (int) num(old, "status"), str(old, "body"));
    }

    /** Redeem (see {@link RedeemWrite}). */
    public Commit redeem(RedeemWrite w) {
        Customer c = w.before();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());

        ProfileChange u = new ProfileChange();
        u.set("seq = seq + " + u.value(n(1)));
        u.after(cpk, w.after(), w.now());
        u.names.put("#r", w.rewardId());
        u.set("redemptions.#r = if_not_exists(redemptions.#r, " + u.value(n(0)) + ") + " + u.value(n(1)));
        u.takes(w.takes());
        String profileUpdate = u.expression();
        u.values.put(":seq", n(c.seq()));
        tx.update(Tx.Role.PROFILE, c.customerId(), key(cpk, Keys.PROFILE), profileUpdate, "seq = :seq", u.names, u.values);

        BudgetCharge b = w.budget();
        if (b != null) {
            List<String> conds = new ArrayList<>();
            Map<String, AttributeValue> bv = new HashMap<>();
            bv.put(":r", n(b.redemptions()));
            bv.put(":v", n(b.valueMinor()));
            bv.put(":o", n(b.orderMinor()));
            if (b.maxRedemptions() != null) {
                conds.add(atMost("redemptions", ":maxR", b.maxRedemptions() - b.redemptions(), bv));
            }
            if (b.maxValueMinor() != null) {
                conds.add(atMost("valueMinor", ":maxV", b.maxValueMinor() - b.valueMinor(), bv));
            }
            if (b.maxOrderMinor() != null) {
                conds.add(atMost("orderMinor", ":maxO", b.maxOrderMinor() - b.orderMinor(), bv));
            }
            tx.update(Tx.Role.REWARD_BUDGET, b.rewardId(), key(Keys.program(w.tenant(), w.programId()),
                    Keys.rewardBudget(b.rewardId())), "ADD redemptions :r, valueMinor :v, orderMinor :o",
                    String.join(" AND ", conds), null, bv);
        }
        if (w.orderId() != null) {
            // Every redemption on an order takes its place on the order's stack item, so that an
            // exclusive reward and a category are enforced atomically whatever the concurrency.
            Map<String, AttributeValue> sv = new HashMap<>();
            Map<String, String> stackNames = new HashMap<>();
            sv.put(":one", n(1));
            String update;
            String cond;
            if (w.exclusive()) {
                update = "SET excl = :t";
                cond = "attribute_not_exists(pk) OR n = :zero";
                sv.put(":t", Av.bool(true));
                sv.put(":zero", n(0));
            } else {
                update = "SET excl = if_not_exists(excl, :f)";
                cond = w.stackCategory() == null ? "attribute_not_exists(pk) OR excl = :f"
                        : "attribute_not_exists(pk) OR (excl = :f AND attribute_not_exists(#c))";
                sv.put(":f", Av.bool(false));
            }
            if (w.stackCategory() != null) {
                update += ", #c = :rid";
                stackNames.put("#c", "cat:" + w.stackCategory());
                sv.put(":rid", s(w.redemptionId()));
            }
            // discounts on one order never add up to more than its total
            cond = "(" + cond + ") AND " + atMost("disc", ":maxD", w.orderTotalMinor() - w.discountMinor(), sv);
            sv.put(":d", n(w.discountMinor()));
            tx.update(Tx.Role.STACK, w.orderId(), key(Keys.orderStack(w.tenant(), w.programId(), w.orderId()), "STACK"),
                    update + " ADD n :one, disc :d", cond, stackNames, sv);
        }
        Map<String, AttributeValue> r = key(Keys.redemption(w.tenant(), w.programId(), w.redemptionId()), "R");
        r.put("customerId", s(c.customerId()));
        r.put("rewardId", s(w.rewardId()));
        r.put("cost", n(w.cost()));
        r.put("valueMinor", n(b == null ? 0 : b.valueMinor()));
        r.put("orderMinor", n(b == null ? 0 : b.orderMinor()));
        r.put("discountMinor", n(w.discountMinor()));
        r.put("budgeted", Av.bool(b != null));
        putIf(r, "orderId", w.orderId());
        putIf(r, "stackCategory", w.orderId() == null ? null : w.stackCategory());
        r.put("exclusive", Av.bool(w.orderId() != null && w.exclusive()));
        r.put("status", s("redeemed"));
        r.put("code", s(w.code()));
        r.put("at", s(w.now().toString()));
        var lots = Json.array();
        for (Lot l : dev.laurel.domain.Lots.taken(w.takes(), REDEMPTION_LOTS)) {
            var o = lots.addObject();
            o.put("lotId", l.lotId());
            o.put("points", l.remaining());
            o.put("earned", l.earned());
            o.put("earnedAt", l.earnedAt().toString());
            if (l.expiresAt() != null) {
                o.put("expiresAt", l.expiresAt().toString());
            }
            if (l.orderId() != null) {
                o.put("orderId", l.orderId());
            }
        }
        r.put("lots", s(Json.write(lots)));
        tx.put(Tx.Role.REDEMPTION, w.redemptionId(), r, "attribute_not_exists(pk)", null, null);
        ledgerEntry(tx, cpk, c.customerId(), w.entry(), w.programVersion());
        debts(tx, cpk, c.customerId(), w.after());

        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        if (f.conflict()) {
            return new Commit.Retry("conflict on " + f.role());
        }
        return switch (f.role()) {
            case IDEMPOTENCY -> replay(f);
            case REWARD_BUDGET -> throw new ApiException(ErrorCode.BUDGET_EXHAUSTED,
                    "reward " + w.rewardId() + " has used up its budget", Map.of("rewardId", w.rewardId()));
            case STACK -> throw new ApiException(ErrorCode.NOT_ELIGIBLE,
                    "reward " + w.rewardId() + " does not stack with the rewards already redeemed on order " + w.orderId()
                            + " (same category, an exclusive reward, or discounts beyond the order total)",
                    Map.of("rewardId", w.rewardId(), "reasons", List.of("stacking")));
            default -> new Commit.Retry(f.role() + " " + f.label() + " changed");
        };
    }

    /** Rollback (see {@link RollbackWrite}): points, lots, budget and stacking slot given back once. */
    public Commit rollback(RollbackWrite w) {
        Redemption r = w.redemption();
        String cpk = Keys.customer(w.tenant(), w.programId(), r.customerId());
        Tx tx = new Tx(table);
        idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        tx.update(Tx.Role.REDEMPTION, r.redemptionId(), key(Keys.redemption(w.tenant(), w.programId(), r.redemptionId()), "R"),
                "SET #s = :rolled, rolledBackAt = :now", "#s = :redeemed", Map.of("#s", "status"),
                Map.of(":rolled", s("rolled_back"), ":redeemed", s("redeemed"), ":now", s(w.now().toString())));
        Customer c = w.before();
        ProfileChange u = new ProfileChange();
        u.set("seq = seq + " + u.value(n(1)));
        u.after(cpk, w.after(), w.now());
        u.names.put("#r", r.rewardId());
        u.set("redemptions.#r = redemptions.#r - " + u.value(n(1)));
        // the points go back as lots of their own with the original lots' dates, so they expire and
        // are spent exactly as before, whatever happened to the originals meanwhile
        w.restored().forEach(u::add);
        String profileUpdate = u.expression();
        u.values.put(":seq", n(c.seq()));
        tx.update(Tx.Role.PROFILE, r.customerId(), key(cpk, Keys.PROFILE), profileUpdate, "seq = :seq", u.names, u.values);
        if (r.budgeted()) {
            tx.update(Tx.Role.REWARD_BUDGET, r.rewardId(), key(Keys.program(w.tenant(), w.programId()),
                    Keys.rewardBudget(r.rewardId())), "ADD redemptions :r, valueMinor :v, orderMinor :o", null, null,
                    Map.of(":r", n(-1), ":v", n(-r.valueMinor()), ":o", n(-r.orderMinor())));
        }
        if (r.orderId() != null) {
            Map<String, String> stackNames = new HashMap<>();
            String update = "ADD n :minus, disc :disc";
            Map<String, AttributeValue> sv = new HashMap<>();
            sv.put(":minus", n(-1));
            sv.put(":disc", n(-r.discountMinor()));
            if (r.exclusive()) {
                update = "SET excl = :f " + update;
                sv.put(":f", Av.bool(false));
            }
            if (r.stackCategory() != null) {
                update += " REMOVE #c";
                stackNames.put("#c", "cat:" + r.stackCategory());
            }
            tx.update(Tx.Role.STACK, r.orderId(), key(Keys.orderStack(w.tenant(), w.programId(), r.orderId()), "STACK"),
                    update, "attribute_exists(pk)", stackNames, sv);
        }
        ledgerEntry(tx, cpk, r.customerId(), w.entry(), w.programVersion());
        debts(tx, cpk, r.customerId(), w.after());

        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        if (f.conflict()) {
            return new Commit.Retry("conflict on " + f.role());
        }
        return switch (f.role()) {
            case IDEMPOTENCY -> replay(f);
            case REDEMPTION -> throw new ApiException(ErrorCode.ALREADY_ROLLED_BACK,
                    "redemption " + r.redemptionId() + " was already rolled back", Map.of("redemptionId", r.redemptionId()));
            default -> new Commit.Retry(f.role() + " " + f.label() + " changed");
        };
    }

    /** Refund (see {@link RefundWrite}): claws back the order's share of points, from its own lots first. */
    public Commit refund(RefundWrite w) {
        Customer c = w.before();
        OrderRecord o = w.order();
        String cpk = Keys.customer(w.tenant(), w.programId(), c.customerId());
        Tx tx = new Tx(table);
        idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        ProfileChange u = new ProfileChange();
        u.set("seq = seq + " + u.value(n(1)));
        u.after(cpk, w.after(), w.now());
        u.takes(w.takes());
        if (w.tierAfter() != null && !w.tierAfter().equals(c.tierId())) {
            u.set("tier = " + u.value(s(w.tierAfter())));
        }
        String profileUpdate = u.expression();
        u.values.put(":seq", n(c.seq()));
        tx.update(Tx.Role.PROFILE, c.customerId(), key(cpk, Keys.PROFILE), profileUpdate, "seq = :seq", u.names, u.values);
        tx.update(Tx.Role.ORDER, o.orderId(), key(cpk, Keys.ORDER_PREFIX + o.orderId()),
                "SET refundedMinor = :refunded, clawed = :clawed", "refundedMinor = :before",
                null, Map.of(":refunded", n(o.refundedMinor() + w.refundMinor()), ":clawed", n(w.clawTarget()),
                        ":before", n(o.refundedMinor())));
        ledgerEntry(tx, cpk, c.customerId(), w.entry(), w.programVersion());
        debts(tx, cpk, c.customerId(), w.after());
        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        if (f.role() == Tx.Role.IDEMPOTENCY && !f.conflict()) {
            return replay(f);
        }
        return new Commit.Retry(f.role() + " " + f.label() + (f.conflict() ? " conflict" : " changed"));
    }
}
