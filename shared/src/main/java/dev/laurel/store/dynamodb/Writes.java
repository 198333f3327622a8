package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Spending;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The items every kind of transaction may carry: the idempotency record, ledger entries, queued reminders. */
final class Writes {
    /** A ledger entry's profile seq after its write, and its ordinal within the write. */
    static final String SEQ = "seq";
    static final String ORD = "ord";

    private Writes() {
    }

    /**
     * A write that spends lots and records one entry: the profile (conditional on {@code c}'s seq, the
     * lots {@code takes} spends), its queued notifications, the entry and the debt payments the write releases.
     */
    static void spend(Tx tx, String cpk, Customer c, Records.ProfileAfter after, List<Spending.Take> takes, Entry entry,
                      long programVersion, Instant now) {
        ProfileChange u = ProfileChange.optimistic(cpk, after, now);
        u.takes(takes);
        u.write(tx, cpk, c.customerId(), c.seq(), after.notifications());
        notifications(tx, cpk, c.customerId(), after.notifications());
        ledgerEntry(tx, cpk, c.customerId(), entry, programVersion, c.seq() + 1);
        debts(tx, cpk, c.customerId(), after, c.seq() + 1);
    }

    /** The idempotency record with the first answer, conditional on not existing (none when {@code idem} is null). */
    static void idempotency(Tx tx, String tenant, String programId, Idempotency idem, Instant now) {
        if (idem == null) {
            return;
        }
        Map<String, AttributeValue> item = Av.key(Keys.idempotency(tenant, programId, idem.scope(), idem.key()), "I");
        item.put("requestHash", s(idem.requestHash()));
        item.put("status", n(idem.status()));
        item.put("body", s(idem.body()));
        item.put("at", s(now.toString()));
        tx.put(Tx.Role.IDEMPOTENCY, idem.key(), item, "attribute_not_exists(pk)", null, null);
    }

    /**
     * A ledger entry, conditional on not existing. It records {@code seq}, the customer's profile
     * {@code seq} as this write leaves it (every write of a customer bumps it by one, in the same
     * transaction), and {@code ord}, its place among the entries of this write: together they
     * order one customer's entries (outbound webhooks' {@code sequence}).
     */
    static void ledgerEntry(Tx tx, String cpk, String customerId, Entry e, long programVersion, long seqAfter) {
        Map<String, AttributeValue> item = Av.key(cpk, Keys.ledger(e.at().toEpochMilli(), e.entryId()));
        item.put(SEQ, n(seqAfter));
        item.put(ORD, n(tx.count(Tx.Role.LEDGER)));
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

    /** The debt payments a write records (see {@link Records.ProfileAfter#debts}). */
    static void debts(Tx tx, String cpk, String customerId, Records.ProfileAfter after, long seqAfter) {
        for (Records.DebtEntry d : after.debts()) {
            ledgerEntry(tx, cpk, customerId, d.entry(), d.programVersion(), seqAfter);
        }
    }

    static void putIf(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    /** Queues reminders recorded with a write (each at most once: its id is the item's key). */
    static void notifications(Tx tx, String cpk, String customerId, List<Records.NotificationRecord> notifications) {
        for (Records.NotificationRecord r : notifications) {
            Map<String, AttributeValue> item = Av.key(cpk, Keys.notification(r.id()));
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
}
