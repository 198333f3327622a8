package dev.laurel.app;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.Event;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.SharedFacts;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validate (read-only): which rewards a customer may redeem, on an order or without one, and
 * what the order would earn. Without named rewards it is a qualification check of every reward,
 * listing only the valid ones.
 */
public final class Validate {
    /** {@code rewards} null = every reward of the program (qualification). */
    public record Query(String tenant, Program program, String customerId, Order order, List<Reward> rewards) {
    }

    public record Line(Reward reward, boolean valid, List<String> reasons, long discountMinor) {
    }

    public record Result(boolean valid, List<Line> rewards, long earnPreview) {
    }

    /** The ids of the program's rewards with a budget, and of its order rules with a total budget: made once per version. */
    private static final PerVersion<List<String>> ALL_BUDGETED = new PerVersion<>(p -> budgeted(p.rewards(), true));
    private static final PerVersion<List<String>> ORDER_BUDGET_RULES =
            new PerVersion<>(p -> Accounts.budgetRules(p, Event.ORDER_PAID));
    /**
     * Of the program's budgeted rewards, those a split threshold splits (their sub-counters are read at
     * once; the store asks the set once per budgeted reward): made once per version and threshold.
     */
    private static final PerVersion<SplitIds> SPLIT_IDS = new PerVersion<>(SplitIds::new);

    /** The program's budgeted rewards, and the set of those a threshold splits, kept for the last threshold asked. */
    private static final class SplitIds {
        private record ForThreshold(long threshold, java.util.Set<String> ids) {
        }

        private final List<Reward> budgeted = new ArrayList<>();
        private volatile ForThreshold last;

        SplitIds(Program p) {
            for (Reward r : p.rewards()) {
                if (r.limits() != null && r.limits().hasBudget()) {
                    budgeted.add(r);
                }
            }
        }

        java.util.Set<String> at(long threshold) {
            ForThreshold l = last;
            if (l == null || l.threshold() != threshold) {
                java.util.Set<String> ids = new java.util.HashSet<>();
                for (Reward r : budgeted) {
                    if (Budgets.subCounters(r.limits(), threshold) > 1) {
                        ids.add(r.id());
                    }
                }
                l = new ForThreshold(threshold, java.util.Set.copyOf(ids));
                last = l;
            }
            return l.ids();
        }
    }

    private final CustomerStore store;
    private final Clock clock;
    private final java.util.function.LongSupplier splitThreshold;

    /** @param splitThreshold the deployment's budget split threshold: which budgets to read whole at once */
    public Validate(CustomerStore store, Clock clock, java.util.function.LongSupplier splitThreshold) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.splitThreshold = Objects.requireNonNull(splitThreshold, "splitThreshold");
    }

    public Outcome<Result> run(Query q) {
        Program program = q.program();
        Order order = q.order();
        boolean qualification = q.rewards() == null;
        List<Reward> rewards = qualification ? program.rewards() : q.rewards();
        List<String> budgeted = qualification ? ALL_BUDGETED.of(program) : budgeted(rewards, false);
        Instant now = clock.instant();
        Records.ValidateRead read = store.readForValidate(q.tenant(), program.programId(), q.customerId(),
                order == null ? null : order.orderId(), budgeted, SPLIT_IDS.of(program).at(splitThreshold.getAsLong()),
                order == null ? List.of() : ORDER_BUDGET_RULES.of(program));
        Customer c = read.customer().current(now);
        SharedFacts facts = new SharedFacts(program, c, order, now); // read by the checks and the earn preview alike
        List<Eligibility.Check> checks = qualification
                ? Eligibility.checkEach(program, c, rewards, order, now, facts)
                : Eligibility.checkTogether(program, c, rewards, order, now, facts);
        List<Line> lines = new ArrayList<>(checks.size());
        boolean allValid = true;
        for (Eligibility.Check check : checks) {
            List<String> reasons = check.reasons(); // unmodifiable; copied only when a reason is added
            Reward r = check.reward();
            if (budgetExhausted(r, read, check, order)) {
                reasons = adding(reasons, "budget_exhausted");
            }
            if (order != null && order.orderId() != null && !reasons.contains(Eligibility.STACKING)) {
                Records.OrderStack s = read.stack();
                boolean excl = r.stacking() != null && r.stacking().exclusive();
                String cat = r.stacking() == null ? null : r.stacking().category();
                if (s.exclusive() || (excl && s.count() > 0) || (cat != null && s.categories().contains(cat))
                        || !discountFits(read, check, order)) {
                    reasons = adding(reasons, Eligibility.STACKING);
                }
            }
            if (qualification && !reasons.isEmpty()) {
                continue;
            }
            allValid &= reasons.isEmpty();
            lines.add(new Line(r, reasons.isEmpty(), List.copyOf(reasons), check.discountMinor()));
        }
        long preview = 0;
        if (order != null) {
            Event e = new Event(Event.ORDER_PAID, order.orderId() == null ? "preview" : order.orderId(), now, order, Map.of());
            preview = Earning.plan(program, c, e, read.ruleBudgetUsed(), now, facts).points(); // as an earn arriving now would
        }
        boolean valid = qualification ? !lines.isEmpty() : allValid && !lines.isEmpty();
        return Outcome.done(new Result(valid, lines, preview));
    }

    /** The ids of the rewards with a budget, each once (a program's own rewards have distinct ids). */
    private static List<String> budgeted(List<Reward> rewards, boolean distinctIds) {
        List<String> ids = new ArrayList<>();
        java.util.Set<String> seen = distinctIds ? null : new java.util.HashSet<>();
        for (int i = 0, n = rewards.size(); i < n; i++) {
            Reward r = rewards.get(i);
            if (r.limits() != null && r.limits().hasBudget() && (seen == null || seen.add(r.id()))) {
                ids.add(r.id());
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> adding(List<String> reasons, String reason) {
        List<String> more = new ArrayList<>(reasons);
        more.add(reason);
        return more;
    }

    /** Whether a reward's budget refuses this redemption: validate and redeem both decide with it. */
    static boolean budgetExhausted(Reward r, Records.ValidateRead read, Eligibility.Check check, Order order) {
        return Budgets.rewardExceeded(r.limits(), read.budgets().getOrDefault(r.id(), Budgets.Used.NONE),
                check.valueMinor(), order == null ? 0 : order.totalMinor());
    }

    /** Whether the discount still fits on the order with the discounts already redeemed on it. */
    static boolean discountFits(Records.ValidateRead read, Eligibility.Check check, Order order) {
        return order == null || order.orderId() == null
                || Budgets.discountFits(order.totalMinor(), read.stack().discountMinor(), check.discountMinor());
    }
}
