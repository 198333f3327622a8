package dev.laurel.it.model;

import dev.laurel.it.model.Model.Lot;
import dev.laurel.it.model.Model.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 12 in the reference: naming a referrer, the award of both parties at the referee's first
 * qualifying order (pending with the order's points), the referrer's limit, and the cancellation of
 * both by a refund of that order inside its return window.
 */
final class ModelReferrals {
    private ModelReferrals() {
    }

    /** A newcomer's upsert naming {@code op.referrer()}; a member naming the referrer they named is a plain upsert. */
    static Expect refer(Model model, Op.Refer op, Instant now) {
        Member m = model.member(op.c());
        if (!(m.member && op.referrer().equals(m.referrer))) {
            Member r = model.members.get(op.referrer());
            List<String> reasons = new ArrayList<>();
            if (m.member) {
                reasons.add("already_member");
            }
            if (r == null || !r.member) {
                reasons.add("unknown_referral_code");
            } else {
                if (r.id.equals(m.id)) {
                    reasons.add("self_referral");
                }
                if (r.referred >= Model.PER_REFERRER) {
                    reasons.add("referrer_limit");
                }
            }
            if (!reasons.isEmpty()) {
                return Expect.error(422, "not_eligible");
            }
            m.referrer = r.id;
            m.referralStatus = "named";
        }
        return model.upsert(new Op.Upsert(m.id, m.country, m.consent), now);
    }

    /** The award when this earn is the named referee's qualifying order; whether it was given. */
    static boolean award(Model model, Member m, String type, String orderId, Long orderTotal, Lot lot, Instant occurredAt,
                         Instant now) {
        if (!"named".equals(m.referralStatus) || !"order.paid".equals(type) || orderTotal == null
                || orderTotal < Model.REFERRAL_MIN_ORDER) {
            return false;
        }
        Member r = model.members.get(m.referrer);
        if (r.referred >= Model.PER_REFERRER) {
            m.referralStatus = "referrer_limit";
            return false;
        }
        Instant pendingUntil = lot != null ? lot.pendingUntil : pendingUntil(model, occurredAt, now);
        credit(model, m, Model.REFEREE_POINTS, pendingUntil, "referral#" + orderId, now);
        m.referralStatus = "completed";
        long before = model.reminders.before(r, now);
        Spec.Tier tierBefore = model.tier(r);
        model.settle(r, now);
        credit(model, r, Model.REFERRER_POINTS, pendingUntil, "referral#" + m.id + "#" + orderId, now);
        r.referred++;
        Model.recorded(r);
        model.reminders.wrote(r, before, tierBefore, now, true);
        return true;
    }

    private static Instant pendingUntil(Model model, Instant occurredAt, Instant now) {
        if (model.spec.pendingDays() == null) {
            return null;
        }
        Instant until = model.endOfDay(occurredAt.atZone(model.zone).toLocalDate().plusDays(model.spec.pendingDays()));
        return until.isAfter(now) ? until : null;
    }

    private static Spec.Tier stored(Model model, Member x) {
        return x.storedTier == null ? null
                : model.spec.tierList().stream().filter(t -> t.id().equals(x.storedTier)).findFirst().orElse(null);
    }

    /** Referral points credited: lifetime and the stored tier follow; a lot (expiring by that tier); a debt paid first. */
    private static void credit(Model model, Member x, long points, Instant pendingUntil, String origin, Instant now) {
        x.lifetime += points;
        Spec.Tier tier;
        if (ModelGrowth.windowed(model)) { // issue 12: the award counts in this month's window points, and may upgrade
            Spec.Tier before = model.tier(x);
            tier = ModelGrowth.reached(model, x, before, points, now);
            ModelGrowth.credited(model, x, points, before, tier, now);
        } else {
            tier = model.spec.tiers() ? Model.higher(stored(model, x), model.tierFor(x.lifetime)) : null;
        }
        x.storedTier = Model.tierId(tier);
        Integer days = tier != null && tier.expiryDays() != null ? tier.expiryDays() : model.spec.expiryDays();
        Instant expiresAt = days == null ? null : model.endOfDay(now.atZone(model.zone).toLocalDate().plusDays(days));
        Lot lot = model.newLot(points, now, expiresAt, origin, pendingUntil);
        model.mergeInto(x, lot, now);
        x.lots.add(lot);
        if (pendingUntil == null) {
            Model.payDebt(x, List.of(lot));
        }
        x.ledger.merge("referral", points, Long::sum);
        x.referralPoints += points;
    }

    /** A refund of {@code orderId} by the referee inside its window cancels both awards; the referee's points cancelled. */
    static long cancel(Model model, Member m, String orderId, Instant now) {
        if (!"completed".equals(m.referralStatus)) {
            return 0;
        }
        Lot mine = pendingLot(m, "referral#" + orderId, now);
        if (mine == null) {
            return 0;
        }
        long p = mine.remaining;
        mine.remaining = 0;
        // issue 12: cancelled points leave the window's month they counted in, as a refund's do
        ModelGrowth.takenBack(model, m, java.time.YearMonth.from(mine.earnedAt.atZone(model.zone)), p, now);
        m.ledger.merge("referral", -p, Long::sum);
        m.referralPoints -= Math.min(p, m.referralPoints);
        m.referralStatus = "cancelled";
        Member r = model.members.get(m.referrer);
        long before = model.reminders.before(r, now);
        Spec.Tier tierBefore = model.tier(r);
        model.settle(r, now);
        Lot theirs = pendingLot(r, "referral#" + m.id + "#" + orderId, now);
        long q = theirs == null ? 0 : theirs.remaining;
        if (theirs != null) {
            theirs.remaining = 0;
        }
        Spec.Tier current = model.spec.tiers() ? Model.higher(stored(model, r), model.tierFor(r.lifetime)) : null;
        r.lifetime = Math.max(0, r.lifetime - q);
        Spec.Tier byPoints = model.tierFor(r.lifetime);
        if (ModelGrowth.windowed(model)) {
            if (theirs != null) {
                ModelGrowth.takenBack(model, r, java.time.YearMonth.from(theirs.earnedAt.atZone(model.zone)), q, now);
            }
        } else if (current != null) {
            r.storedTier = (byPoints != null && byPoints.threshold() < current.threshold() ? byPoints : current).id();
        }
        r.ledger.merge("referral", -q, Long::sum);
        r.referralPoints -= Math.min(q, r.referralPoints);
        if (r.referred > 0) {
            r.referred--;
        }
        Model.recorded(r);
        model.reminders.wrote(r, before, tierBefore, now, false);
        return p;
    }

    private static Lot pendingLot(Member x, String origin, Instant now) {
        return x.lots.stream().filter(l -> l.pendingUntil != null && l.remaining > 0 && Model.live(l, now) && origin.equals(l.orderId))
                .findFirst().orElse(null);
    }
}
