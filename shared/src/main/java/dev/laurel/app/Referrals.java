package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Expiry;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Referral;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Spending;
import dev.laurel.json.Json;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The referral part of an earn or an upsert (API.md "Referrals"): the member's code (made at
 * enrolment, or at the next earn or upsert of a member stored without one), naming a referrer
 * (once, by a newcomer), and the award of both parties at the referee's first qualifying
 * {@code order.paid}, in the earn's own transaction.
 *
 * <p>Naming refuses a referrer already at {@code limits.perReferrer} completed referrals; the
 * limit is enforced exactly at the qualifying earn: the referrer's profile write is conditional on
 * its {@code seq} and on {@code referred < perReferrer}, so of referees racing for the last slot
 * one wins; the others' earns still succeed, without referral points, and their referral ends as
 * {@code referrer_limit}.
 */
final class Referrals {
    private Referrals() {
    }

    /** A write's referral decisions so far; {@link #write} is what the store writes. */
    static final class State {
        final Referral before;
        Referral after;
        String newCode;
        Customer referrer;
        Referral referrerReferral;
        Refusal refusal;
        Records.OtherParty other;
        /** The referee's award (null: none), and the referral points both got (for the answer). */
        Earned award;
        long refereePoints;

        State(Referral before) {
            this.before = before;
            this.after = before;
        }

        Records.ReferralWrite write() {
            return new Records.ReferralWrite(newCode, before, after, other);
        }
    }

    /**
     * Naming ({@code referredBy}, null when none) and the member's code. Reads the code's owner
     * and their profile only when a code is named.
     */
    static State start(CustomerStore store, String tenant, Program program, Customer before, Referral read, String referredBy,
                       String emailAfter) {
        State s = new State(read);
        if (referredBy != null && !(before.member() && referredBy.equals(read.referredBy()))) {
            if (program.referrals() == null) {
                s.refusal = new Refusal(Refusal.Code.NOT_ELIGIBLE, "referredBy: the program has no referrals",
                        Map.of("field", "referredBy", "reasons", List.of("disabled")));
                return s;
            }
            Optional<String> owner = store.referralCodeOwner(tenant, program.programId(), referredBy);
            String upper = referredBy.toUpperCase(java.util.Locale.ROOT);
            if (owner.isEmpty() && !upper.equals(referredBy)) {
                // generated codes are capitals: one typed in lower case is the same code (imported codes match as imported)
                owner = store.referralCodeOwner(tenant, program.programId(), upper);
                referredBy = owner.isPresent() ? upper : referredBy;
            }
            if (owner.isPresent()) {
                Records.EarnRead r = store.readForEarn(tenant, program.programId(), owner.get(), List.of());
                s.referrer = r.customer();
                s.referrerReferral = r.referral();
            }
            s.refusal = Referral.refusal(Referral.namingReasons(program.referrals(), before.member(), before.customerId(),
                    emailAfter, s.referrer, s.referrerReferral));
            if (s.refusal != null) {
                return s;
            }
            s.after = s.after.named(referredBy, owner.get());
        }
        if (s.after.code() == null) {
            s.newCode = Ids.referralCode();
            s.after = s.after.withCode(s.newCode);
        }
        return s;
    }

