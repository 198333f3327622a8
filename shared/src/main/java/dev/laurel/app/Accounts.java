package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Due;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Expiry;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Triggers;
import dev.laurel.json.Json;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the use cases share: how an earn becomes an entry and a lot, a customer after a plan, a profile after a write. */
final class Accounts {
    private Accounts() {
    }

    static List<String> budgetRules(Program program, String trigger) {
        return program.earningRules().stream().filter(r -> r.trigger().equals(trigger) && r.hasTotalBudget())
                .map(Program.EarningRule::id).toList();
    }

    static Event joinEvent(String customerId, Instant now) {
        return new Event(Event.CUSTOMER_JOINED, customerId, now, null, Map.of());
    }

    static String tierId(Tier t) {
        return t == null ? null : t.id();
    }

    /** An earn plan's lines as a ledger entry's details show them. */
    static List<Map<String, Object>> breakdown(Earning.Plan plan) {
        List<Map<String, Object>> a = new ArrayList<>();
        for (Earning.Line l : plan.breakdown()) {
            Map<String, Object> o = new LinkedHashMap<>();
            if (l.ruleId() != null) {
                o.put("ruleId", l.ruleId());
            } else {
                o.put("tierId", l.tierId());
            }
            o.put("points", l.points());
            if (l.multiplier() != null) {
                o.put("multiplier", l.multiplier());
            }
            if (l.capped() != null) {
                o.put("capped", l.capped());
            }
            a.add(o);
        }
        return a;
    }

    /**
     * An earn's ledger entry and lot. Points earned on an order wait out the program's return
     * window ({@code pending.days}) before they can be spent: the lot is pending until the end of
     * that day in the program's zone.
     */
    static Earned earned(Program program, Earning.Plan plan, Instant now, String orderId) {
        String entryId = Ids.next(now.toEpochMilli());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventType", plan.event().type());
        details.put("eventId", plan.event().id());
        details.put("occurredAt", plan.event().occurredAt().toString());
        details.put("breakdown", breakdown(plan));
        String ruleId = plan.breakdown().stream().filter(l -> l.ruleId() != null && l.points() > 0)
                .map(Earning.Line::ruleId).findFirst().orElse(null);
        Instant pendingUntil = orderId != null && plan.points() > 0 ? pendingUntil(program, plan.event().occurredAt(), now) : null;
        if (pendingUntil != null) {
            details.put("pendingUntil", pendingUntil.toString());
        }
        Entry entry = new Entry(entryId, "earn", plan.points(), now, ruleId, null, orderId, null, Json.write(details));
        Lot lot = plan.points() > 0 ? new Lot(entryId, plan.points(), plan.points(), now, plan.expiresAt(), orderId,
                pendingUntil, false) : null;
        return new Earned(plan, entry, lot, orderId, plan.event().order() == null ? null : plan.event().order().totalMinor());
    }

    /**
     * The end of the return window of an order that occurred at {@code occurredAt}: the end of that
     * day plus {@code pending.days} in the program's zone; null without a window, or when it is over
     * already (an old event).
     */
    static Instant pendingUntil(Program program, Instant occurredAt, Instant now) {
        if (program.pendingDays() == null) {
            return null;
        }
        LocalDate day = occurredAt.atZone(program.timezone()).toLocalDate();
        Instant until = Expiry.endOfDay(day.plusDays(program.pendingDays()), program.timezone());
        return until.isAfter(now) ? until : null;
    }

    /** {@code e} with its lot merged into {@code lots} (the lot of the same expiry, order and return window). */
    static Earned merged(Earned e, List<Lot> lots, Instant now) {
        return e.lot() == null ? e : new Earned(e.plan(), e.entry(), Lots.add(lots, e.lot(), now), e.orderId(),
                e.orderTotalMinor());
    }

    /** The customer's cap counters of periods long over, which the write drops (a few at a time). */
    static List<String> prunedCaps(Program program, Customer c, Instant now) {
        java.util.Set<String> keys = new java.util.TreeSet<>(c.ruleCounts().keySet());
        keys.addAll(c.rulePoints().keySet());
        // a set: a month bucket (~stats:month@2025-12) also reads as an expired monthly cap, and one
        // update expression may name a path only once
        java.util.Set<String> stale = new java.util.LinkedHashSet<>(Earning.expiredCapKeys(keys, now.atZone(program.timezone()).toLocalDate()));
        stale.addAll(dev.laurel.domain.Velocity.staleKeys(keys, program.timezone(), now)); // only the current hour and day are kept
        stale.addAll(dev.laurel.domain.OrderStats.staleKeys(keys, program.timezone(), now)); // 13 month buckets are kept
        stale.addAll(dev.laurel.domain.TierWindow.staleKeys(keys, program.timezone(), now)); // at most 13 month counters
        List<String> old = new ArrayList<>(stale);
        return old.subList(0, Math.min(old.size(), 25));
    }

