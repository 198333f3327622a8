package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Lot;
import dev.laurel.domain.Spending;
import dev.laurel.store.Records.NotificationRecord;
import dev.laurel.store.Records.ProfileAfter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One update of a customer's profile item under construction: SET and REMOVE actions with their
 * names and values, lot changes merged per lot (so that no two paths overlap, which DynamoDB
 * refuses), and the after-state every profile write ends with: exact balances (every profile
 * write is conditional on {@code seq}), released pending lots, and the index keys that tell the
 * scheduled functions when they next have work for this customer.
 */
final class ProfileChange {
    final List<String> set = new ArrayList<>();
    final List<String> remove = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    /** lotId → null (remove the lot) or the field actions on it ("r" → value, "p" → null = remove). */
    private final Map<String, Map<String, AttributeValue>> lots = new LinkedHashMap<>();
    private final Map<String, AttributeValue> newLots = new LinkedHashMap<>();
    /** Every lot as the write leaves them (from {@link #after}): written whole when many lots change. */
    private List<Lot> all;
    private int n;

    /**
     * The one optimistic update of a profile: a change that bumps {@code seq} and sets the
     * after-state; {@link #write} adds it to a transaction conditional on the {@code seq} read.
     */
    static ProfileChange optimistic(String pk, ProfileAfter after, Instant now) {
        ProfileChange u = new ProfileChange();
        u.set("seq = seq + " + u.value(n(1)));
        u.after(pk, after, now);
        return u;
    }

    /** Adds this change to {@code tx}, conditional on the profile still being at {@code seq}; records {@code notified}. */
    void write(Tx tx, String pk, String customerId, long seq, List<NotificationRecord> notified) {
        String update = expression() + notified(notified);
        values.put(":seq", n(seq));
        tx.update(Tx.Role.PROFILE, customerId, Av.key(pk, Keys.PROFILE), update, "seq = :seq", names, values);
    }

    /**
     * {@link #write} for another customer's profile in the same transaction (a referral's other
     * party): under {@code role}, and also conditional on {@code condition} (null: none).
     */
    void write(Tx tx, Tx.Role role, String pk, String customerId, long seq, List<NotificationRecord> notified,
               String condition) {
        String update = expression() + notified(notified);
        values.put(":seq", n(seq));
        tx.update(role, customerId, Av.key(pk, Keys.PROFILE), update, "seq = :seq" + (condition == null ? "" : " AND (" + condition + ")"),
                names, values);
    }

    /** The ADD clause that records event reminders on the profile (empty when there are none). */
    private String notified(List<NotificationRecord> notifications) {
        if (notifications.isEmpty()) {
            return "";
        }
        List<String> ids = notifications.stream().map(NotificationRecord::id).distinct().toList();
        return " ADD notified " + value(AttributeValue.fromSs(ids));
    }

    /** Past this many changed lots, the write sets the whole lots map (one clause, whatever the number). */
    static final int LOTS_BY_CLAUSE = 20;

    String value(AttributeValue v) {
        String k = ":pc" + n++;
        values.put(k, v);
        return k;
    }

    ProfileChange set(String expression) {
        set.add(expression);
        return this;
    }

    /** A whole new lot. */
    void add(Lot lot) {
        newLots.put(lot.lotId(), lotValue(lot));
    }

    /** A lot emptied or expired: it leaves the map (whatever else changed on it). */
    void removeLot(String lotId) {
        lots.put(lotId, null);
    }

    private void field(String lotId, String field, AttributeValue v) {
        if (lots.containsKey(lotId) && lots.get(lotId) == null) {
            return;
        }
        lots.computeIfAbsent(lotId, k -> new LinkedHashMap<>()).put(field, v);
    }

    void takes(List<Spending.Take> takes) {
        for (Spending.Take t : takes) {
            if (t.empties()) {
                removeLot(t.lot().lotId());
            } else {
                field(t.lot().lotId(), "r", n(t.lot().remaining() - t.points()));
            }
        }
    }

    void reminded(Lot lot) {
        field(lot.lotId(), "n", Av.bool(true));
    }

    /** Balances, released lots and index keys as the write leaves the profile. */
    void after(String pk, ProfileAfter a, Instant now) {
        set.add("available = " + value(n(a.available())));
        set.add("pending = " + value(n(a.pending())));
        set.add("lifetimeEarned = " + value(n(a.lifetimeEarned())));
        set.add("updatedAt = " + value(s(now.toString())));
        for (Lot l : a.released()) {
            field(l.lotId(), "p", null);
        }
        all = a.lots();

        if (a.owed() > 0) {
            set.add("owed = " + value(n(a.owed())));
        } else {
            remove.add("owed");
        }
        for (dev.laurel.store.Records.DebtEntry d : a.debts()) {
            if (d.take() != null) {
                takes(List.of(d.take()));
            }
        }
        index(pk, a);
    }