    /**
     * The award, when {@code ev} is the named referee's qualifying order: the referee's entry and
     * lot (pending with the order's own points: {@code pendingUntil}), the referrer's in the same
     * write. Returns the referee after it ({@code after} when there is no award).
     */
    static Customer award(State s, CustomerStore store, String tenant, Program program, Event ev, String orderId,
                          Instant pendingUntil, Customer after, List<Lot> lots, List<Entry> debts, Instant now) {
        Program.Referrals rules = program.referrals();
        if (!s.after.qualifies(rules, ev)) {
            return after;
        }
        if (s.referrer == null) {
            Records.EarnRead r = store.readForEarn(tenant, program.programId(), s.after.referrerId(), List.of());
            s.referrer = r.customer();
            s.referrerReferral = r.referral();
        }
        if (rules.perReferrer() != null && s.referrerReferral.referred() >= rules.perReferrer()) {
            s.after = s.after.withStatus(Referral.LIMITED);
            return after;
        }
        // the referee
        Credit mine = credit(program, after, lots, rules.refereePoints(), pendingUntil, Referral.refereeOrigin(orderId),
                details(orderId, "referrerId", s.after.referrerId(), pendingUntil), now);
        debts.addAll(mine.debts);
        s.award = mine.earned;
        s.refereePoints = rules.refereePoints();
        s.after = s.after.withStatus(Referral.COMPLETED).credited(rules.refereePoints(), 0);
        // the referrer
        Customer raw = s.referrer;
        Customer theirs = raw.current(now);
        List<Lot> theirLots = new ArrayList<>(theirs.lots());
        Credit their = credit(program, theirs, theirLots, rules.referrerPoints(), pendingUntil,
                Referral.referrerOrigin(after.customerId(), orderId),
                details(orderId, "refereeId", after.customerId(), pendingUntil), now);
        Records.ProfileAfter profile = Accounts.profileAfter(program, raw, their.after, theirLots, now,
                their.debts, null);
        s.other = new Records.OtherParty(theirs, s.referrerReferral, s.referrerReferral.credited(rules.referrerPoints(), 1),
                their.earned == null ? null : their.earned.entry(), their.earned == null ? null : their.earned.lot(), null,
                profile, Accounts.tierId(their.earned == null ? Earning.currentTier(program, their.after) : their.earned.plan().tierAfter()),
                rules.perReferrer(), their.earned == null ? Map.of() : their.earned.plan().capKeys());
        return mine.after;
    }

    /** A refund's cancellation of both pending awards: the referee's take and entry, and the write (other party included). */
    record Cancel(Spending.Take take, Entry entry, Records.ReferralWrite write) {
    }

    /**
     * A refund of the referee's qualifying {@code orderId} while the referral points are still
     * pending (inside the return window) cancels both awards and frees the referrer's slot; null
     * when there is nothing to cancel (another order, the window over, no referral).
     */
    static Cancel cancel(CustomerStore store, String tenant, Program program, Customer c, Referral referral, String orderId,
                         Instant now) {
        if (!Referral.COMPLETED.equals(referral.status())) {
            return null;
        }
        Lot mine = pendingLot(c, Referral.refereeOrigin(orderId));
        if (mine == null) {
            return null;
        }
        Records.EarnRead r = store.readForEarn(tenant, program.programId(), referral.referrerId(), List.of());
        Customer raw = r.customer();
        Customer theirs = raw.current(now);
        Lot their = pendingLot(theirs, Referral.referrerOrigin(c.customerId(), orderId));
        Records.OtherParty other = null;
        if (raw.member()) {
            long p = their == null ? 0 : their.remaining();
            Spending.Take take = their == null ? null : new Spending.Take(their, p);
            Entry entry = their == null ? null : new Entry(Ids.next(now.toEpochMilli()), Referral.ENTRY_TYPE, -p, now,
                    Referral.RULE_ID, null, null, null, Json.write(cancelled(orderId, "refereeId", c.customerId())));
            long lifetime = Math.max(0, theirs.lifetimeEarned() - p);
            Map<String, long[]> counters = new LinkedHashMap<>(); // a tier window: the award leaves its month, the tier may follow
            if (their != null) {
                dev.laurel.domain.TierWindow.takeBack(program, theirs, counters, their.earnedAt(), p);
            }
            Tier windowed = dev.laurel.domain.TierWindow.afterRefund(program, theirs, Earning.currentTier(program, theirs),
                    counters, now);
            Tier tier = windowed != null ? windowed : Earning.tierAfterRefund(program, theirs, lifetime);
            Customer after = theirs.after(theirs.seq(), Accounts.tierId(tier), theirs.available(), lifetime,
                    theirs.ruleCounts(), theirs.rulePoints(), theirs.redemptions());
            after = after.withLots(after.available(), theirs.pending() - p, lifetime, List.of());
            List<Lot> lots = take == null ? theirs.lots() : Spending.apply(theirs.lots(), List.of(take));
            other = new Records.OtherParty(theirs, r.referral(), r.referral().credited(-Math.min(p, r.referral().pointsEarned()),
                    r.referral().referred() > 0 ? -1 : 0), entry, null, take, Accounts.profileAfter(program, raw, after, lots, now),
                    Accounts.tierId(tier), null, counters);
        }
        long p = mine.remaining();
        Entry entry = new Entry(Ids.next(now.toEpochMilli()), Referral.ENTRY_TYPE, -p, now, Referral.RULE_ID, null, null, null,
                Json.write(cancelled(orderId, "referrerId", referral.referrerId())));
        Referral after = referral.withStatus(Referral.CANCELLED).credited(-Math.min(p, referral.pointsEarned()), 0);
        return new Cancel(new Spending.Take(mine, p), entry, new Records.ReferralWrite(null, referral, after, other));
    }

