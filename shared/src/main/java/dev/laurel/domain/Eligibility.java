package dev.laurel.domain;

import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Program.RewardType;
import dev.laurel.domain.Program.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a customer may redeem a reward on an order, and what it is worth. Reasons are the
 * stable codes of API.md ({@code tier}, {@code min_order}, {@code segment}, {@code disabled},
 * {@code outside_window}, {@code stacking}) plus {@code order_required},
 * {@code insufficient_points} and {@code limit_reached}.
 */
public final class Eligibility {
    public static final String DISABLED = "disabled";
    public static final String OUTSIDE_WINDOW = "outside_window";
    public static final String TIER = "tier";
    public static final String MIN_ORDER = "min_order";
    public static final String SEGMENT = "segment";
    public static final String STACKING = "stacking";
    public static final String ORDER_REQUIRED = "order_required";
    public static final String INSUFFICIENT_POINTS = "insufficient_points";
    public static final String LIMIT_REACHED = "limit_reached";

    private Eligibility() {
    }

    /**
     * The verdict on one reward. {@code discountMinor} is what it takes off the order;
     * {@code valueMinor} is what it counts against {@code totalDiscountMinor} (the discount for
     * discount types, the face value for gift cards, cash back and donations).
     */
    public record Check(Reward reward, List<String> reasons, long discountMinor, long valueMinor) {
        public boolean valid() {
            return reasons.isEmpty();
        }

        /** Reasons that make it ineligible (422), as opposed to a balance or limit problem (409). */
        public List<String> eligibilityReasons() {
            return reasons.stream().filter(r -> !r.equals(INSUFFICIENT_POINTS) && !r.equals(LIMIT_REACHED)).toList();
        }
    }

    public static Check check(Program program, Customer customer, Reward reward, Order order, Instant now) {
        SharedFacts shared = new SharedFacts(program, customer, order, now);
        return check(program, customer, reward, order, now, new FactsOnce(program, customer, shared, now));
    }

    /** Each reward checked on its own, the facts their conditions read built once for all of them. */
    public static List<Check> checkEach(Program program, Customer customer, List<Reward> rewards, Order order, Instant now) {
        return checkEach(program, customer, rewards, order, now, new SharedFacts(program, customer, order, now));
    }

    /** {@link #checkEach} reading {@code shared}, the facts of this customer and order at {@code now} (another use may share them). */
    public static List<Check> checkEach(Program program, Customer customer, List<Reward> rewards, Order order, Instant now,
                                        SharedFacts shared) {
        FactsOnce facts = new FactsOnce(program, customer, shared.of(program, customer, order, now), now);
        List<Check> out = new ArrayList<>(rewards.size());
        for (Reward r : rewards) {
            out.add(check(program, customer, r, order, now, facts));
        }
        return out;
    }

    /**
     * The facts of one customer, order and instant that reward conditions read, built on first
     * need and then shared: a validate of 100 rewards builds the order's 50 lines into facts once,
     * not once per reward (and, through {@link SharedFacts}, not again for its earn preview).
     */
    private static final class FactsOnce {
        private final Program program;
        private final Customer customer;
        private final SharedFacts shared;
        private final Instant now;
        private Condition.Facts facts;
        private boolean tierKnown;
        private Tier tier;

        FactsOnce(Program program, Customer customer, SharedFacts shared, Instant now) {
            this.program = program;
            this.customer = customer;
            this.shared = shared;
            this.now = now;
        }

        Condition.Facts get() {
            if (facts == null) {
                facts = shared.with(new Event("reward.check", "-", now, null, Map.of()));
            }
            return facts;
        }

        /** The customer's current tier, decided once for all the rewards checked. */
        Tier tier() {
            if (!tierKnown) {
                tier = Earning.currentTier(program, customer);
                tierKnown = true;
            }
            return tier;
        }
    }

    /** The reasons one reward's check can give, in the order it gives them: a check collects them as bits of this order. */
    private static final String[] CHECKED = {DISABLED, OUTSIDE_WINDOW, TIER, ORDER_REQUIRED, MIN_ORDER, SEGMENT, LIMIT_REACHED,
        INSUFFICIENT_POINTS};

    private static Check check(Program program, Customer customer, Reward reward, Order order, Instant now, FactsOnce facts) {
        int found = 0; // bit i: CHECKED[i]
        if (reward.status() != Program.Status.ACTIVE) {
            found |= 1;
        }
        if ((reward.activeFrom() != null && now.isBefore(reward.activeFrom()))
                || (reward.activeUntil() != null && !now.isBefore(reward.activeUntil()))) {
            found |= 1 << 1;
        }
        if (!reward.tiers().isEmpty()) {
            Tier tier = facts.tier();
            if (tier == null || !reward.tiers().contains(tier.id())) {
                found |= 1 << 2;
            }
        }
        if (order == null && reward.needsOrder()) {
            found |= 1 << 3;
        }
        if (order != null && reward.minOrderMinor() != null && order.totalMinor() < reward.minOrderMinor()) {
            found |= 1 << 4;
        }
        if (reward.when() != null && !reward.when().test(facts.get())) {
            found |= 1 << 5;
        }
        if (reward.limits() != null && reward.limits().perCustomer() != null
                && customer.redemptions().getOrDefault(reward.id(), 0L) >= reward.limits().perCustomer()) {
            found |= 1 << 6;
        }
        if (customer.available() < reward.cost()) {
            found |= 1 << 7;
        }
        List<String> reasons = reasons(found);
        long discount = discount(reward, order);
        long value = switch (reward.type()) {
            case DISCOUNT_AMOUNT, DISCOUNT_PERCENT, FREE_SHIPPING -> discount;
            default -> reward.valueMinor() == null ? 0 : reward.valueMinor();
        };
        return new Check(reward, reasons, discount, value);
    }