    /** The customer after an earn plan, as the next plan in the same write must see them. */
    static Customer applied(Customer c, Earning.Plan plan, boolean pending) {
        Map<String, Long> counts = new HashMap<>(c.ruleCounts());
        Map<String, Long> points = new HashMap<>(c.rulePoints());
        plan.capKeys().forEach((k, d) -> {
            counts.merge(k, d[0], Arith::add);
            points.merge(k, d[1], Arith::add);
        });
        Customer after = c.after(c.seq(), tierId(plan.tierAfter()), pending ? c.available() : Arith.add(c.available(), plan.points()),
                plan.lifetimeAfter(), counts, points, c.redemptions());
        return pending ? after.withLots(after.available(), Arith.add(c.pending(), plan.points()), after.lifetimeEarned(),
                List.of()) : after;
    }

    /** The customer after spending {@code cost} on a reward. */
    static Customer spent(Customer c, long cost, String rewardId) {
        Map<String, Long> redemptions = new HashMap<>(c.redemptions());
        redemptions.merge(rewardId, 1L, Arith::add);
        return c.after(c.seq() + 1, c.tierId(), c.available() - cost, c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(),
                redemptions);
    }

    /**
     * The profile as a write leaves it: the balances of {@code after} (as answers show them: {@link Customer#current}),
     * the pending lots settling released, when the scheduled functions next have work ({@code lots}: the current
     * lots as the write leaves them; the expired ones it did not touch are added), and the event reminders the
     * write records ({@link #reminders}).
     */
    static Records.ProfileAfter profileAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now) {
        return profileAfter(program, raw, after, lots, now, List.of(), null);
    }

    /** ... with the debt payments of the write's own credit ({@code debts}) after those of the released lots. */
    static Records.ProfileAfter profileAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now,
                                             List<Entry> debts) {
        return profileAfter(program, raw, after, lots, now, debts, null);
    }

    /** ... for a write that enrols the customer, whose joining gave {@code signupPoints} (the welcome message says so). */
    static Records.ProfileAfter profileAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now,
                                             List<Entry> debts, Long signupPoints) {
        // lots whose expiry has come stay stored, and counted in the stored balances, until the run records them
        List<Lot> all = new ArrayList<>(lots);
        raw.settled(now).lots().stream().filter(l -> l.expired(now)).forEach(all::add);
        long[] x = Lots.expired(all, now);
        return storedAfter(program, raw, after.withLots(Arith.add(after.available(), x[0]), Arith.add(after.pending(), x[1]),
                after.lifetimeEarned(), List.of()), all, now, debts, reminders(program, raw, after, signupPoints, now));
    }

    /**
     * {@link #profileAfter} for a write that works on the stored state (the expiry run): {@code after}
     * holds the stored balances and {@code lots} every stored lot as the write leaves them;
     * {@code notes} the event reminders it records.
     */
    static Records.ProfileAfter storedAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now,
                                            List<Records.NotificationRecord> notes) {
        return storedAfter(program, raw, after, lots, now, List.of(), notes);
    }

    private static Records.ProfileAfter storedAfter(Program program, Customer raw, Customer after, List<Lot> lots,
                                                    Instant now, List<Entry> debts, List<Records.NotificationRecord> notes) {
        List<Records.DebtEntry> paid = new ArrayList<>(Debts.onRelease(raw, now, program.version()));
        debts.forEach(e -> paid.add(new Records.DebtEntry(e, null, program.version())));
        return new Records.ProfileAfter(after.available(), after.pending(), after.lifetimeEarned(), raw.releasable(now),
                earliest(Due.next(lots), dev.laurel.domain.TierWindow.nextReview(program, after, now)), earliest(Due.nextReminder(lots, program.reminders().pointsExpiringDaysBefore(),
                        after.marketingConsent(), program.timezone(), now), tierWarningAt(program, after, now)), lots, after.owed(), paid, notes);
    }

    /** When the reminders run should consider a {@code tier_downgrade_warning} (null: not at all, or sent for this window). */
    private static Instant tierWarningAt(Program program, Customer after, Instant now) {
        if (!program.reminders().tierDowngradeWarning() || !after.marketingConsent()) {
            return null;
        }
        Instant at = dev.laurel.domain.TierWindow.warningAt(program, after, now);
        Instant review = dev.laurel.domain.TierWindow.nextReview(program, after, now);
        boolean sent = review != null && after.notifications().contains(
                dev.laurel.domain.Triggers.TIER_DOWNGRADE_WARNING + ":" + review.getEpochSecond());
        return sent || (at != null && !at.isAfter(now) && !dev.laurel.domain.TierWindow.warn(program, after, now)) ? null : at;
    }

    /** The sooner of two instants (null: none). */
    private static Instant earliest(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    /**
     * The event reminders a write records (issue 16): decided on the customer as the last write
     * left them ({@code raw}, before any release: {@link Customer#beforeRelease}) and {@code after}
     * the whole write (as answers show them), so that points a write releases count as its crossing.
     */
    static List<Records.NotificationRecord> reminders(Program program, Customer raw, Customer after, Long signupPoints,
                                                      Instant now) {
        return notifications(Triggers.of(program, raw.beforeRelease(now), after, signupPoints, now), now);
    }

    /** Reminders to record with a write, queued to be sent now. */
    private static List<Records.NotificationRecord> notifications(List<Triggers.Trigger> triggers, Instant now) {
        List<Records.NotificationRecord> out = new ArrayList<>();
        for (Triggers.Trigger t : triggers) {
            out.add(new Records.NotificationRecord(t.id(), t.type(), Json.write(t.payload()), now));
        }
        return out;
    }
}
