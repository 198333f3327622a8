package dev.laurel.app;

import static dev.laurel.app.Accounts.profileAfter;
import static dev.laurel.app.Accounts.spent;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Spending;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Redeem: a member spends points on a reward, from the lots that expire soonest, charging the
 * reward's budget and the order's stacking slot in the same write. The idempotency key makes a
 * retry safe; a retry of a redemption that went through gets its first answer, whatever the
 * state is now.
 */
public final class Redeem {
    /** {@code order} may be null for rewards that need none. */
    public record Command(String tenant, Program program, String idempotencyKey, String customerId, Reward reward,
                          Order order, String requestHash) {
    }

    /** {@code valueMinor} is null for rewards that have no value of their own (discounts, free shipping). */
    public record Result(String redemptionId, String rewardId, String customerId, long pointsSpent, long discountMinor,
                         Long valueMinor, String code, Customer after) {
    }

    private final CustomerStore store;
    private final Clock clock;
    private final java.util.function.LongSupplier splitThreshold;

    /** @param splitThreshold the deployment's budget split threshold ({@link Budgets#subCounters}) */
    public Redeem(CustomerStore store, Clock clock, java.util.function.LongSupplier splitThreshold) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.splitThreshold = Objects.requireNonNull(splitThreshold, "splitThreshold");
    }

    public Outcome<Rendered> run(Command cmd, Function<Result, Rendered> render) {
        Program program = cmd.program();
        String programId = program.programId();
        Reward reward = cmd.reward();
        String rewardId = reward.id();
        Order order = cmd.order();
        String key = cmd.idempotencyKey();
        boolean budgeted = reward.limits() != null && reward.limits().hasBudget();
        int subCounters = Budgets.subCounters(reward.limits(), splitThreshold.getAsLong());
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Records.ValidateRead read = store.readForValidate(cmd.tenant(), programId, cmd.customerId(),
                    order == null ? null : order.orderId(), budgeted ? List.of(rewardId) : List.of(),
                    budgeted && subCounters > 1 ? List.of(rewardId) : List.of(), List.of());
            Customer raw = read.customer();
            Customer c = raw.current(now);
            Eligibility.Check check = c.member() ? Eligibility.check(program, c, reward, order, now) : null;
            Refusal refusal = refusal(c, check, reward);
            if (refusal == null && Validate.budgetExhausted(reward, read, check, order)) {
                refusal = Budgets.budgetRefusal(rewardId);
            }
            if (refusal == null && !Validate.discountFits(read, check, order)) {
                refusal = Budgets.stackingRefusal(rewardId, order.orderId());
            }
            if (refusal != null) {
                return Optimistic.refuseUnlessReplayed(store, cmd.tenant(), programId, "redeem", key, cmd.requestHash(), refusal);
            }
            List<Spending.Take> takes = Spending.take(c.lots().stream().filter(l -> !l.pending()).toList(), reward.cost(), null);
            if (Spending.sum(takes) != reward.cost()) {
                throw new IllegalStateException("customer " + cmd.customerId() + " lots hold less than the available balance");
            }
            Records.BudgetCharge budget = null;
            if (budgeted) {
                var l = reward.limits();
                budget = new Records.BudgetCharge(rewardId, 1, check.valueMinor(), order == null ? 0 : order.totalMinor(),
                        l.totalRedemptions(), l.totalDiscountMinor(), l.totalOrderMinor(), subCounters,
                        read.budgetSubs().get(rewardId));
            }
            String redemptionId = Ids.next(now.toEpochMilli());
            String code = Ids.rewardCode();
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "redeem", -reward.cost(), now, null, rewardId,
                    order == null ? null : order.orderId(), redemptionId, null);
            Customer after = spent(c, reward.cost(), rewardId);
            Long valueMinor = Eligibility.isPayout(reward.type()) || reward.type() == Program.RewardType.PRODUCT
                    ? check.valueMinor() : null;
            Rendered answer = render.apply(new Result(redemptionId, rewardId, cmd.customerId(), reward.cost(),
                    check.discountMinor(), valueMinor, code, after));
            var stacking = reward.stacking();
            Commit commit = store.redeem(new Records.RedeemWrite(cmd.tenant(), programId, program.version(), c,
                    redemptionId, rewardId, reward.cost(), reward.limits() == null ? null : reward.limits().perCustomer(),
                    takes, budget, order == null ? null : order.orderId(),
                    stacking == null ? null : stacking.category(), stacking != null && stacking.exclusive(),
                    check.discountMinor(), order == null ? 0 : order.totalMinor(), code, entry,
                    new Idempotency("redeem", key, cmd.requestHash(), answer.status(), answer.body()),
                    profileAfter(program, raw, after, Spending.apply(c.lots(), takes), now), now,
                    reward.codeValidDays() == null ? null : now.plus(java.time.Duration.ofDays(reward.codeValidDays()))));
            if (commit instanceof Commit.Done) {
                dev.laurel.store.Meter.count("PointsRedeemed", reward.cost()); // the log line's metric
            }
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }

    /** Why a customer may not redeem a reward now, or null when they may. */
    private static Refusal refusal(Customer c, Eligibility.Check check, Reward reward) {
        String rewardId = reward.id();
        if (!c.member()) {
            return Refusal.notFound("customer " + c.customerId());
        }
        List<String> notEligible = check.eligibilityReasons();
        if (!notEligible.isEmpty()) {
            return new Refusal(Refusal.Code.NOT_ELIGIBLE, "reward " + rewardId + " is not available: " + notEligible,
                    Map.of("rewardId", rewardId, "reasons", notEligible));
        }
        if (check.reasons().contains(Eligibility.LIMIT_REACHED)) {
            return new Refusal(Refusal.Code.LIMIT_REACHED, "customer " + c.customerId() + " has redeemed " + rewardId
                    + " as often as allowed", Map.of("rewardId", rewardId, "limit", reward.limits().perCustomer()));
        }
        if (check.reasons().contains(Eligibility.INSUFFICIENT_POINTS)) {
            return new Refusal(Refusal.Code.INSUFFICIENT_POINTS, "reward " + rewardId + " costs " + reward.cost()
                    + " points; " + c.available() + " are available",
                    Map.of("rewardId", rewardId, "cost", reward.cost(), "available", c.available()));
        }
        return null;
    }
}
