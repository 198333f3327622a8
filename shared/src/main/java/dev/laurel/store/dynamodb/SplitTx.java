package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.SubCounters;
import dev.laurel.domain.SubCounters.Caps;
import dev.laurel.domain.SubCounters.Sub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A hot budget's (re-)split: one transaction over all its sub-counters that stores each one's share
 * ({@code capR/capV/capO}) and the room left under it ({@code roomR/roomV/roomO} = share - use, set from
 * the stored use in the same write), conditional on the split it replaces ({@code splitSeq}) and on
 * each sub-counter's use not passing its new share. A charge then only needs its sub-counter's room
 * ({@link RedeemTx}): the shares sum to the limit, and no use stands above its share.
 */
final class SplitTx {
    private static final String[] DIMS = {"R", "V", "O"};
    private static final String[] USED = {"redemptions", "valueMinor", "orderMinor"};

    private SplitTx() {
    }

    /** A sub-counter item as read (null: never written). */
    static Sub sub(Map<String, AttributeValue> item) {
        if (item == null) {
            return Sub.unsplit(Budgets.Used.NONE);
        }
        Budgets.Used used = new Budgets.Used(num(item, "redemptions"), num(item, "valueMinor"), num(item, "orderMinor"));
        if (!item.containsKey("splitSeq")) {
            return Sub.unsplit(used);
        }
        return new Sub(used, true, num(item, "splitSeq"), num(item, "splitVersion"), str(item, "splitLimits"),
                new Caps(cap(item, "capR"), cap(item, "capV"), cap(item, "capO")), item.containsKey("closed"));
    }

    private static Long cap(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? num(item, name) : null;
    }

    /** The keys of a reward budget's {@link Budgets#SUB_COUNTERS} sub-counters. */
    static List<Map<String, AttributeValue>> keys(String tenant, String programId, String rewardId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < Budgets.SUB_COUNTERS; i++) {
            keys.add(Keys.rewardBudget(tenant, programId, rewardId, i));
        }
        return keys;
    }

    /** The sub-counters of a reward budget, read consistently (one BatchGetItem). */
    static List<Sub> read(DynamoDbClient ddb, String table, String tenant, String programId, String rewardId) {
        List<Map<String, AttributeValue>> keys = keys(tenant, programId, rewardId);
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        Reads.batchGet(ddb, table, keys, null).forEach(i -> items.put(str(i, "pk") + "|" + str(i, "sk"), i));
        return subs(keys, items);
    }

    /** The sub-counters among items read (keyed {@code pk|sk}), in order. */
    static List<Sub> subs(List<Map<String, AttributeValue>> keys, Map<String, Map<String, AttributeValue>> items) {
        List<Sub> subs = new ArrayList<>();
        for (Map<String, AttributeValue> k : keys) {
            subs.add(sub(items.get(k.get("pk").s() + "|" + k.get("sk").s())));
        }
        return subs;
    }

    /**
     * Re-splits {@code limits} over the sub-counters as read: evenly, or with {@code need} on top for
     * sub-counter {@code k} (k >= 0); closed when a limit is already passed. Returns false when the
     * sub-counters changed meanwhile (another split, or a use past its new share): read again.
     */
    static boolean resplit(DynamoDbClient ddb, String table, String tenant, String programId, String rewardId,
                           List<Sub> subs, Caps limits, long version, int k, Budgets.Used need) {
        List<Caps> shares = SubCounters.shares(subs, limits, k, need);
        long seq = SubCounters.split(subs) ? subs.get(0).seq() + 1 : 1;
        // the version a split follows never goes back (a stale program re-splitting a newer split's limits)
        long ver = SubCounters.split(subs) ? Math.max(version, subs.get(0).version()) : version;
        Tx tx = new Tx(table);
        for (int i = 0; i < subs.size(); i++) {
            Sub sub = subs.get(i);
            Map<String, AttributeValue> v = new HashMap<>();
            List<String> set = new ArrayList<>(List.of("splitSeq = :seq", "splitVersion = :ver", "splitLimits = :lim"));
            List<String> remove = new ArrayList<>();
            List<String> cond = new ArrayList<>();
            v.put(":seq", n(seq));
            v.put(":ver", n(ver));
            v.put(":lim", s(SubCounters.tag(limits)));
            if (sub.split()) {
                cond.add("splitSeq = :was");
                v.put(":was", n(sub.seq()));
            } else {
                cond.add("attribute_not_exists(splitSeq)");
            }
            if (shares == null) {
                set.add("closed = :t");
                v.put(":t", Av.bool(true));
            } else {
                remove.add("closed");
                Caps c = shares.get(i);
                Long[] caps = {c.redemptions(), c.valueMinor(), c.orderMinor()};
                v.put(":zero", n(0));
                for (int d = 0; d < 3; d++) {
                    String D = DIMS[d];
                    if (caps[d] == null) {
                        remove.add("cap" + D);
                        continue;
                    }
                    v.put(":c" + D, n(caps[d]));
                    set.add("cap" + D + " = :c" + D);
                    set.add("room" + D + " = :c" + D + " - if_not_exists(" + USED[d] + ", :zero)");
                    cond.add("(attribute_not_exists(" + USED[d] + ") OR " + USED[d] + " <= :c" + D + ")");
                }
            }
            String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
            tx.update(Tx.Role.REWARD_BUDGET, rewardId + "#" + i, Keys.rewardBudget(tenant, programId, rewardId, i),
                    update, String.join(" AND ", cond), null, v);
        }
        return tx.run(ddb, null) == null;
    }
}
