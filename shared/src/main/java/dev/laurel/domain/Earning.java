package dev.laurel.domain;

import dev.laurel.domain.Program.EarningRule;
import dev.laurel.domain.Program.Period;
import dev.laurel.domain.Program.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The earning arithmetic: which rules an event triggers, their points, multipliers, tier
 * multiplier and caps. A pure function of (program, customer, event, rule budgets used).
 *
 * <p>Semantics (API.md): base points come from rules with {@code points}; a rule with only a
 * {@code multiplier} multiplies the base points of the same event when its {@code when} holds
 * (several such multipliers multiply together); a rule with both multiplies its own points; the
 * tier's {@code earnMultiplier} applies last; each rule's result is floored. Caps then clamp each
 * rule to what still fits (possibly 0), and the breakdown says which cap did it.
 */
public final class Earning {
    private Earning() {
    }

    /** One line of the breakdown: a rule that gave points, a multiplier that applied, or the tier's. */
    public record Line(String ruleId, String tierId, long points, BigDecimal multiplier, String capped) {
    }

    /**
     * The outcome of one event for one customer.
     *
     * @param capKeys       per-customer cap counters touched: key → [count delta, points delta]
     * @param ruleBudgets   rule total budgets touched: ruleId → points added (with its limit in {@code ruleLimits})
     */
    public record Plan(Event event, long points, List<Line> breakdown, Map<String, long[]> capKeys,
                       Map<String, Long> ruleBudgets, Map<String, Long> ruleLimits, Tier tierBefore, Tier tierAfter,
                       Instant expiresAt, long lifetimeAfter) {
        public boolean tierChanged() {
            String before = tierBefore == null ? null : tierBefore.id();
            String after = tierAfter == null ? null : tierAfter.id();
            return !java.util.Objects.equals(before, after);
        }
    }

    /**
     * Computes what {@code event} earns {@code customer}.
     *
     * @param ruleBudgetUsed points already used from each rule's total budget (absent = 0)
     * @throws Refused on arithmetic overflow
     */
    public static Plan plan(Program program, Customer customer, Event event, Map<String, Long> ruleBudgetUsed) {
        return plan(program, customer, event, ruleBudgetUsed, null);
    }

    /**
     * {@link #plan} of a call that arrived at {@code arrival}, which the program's velocity limits
     * count ({@link Velocity}; null: none apply). From the program's {@code endsAt} on (the
     * event's {@code occurredAt}, as rule windows use it) no rule applies: the event earns 0 with
     * an empty breakdown, as one outside every rule's window does.
     */
    public static Plan plan(Program program, Customer customer, Event event, Map<String, Long> ruleBudgetUsed,
                            Instant arrival) {
        return plan(program, customer, event, ruleBudgetUsed, arrival,
                new SharedFacts(program, customer, event.order(), event.occurredAt()));
    }

