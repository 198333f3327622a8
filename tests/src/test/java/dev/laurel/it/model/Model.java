package dev.laurel.it.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The reference: API.md's semantics for one program, in memory, written to be obviously right
 * rather than fast. Members hold lots; balances are sums over lots, never stored apart. Earning
 * here, rewards and refunds in {@link ModelRewards}. Every public-ish method takes the instant
 * of the call and answers the {@link Expect} of the real call.
 */
final class Model {
    static final class Lot {
        final long seq;
        long remaining;
        final Instant earnedAt;
        final Instant expiresAt;
        final String orderId;
        Instant pendingUntil;
        /** When its return window ended, once a read or write has seen it released. */
        Instant releasedAt;
        /** Its points_expiring reminder is recorded (or its day's was). */
        boolean reminded;

        Lot(long seq, long remaining, Instant earnedAt, Instant expiresAt, String orderId, Instant pendingUntil) {
            this.seq = seq;
            this.remaining = remaining;
            this.earnedAt = earnedAt;
            this.expiresAt = expiresAt;
            this.orderId = orderId;
            this.pendingUntil = pendingUntil;
        }
    }

    static final class Member {
        final String id;
        boolean member;
        String country;
        boolean consent;
        String storedTier;
        long lifetime;
        long owed;
        /** Debt paid by pending points released since the member's last write: the next write (or run) records it. */
        long unrecordedDebt;
        final List<Lot> lots = new ArrayList<>();
        final Map<String, Long> capCount = new HashMap<>();
        final Map<String, Long> capPoints = new HashMap<>();
        final Map<String, Long> redemptions = new HashMap<>();
        final Map<String, Long> ledger = new TreeMap<>();
        /** Issue 16: the last write of the member (what "before the release" means), and its remind-index key then. */
        Instant lastWrite;
        Instant remindAt;
        /** Event reminders recorded (never again), points_expiring days recorded, and reminders queued: {id, type, points}. */
        final java.util.Set<String> notified = new java.util.HashSet<>();
        final java.util.Set<LocalDate> expiringDays = new java.util.HashSet<>();
        final List<Object[]> queue = new ArrayList<>();
        /** Issue 12: the referrer named, how it stands, completed referrals as referrer, referral points held. */
        String referrer;
        String referralStatus;
        long referred;
        long referralPoints;
        /** Issue 12: order statistics, tier window counters, double opt-in ({@link ModelGrowth}). */
        final ModelGrowth.State g = new ModelGrowth.State();

        Member(String id) {
            this.id = id;
        }
    }