    private static Lot pendingLot(Customer c, String origin) {
        return c.lots().stream().filter(l -> l.pending() && l.remaining() > 0 && origin.equals(l.orderId())).findFirst()
                .orElse(null);
    }

    private static Map<String, Object> cancelled(String orderId, String otherKey, String otherId) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(otherKey, otherId);
        d.put("orderId", orderId);
        d.put("cancelled", true);
        return d;
    }

    private record Credit(Customer after, Earned earned, List<Entry> debts) {
    }

    /**
     * {@code points} of referral credited to {@code c}: a {@code referral} entry and a lot (merged
     * into {@code lots}), pending until {@code pendingUntil} (null: available at once, paying a
     * debt first, as every credit does); lifetimeEarned and the tier follow.
     */
    private static Credit credit(Program program, Customer c, List<Lot> lots, long points, Instant pendingUntil,
                                 String origin, Map<String, Object> details, Instant now) {
        List<Entry> debts = new ArrayList<>();
        if (points == 0) {
            return new Credit(c, null, debts);
        }
        String entryId = Ids.next(now.toEpochMilli());
        boolean pending = pendingUntil != null;
        Customer after = c.after(c.seq(), c.tierId(), pending ? c.available() : Arith.add(c.available(), points),
                Arith.add(c.lifetimeEarned(), points), c.ruleCounts(), c.rulePoints(), c.redemptions());
        after = after.withLots(after.available(), pending ? Arith.add(c.pending(), points) : c.pending(),
                after.lifetimeEarned(), List.of()).withOwed(c.owed());
        Tier tier = Earning.currentTier(program, after);
        Map<String, long[]> counters = new LinkedHashMap<>();
        Map<String, Long> rulePoints = after.rulePoints();
        String bucket = dev.laurel.domain.TierWindow.bucket(program, now);
        if (bucket != null) { // a tier window: the award counts in this month's points, and may upgrade
            counters.put(bucket, new long[] {0, points});
            Map<String, Long> counted = new java.util.HashMap<>(rulePoints);
            counted.merge(bucket, points, Arith::add);
            Tier reached = program.tierFor(dev.laurel.domain.TierWindow.points(program,
                    c.after(c.seq(), c.tierId(), c.available(), c.lifetimeEarned(), c.ruleCounts(), counted, c.redemptions()), now));
            if (reached != null && (tier == null || reached.threshold() > tier.threshold())) {
                tier = reached;
                counters.put(dev.laurel.domain.TierWindow.SINCE, dev.laurel.domain.TierWindow.sinceDelta(program, c, now));
            }
            rulePoints = counted;
        }
        after = after.after(after.seq(), Accounts.tierId(tier), after.available(), after.lifetimeEarned(),
                after.ruleCounts(), rulePoints, after.redemptions());
        Integer days = program.expiryDaysFor(tier);
        Instant expiresAt = days == null ? null
                : Expiry.endOfDay(now.atZone(program.timezone()).toLocalDate().plusDays(days), program.timezone());
        Lot lot = new Lot(entryId, points, points, now, expiresAt, origin, pendingUntil, false);
        if (!pending) { // a pending award pays no debt until it is released
            Debts.Credited paid = Debts.payFirst(after, lot, entryId, now, debts);
            lot = paid.lot();
            after = paid.after();
        }
        Entry entry = new Entry(entryId, Referral.ENTRY_TYPE, points, now, Referral.RULE_ID, null, null, null, Json.write(details));
        Event ev = new Event(Referral.ENTRY_TYPE, entryId, now, null, Map.of());
        Earning.Plan plan = new Earning.Plan(ev, points, List.of(), counters, Map.of(), Map.of(), null, tier, expiresAt,
                after.lifetimeEarned());
        return new Credit(after, new Earned(plan, entry, lot == null ? null : Lots.add(lots, lot, now), null, null), debts);
    }

    private static Map<String, Object> details(String orderId, String otherKey, String otherId, Instant pendingUntil) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(otherKey, otherId);
        d.put("orderId", orderId);
        if (pendingUntil != null) {
            d.put("pendingUntil", pendingUntil.toString());
        }
        return d;
    }
}
