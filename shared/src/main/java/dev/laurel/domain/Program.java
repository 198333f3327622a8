package dev.laurel.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A loyalty program definition: earning rules, rewards, tiers and expiry, validated whole.
 * {@link #definition()} keeps the JSON as it was read ({@code dev.laurel.json.ProgramReader} validates
 * and builds it).
 */
public record Program(
        String programId,
        long version,
        String name,
        String currency,
        ZoneId timezone,
        List<EarningRule> earningRules,
        List<Reward> rewards,
        List<Tier> tiers,
        Integer expiryAfterDays,
        Integer pendingDays,
        Reminders reminders,
        Channel channel,
        String definition,
        Instant createdAt,
        Referrals referrals,
        List<Charity> charities,
        Instant endsAt,
        Velocity velocity,
        boolean doubleOptIn,
        List<Segment> segments,
        TierPolicy tierPolicy) {

    public static final int MAX_RULES = 200;
    public static final int MAX_REWARDS = 500;
    public static final int MAX_TIERS = 20;
    public static final BigDecimal MAX_MULTIPLIER = BigDecimal.valueOf(100);
    public static final BigDecimal MIN_MULTIPLIER = new BigDecimal("0.0001");
    public static final int MULTIPLIER_SCALE = 4;
    public static final Pattern TRIGGER = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");
    public static final int MAX_DAYS = 36_500;

    /** A program without issue 12's fields (no referrals, charities, end, velocity limits, double opt-in, segments, tier policy). */
    public Program(String programId, long version, String name, String currency, ZoneId timezone,
                   List<EarningRule> earningRules, List<Reward> rewards, List<Tier> tiers, Integer expiryAfterDays,
                   Integer pendingDays, Reminders reminders, Channel channel, String definition, Instant createdAt) {
        this(programId, version, name, currency, timezone, earningRules, rewards, tiers, expiryAfterDays, pendingDays,
                reminders, channel, definition, createdAt, null, List.of(), null, null, false, List.of(),
                TierPolicy.DEFAULT);
    }

    /** A program without double opt-in ({@code consent.doubleOptIn} absent), named segments or a tier policy. */
    public Program(String programId, long version, String name, String currency, ZoneId timezone,
                   List<EarningRule> earningRules, List<Reward> rewards, List<Tier> tiers, Integer expiryAfterDays,
                   Integer pendingDays, Reminders reminders, Channel channel, String definition, Instant createdAt,
                   Referrals referrals, List<Charity> charities, Instant endsAt, Velocity velocity) {
        this(programId, version, name, currency, timezone, earningRules, rewards, tiers, expiryAfterDays, pendingDays,
                reminders, channel, definition, createdAt, referrals, charities, endsAt, velocity, false, List.of(),
                TierPolicy.DEFAULT);
    }

    /** A named segment (API.md "segments"): members for whom {@code when} holds, decided on read. */
    public record Segment(String id, Condition when) {
        public static final int MAX = 50;
    }

    /** The condition of segment {@code id}; null when the program has none of that id. */
    public Condition segment(String id) {
        for (Segment s : segments) {
            if (s.id().equals(id)) {
                return s.when();
            }
        }
        return null;
    }


    public Program {
        tierPolicy = tierPolicy == null ? TierPolicy.DEFAULT : tierPolicy;
        earningRules = List.copyOf(earningRules);
        rewards = List.copyOf(rewards);
        tiers = List.copyOf(tiers);
        charities = charities == null ? List.of() : List.copyOf(charities);
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    public enum Status {
        ACTIVE, DISABLED;

        public static Status of(String s) {
            return s == null || s.equals("active") ? ACTIVE : DISABLED;
        }

        public String wire() {
            return this == ACTIVE ? "active" : "disabled";
        }
    }

    public enum Period { DAY, WEEK, MONTH, YEAR }

    /** How many points a rule gives by itself: a fixed amount or so many per amount spent. */
    public record PointsSpec(Long fixed, Long perAmountPoints, Long perAmountMinor) {
        public long basePoints(Long orderTotalMinor) {
            if (fixed != null) {
                return fixed;
            }
            if (orderTotalMinor == null) {
                return 0;
            }
            return Arith.multiply(orderTotalMinor / perAmountMinor, perAmountPoints);
        }
    }

    /** Caps on what a rule gives: per customer (count and/or points, optionally per period) and in total. */
    public record RuleLimits(Long perCustomerCount, Long perCustomerPoints, Period period, Long totalPoints) {
    }

    public record EarningRule(String id, String trigger, Status status, PointsSpec points, BigDecimal multiplier,
                              Condition when, RuleLimits limits, Instant activeFrom, Instant activeUntil) {
        public boolean isMultiplierOnly() {
            return points == null;
        }

        public boolean hasTotalBudget() {
            return limits != null && limits.totalPoints() != null;
        }
    }

    public enum RewardType {
        DISCOUNT_AMOUNT, DISCOUNT_PERCENT, FREE_SHIPPING, GIFT_CARD, PRODUCT, CASH_BACK, DONATION;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Rewards that discount an order cannot be redeemed without one. */
        public boolean needsOrder() {
            return this == DISCOUNT_AMOUNT || this == DISCOUNT_PERCENT || this == FREE_SHIPPING;
        }
    }

    public record RewardLimits(Long perCustomer, Long totalRedemptions, Long totalDiscountMinor, Long totalOrderMinor) {
        public boolean hasBudget() {
            return totalRedemptions != null || totalDiscountMinor != null || totalOrderMinor != null;
        }
    }

    /** Rewards of one category do not combine on an order; an exclusive reward combines with nothing. */
    public record Stacking(String category, boolean exclusive) {
    }

    public record Reward(String id, String name, RewardType type, Status status, long cost, Long valueMinor,
                         Long percent, Long maxDiscountMinor, Long minOrderMinor, List<String> tiers, Condition when,
                         RewardLimits limits, Stacking stacking, Instant activeFrom, Instant activeUntil,
                         Integer codeValidDays) {
        /** The longest a reward code may stay valid, in days. */
        public static final int MAX_CODE_VALID_DAYS = 3660;

        public boolean needsOrder() {
            return type.needsOrder() || minOrderMinor != null;
        }
    }

    public record Tier(String id, String name, long threshold, BigDecimal earnMultiplier, Integer expiryDays) {
    }

    /** Which reminders the program sends: {@code pointsExpiringDaysBefore} null = no expiry reminders. */
    public record Reminders(Integer pointsExpiringDaysBefore, boolean welcome, boolean rewardAvailable,
                            boolean tierUpgraded, boolean tierDowngradeWarning) {
        public static final Reminders NONE = new Reminders(null, false, false, false);

        /** Reminders without the tier downgrade warning. */
        public Reminders(Integer pointsExpiringDaysBefore, boolean welcome, boolean rewardAvailable, boolean tierUpgraded) {
            this(pointsExpiringDaysBefore, welcome, rewardAvailable, tierUpgraded, false);
        }
    }

    /** Where reminders go: a signed webhook ({@code url}, {@code secret}) or email through SES ({@code from}). */
    public record Channel(String type, String url, String secret, String from) {
        public static final String WEBHOOK = "webhook";
        public static final String EMAIL = "email";
    }

    /**
     * Refer-a-friend (API.md "Referrals"): what the referrer and the referee each get when the
     * referee's first {@code order.paid} of at least {@code minOrderMinor} is earned, and how many
     * completed referrals one referrer may have ({@code perReferrer}; null = no limit).
     */
    public record Referrals(long referrerPoints, long refereePoints, long minOrderMinor, Long perReferrer) {
        public static final long MAX_POINTS = 1_000_000_000L;
        public static final long MAX_PER_REFERRER = 1_000_000L;
    }

    public static final int MAX_REMINDER_DAYS = 365;
    public static final int MAX_PENDING_DAYS = 365;

    /** This program as stored at {@code createdAt} (null: before programs recorded it, {@link Backdating#LEGACY_CREATED_AT}). */
    public Program withCreatedAt(Instant created) {
        return new Program(programId, version, name, currency, timezone, earningRules, rewards, tiers, expiryAfterDays,
                pendingDays, reminders, channel, definition, created == null ? Backdating.LEGACY_CREATED_AT : created,
                referrals, charities, endsAt, velocity, doubleOptIn, segments, tierPolicy);
    }

    public Optional<EarningRule> rule(String id) {
        return earningRules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public Optional<Reward> reward(String id) {
        return rewards.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** A charity members may donate points to (API.md Donations): each point is worth {@code pointValueMinor}. */
    public record Charity(String id, String name, long pointValueMinor, Status status) {
    }

    public static final int MAX_CHARITIES = 100;

    /**
     * The program's fraud limits (API.md Fraud limits): a member's own earn calls per hour and
     * points per day, in the program's time zone (null: no such limit).
     */
    public record Velocity(Long eventsPerCustomerPerHour, Long pointsPerCustomerPerDay) {
    }

    public Optional<Charity> charity(String id) {
        return charities.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Whether earning has stopped at {@code at} ({@code endsAt}: from that instant on, no rule gives anything). */
    public boolean endedAt(Instant at) {
        return endsAt != null && !at.isBefore(endsAt);
    }

    public Optional<Tier> tier(String id) {
        return tiers.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The tier a customer holds with this many qualifying points (tiers are sorted by threshold). */
    public Tier tierFor(long qualifyingPoints) {
        Tier best = null;
        for (Tier t : tiers) {
            if (t.threshold() <= qualifyingPoints) {
                best = t;
            }
        }
        return best;
    }

    /** The tier above {@code current}, if any. */
    public Optional<Tier> nextTier(Tier current) {
        for (Tier t : tiers) {
            if (current == null || t.threshold() > current.threshold()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Lot lifetime in days for a customer of this tier, or null when points never expire. */
    public Integer expiryDaysFor(Tier tier) {
        if (tier != null && tier.expiryDays() != null) {
            return tier.expiryDays();
        }
        return expiryAfterDays;
    }

    /**
     * How a tier is kept (API.md "Campaigns, segments and tiers": {@code tierPolicy}): by the points
     * earned in a {@code window}, and whether a member whose window fell short moves down at its end.
     * The default (lifetime, never) is a tier for good.
     */
    public record TierPolicy(TierWindow.Window window, TierWindow.Downgrade downgrade) {
        public static final TierPolicy DEFAULT = new TierPolicy(TierWindow.Window.LIFETIME, TierWindow.Downgrade.NEVER);

        /** Whether members move down at the end of a window. */
        public boolean downgrades() {
            return downgrade == TierWindow.Downgrade.END_OF_WINDOW && window != TierWindow.Window.LIFETIME;
        }
    }
}