    /** Soonest expiry first (never-expiring last), then oldest, then first made. */
    static final Comparator<Lot> SPEND_ORDER = Comparator
            .comparing((Lot l) -> l.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(l -> l.earnedAt).thenComparingLong(l -> l.seq);

    /** Issue 12: every generated program's {@code referrals} ({@link Spec#json}). */
    static final long REFERRER_POINTS = 30;
    static final long REFEREE_POINTS = 20;
    static final long REFERRAL_MIN_ORDER = 2000;
    static final long PER_REFERRER = 2;

    Spec spec;
    ZoneId zone;
    final Instant createdAt;
    final Map<String, Member> members = new HashMap<>();
    final Map<String, Long> ruleBudgetUsed = new HashMap<>();
    private long lotSeq;
    /** Earn idempotency: "type|id" to the body and first answer. */
    final Map<String, Object[]> earnKeys = new HashMap<>();
    final ModelRewards rewards = new ModelRewards(this);
    final ModelReminders reminders = new ModelReminders(this);

    Model(Spec spec, Instant createdAt) {
        this.spec = spec;
        this.zone = spec.zoneId();
        this.createdAt = createdAt;
    }

    Member member(String id) {
        return members.computeIfAbsent(id, Member::new);
    }

    Lot newLot(long points, Instant earnedAt, Instant expiresAt, String orderId, Instant pendingUntil) {
        return new Lot(lotSeq++, points, earnedAt, expiresAt, orderId, pendingUntil);
    }

    // ------------------------------------------------------------------ balances as sums over lots

    /** A lot that counts at {@code now}: holds points and (S3) has not reached its expiry instant. */
    static boolean live(Lot l, Instant now) {
        return l.remaining > 0 && (!Semantics.EXPIRY_AT_INSTANT.on() || l.expiresAt == null || l.expiresAt.isAfter(now));
    }

    static long available(Member m, Instant now) {
        return m.lots.stream().filter(l -> live(l, now) && l.pendingUntil == null).mapToLong(l -> l.remaining).sum();
    }

    static long pending(Member m, Instant now) {
        return m.lots.stream().filter(l -> live(l, now) && l.pendingUntil != null).mapToLong(l -> l.remaining).sum();
    }

    /** Pending lots whose window is over become available at that instant, and (S4) pay the debt first. */
    void settle(Member m, Instant now) {
        List<Lot> released = new ArrayList<>();
        for (Lot l : m.lots) {
            if (l.pendingUntil != null && !l.pendingUntil.isAfter(now)) {
                l.releasedAt = l.pendingUntil;
                l.pendingUntil = null;
                released.add(l);
            }
        }
        long before = m.ledger.getOrDefault("debt", 0L);
        payDebt(m, released);
        // a release is seen at once, but its debt entry is written by the member's next write or the run
        long paid = before - m.ledger.getOrDefault("debt", 0L);
        m.ledger.merge("debt", paid, Long::sum);
        m.unrecordedDebt += paid;
    }

    /** A write for the member: it records what the releases it settles paid of the debt. */
    static void recorded(Member m) {
        if (m.unrecordedDebt != 0) {
            m.ledger.merge("debt", -m.unrecordedDebt, Long::sum);
            m.unrecordedDebt = 0;
        }
    }

    /** S4: a credit that becomes spendable pays what the member owes first, from the credited lots. */
    static void payDebt(Member m, List<Lot> credited) {
        if (!Semantics.DEBT.on() || m.owed == 0) {
            return;
        }
        List<Lot> sorted = new ArrayList<>(credited);
        sorted.sort(SPEND_ORDER);
        for (Lot l : sorted) {
            long n = Math.min(m.owed, l.remaining);
            l.remaining -= n;
            m.owed -= n;
            m.ledger.merge("debt", -n, Long::sum);
        }
    }

    /** Takes up to {@code points}: lots matching {@code first} in spend order, then the rest. Returns what was taken per lot. */
    static List<Object[]> take(List<Lot> candidates, long points, Predicate<Lot> first) {
        List<Lot> ordered = new ArrayList<>(candidates);
        ordered.sort(SPEND_ORDER);
        List<Object[]> out = new ArrayList<>();
        long left = points;
        for (int pass = 0; pass < 2; pass++) {
            for (Lot l : ordered) {
                boolean preferred = first != null && first.test(l);
                if (left == 0 || (pass == 0) != preferred || l.remaining == 0) {
                    continue;
                }
                long n = Math.min(left, l.remaining);
                l.remaining -= n;
                left -= n;
                out.add(new Object[] {l, n});
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ tiers

    Spec.Tier tierFor(long lifetime) {
        Spec.Tier best = null;
        for (Spec.Tier t : spec.tierList()) {
            if (t.threshold() <= lifetime) {
                best = t;
            }
        }
        return best;
    }

    static Spec.Tier higher(Spec.Tier a, Spec.Tier b) {
        return a == null ? b : b == null ? a : b.threshold() > a.threshold() ? b : a;
    }

    Spec.Tier tier(Member m) {
        if (!spec.tiers()) {
            return null;
        }
        if (ModelGrowth.windowed(this)) {
            // a tier window: the tier held is the one stored by earns, refunds and reviews (the lowest before any)
            Spec.Tier stored = m.storedTier == null ? null
                    : spec.tierList().stream().filter(t -> t.id().equals(m.storedTier)).findFirst().orElse(null);
            return stored != null ? stored : spec.tierList().get(0);
        }
        Spec.Tier byPoints = tierFor(m.lifetime);
        if (Semantics.TIER_FOLLOWS_REFUND.on()) {
            return byPoints;
        }
        Spec.Tier stored = m.storedTier == null ? null
                : spec.tierList().stream().filter(t -> t.id().equals(m.storedTier)).findFirst().orElse(null);
        return higher(stored, byPoints);
    }

    // ------------------------------------------------------------------ earning

    Instant endOfDay(LocalDate lastValidDay) {
        return lastValidDay.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** Applies a plan: counters, budgets, lifetime, stored tier, ledger; the lot (if any points) is returned, not added. */
    private Lot apply(Member m, ModelEarning.Plan p, Instant now, Instant occurredAt, String orderId) {
        p.caps().forEach((k, v) -> {
            m.capCount.merge(k, 1L, Long::sum);
            m.capPoints.merge(k, v, Long::sum);
        });
        p.budgets().forEach((k, v) -> ruleBudgetUsed.merge(k, v, Long::sum));
        m.lifetime += p.points();
        m.storedTier = p.after() == null ? null : p.after().id();
        ModelGrowth.credited(this, m, p.points(), p.before(), p.after(), occurredAt);
        m.ledger.merge("earn", p.points(), Long::sum);
        if (p.points() == 0) {
            return null;
        }
        Instant pendingUntil = null;
        if (spec.pendingDays() != null && orderId != null) {
            Instant until = endOfDay(occurredAt.atZone(zone).toLocalDate().plusDays(spec.pendingDays()));
            pendingUntil = until.isAfter(now) ? until : null;
        }
        Lot lot = newLot(p.points(), now, p.expiresAt(), orderId, pendingUntil);
        mergeInto(m, lot, now);
        m.lots.add(lot);
        return lot;
    }

    /**
     * Laurel merges a new lot into a live one of the same expiry, order and return window; the
     * model keeps them apart but the merged lot's reminder state is the older lot's.
     */
    void mergeInto(Member m, Lot lot, Instant now) {
        for (Lot l : m.lots) {
            if (live(l, now) && java.util.Objects.equals(l.expiresAt, lot.expiresAt) && java.util.Objects.equals(l.orderId, lot.orderId)
                    && java.util.Objects.equals(l.pendingUntil, lot.pendingUntil)) {
                lot.reminded = l.reminded;
                return;
            }
        }
    }

    /** Enrols a newcomer: customer.joined at {@code now}; the signup points. */
    private long join(Member m, Instant now) {
        m.member = true;
        m.g.joinedAt = now;
        ModelEarning.Plan p = ModelEarning.plan(this, m, "customer.joined", now, null, ruleBudgetUsed);
        apply(m, p, now, now, null);
        return p.points();
    }

    /** Issue 12: a newcomer names a referrer ({@link ModelReferrals#refer}). */
    Expect refer(Op.Refer op, Instant now) {
        return ModelReferrals.refer(this, op, now);
    }

    Expect upsert(Op.Upsert op, Instant now) {
        Member m = member(op.c());
        long before = reminders.before(m, now);
        Spec.Tier tierBefore = tier(m);
        settle(m, now);
        m.country = op.country();
        Boolean sent = ModelGrowth.consent(this, m, op.consent(), now);
        boolean created = !m.member;
        Expect e = Expect.ok(created ? 201 : 200).put("created", created);
        if (created) {
            e.put("signupPoints", join(m, now));
            reminders.welcome(m);
        }
        ModelGrowth.pruned(m, now);
        if (spec.growth() != null) {
            e.put("consent.marketing", ModelGrowth.consentState(m));
            e.put("consent.confirmationSent", sent == null ? Expect.ABSENT : sent);
        }
        recorded(m);
        reminders.wrote(m, before, tierBefore, now, true);
        return balance(e, m, now).put("tier.id", tierId(tier(m)));
    }

    /** An earn call; {@code orderTotal} null for an event without an order, which is in {@code currency}. */
    Expect earn(String c, String type, String id, String at, Long orderTotal, String currency, Instant now) {
        Instant occurredAt = Instant.parse(at);
        String key = type + "|" + id;
        String body = c + "|" + at + "|" + orderTotal + "|" + (orderTotal == null ? "" : currency);
        Object[] first = earnKeys.get(key);
        Expect refusal = null;
        if (occurredAt.isAfter(now.plus(Duration.ofMinutes(5)))) {
            refusal = Expect.error(400, "invalid_request");
        } else if (Semantics.TIME_BOUND.on() && occurredAt.isBefore(createdAt.minus(Duration.ofDays(365)))) {
            refusal = Expect.error(400, "invalid_request");
        } else if (orderTotal != null && !currency.equals(spec.currency())) {
            refusal = Expect.error(400, "invalid_request"); // the order is in another currency than the program's (now)
        }
        if (first != null && (refusal == null || Semantics.REPLAY_FIRST_ANSWER.on())) {
            // S8: a key that took effect answers its first answer, whatever changed since
            return body.equals(first[0]) ? (Expect) first[1] : Expect.error(409, "idempotency_key_reused");
        }
        if (refusal != null) {
            return refusal;
        }
        Member m = member(c);
        long beforeWrite = reminders.before(m, now);
        Spec.Tier tierBefore = tier(m);
        settle(m, now);
        Expect e = Expect.ok(200);
        if (!m.member) {
            e.put("enrolled.signupPoints", join(m, now));
        }
        Spec.Tier before = tier(m);
        ModelEarning.Plan p = ModelEarning.plan(this, m, type, occurredAt, orderTotal, ruleBudgetUsed);
        String orderId = orderTotal == null ? null : id;
        Lot lot = apply(m, p, now, occurredAt, orderId);
        if (orderId != null) {
            ModelRewards.OrderRec rec = ModelRewards.order(this, c, orderId, orderTotal);
            rec.earned += p.points();
            rec.tierMonth = java.time.YearMonth.from(occurredAt.atZone(zone));
            rec.statsMonth = ModelGrowth.onOrder(this, m, occurredAt, orderTotal, now);
        }
        ModelGrowth.pruned(m, now);
        if (lot != null && lot.pendingUntil == null && live(lot, now)) {
            payDebt(m, List.of(lot));
        }
        boolean awarded = false;
        if (m.referrer != null) {
            awarded = ModelReferrals.award(this, m, type, orderId, orderTotal, lot, occurredAt, now);
            e.put("referral.status", m.referralStatus).put("referral.points", awarded ? REFEREE_POINTS : 0);
        }
        e.put("pointsEarned", p.points()).put("breakdown", String.join(",", p.lines()));
        balance(e, m, now);
        // a referral award may upgrade too: by lifetime, or (issue 12) by the points of the window of the award
        Spec.Tier after = !awarded ? p.after() : ModelGrowth.windowed(this) ? tier(m) : higher(p.after(), tierFor(m.lifetime));
        e.put("tier.id", tierId(after)).put("tier.changed", !java.util.Objects.equals(tierId(before), tierId(after)));
        e.put("expiresAt", p.expiresAt() != null && p.points() > 0 ? p.expiresAt().toString() : Expect.ABSENT);
        e.put("pendingUntil", lot != null && lot.pendingUntil != null ? lot.pendingUntil.toString() : Expect.ABSENT);
        recorded(m);
        reminders.wrote(m, beforeWrite, tierBefore, now, true);
        earnKeys.put(key, new Object[] {body, e});
        return e;
    }

    static String tierId(Spec.Tier t) {
        return t == null ? null : t.id();
    }

    Expect balance(Expect e, Member m, Instant now) {
        e.put("balance.available", available(m, now)).put("balance.pending", pending(m, now))
                .put("balance.lifetimeEarned", m.lifetime);
        if (Semantics.DEBT.on()) {
            e.put("balance.owed?", m.owed);
        }
        return e;
    }

    // ------------------------------------------------------------------ reads and the expiry run

    Expect wallet(String c, Instant now) {
        Member m = members.get(c);
        if (m == null || !m.member) {
            return Expect.error(404, "not_found");
        }
        settle(m, now);
        Expect e = Expect.ok(200);
        Spec.Tier t = tier(m);
        e.put("tier.id", tierId(t));
        Spec.Tier next = spec.tierList().stream().filter(x -> t == null || x.threshold() > t.threshold()).findFirst().orElse(null);
        e.put("tier.next", tierId(next));
        long counting = ModelGrowth.windowed(this) ? ModelGrowth.windowPoints(this, m, now) : m.lifetime;
        e.put("tier.pointsToNext", next == null ? Expect.ABSENT : String.valueOf(Math.max(0, next.threshold() - counting)));
        if (spec.growth() != null) {
            e.put("segments", String.join(",", ModelGrowth.segments(this, m, now).stream().map(x -> "\"" + x + "\"").toList()));
            e.put("consent.marketing", ModelGrowth.consentState(m));
        }
        balance(e, m, now);
        TreeMap<Instant, Long> releases = new TreeMap<>();
        TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        for (Lot l : m.lots) {
            if (!live(l, now)) {
                continue;
            }
            if (l.pendingUntil != null) {
                releases.merge(l.pendingUntil, l.remaining, Long::sum);
            }
            // S10: pending points are listed under pending only
            if (l.expiresAt != null && (l.pendingUntil == null || !Semantics.NO_EXPIRING_PENDING.on())) {
                byDay.merge(l.expiresAt.atZone(zone).toLocalDate().minusDays(1), l.remaining, Long::sum);
            }
        }
        e.put("pending", String.join(",", releases.entrySet().stream().limit(12).map(x -> x.getValue() + "@" + x.getKey()).toList()));
        e.put("expiring", String.join(",", byDay.entrySet().stream().limit(12).map(x -> x.getValue() + "@" + x.getKey()).toList()));
        List<String> rewards = new ArrayList<>();
        long available = available(m, now);
        for (Spec.Reward r : spec.rewards()) {
            boolean tierOk = r.tier() == null || (t != null && r.tier().equals(t.id()));
            boolean limit = r.perCustomer() != null && m.redemptions.getOrDefault(r.id(), 0L) >= r.perCustomer();
            boolean segmentOk = r.segment() == null || ModelGrowth.inSegment(this, m, r.segment(), now);
            rewards.add(r.id() + ":" + (available >= r.cost()) + ":" + (tierOk && !limit && segmentOk));
        }
        e.put("referral.referred", m.referred).put("referral.pointsEarned", m.referralPoints);
        e.put("referral.status", m.referralStatus == null ? Expect.ABSENT : m.referralStatus);
        return e.put("rewards#wallet", String.join(",", rewards));
    }

    Expect ledger(String c) {
        Member m = members.get(c);
        if (m == null || !m.member) {
            return Expect.error(404, "not_found");
        }
        return Expect.ok(200).put("ledger", ledgerSums(m));
    }

    static String ledgerSums(Member m) {
        List<String> parts = new ArrayList<>();
        m.ledger.forEach((type, sum) -> {
            if (sum != 0) {
                parts.add(type + ":" + sum);
            }
        });
        return String.join(",", parts);
    }

    /** The daily run at {@code now}: records every lot due at or before it as an expire entry. */
    void expiryRun(Instant now) {
        for (Member m : members.values()) {
            boolean review = ModelGrowth.reviewDue(this, m, now);
            boolean touched = m.member && (reminders.due(m, now) || review); // the run reads the due index only
            long before = touched ? reminders.before(m, now) : 0;
            Spec.Tier tierBefore = tier(m);
            settle(m, now);
            recorded(m);
            if (review) {
                ModelGrowth.review(this, m, now);
            }
            for (Lot l : m.lots) {
                if (l.remaining > 0 && l.expiresAt != null && !l.expiresAt.isAfter(now)) {
                    m.ledger.merge("expire", -l.remaining, Long::sum);
                    l.remaining = 0;
                }
            }
            m.lots.removeIf(l -> l.remaining == 0);
            if (touched) {
                reminders.wrote(m, before, tierBefore, now, true);
            }
        }
    }

    /** Issue 12: a double opt-in confirmation with the token of the {@code back}-th last message sent to the member. */
    Expect confirm(Op.Confirm op, Instant now) {
        Member m = members.get(op.c());
        int n = m == null ? -1 : m.g.tokens - 1 - op.back();
        if (!ModelGrowth.confirms(m, n, now)) {
            return Expect.error(404, "not_found");
        }
        long before = reminders.before(m, now);
        Spec.Tier tierBefore = tier(m);
        settle(m, now);
        m.consent = true;
        m.g.pending = false;
        m.g.current = -1;
        if (m.g.confirmedAt == null) {
            m.g.confirmedAt = now;
            ModelEarning.Plan p = ModelEarning.plan(this, m, "customer.confirmed", now, null, ruleBudgetUsed);
            Lot lot = apply(m, p, now, now, null);
            if (lot != null && live(lot, now)) {
                payDebt(m, List.of(lot));
            }
            reminders.welcome(m);
        }
        ModelGrowth.pruned(m, now);
        recorded(m);
        reminders.wrote(m, before, tierBefore, now, true);
        return Expect.ok(200).put("customerId", m.id).put("consent", "confirmed");
    }

    /** Issue 16: a new version of the program (the lots, counters and members stay as they are). */
    void program(Op.Program p) {
        spec = spec.with(p);
        zone = spec.zoneId();
    }
}