    /** The reasons of {@code found}'s bits, in their order; no list is made for none or one. */
    private static List<String> reasons(int found) {
        int n = Integer.bitCount(found);
        if (n <= 1) {
            return n == 0 ? List.of() : List.of(CHECKED[Integer.numberOfTrailingZeros(found)]);
        }
        String[] out = new String[n];
        for (int i = 0, k = 0; k < n; i++) {
            if ((found & (1 << i)) != 0) {
                out[k++] = CHECKED[i];
            }
        }
        return List.of(out);
    }

    /** What a reward takes off an order (0 for rewards that are not discounts). */
    static long discount(Reward r, Order order) {
        if (order == null) {
            return 0;
        }
        return switch (r.type()) {
            case DISCOUNT_AMOUNT -> Math.min(r.valueMinor(), order.totalMinor());
            case DISCOUNT_PERCENT -> {
                long d = Arith.mulDivFloor(order.totalMinor(), r.percent(), 100);
                yield r.maxDiscountMinor() == null ? d : Math.min(d, r.maxDiscountMinor());
            }
            // never more than the order's total, like every discount
            case FREE_SHIPPING -> Math.min(order.totalMinor(),
                    r.valueMinor() == null ? order.shippingMinor() : Math.min(r.valueMinor(), order.shippingMinor()));
            default -> 0;
        };
    }

    /**
     * Checks several rewards meant for one order together: after the individual checks, a reward
     * whose stacking category is already taken, or an exclusive one combined with anything, gets
     * {@code stacking}. Rewards are taken in the order given; together they never take more off
     * the order than its total, and never more of one reward than the customer's limit allows.
     */
    public static List<Check> checkTogether(Program program, Customer customer, List<Reward> rewards, Order order, Instant now) {
        return checkTogether(program, customer, rewards, order, now, new SharedFacts(program, customer, order, now));
    }

    /** {@link #checkTogether} reading {@code shared}, the facts of this customer and order at {@code now}. */
    public static List<Check> checkTogether(Program program, Customer customer, List<Reward> rewards, Order order, Instant now,
                                            SharedFacts shared) {
        List<Check> out = new ArrayList<>();
        Set<String> categories = new HashSet<>();
        boolean exclusiveTaken = false;
        int taken = 0;
        long pointsLeft = customer.available();
        long discountLeft = order == null ? 0 : order.totalMinor();
        java.util.Map<String, Long> counts = new java.util.HashMap<>(customer.redemptions());
        FactsOnce facts = new FactsOnce(program, customer, shared.of(program, customer, order, now), now);
        for (Reward r : rewards) {
            Check c = check(program, customer, r, order, now, facts);
            List<String> reasons = new ArrayList<>(c.reasons());
            Program.Stacking s = r.stacking();
            boolean conflicts = exclusiveTaken
                    || (s != null && s.exclusive() && taken > 0)
                    || (s != null && s.category() != null && categories.contains(s.category()));
            if (conflicts && !reasons.contains(STACKING)) {
                reasons.add(STACKING);
            }
            if (!reasons.contains(INSUFFICIENT_POINTS) && pointsLeft < r.cost()) {
                reasons.add(INSUFFICIENT_POINTS);
            }
            if (!reasons.contains(LIMIT_REACHED) && r.limits() != null && r.limits().perCustomer() != null
                    && counts.getOrDefault(r.id(), 0L) >= r.limits().perCustomer()) {
                reasons.add(LIMIT_REACHED);
            }
            long discount = Math.min(c.discountMinor(), discountLeft);
            if (reasons.isEmpty()) {
                taken++;
                pointsLeft -= r.cost();
                discountLeft -= discount;
                counts.merge(r.id(), 1L, Long::sum);
                if (s != null && s.category() != null) {
                    categories.add(s.category());
                }
                exclusiveTaken |= s != null && s.exclusive();
            }
            boolean discountType = r.type() == RewardType.DISCOUNT_AMOUNT || r.type() == RewardType.DISCOUNT_PERCENT
                    || r.type() == RewardType.FREE_SHIPPING;
            out.add(new Check(r, List.copyOf(reasons), discount, discountType ? discount : c.valueMinor()));
        }
        return out;
    }

    /** True for reward types that are paid out rather than taken off an order. */
    public static boolean isPayout(RewardType t) {
        return t == RewardType.GIFT_CARD || t == RewardType.CASH_BACK || t == RewardType.DONATION;
    }
}
