package dev.laurel.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A member's side of refer-a-friend (API.md "Referrals"): their own {@code code}; as a referee, the
 * code they named ({@code referredBy}), its owner ({@code referrerId}) and how it stands
 * ({@code status}); as a referrer, how many referrals completed ({@code referred}, what
 * {@code limits.perReferrer} counts); and the referral points they hold ({@code pointsEarned},
 * both sides, less what refunds cancelled). Pure decisions of naming and qualifying.
 */
public record Referral(String code, String referredBy, String referrerId, String status, long referred,
                       long pointsEarned) {
    public static final Referral NONE = new Referral(null, null, null, null, 0, 0);

    /** Named, waiting for the referee's first qualifying order. */
    public static final String NAMED = "named";
    /** Both got their points. */
    public static final String COMPLETED = "completed";
    /** The referrer reached their limit before this referee qualified (decided at the qualifying earn). */
    public static final String LIMITED = "referrer_limit";
    /** A refund of the qualifying order inside its return window cancelled both awards. */
    public static final String CANCELLED = "cancelled";

    /** The ledger entry type of referral points, both sides. */
    public static final String ENTRY_TYPE = "referral";
    /** The rule id reports count referral points under (pointsIssued, rules[]). */
    public static final String RULE_ID = "referral";

    /** {@code not_eligible} reasons of naming (API.md Part 2). */
    public static final String UNKNOWN_CODE = "unknown_referral_code";
    public static final String SELF = "self_referral";
    public static final String ALREADY_MEMBER = "already_member";
    public static final String REFERRER_LIMIT = "referrer_limit";

    /** Symbols in a generated referral code (from {@link Ids#CODE_ALPHABET}: about 49 bits). */
    public static final int CODE_SYMBOLS = 10;

    public Referral {
        if (referred < 0 || pointsEarned < 0) {
            throw new IllegalStateException("referral counters below zero");
        }
    }

    public Referral withCode(String c) {
        return new Referral(c, referredBy, referrerId, status, referred, pointsEarned);
    }

    public Referral named(String byCode, String byCustomerId) {
        return new Referral(code, byCode, byCustomerId, NAMED, referred, pointsEarned);
    }

    public Referral withStatus(String s) {
        return new Referral(code, referredBy, referrerId, s, referred, pointsEarned);
    }

    /** This member having earned (or, negative, lost) {@code points} of referral points and {@code completed} referrals. */
    public Referral credited(long points, long completed) {
        return new Referral(code, referredBy, referrerId, status, Arith.add(referred, completed),
                Arith.add(pointsEarned, points));
    }

    /**
     * An e-mail address in the form self-referral is judged by: trimmed, lower-case, a {@code +tag}
     * of the local part removed (for the comparison only: the stored address keeps it). Null stays null.
     */
    public static String normalEmail(String email) {
        if (email == null) {
            return null;
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        if (at < 0) {
            return e;
        }
        String local = e.substring(0, at);
        int plus = local.indexOf('+');
        return (plus < 0 ? local : local.substring(0, plus)) + e.substring(at);
    }

    /**
     * Why a customer may not name a referrer (empty: they may). {@code member}: the customer is
     * already a member; {@code referrer}: the code's owner (null: no member has that code), with
     * their {@code referrerReferral}; {@code email}: the customer's address as the write leaves it.
     */
    public static List<String> namingReasons(Program.Referrals rules, boolean member, String customerId, String email,
                                             Customer referrer, Referral referrerReferral) {
        List<String> reasons = new ArrayList<>();
        if (member) {
            reasons.add(ALREADY_MEMBER);
        }
        if (referrer == null || !referrer.member()) {
            reasons.add(UNKNOWN_CODE);
            return reasons;
        }
        String mine = normalEmail(email);
        if (referrer.customerId().equals(customerId) || (mine != null && mine.equals(normalEmail(referrer.email())))) {
            reasons.add(SELF);
        }
        if (rules.perReferrer() != null && referrerReferral.referred() >= rules.perReferrer()) {
            reasons.add(REFERRER_LIMIT);
        }
        return reasons;
    }

    /** The refusal of a naming, or null when {@code reasons} is empty. */
    public static Refusal refusal(List<String> reasons) {
        if (reasons.isEmpty()) {
            return null;
        }
        return new Refusal(Refusal.Code.NOT_ELIGIBLE, "referredBy: this customer cannot name that referrer ("
                + String.join(", ", reasons) + ")", Map.of("field", "referredBy", "reasons", List.copyOf(reasons)));
    }

    /** Whether {@code event} is the named referee's qualifying order: an {@code order.paid} of at least the minimum. */
    public boolean qualifies(Program.Referrals rules, Event event) {
        return rules != null && NAMED.equals(status) && Event.ORDER_PAID.equals(event.type()) && event.order() != null
                && event.order().totalMinor() >= rules.minOrderMinor();
    }

    /** The lot origin of a referee's referral points for their qualifying {@code orderId} (never an order id: {@code #}). */
    public static String refereeOrigin(String orderId) {
        return "referral#" + orderId;
    }

    /** The lot origin of a referrer's referral points for {@code refereeId}'s qualifying {@code orderId}. */
    public static String referrerOrigin(String refereeId, String orderId) {
        return "referral#" + refereeId + "#" + orderId;
    }
}
