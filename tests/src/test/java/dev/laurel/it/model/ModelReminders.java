package dev.laurel.it.model;

import dev.laurel.it.model.Model.Lot;
import dev.laurel.it.model.Model.Member;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The model's reminders (issue 16): what each write records (welcome, tier_upgraded,
 * reward_available), what the hourly run records (points_expiring, one per member and last valid
 * day, 1 day before) and what each run must send, through which channel. It follows the real
 * functions' indexes: the expiry run touches a member whose stored lots have something due, the
 * reminders run one whose stored reminder instant ({@link Member#remindAt}, set by their last
 * write) has come.
 */
final class ModelReminders {
    static final String WELCOME = "welcome";
    static final String TIER_UPGRADED = "tier_upgraded";
    static final String REWARD_AVAILABLE = "reward_available";
    static final String POINTS_EXPIRING = "points_expiring";

    private final Model model;

    ModelReminders(Model model) {
        this.model = model;
    }

    // ------------------------------------------------------------------ writes

    /**
     * The available balance a write decides reward_available against: S11, as the member's last
     * write left it (lots released since are not counted yet, expired ones count nowhere); legacy,
     * as settled now. Called before the write settles the member.
     */
    long before(Member m, Instant now) {
        if (!Semantics.CROSSING_BEFORE_RELEASE.on()) {
            model.settle(m, now);
            return Model.available(m, now);
        }
        long sum = 0;
        for (Lot l : m.lots) {
            boolean storedAvailable = l.pendingUntil == null
                    && (l.releasedAt == null || (m.lastWrite != null && !l.releasedAt.isAfter(m.lastWrite)));
            if (Model.live(l, now) && storedAvailable) {
                sum += l.remaining;
            }
        }
        return sum;
    }

    /** A member who joins with consent is welcomed (when the program sends welcomes). */
    void welcome(Member m) {
        if (m.consent && model.spec.welcome()) {
            queue(m, WELCOME, WELCOME, null);
        }
    }

    /**
     * After a write for {@code m}: the event reminders it records (legacy: only earns, upserts and
     * the expiry run decide reward_available), and the member's stored remind instant.
     */
    void wrote(Member m, long before, Spec.Tier tierBefore, Instant now, boolean decidesLegacy) {
        m.lastWrite = now;
        if (m.consent) {
            Spec.Tier to = model.tier(m);
            if (model.spec.tierUpgraded() && to != null && tierBefore != null && to.threshold() > tierBefore.threshold()) {
                queue(m, TIER_UPGRADED + ":" + to.id(), TIER_UPGRADED, null);
            }
            long after = Model.available(m, now);
            Spec.Reward cheapest = null;
            for (Spec.Reward r : model.spec.rewards()) {
                boolean tierOk = r.tier() == null || (to != null && r.tier().equals(to.id()));
                boolean limit = r.perCustomer() != null && m.redemptions.getOrDefault(r.id(), 0L) >= r.perCustomer();
                boolean segmentOk = r.segment() == null || ModelGrowth.inSegment(model, m, r.segment(), now);
                if (tierOk && !limit && segmentOk && (cheapest == null || r.cost() < cheapest.cost())) {
                    cheapest = r;
                }
            }
            boolean decides = Semantics.CROSSING_BEFORE_RELEASE.on() || decidesLegacy;
            if (decides && model.spec.rewardAvailable() && cheapest != null && before < cheapest.cost()
                    && after >= cheapest.cost()) {
                queue(m, REWARD_AVAILABLE + ":" + cheapest.id(), REWARD_AVAILABLE, null);
            }
        }
        m.remindAt = nextReminder(m, now);
    }

    private static void queue(Member m, String id, String type, Long points) {
        if (m.notified.add(id)) {
            m.queue.add(new Object[] {id, type, points});
        }
    }

    /** Its points_expiring reminder: 1 day before its expiry in the zone, and (S10) not before its points are available. */
    private Instant reminderAt(Lot l) {
        Instant at = l.expiresAt.atZone(model.zone).minusDays(1).toInstant();
        return Semantics.NO_EXPIRING_PENDING.on() && l.pendingUntil != null && l.pendingUntil.isAfter(at) ? l.pendingUntil : at;
    }

    private static boolean awaits(Lot l, Instant now) {
        return l.remaining > 0 && l.expiresAt != null && !l.reminded && l.expiresAt.isAfter(now);
    }

    private Instant nextReminder(Member m, Instant now) {
        if (!m.consent) {
            return null;
        }
        Instant best = null;
        for (Lot l : m.lots) {
            if (awaits(l, now)) {
                Instant at = reminderAt(l);
                best = best == null || at.isBefore(best) ? at : best;
            }
        }
        return best;
    }

    /** Whether the expiry run's index holds the member at {@code now}: a stored lot expired, or a stored return window over. */
    boolean due(Member m, Instant now) {
        for (Lot l : m.lots) {
            if (l.remaining > 0 && l.expiresAt != null && !l.expiresAt.isAfter(now)) {
                return true;
            }
            if ((l.pendingUntil != null && !l.pendingUntil.isAfter(now))
                    || (l.releasedAt != null && (m.lastWrite == null || l.releasedAt.isAfter(m.lastWrite)))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the hourly run

    /**
     * The reminders run at {@code now}: records points_expiring for the members the index holds
     * (their write also decides the event reminders), then sends every queued reminder: to the
     * program's channel as it is now, unless the member withdrew consent or (S9) the program no
     * longer sends that type. Answers what it sends, one line each, sorted:
     * {@code customer|id|channel[|points]}.
     */
    List<String> run(Instant now) {
        for (Member m : model.members.values()) {
            if (!m.member || m.remindAt == null || m.remindAt.isAfter(now)) {
                continue;
            }
            long before = before(m, now);
            Spec.Tier tierBefore = model.tier(m);
            model.settle(m, now);
            if (m.consent) {
                TreeMap<LocalDate, List<Lot>> byDay = new TreeMap<>();
                for (Lot l : m.lots) {
                    boolean available = l.pendingUntil == null || !Semantics.NO_EXPIRING_PENDING.on();
                    if (available && awaits(l, now) && !reminderAt(l).isAfter(now)) {
                        byDay.computeIfAbsent(l.expiresAt.atZone(model.zone).toLocalDate().minusDays(1), d -> new ArrayList<>()).add(l);
                    }
                }
                byDay.forEach((day, lots) -> {
                    lots.forEach(l -> l.reminded = true);
                    if (m.expiringDays.add(day)) {
                        m.queue.add(new Object[] {POINTS_EXPIRING + ":" + day, POINTS_EXPIRING,
                                lots.stream().mapToLong(l -> l.remaining).sum()});
                    }
                });
            }
            Model.recorded(m);
            wrote(m, before, tierBefore, now, false);
        }
        List<String> sent = new ArrayList<>();
        String channel = model.spec.channel() == null ? "outbox" : model.spec.channel();
        for (Member m : model.members.values()) {
            for (Object[] n : m.queue) {
                String type = (String) n[1];
                boolean off = Semantics.REMINDERS_FOLLOW_PROGRAM.on() && !model.spec.sends(type);
                if (m.member && m.consent && !off) {
                    sent.add(m.id + "|" + n[0] + "|" + channel + (n[2] == null ? "" : "|" + n[2]));
                }
            }
            m.queue.clear();
        }
        sent.sort(null);
        return sent;
    }
}
