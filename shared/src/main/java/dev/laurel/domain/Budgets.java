package dev.laurel.domain;

/**
 * Budget arithmetic: whether a charge fits under a limit. validate and redeem decide every budget
 * refusal with these functions; the store's conditions enforce the same limits under concurrency.
 * A charge larger than its limit never fits, on a budget's first use too.
 */
public final class Budgets {
    private Budgets() {
    }

    /** What a reward's budget has used so far (all 0 before its first redemption). */
    public record Used(long redemptions, long valueMinor, long orderMinor) {
        public static final Used NONE = new Used(0, 0, 0);
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

    /** Discounts on one order never add up to more than its total. */
    public static boolean discountFits(long orderTotalMinor, long discountedMinor, long discountMinor) {
        return fits(orderTotalMinor, discountedMinor, discountMinor);
    }
}
