package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.num;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.domain.Referral;
import dev.laurel.store.Records.OtherParty;
import dev.laurel.store.Records.ReferralWrite;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Referrals in the table (issue 12). A code is an item {@code T#t#P#p#REF#code} / {@code REF}
 * ({@code customerId}), put on {@code attribute_not_exists} by the write that gives the member the
 * code (imports: {@link ImportItems}), so a code is unique in its program. The profile keeps
 * {@code referralCode}, and {@code referredBy}, {@code referrerId}, {@code referralStatus},
 * {@code referred} (completed referrals as referrer: what {@code limits.perReferrer} counts) and
 * {@code referralPoints}. The other party of an award or a cancellation is written in the same
 * transaction, conditional on its {@code seq} and, for an award, on {@code referred} below the limit.
 */
final class ReferralItems {
    static final String SK = "REF";

    private ReferralItems() {
    }

    /** The member a code belongs to (one consistent GetItem), if any. */
    static Optional<String> owner(DynamoDbClient ddb, String table, String tenant, String programId, String code) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Av.key(ImportItems.referralCode(tenant, programId, code), SK)).consistentRead(true));
        return r.hasItem() && !r.item().isEmpty() ? Optional.ofNullable(str(r.item(), "customerId")) : Optional.empty();
    }

    /** A code for a member stored without one ({@link dev.laurel.store.CustomerStore#giveReferralCode}). */
    static dev.laurel.store.Commit give(DynamoDbClient ddb, String table, String tenant, String programId, String customerId,
                                        long seq, String code, Instant now) {
        Tx tx = new Tx(table);
        Referral none = Referral.NONE;
        add(tx, tenant, programId, customerId, new ReferralWrite(code, none, none.withCode(code), null), 0, now);
        tx.update(Tx.Role.PROFILE, customerId, Av.key(Keys.customer(tenant, programId, customerId), Keys.PROFILE),
                "SET referralCode = :c, seq = seq + :one", "seq = :seq AND attribute_not_exists(referralCode)", null,
                Map.of(":c", s(code), ":one", n(1), ":seq", n(seq)));
        return tx.commit(ddb, null);
    }

    /** A profile item's referral state. */
    static Referral referral(Map<String, AttributeValue> profile) {
        if (profile == null) {
            return Referral.NONE;
        }
        return new Referral(str(profile, "referralCode"), str(profile, "referredBy"), str(profile, "referrerId"),
                str(profile, "referralStatus"), num(profile, "referred"), num(profile, "referralPoints"));
    }

    /** A new profile's referral attributes. */
    static void fields(Map<String, AttributeValue> item, ReferralWrite r) {
        if (r == null) {
            return;
        }
        Referral a = r.after();
        Writes.putIf(item, "referralCode", a.code());
        Writes.putIf(item, "referredBy", a.referredBy());
        Writes.putIf(item, "referrerId", a.referrerId());
        Writes.putIf(item, "referralStatus", a.status());
        item.put("referred", n(a.referred()));
        item.put("referralPoints", n(a.pointsEarned()));
    }

    /** An existing profile's referral attributes that {@code r} changes. */
    static void fields(ProfileChange u, ReferralWrite r) {
        if (r == null) {
            return;
        }
        Referral b = r.before();
        Referral a = r.after();
        set(u, "referralCode", b.code(), a.code());
        set(u, "referredBy", b.referredBy(), a.referredBy());
        set(u, "referrerId", b.referrerId(), a.referrerId());
        set(u, "referralStatus", b.status(), a.status());
        if (a.referred() != b.referred()) {
            u.set("referred = " + u.value(n(a.referred())));
        }
        if (a.pointsEarned() != b.pointsEarned()) {
            u.set("referralPoints = " + u.value(n(a.pointsEarned())));
        }
    }

    private static void set(ProfileChange u, String name, String before, String after) {
        if (after != null && !after.equals(before)) {
            u.set(name + " = " + u.value(s(after)));
        }
    }

    /** The code item of a new code, and the other party's writes, added to {@code tx}. */
    static void add(Tx tx, String tenant, String programId, String customerId, ReferralWrite r, long programVersion,
                    Instant now) {
        if (r == null) {
            return;
        }
        if (r.newCode() != null) {
            Map<String, AttributeValue> code = Av.key(ImportItems.referralCode(tenant, programId, r.newCode()), SK);
            code.put("customerId", s(customerId));
            code.put("code", s(r.newCode()));
            code.put("at", s(now.toString()));
            tx.put(Tx.Role.REFERRAL_CODE, r.newCode(), code, "attribute_not_exists(pk)", null, null);
        }
        OtherParty o = r.other();
        if (o == null) {
            return;
        }
        String id = o.before().customerId();
        String opk = Keys.customer(tenant, programId, id);
        long seq = o.before().seq();
        if (o.entry() != null) {
            Writes.ledgerEntry(tx, opk, id, o.entry(), programVersion, seq + 1);
        }
        ProfileChange u = ProfileChange.optimistic(opk, o.after(), now);
        if (o.lot() != null) {
            u.add(o.lot());
        }
        if (o.take() != null) {
            u.takes(List.of(o.take()));
        }
        if (o.tierAfter() != null && !o.tierAfter().equals(o.before().tierId())) {
            u.set("tier = " + u.value(s(o.tierAfter())));
        }
        int i = 0;
        for (var c : o.counters().entrySet()) { // a tier window's month counter (and since when the tier stands)
            String k = "#oc" + i++;
            u.names.put(k, c.getKey());
            u.set("rulePoints." + k + " = if_not_exists(rulePoints." + k + ", " + u.value(n(0)) + ") + " + u.value(n(c.getValue()[1])));
        }
        fields(u, new ReferralWrite(null, o.referralBefore(), o.referralAfter(), null));
        String limit = null;
        if (o.maxReferred() != null && o.referralAfter().referred() > o.referralBefore().referred()) {
            // the counter's own condition, besides seq: a referrer never passes limits.perReferrer
            limit = "attribute_not_exists(referred) OR referred < " + u.value(n(o.maxReferred()));
        }
        u.write(tx, Tx.Role.REFERRER, opk, id, seq, o.after().notifications(), limit);
        Writes.notifications(tx, opk, id, o.after().notifications());
        Writes.debts(tx, opk, id, o.after(), seq + 1);
    }
}