    /**
     * {@link #plan} reading {@code shared}, the facts of this customer and the event's order at its
     * {@code occurredAt} (a validate's reward checks read the same).
     */
    public static Plan plan(Program program, Customer customer, Event event, Map<String, Long> ruleBudgetUsed,
                            Instant arrival, SharedFacts shared) {
        shared.of(program, customer, event.order(), event.occurredAt());
        ZoneId zone = program.timezone();
        boolean ended = program.endedAt(event.occurredAt());
        Velocity.Allowance allowance = Velocity.allowance(program, customer, event, arrival);
        long velocityLeft = allowance == null ? Long.MAX_VALUE : allowance.points();
        Condition.Facts facts = shared.with(event);
        List<EarningRule> base = new ArrayList<>();
        List<EarningRule> multipliers = new ArrayList<>();
        for (EarningRule r : program.earningRules()) {
            if (ended || !applies(r, event, facts)) {
                continue;
            }
            (r.isMultiplierOnly() ? multipliers : base).add(r);
        }
        List<Line> lines = new ArrayList<>();
        BigDecimal eventFactor = BigDecimal.ONE;
        for (EarningRule m : multipliers) {
            eventFactor = eventFactor.multiply(m.multiplier());
        }
        Tier tierBefore = currentTier(program, customer);
        BigDecimal tierFactor = tierBefore == null || tierBefore.earnMultiplier() == null
                ? BigDecimal.ONE : tierBefore.earnMultiplier();
        Long orderTotal = event.order() == null ? null : event.order().totalMinor();
        LocalDate day = event.occurredAt().atZone(zone).toLocalDate();

        long total = 0;
        Map<String, long[]> capKeys = new LinkedHashMap<>();
        Map<String, Long> budgets = new LinkedHashMap<>();
        Map<String, Long> limits = new LinkedHashMap<>();
        BigDecimal eventAndTier = eventFactor.multiply(tierFactor);
        String[] buckets = new String[PERIODS];
        for (EarningRule r : base) {
            BigDecimal factor = r.multiplier() == null ? eventAndTier : eventAndTier.multiply(r.multiplier());
            long points = Arith.multiplyFloor(r.points().basePoints(orderTotal), factor);
            String capped = null;
            Program.RuleLimits l = r.limits();
            String key = null;
            boolean perCustomer = false;
            if (l != null) {
                key = capKey(r.id(), l.period(), day, buckets);
                perCustomer = l.perCustomerCount() != null || l.perCustomerPoints() != null;
                if (l.perCustomerCount() != null && customer.ruleCounts().getOrDefault(key, 0L) >= l.perCustomerCount()) {
                    points = 0;
                    capped = "perCustomer.count";
                }
                long got = customer.rulePoints().getOrDefault(key, 0L);
                if (l.perCustomerPoints() != null && points > l.perCustomerPoints() - got) {
                    points = Math.max(0, l.perCustomerPoints() - got);
                    capped = "perCustomer.points";
                }
                long used = ruleBudgetUsed.getOrDefault(r.id(), 0L);
                if (l.totalPoints() != null && points > l.totalPoints() - used) {
                    points = Math.max(0, l.totalPoints() - used);
                    capped = "total.points";
                }
            }
            if (points > velocityLeft) {
                points = velocityLeft;
                capped = Velocity.CAPPED;
            }
            velocityLeft -= points;
            if (l != null) {
                if (points > 0 && perCustomer) {
                    capKeys.put(key, new long[] {1, points});
                }
                if (points > 0 && l.totalPoints() != null) {
                    budgets.put(r.id(), points);
                    limits.put(r.id(), l.totalPoints());
                }
            }
            total = Arith.add(total, points);
            lines.add(new Line(r.id(), null, points, r.multiplier(), capped));
        }
        for (EarningRule m : multipliers) {
            lines.add(new Line(m.id(), null, 0, m.multiplier(), null));
        }
        if (allowance != null) {
            // this call counts: one event in the hour, its points in the day (both keys get both figures)
            capKeys.put(allowance.hourKey(), new long[] {1, total});
            capKeys.put(allowance.dayKey(), new long[] {1, total});
        }
        if (event.order() != null && arrival != null) { // the order counts in the member's statistics (OrderStats)
            capKeys.putAll(OrderStats.onOrder(customer.ruleCounts(), event.occurredAt(), event.order().totalMinor(), zone, arrival));
        }
        if (tierBefore != null && tierBefore.earnMultiplier() != null && !base.isEmpty()) {
            lines.add(new Line(null, tierBefore.id(), 0, tierBefore.earnMultiplier(), null));
        }
        if (total > Arith.MAX_POINTS) {
            throw new Refused(Refusal.Code.INVALID_REQUEST, "the event would earn more points than supported");
        }
        long lifetimeAfter = Arith.add(customer.lifetimeEarned(), total);
        long qualifying = lifetimeAfter;
        String tierBucket = TierWindow.bucket(program, event.occurredAt());
        if (tierBucket != null) { // a tier window: the points of the window count, in the month's counter
            qualifying = Arith.add(TierWindow.points(program, customer, event.occurredAt()), total);
            if (total > 0) {
                capKeys.put(tierBucket, new long[] {0, total});
            }
        }
        Tier tierAfter = program.tiers().isEmpty() ? null : higher(tierBefore, program.tierFor(qualifying));
        if (tierBucket != null && tierAfter != tierBefore) { // an upgrade: the new tier stands from this window
            capKeys.put(TierWindow.SINCE, TierWindow.sinceDelta(program, customer, event.occurredAt()));
        }
        Integer days = program.expiryDaysFor(tierAfter);
        Instant expiresAt = days == null ? null : Expiry.endOfDay(day.plusDays(days), zone);
        return new Plan(event, total, List.copyOf(lines), capKeys, budgets, limits, tierBefore, tierAfter, expiresAt,
                lifetimeAfter);
    }

