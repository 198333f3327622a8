package dev.laurel.bench;

import dev.laurel.domain.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The floor each operation cannot go below: the raw SDK calls that earn, validate and redeem need
 * (one read, then one TransactWriteItems with the same items, keys, attributes and conditions as
 * the store writes), with no event parsing, validation, rules or JSON beyond string concatenation.
 * The key layout is the store's (shared/.../store/Keys.java). Values that the real operation
 * computes (points, tier, response bodies) are filled in the same shape and about the same size.
 */
public final class RawOps {
    private final DynamoDbClient ddb;
    private final String table;

    public RawOps(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    static String programPk(String tenant, String programId) {
        return "T#" + tenant + "#P#" + programId;
    }

    static String customerPk(String tenant, String programId, String customerId) {
        return programPk(tenant, programId) + "#C#" + customerId;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>(4);
        k.put("pk", AttributeValue.fromS(pk));
        k.put("sk", AttributeValue.fromS(sk));
        return k;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    private TransactWriteItem update(Map<String, AttributeValue> key, String update, String condition,
                                     Map<String, String> names, Map<String, AttributeValue> values) {
        Update.Builder b = Update.builder().tableName(table).key(key).updateExpression(update)
                .expressionAttributeValues(values);
        if (condition != null) {
            b.conditionExpression(condition);
        }
        if (names != null && !names.isEmpty()) {
            b.expressionAttributeNames(names);
        }
        return TransactWriteItem.builder().update(b.build()).build();
    }

    private static Map<String, AttributeValue> ledger(String cpk, String customerId, String entryId, Instant now,
                                                      String type, long points, String ruleId, String rewardId,
                                                      String orderId, String redemptionId, String details) {
        Map<String, AttributeValue> item = key(cpk, "E#" + String.format("%013d", now.toEpochMilli()) + "#" + entryId);
        item.put("id", s(entryId));
        item.put("customerId", s(customerId));
        item.put("type", s(type));
        item.put("points", n(points));
        item.put("at", s(now.toString()));
        item.put("programVersion", n(1));
        if (ruleId != null) {
            item.put("ruleId", s(ruleId));
        }
        if (rewardId != null) {
            item.put("rewardId", s(rewardId));
        }
        if (orderId != null) {
            item.put("orderId", s(orderId));
        }
        if (redemptionId != null) {
            item.put("redemptionId", s(redemptionId));
        }
        if (details != null) {
            item.put("details", s(details));
        }
        return item;
    }

    private static Map<String, AttributeValue> idempotency(String ppk, String scope, String key, int status, String body,
                                                           Instant now) {
        Map<String, AttributeValue> item = key(ppk + "#I#" + scope + "#" + key, "I");
        item.put("requestHash", s("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        item.put("status", n(status));
        item.put("body", s(body));
        item.put("at", s(now.toString()));
        return item;
    }

    /** Earn of an order.paid event: GetItem of the profile, then one transaction of four items. */
    public void earn(String tenant, String programId, String customerId, String eventId, long totalMinor) {
        String ppk = programPk(tenant, programId);
        String cpk = customerPk(tenant, programId, customerId);
        Map<String, AttributeValue> p = ddb.getItem(b -> b.tableName(table).key(key(cpk, "P")).consistentRead(true)).item();
        long seq = num(p, "seq");
        long available = num(p, "available");
        long lifetime = num(p, "lifetimeEarned");
        AttributeValue tier = p.get("tier");
        long base = totalMinor / 100;
        long points = tier != null && "gold".equals(tier.s()) ? base * 2 : base;
        Instant now = Instant.now();
        String entryId = Ids.next(now.toEpochMilli());
        Instant expires = now.plus(Duration.ofDays(730));
        String breakdown = "[{\"ruleId\":\"purchase\",\"points\":" + base + "},{\"tierId\":\"gold\",\"points\":"
                + (points - base) + ",\"multiplier\":2}]";
        String body = "{\"customerId\":\"" + customerId + "\",\"entryId\":\"" + entryId + "\",\"pointsEarned\":" + points
                + ",\"breakdown\":" + breakdown + ",\"balance\":{\"available\":" + (available + points)
                + ",\"pending\":0,\"lifetimeEarned\":" + (lifetime + points) + "},\"tier\":{\"id\":\"gold\",\"changed\":false},"
                + "\"expiresAt\":\"" + expires + "\"}";
        String details = "{\"eventType\":\"order.paid\",\"eventId\":\"" + eventId + "\",\"occurredAt\":\"" + now
                + "\",\"breakdown\":" + breakdown + "}";

        Map<String, AttributeValue> ov = new HashMap<>();
        ov.put(":t", n(totalMinor));
        ov.put(":zero", n(0));
        ov.put(":p", n(points));
        ov.put(":c", s(customerId));
        Map<String, AttributeValue> lot = new HashMap<>();
        lot.put("r", n(points));
        lot.put("e", n(points));
        lot.put("a", s(now.toString()));
        lot.put("x", s(expires.toString()));
        lot.put("o", s(eventId));
        Map<String, AttributeValue> pv = new HashMap<>();
        pv.put(":one", n(1));
        pv.put(":now", s(now.toString()));
        pv.put(":seq", n(seq));
        pv.put(":pts", n(points));
        pv.put(":l0", AttributeValue.fromM(lot));
        Map<String, String> names = Map.of("#seq", "seq", "#u", "updatedAt", "#av", "available", "#lt", "lifetimeEarned",
                "#lots", "lots", "#l0", entryId);
        ddb.transactWriteItems(b -> b.transactItems(
                put(idempotency(ppk, "earn", "order.paid#" + eventId, 200, body, now)),
                put(ledger(cpk, customerId, entryId, now, "earn", points, "purchase", null, eventId, null, details)),
                update(key(cpk, "X#" + eventId), "SET totalMinor = if_not_exists(totalMinor, :t), refundedMinor = "
                        + "if_not_exists(refundedMinor, :zero), clawed = if_not_exists(clawed, :zero), customerId = :c "
                        + "ADD earned :p", null, null, ov),
                update(key(cpk, "P"), "SET #seq = #seq + :one, #u = :now, #av = #av + :pts, #lt = #lt + :pts, "
                        + "#lots.#l0 = :l0", "#seq = :seq", names, pv)));
    }

    /** Validate of one reward on an order: one consistent BatchGetItem of profile, order stack and reward budget. */
    public int validate(String tenant, String programId, String customerId, String orderId, String rewardId) {
        String ppk = programPk(tenant, programId);
        List<Map<String, AttributeValue>> keys = List.of(key(customerPk(tenant, programId, customerId), "P"),
                key(ppk + "#O#" + orderId, "STACK"), key(ppk, "BUDGET#reward#" + rewardId));
        var r = ddb.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
        return r.responses().getOrDefault(table, List.of()).size();
    }

    /**
     * Redeem of a reward on an order: GetItem of the profile (with its lots), then one transaction
     * of six items: idempotency record, profile (balance, lot, per-customer count), reward budget,
     * the order's stack, the redemption and the ledger entry. Returns false when the transaction
     * was cancelled (a conflict or a failed condition), having changed nothing.
     */
    public boolean redeem(String tenant, String programId, String customerId, String rewardId, String orderId,
                          String idempotencyKey, long cost, long discountMinor, long orderMinor) {
        String ppk = programPk(tenant, programId);
        String cpk = customerPk(tenant, programId, customerId);
        Map<String, AttributeValue> p = ddb.getItem(b -> b.tableName(table).key(key(cpk, "P")).consistentRead(true)).item();
        long seq = num(p, "seq");
        long available = num(p, "available");
        String lotId = null;
        Map<String, AttributeValue> lot = null;
        for (var e : p.get("lots").m().entrySet()) {
            if (num(e.getValue().m(), "r") >= cost) {
                lotId = e.getKey();
                lot = e.getValue().m();
                break;
            }
        }
        if (lotId == null) {
            throw new IllegalStateException("customer " + customerId + " has no lot with " + cost + " points");
        }
        long lotLeft = num(lot, "r") - cost;
        Instant now = Instant.now();
        String redemptionId = Ids.next(now.toEpochMilli());
        String entryId = Ids.next(now.toEpochMilli());
        String code = Ids.rewardCode();
        String body = "{\"redemptionId\":\"" + redemptionId + "\",\"rewardId\":\"" + rewardId + "\",\"customerId\":\""
                + customerId + "\",\"pointsSpent\":" + cost + ",\"discountMinor\":" + discountMinor + ",\"code\":\"" + code
                + "\",\"balance\":{\"available\":" + (available - cost) + ",\"pending\":0,\"lifetimeEarned\":"
                + num(p, "lifetimeEarned") + "}}";

        Map<String, AttributeValue> pv = new HashMap<>();
        pv.put(":cost", n(cost));
        pv.put(":one", n(1));
        pv.put(":zero", n(0));
        pv.put(":seq", n(seq));
        pv.put(":now", s(now.toString()));
        pv.put(":t0", n(lotLeft));
        Map<String, String> pn = Map.of("#av", "available", "#seq", "seq", "#u", "updatedAt", "#red", "redemptions",
                "#r", rewardId, "#lots", "lots", "#t0", lotId, "#rr", "r");
        Map<String, AttributeValue> bv = new HashMap<>();
        bv.put(":r", n(1));
        bv.put(":v", n(discountMinor));
        bv.put(":o", n(orderMinor));
        bv.put(":maxR", n(1_000_000_000L - 1));
        bv.put(":maxV", n(1_000_000_000_000L - discountMinor));
        bv.put(":maxO", n(10_000_000_000_000L - orderMinor));
        Map<String, AttributeValue> sv = new HashMap<>();
        sv.put(":one", n(1));
        sv.put(":f", AttributeValue.fromBool(false));
        sv.put(":rid", s(redemptionId));
        sv.put(":d", n(discountMinor));
        sv.put(":maxD", n(orderMinor - discountMinor));
        Map<String, AttributeValue> red = key(ppk + "#R#" + redemptionId, "R");
        red.put("customerId", s(customerId));
        red.put("rewardId", s(rewardId));
        red.put("cost", n(cost));
        red.put("valueMinor", n(discountMinor));
        red.put("orderMinor", n(orderMinor));
        red.put("discountMinor", n(discountMinor));
        red.put("budgeted", AttributeValue.fromBool(true));
        red.put("orderId", s(orderId));
        red.put("stackCategory", s("loyalty"));
        red.put("exclusive", AttributeValue.fromBool(false));
        red.put("status", s("redeemed"));
        red.put("code", s(code));
        red.put("at", s(now.toString()));
        red.put("lots", s("[{\"lotId\":\"" + lotId + "\",\"points\":" + cost + ",\"earned\":" + num(lot, "e")
                + ",\"earnedAt\":\"" + lot.get("a").s() + "\",\"expiresAt\":\"" + lot.get("x").s() + "\"}]"));
        try {
            ddb.transactWriteItems(b -> b.transactItems(
                    put(idempotency(ppk, "redeem", idempotencyKey, 201, body, now)),
                    update(key(cpk, "P"), "SET #av = #av - :cost, #seq = #seq + :one, #u = :now, #red.#r = "
                            + "if_not_exists(#red.#r, :zero) + :one, #lots.#t0.#rr = :t0",
                            "#seq = :seq AND #av >= :cost", pn, pv),
                    update(key(ppk, "BUDGET#reward#" + rewardId), "ADD redemptions :r, valueMinor :v, orderMinor :o",
                            "(attribute_not_exists(redemptions) OR redemptions <= :maxR) AND (attribute_not_exists(valueMinor)"
                                    + " OR valueMinor <= :maxV) AND (attribute_not_exists(orderMinor) OR orderMinor <= :maxO)",
                            null, bv),
                    update(key(ppk + "#O#" + orderId, "STACK"), "SET excl = if_not_exists(excl, :f), #c = :rid ADD n :one, "
                                    + "disc :d", "(attribute_not_exists(pk) OR (excl = :f AND attribute_not_exists(#c))) AND "
                                    + "(attribute_not_exists(disc) OR disc <= :maxD)",
                            Map.of("#c", "cat:loyalty"), sv),
                    put(red),
                    put(ledger(cpk, customerId, entryId, now, "redeem", -cost, null, rewardId, orderId, redemptionId, null))));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }
}