    private void index(String pk, ProfileAfter a) {
        String[] ids = Keys.parseCustomer(pk);
        if (ids != null) {
            // the members index: set at creation; a profile created before the index gets it on its next write
            // (the same values ever after, so no later write changes the index)
            set.add(Index.LIST_KEY + " = if_not_exists(" + Index.LIST_KEY + ", " + value(s(Keys.program(ids[0], ids[1]))) + ")");
            set.add(Index.LIST_SORT + " = if_not_exists(" + Index.LIST_SORT + ", " + value(s(ids[2])) + ")");
        }
        if (a.dueAt() != null) {
            set.add(Index.DUE_SHARD + " = " + value(s(Index.dueShard(pk))));
            set.add(Index.DUE_AT + " = " + value(Index.at(a.dueAt())));
        } else {
            remove.add(Index.DUE_SHARD);
            remove.add(Index.DUE_AT);
        }
        if (a.remindAt() != null) {
            set.add(Index.REMIND_SHARD + " = " + value(s(Index.remindShard(pk))));
            set.add(Index.REMIND_AT + " = " + value(Index.at(a.remindAt())));
        } else {
            remove.add(Index.REMIND_SHARD);
            remove.add(Index.REMIND_AT);
        }
    }

    /** The index attributes of a profile item that is created whole. */
    static void index(Map<String, AttributeValue> item, String pk, ProfileAfter a) {
        String[] ids = Keys.parseCustomer(pk);
        if (ids != null) {
            item.put(Index.LIST_KEY, s(Keys.program(ids[0], ids[1])));
            item.put(Index.LIST_SORT, s(ids[2]));
        }
        if (a.dueAt() != null) {
            item.put(Index.DUE_SHARD, s(Index.dueShard(pk)));
            item.put(Index.DUE_AT, Index.at(a.dueAt()));
        }
        if (a.remindAt() != null) {
            item.put(Index.REMIND_SHARD, s(Index.remindShard(pk)));
            item.put(Index.REMIND_AT, Index.at(a.remindAt()));
        }
    }

    /** The update expression (attribute names aliased by {@link Tx}). */
    String expression() {
        if (all != null && newLots.size() + lots.size() > LOTS_BY_CLAUSE) {
            // many lots change (a large spend, rollback, refund, expiry or reminder): one clause of the whole
            // map, exact because every profile write is conditional on the seq it read
            Map<String, AttributeValue> m = new HashMap<>();
            for (Lot l : all) {
                m.put(l.lotId(), lotValue(l));
            }
            set.add("lots = " + value(AttributeValue.fromM(m)));
            return "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        }
        int i = 0;
        for (var e : newLots.entrySet()) {
            String name = "#nl" + i++;
            names.put(name, e.getKey());
            set.add("lots." + name + " = " + value(e.getValue()));
        }
        for (var e : lots.entrySet()) {
            if (newLots.containsKey(e.getKey())) {
                continue; // written whole above, as the write leaves it (a lot merged into): no overlapping paths
            }
            String name = "#lt" + i++;
            names.put(name, e.getKey());
            if (e.getValue() == null) {
                remove.add("lots." + name);
                continue;
            }
            for (var f : e.getValue().entrySet()) {
                if (f.getValue() == null) {
                    remove.add("lots." + name + "." + f.getKey());
                } else {
                    set.add("lots." + name + "." + f.getKey() + " = " + value(f.getValue()));
                }
            }
        }
        return "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
    }

    /** A lot as kept in the profile's {@code lots} map: r remaining, e earned, a earnedAt, x expiresAt, o orderId,
     *  p pendingUntil (while pending), n true once its expiry reminder is recorded. */
    static AttributeValue lotValue(Lot lot) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("r", n(lot.remaining()));
        m.put("e", n(lot.earned()));
        m.put("a", s(lot.earnedAt().toString()));
        if (lot.expiresAt() != null) {
            m.put("x", s(lot.expiresAt().toString()));
        }
        if (lot.orderId() != null) {
            m.put("o", s(lot.orderId()));
        }
        if (lot.pendingUntil() != null) {
            m.put("p", s(lot.pendingUntil().toString()));
        }
        if (lot.reminded()) {
            m.put("n", Av.bool(true));
        }
        return AttributeValue.fromM(m);
    }

    static Lot lot(String id, Map<String, AttributeValue> m) {
        String x = Av.str(m, "x");
        String p = Av.str(m, "p");
        AttributeValue rem = m.get("n");
        return new Lot(id, Av.num(m, "r"), Av.num(m, "e"), Instant.parse(Av.str(m, "a")), x == null ? null : Instant.parse(x),
                Av.str(m, "o"), p == null ? null : Instant.parse(p), rem != null && Boolean.TRUE.equals(rem.bool()));
    }
}