    /** The tier a customer holds now: the stored one if the program still has it, else by points. */
    public static Tier currentTier(Program program, Customer customer) {
        if (program.tiers().isEmpty()) {
            return null;
        }
        Tier byPoints = program.tierFor(program.tierPolicy().window() == TierWindow.Window.LIFETIME
                ? customer.lifetimeEarned() : 0); // with a window, the stored tier is kept up to date by earns and reviews
        Tier stored = customer.tierId() == null ? null : program.tier(customer.tierId()).orElse(null);
        return higher(stored, byPoints);
    }

    /**
     * The tier after a refund leaves {@code lifetimeAfter} points counting for tiers: it follows
     * them down (the lower of the current tier and the one those points reach), never up.
     */
    public static Tier tierAfterRefund(Program program, Customer customer, long lifetimeAfter) {
        Tier current = currentTier(program, customer);
        if (current == null) {
            return null;
        }
        Tier byPoints = program.tierFor(lifetimeAfter);
        return byPoints != null && byPoints.threshold() < current.threshold() ? byPoints : current;
    }

    private static Tier higher(Tier a, Tier b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.threshold() > a.threshold() ? b : a;
    }

    private static boolean applies(EarningRule r, Event event, Condition.Facts facts) {
        if (r.status() != Program.Status.ACTIVE || !r.trigger().equals(event.type())) {
            return false;
        }
        Instant at = event.occurredAt();
        if (r.activeFrom() != null && at.isBefore(r.activeFrom())) {
            return false;
        }
        if (r.activeUntil() != null && !at.isBefore(r.activeUntil())) {
            return false;
        }
        return r.when() == null || r.when().test(facts);
    }

    /** The counter key of a per-customer cap: the rule, and the calendar period in the program's zone. */
    static String capKey(String ruleId, Period period, LocalDate day) {
        return capKey(ruleId, period, day, new String[PERIODS]);
    }

    private static final int PERIODS = Period.values().length;

    /** {@link #capKey} with {@code buckets} (by the period's ordinal) remembering the period names of {@code day} made so far. */
    private static String capKey(String ruleId, Period period, LocalDate day, String[] buckets) {
        if (period == null) {
            return ruleId;
        }
        String bucket = buckets[period.ordinal()];
        if (bucket == null) {
            bucket = switch (period) {
                case DAY -> day.toString();
                case WEEK -> day.get(IsoFields.WEEK_BASED_YEAR) + "-W"
                        + String.format("%02d", day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                case MONTH -> day.toString().substring(0, 7);
                case YEAR -> Integer.toString(day.getYear());
            };
            buckets[period.ordinal()] = bucket;
        }
        return ruleId + "@" + bucket;
    }

    /** How long the counters of a period that is over are kept (a little over the backdating window of a year). */
    public static final int CAP_COUNTERS_KEPT_DAYS = 400;

    /**
     * The per-period cap counters among {@code keys} whose period ended more than
     * {@link #CAP_COUNTERS_KEPT_DAYS} days before {@code today}: a profile drops them, so it does not
     * grow with every day a capped rule is used. Keys without a period (lifetime caps) are kept.
     */
    public static List<String> expiredCapKeys(java.util.Collection<String> keys, LocalDate today) {
        LocalDate horizon = today.minusDays(CAP_COUNTERS_KEPT_DAYS);
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            LocalDate end = periodEnd(k);
            if (end != null && end.isBefore(horizon)) {
                out.add(k);
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** The last day of a cap key's period ({@link #capKey}), or null (no period, or not a key this class made). */
    static LocalDate periodEnd(String key) {
        int at = key.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String b = key.substring(at + 1);
        try {
            if (b.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(b);
            }
            if (b.matches("\\d{4}-W\\d{2}")) {
                return LocalDate.of(Integer.parseInt(b.substring(0, 4)), 1, 4)
                        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(b.substring(6)))
                        .with(java.time.DayOfWeek.SUNDAY);
            }
            if (b.matches("\\d{4}-\\d{2}")) {
                return java.time.YearMonth.parse(b).atEndOfMonth();
            }
            if (b.matches("\\d{4}")) {
                return LocalDate.of(Integer.parseInt(b), 12, 31);
            }
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
