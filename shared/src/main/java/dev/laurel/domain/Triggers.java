package dev.laurel.domain;

import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Program.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event reminders a change to a customer triggers (API.md): {@code welcome} on joining,
 * {@code tier_upgraded} when a write lifts their tier, {@code reward_available} when their
 * available balance first reaches the cheapest reward they are eligible for. Every write to a
 * member decides them, on the customer before it (as the last write left them, before any
 * release of pending points: {@link Customer#beforeRelease}) and after the whole write, so
 * points released by a write count as that write's crossing. Each has a
 * deterministic id ({@code type} or {@code type:subject}), so it is recorded at most once per
 * customer, type and subject. Only for customers who consented, and only the types the program
 * turned on.
 */
public final class Triggers {
    public static final String WELCOME = "welcome";
    public static final String TIER_UPGRADED = "tier_upgraded";
    public static final String REWARD_AVAILABLE = "reward_available";
    public static final String POINTS_EXPIRING = "points_expiring";
    public static final String TIER_DOWNGRADE_WARNING = "tier_downgrade_warning";

    /** Reasons that keep a reward out of reach whatever the balance (order-related ones do not: no order is known). */
    private static final Set<String> DISQUALIFYING = Set.of(Eligibility.DISABLED, Eligibility.OUTSIDE_WINDOW,
            Eligibility.TIER, Eligibility.SEGMENT, Eligibility.LIMIT_REACHED);

    private Triggers() {
    }

    /** A reminder to record: its id, type and the data its message carries. */
    public record Trigger(String id, String type, Map<String, Object> payload) {
    }

    /**
     * @param before the customer before the write ({@link Customer#beforeRelease}), or a newcomer when the write enrols them
     * @param after  the customer after it, with the consent and balances the write leaves
     * @param signupPoints what joining gave (for the welcome message), when the write enrols them
     */
    public static List<Trigger> of(Program program, Customer before, Customer after, Long signupPoints, Instant now) {
        Program.Reminders r = program.reminders();
        List<Trigger> out = new ArrayList<>();
        if (!after.marketingConsent()) {
            return out;
        }
        // under double opt-in the welcome waits for the first confirmation (the consent is not given before)
        boolean firstConfirmed = program.doubleOptIn() && before.consent().confirmedAt() == null
                && after.consent().confirmedAt() != null;
        if (r.welcome() && (!before.member() || firstConfirmed)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("signupPoints", signupPoints == null ? 0L : signupPoints);
            p.put("available", after.available());
            add(out, after, new Trigger(WELCOME, WELCOME, p));
        }
        if (r.tierUpgraded()) {
            Tier from = Earning.currentTier(program, before);
            Tier to = Earning.currentTier(program, after);
            if (to != null && from != null && to.threshold() > from.threshold()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("tierId", to.id());
                p.put("previousTierId", from == null ? null : from.id());
                if (to.name() != null) {
                    p.put("tierName", to.name());
                }
                add(out, after, new Trigger(TIER_UPGRADED + ":" + to.id(), TIER_UPGRADED, p));
            }
        }
        if (r.tierDowngradeWarning() && TierWindow.warn(program, after, now)) {
            Instant review = TierWindow.nextReview(program, after, now);
            TierWindow.Review coming = TierWindow.review(program, after, review);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("tierId", coming.from().id());
            p.put("nextTierId", coming.to().id());
            p.put("on", review.toString());
            p.put("lastDay", review.atZone(program.timezone()).toLocalDate().minusDays(1).toString());
            p.put("pointsToKeep", Math.max(0, coming.from().threshold() - TierWindow.points(program, after, now)));
            // once per window: the review instant is its subject
            add(out, after, new Trigger(TIER_DOWNGRADE_WARNING + ":" + review.getEpochSecond(), TIER_DOWNGRADE_WARNING, p));
        }
        // a crossing needs a balance that grew (most writes that spend skip the eligibility check)
        if (r.rewardAvailable() && after.available() > before.available()) {
            Reward cheapest = null;
            for (Eligibility.Check c : Eligibility.checkEach(program, after, program.rewards(), null, now)) {
                Reward w = c.reward();
                if (c.reasons().stream().noneMatch(DISQUALIFYING::contains) && (cheapest == null || w.cost() < cheapest.cost())) {
                    cheapest = w;
                }
            }
            if (cheapest != null && cheapest.cost() > 0 && before.available() < cheapest.cost()
                    && after.available() >= cheapest.cost()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("rewardId", cheapest.id());
                if (cheapest.name() != null) {
                    p.put("rewardName", cheapest.name());
                }
                p.put("cost", cheapest.cost());
                p.put("available", after.available());
                add(out, after, new Trigger(REWARD_AVAILABLE + ":" + cheapest.id(), REWARD_AVAILABLE, p));
            }
        }
        return out;
    }

    /**
     * Whether the program, as it is now, sends reminders of {@code type}: checked when a reminder
     * is recorded and again when it is sent (a reminder queued before the program turned its type
     * off is not sent). Types this class does not know are on.
     */
    public static boolean turnedOn(Program program, String type) {
        Program.Reminders r = program.reminders();
        return switch (type) {
            case WELCOME -> r.welcome();
            case TIER_UPGRADED -> r.tierUpgraded();
            case REWARD_AVAILABLE -> r.rewardAvailable();
            case POINTS_EXPIRING -> r.pointsExpiringDaysBefore() != null;
            case TIER_DOWNGRADE_WARNING -> r.tierDowngradeWarning();
            default -> true;
        };
    }

    private static void add(List<Trigger> out, Customer c, Trigger t) {
        if (!c.notifications().contains(t.id())) {
            out.add(t);
        }
    }

    /**
     * The points_expiring reminder of a customer's lots that share their last valid day
     * {@code lastDay} in the program's zone ({@code expiresOn}, as the wallet's {@code expiring[].on}):
     * one per customer and day, whatever the number of lots.
     */
    public static Trigger pointsExpiring(java.time.LocalDate lastDay, List<Lot> lots, java.time.ZoneId zone) {
        long points = 0;
        Instant expiresAt = null;
        for (Lot l : lots) {
            points = Arith.add(points, l.remaining());
            expiresAt = expiresAt == null || l.expiresAt().isBefore(expiresAt) ? l.expiresAt() : expiresAt;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("points", points);
        p.put("expiresAt", expiresAt.toString());
        // the last valid day, as the wallet's "expiring" shows it (expiresAt is the end of that day)
        p.put("expiresOn", lastDay.toString());
        p.put("timezone", zone.getId());
        return new Trigger(POINTS_EXPIRING + ":" + lastDay, POINTS_EXPIRING, p);
    }

    /** The last valid day of a lot in the program's zone (its expiry instant is the end of that day). */
    public static java.time.LocalDate lastDay(Lot lot, java.time.ZoneId zone) {
        return lot.expiresAt().atZone(zone).toLocalDate().minusDays(1);
    }
}
