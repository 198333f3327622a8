package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.domain.SubCounters;
import dev.laurel.json.Json;
import dev.laurel.retry.Backoff;
import dev.laurel.store.Commit;
import dev.laurel.store.Records;
import dev.laurel.store.Records.EarnRead;
import dev.laurel.store.Records.LedgerEntry;
import dev.laurel.store.Records.LedgerPage;
import dev.laurel.store.Records.OrderRecord;
import dev.laurel.store.Records.OrderStack;
import dev.laurel.store.Records.Redemption;
import dev.laurel.store.Records.StoredProgram;
import dev.laurel.store.Records.ValidateRead;
import dev.laurel.store.Usage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Every read of the API's operations: one round trip each (a GetItem, a BatchGetItem or a
 * Query), consistent, mapped from items to the port's records ({@link Keys} has the layout).
 */
final class Reads {
    private final DynamoDbClient ddb;
    private final String table;

    Reads(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    public Optional<StoredProgram> program(String tenant, String programId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.program(tenant, programId), Keys.DEF))
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
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.program(tenant, programId), Keys.DEF))
                .projectionExpression("#v").expressionAttributeNames(Map.of("#v", "version")));
        if (!r.hasItem() || r.item().isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(num(r.item(), "version"));
    }

    // ---------------------------------------------------------------- reads

    /** One BatchGetItem: the profile and the named rules' total budgets. */
    public EarnRead readForEarn(String tenant, String programId, String customerId, Collection<String> budgetRuleIds) {
        String cpk = Keys.customer(tenant, programId, customerId);
        String ppk = Keys.program(tenant, programId);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(Av.key(cpk, Keys.PROFILE));
        for (String r : budgetRuleIds) {
            keys.add(Av.key(ppk, Keys.ruleBudget(r)));
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
        return new EarnRead(profile == null ? Customer.newcomer(customerId) : customer(customerId, profile), used,
                ReferralItems.referral(profile));
    }

    /**
     * One BatchGetItem: the profile, what is stacked on the order, and the named rewards' and rules'
     * budgets: every sub-counter of those in {@code splitRewardIds}, the budget item alone of the
     * others. A second BatchGetItem reads the other sub-counters of a budget item found split (a
     * split is written whole, in one transaction: its item 0 tells).
     */
    public ValidateRead readForValidate(String tenant, String programId, String customerId, String orderId,
                                        Collection<String> budgetRewardIds, Collection<String> splitRewardIds,
                                        Collection<String> budgetRuleIds) {
        String cpk = Keys.customer(tenant, programId, customerId);
        String ppk = Keys.program(tenant, programId);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(Av.key(cpk, Keys.PROFILE));
        if (orderId != null) {
            keys.add(Av.key(Keys.orderStack(tenant, programId, orderId), "STACK"));
        }
        for (String r : budgetRewardIds) {
            // every sub-counter a hot budget may have (absent items count 0): the figures are their sums
            keys.addAll(splitRewardIds.contains(r) ? SplitTx.keys(tenant, programId, r)
                    : List.of(Keys.rewardBudget(tenant, programId, r, 0)));
        }
        for (String r : budgetRuleIds) {
            keys.add(Av.key(ppk, Keys.ruleBudget(r)));
        }
        Map<String, Map<String, AttributeValue>> items = batchGet(keys);
        List<Map<String, AttributeValue>> more = new ArrayList<>();
        for (String r : budgetRewardIds) {
            Map<String, AttributeValue> k = Keys.rewardBudget(tenant, programId, r, 0);
            Map<String, AttributeValue> first = items.get(k.get("pk").s() + "|" + k.get("sk").s());
            if (!splitRewardIds.contains(r) && first != null && first.containsKey("splitSeq")) {
                more.addAll(SplitTx.keys(tenant, programId, r).subList(1, Budgets.SUB_COUNTERS));
            }
        }
        if (!more.isEmpty()) {
            items.putAll(batchGet(more));
        }
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
        Map<String, List<SubCounters.Sub>> subs = new HashMap<>();
        for (String r : budgetRewardIds) {
            List<SubCounters.Sub> s = SplitTx.subs(SplitTx.keys(tenant, programId, r), items);
            subs.put(r, s);
            if (s.stream().anyMatch(x -> x.split() || !x.used().equals(Budgets.Used.NONE))) {
                budgets.put(r, SubCounters.sum(s));
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
                stack, budgets, ruleUsed, subs);
    }

    Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        batchGet(ddb, table, keys, null).forEach(item -> out.put(str(item, "pk") + "|" + str(item, "sk"), item));
        return out;
    }

    /**
     * Consistent BatchGetItem of any number of keys, 100 at a time; unprocessed keys are read again
     * with backoff, boundedly (then 429). With {@code usage}, the consumed capacity is reported to it.
     */
    static List<Map<String, AttributeValue>> batchGet(DynamoDbClient ddb, String table, List<Map<String, AttributeValue>> keys,
                                                      Usage usage) {
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
                    r.consumedCapacity().forEach(c -> ScheduledStore.add(usage, c));
                }
                out.addAll(r.responses().getOrDefault(table, List.of()));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : null;
                if (request != null && !request.isEmpty()) {
                    pauseOrGiveUp(++attempts, "unprocessed keys");
                }
            }
        }
        return out;
    }

    /** The customer with their lots: one consistent GetItem (the lots live in the profile item). */
    public Customer readWithLots(String tenant, String programId, String customerId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Av.key(Keys.customer(tenant, programId, customerId), Keys.PROFILE)).consistentRead(true));
        return !r.hasItem() || r.item().isEmpty() ? Customer.newcomer(customerId) : customer(customerId, r.item());
    }

    /** One BatchGetItem: the customer with their lots, and the order's record. */
    public Records.RefundRead readForRefund(String tenant, String programId, String customerId, String orderId) {
        String cpk = Keys.customer(tenant, programId, customerId);
        Map<String, Map<String, AttributeValue>> items = batchGet(List.of(Av.key(cpk, Keys.PROFILE),
                Av.key(cpk, Keys.ORDER_PREFIX + orderId)));
        Map<String, AttributeValue> p = items.get(cpk + "|" + Keys.PROFILE);
        Map<String, AttributeValue> o = items.get(cpk + "|" + Keys.ORDER_PREFIX + orderId);
        return new Records.RefundRead(p == null ? Customer.newcomer(customerId) : customer(customerId, p),
                o == null ? Optional.empty() : Optional.of(new OrderRecord(orderId, num(o, "totalMinor"), num(o, "earned"),
                        num(o, "refundedMinor"), num(o, "clawed"), o.containsKey("statsMonth") ? o.get("statsMonth").s() : null)),
                ReferralItems.referral(p));
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
                num(p, "owed"), str(p, "locale"), ConsentItems.of(p));
    }

    public Optional<Redemption> redemption(String tenant, String programId, String redemptionId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Av.key(Keys.redemption(tenant, programId, redemptionId), "R")).consistentRead(true));
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
                str(i, "status"), lots, Instant.parse(str(i, "at")), str(i, "code"),
                i.containsKey("codeItem"), i.containsKey("budgetSubCounter") ? (int) num(i, "budgetSubCounter") : 0));
    }

    /** A stored idempotency record as a replay (read only on failure paths, to answer a retry exactly). */
    public Optional<Commit.Replay> idempotency(String tenant, String programId, String scope, String key) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Av.key(Keys.idempotency(tenant, programId, scope, key), "I")).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Commit.Replay(str(r.item(), "requestHash"), (int) num(r.item(), "status"), str(r.item(), "body")));
    }

    /** Ledger entries newest first; the cursor is opaque to callers. */
    public Optional<LedgerPage> ledger(String tenant, String programId, String customerId, int limit, String cursor) {
        String cpk = Keys.customer(tenant, programId, customerId);
        Map<String, AttributeValue> start = null;
        if (cursor != null) {
            String sk;
            try {
                sk = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (!sk.startsWith(Keys.LEDGER_PREFIX) || sk.length() > 200) {
                return Optional.empty();
            }
            start = Av.key(cpk, sk);
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
        return Optional.of(new LedgerPage(entries, next));
    }

    /**
     * {@link Backoff#DECISIONS} before another attempt of a read, or 503 {@code unavailable} when
     * {@code attempt} has reached {@link Backoff#MAX_ATTEMPTS}.
     */
    static void pauseOrGiveUp(int attempt, String what) {
        if (attempt >= Backoff.MAX_ATTEMPTS) {
            throw new Refused(Refusal.unavailable("the database keeps throttling " + what));
        }
        Backoff.DECISIONS.sleep(attempt);
    }
}
