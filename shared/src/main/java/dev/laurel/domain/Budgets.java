package dev.laurel.domain;

/**
 * Budget arithmetic: whether a charge fits under a limit. validate and redeem decide every budget
 * refusal with these functions; the store's conditions enforce the same limits under concurrency.
 * A charge larger than its limit never fits, on a budget's first use too.
 */
public final class Budgets {
    private Budgets() {
    }

    /**
     * The split threshold a deployment has unless it sets one (template parameter
     * {@code BudgetSplitThreshold}): a reward whose {@code limits.totalRedemptions} is at least the
     * threshold is a hot budget, its used figures live on {@link #SUB_COUNTERS} sub-counters whose
     * shares sum to each limit exactly (see {@link SubCounters}), so that concurrent redemptions
     * spread over several items.
     */
    public static final long DEFAULT_SPLIT_THRESHOLD = 1000;
    /** How many sub-counters a hot budget is split into (docs/BENCHMARKS.md: how N is chosen). */
    public static final int SUB_COUNTERS = 8;
    /** The smallest split threshold a deployment may set: a limit under it would leave some sub-counter no share. */
    public static final long MIN_SPLIT_THRESHOLD = SUB_COUNTERS;

    /**
     * The number of sub-counters the program asks for a reward's budget under a deployment's split
     * threshold: 1 (not split) or {@link #SUB_COUNTERS}. The threshold only decides a budget's first
     * split: a budget once split stays split whatever its limit or the threshold become later
     * ({@link SubCounters#split}); one never split is split whole, all its sub-counters in one write.
     */
    public static int subCounters(Program.RewardLimits limits, long splitThreshold) {
        return limits != null && limits.totalRedemptions() != null && limits.totalRedemptions() >= splitThreshold
                ? SUB_COUNTERS : 1;
    }

    /** A split threshold as a deployment sets it (decimal, at least {@link #MIN_SPLIT_THRESHOLD}); null or blank: the default. */
    public static long splitThreshold(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT_SPLIT_THRESHOLD;
        }
        long t;
        try {
            t = Long.parseLong(setting.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the budget split threshold must be a whole number, not " + setting);
        }
        return checkSplitThreshold(t);
    }

    /** {@code threshold}, when it is at least {@link #MIN_SPLIT_THRESHOLD}. */
    public static long checkSplitThreshold(long threshold) {
        if (threshold < MIN_SPLIT_THRESHOLD) {
            throw new IllegalArgumentException("the budget split threshold must be at least " + MIN_SPLIT_THRESHOLD
                    + ", not " + threshold);
        }
        return threshold;
    }

    /**
     * Sub-counter {@code i}'s share of {@code limit} split {@code n} ways: {@code limit / n}, plus one for
     * the first {@code limit % n} sub-counters, so the shares sum to the limit exactly. A split splits
     * what is left of a limit this way ({@link SubCounters#shares}).
     */
    public static Long subLimit(Long limit, int n, int i) {
        if (limit == null) {
            return null;
        }
        if (n < 1 || i < 0 || i >= n) {
            throw new IllegalArgumentException("sub-counter " + i + " of " + n);
        }
        return Math.floorDiv(limit, n) + (i < Math.floorMod(limit, n) ? 1 : 0);
    }

    /** What a reward's budget has used so far (all 0 before its first redemption). */
    public record Used(long redemptions, long valueMinor, long orderMinor) {
        public static final Used NONE = new Used(0, 0, 0);

        /** The sum of two sub-counters' figures (overflow-checked). */
        public Used plus(Used o) {
            return new Used(Arith.add(redemptions, o.redemptions), Arith.add(valueMinor, o.valueMinor),
                    Arith.add(orderMinor, o.orderMinor));
        }
    }

    /** {@code used + charge <= limit}, without overflow; a null limit takes anything. */
    public static boolean fits(Long limit, long used, long charge) {
        return limit == null || (charge <= limit && used <= limit - charge);
    }

    /** True when one more redemption worth {@code valueMinor} on an order of {@code orderMinor} would pass a reward limit. */
    public static boolean rewardExceeded(Program.RewardLimits limits, Used used, long valueMinor, long orderMinor) {
        return limits != null
                && (!fits(limits.totalRedemptions(), used.redemptions(), 1)
                || !fits(limits.totalDiscountMinor(), used.valueMinor(), valueMinor)
                || !fits(limits.totalOrderMinor(), used.orderMinor(), orderMinor));
    }

    /** 409 budget_exhausted, as redeem answers it (refused before writing, or by the budget's condition). */
    public static Refusal budgetRefusal(String rewardId) {
        return new Refusal(Refusal.Code.BUDGET_EXHAUSTED, "reward " + rewardId + " has used up its budget",
                java.util.Map.of("rewardId", rewardId));
    }

    /** 422 not_eligible (stacking), as redeem answers it (refused before writing, or by the order's condition). */
    public static Refusal stackingRefusal(String rewardId, String orderId) {
        return new Refusal(Refusal.Code.NOT_ELIGIBLE, "reward " + rewardId
                + " does not stack with the rewards already redeemed on order " + orderId
                + " (same category, an exclusive reward, or discounts beyond the order total)",
                java.util.Map.of("rewardId", rewardId, "reasons", java.util.List.of(Eligibility.STACKING)));
    }

    /** Discounts on one order never add up to more than its total. */
    public static boolean discountFits(long orderTotalMinor, long discountedMinor, long discountMinor) {
        return fits(orderTotalMinor, discountedMinor, discountMinor);
    }
}
