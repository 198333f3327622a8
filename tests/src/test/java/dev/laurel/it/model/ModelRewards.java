package dev.laurel.it.model;

import dev.laurel.it.model.Model.Lot;
import dev.laurel.it.model.Model.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The model's rewards (validate, redeem, rollback) and refunds; state lives here, members in {@link Model}. */
final class ModelRewards {
    static final class OrderRec {
        long total;
        long earned;
        long refunded;
        long clawed;
        /** Issue 12: the month its points counted in for tiers, and its statistics' month (null: totals only). */
        java.time.YearMonth tierMonth;
        java.time.YearMonth statsMonth;
    }

    /** A reward's budget counters; absent until its first budgeted redemption. */
    static final class Budget {
        long redemptions;
        long value;
        long order;
    }

    /** What is redeemed on one order id; absent until its first redemption. */
    static final class Stack {
        long n;
        long disc;
        boolean excl;
        final Set<String> categories = new HashSet<>();
    }

    static final class Redemption {
        String c;
        Spec.Reward reward;
        List<Object[]> taken; // {expiresAt, earnedAt, orderId, points}
        long value;
        long orderMinor;
        long discount;
        String basket;
        boolean rolledBack;
    }

    record Check(Spec.Reward reward, List<String> reasons, long discount, long value) {
    }

    final Model model;
    final Map<String, OrderRec> orders = new HashMap<>();
    final Map<String, Budget> budgets = new HashMap<>();
    final Map<String, Stack> stacks = new HashMap<>();
    final Map<String, Redemption> redemptions = new HashMap<>();
    final Map<String, Object[]> redeemKeys = new HashMap<>();
    final Map<String, Object[]> rollbackKeys = new HashMap<>();
    final Map<String, Object[]> donateKeys = new HashMap<>();
    /** The charities of every program version the model makes (Spec.json): id to its point value. */
    static final Map<String, Long> CHARITIES = Map.of("trees", 3L, "sea", 7L);

    ModelRewards(Model model) {
        this.model = model;
    }

    static OrderRec order(Model m, String c, String orderId, long total) {
        return m.rewards.orders.computeIfAbsent(c + "|" + orderId, k -> {
            OrderRec o = new OrderRec();
            o.total = total;
            return o;
        });
    }

    // ------------------------------------------------------------------ eligibility (domain/Eligibility.java)

    static long discount(Spec.Reward r, Long total, long shipping) {
        if (total == null) {
            return 0;
        }
        return switch (r.type()) {
            case "discount_amount" -> Math.min(r.valueMinor(), total);
            case "discount_percent" -> {
                long d = total * r.percent() / 100;
                yield r.maxDiscountMinor() == null ? d : Math.min(d, r.maxDiscountMinor());
            }
            // like every discount, never more than the order total
            case "free_shipping" -> Math.min(total, r.valueMinor() == null ? shipping : Math.min(r.valueMinor(), shipping));
            default -> 0;
        };
    }

    Check check(Member m, Spec.Reward r, Long total, long shipping, Instant now) {
        List<String> reasons = new ArrayList<>();
        Spec.Tier t = model.tier(m);
        if (r.tier() != null && (t == null || !r.tier().equals(t.id()))) {
            reasons.add("tier");
        }
        if (total == null && r.needsOrder()) {
            reasons.add("order_required");
        }
        if (total != null && r.minOrderMinor() != null && total < r.minOrderMinor()) {
            reasons.add("min_order");
        }
        if (r.segment() != null && !ModelGrowth.inSegment(model, m, r.segment(), now)) {
            reasons.add("segment");
        }
        if (r.perCustomer() != null && m.redemptions.getOrDefault(r.id(), 0L) >= r.perCustomer()) {
            reasons.add("limit_reached");
        }
        if (Model.available(m, now) < r.cost()) {
            reasons.add("insufficient_points");
        }
        long d = discount(r, total, shipping);
        return new Check(r, reasons, d, r.discountType() ? d : r.valueMinor() == null ? 0 : r.valueMinor());
    }

    /** S1: the charge refused when it would take a counter past its limit (first use included unless legacy). */
    boolean budgetRefuses(Spec.Reward r, long value, long orderMinor, boolean firstUseChecked) {
        if (!r.budgeted()) {
            return false;
        }
        Budget b = budgets.get(r.id());
        if (b == null && !firstUseChecked) {
            return false;
        }
        Budget used = b == null ? new Budget() : b;
        return (r.totalRedemptions() != null && used.redemptions + 1 > r.totalRedemptions())
                || (r.totalDiscountMinor() != null && used.value + value > r.totalDiscountMinor())
                || (r.totalOrderMinor() != null && used.order + orderMinor > r.totalOrderMinor());
    }

    Expect validate(Op.Validate op, Instant now) {
        Member m = model.member(op.c());
        model.settle(m, now);
        Long total = op.total();
        boolean qualification = op.rewards() == null;
        List<Spec.Reward> rewards = new ArrayList<>();
        if (qualification) {
            rewards.addAll(model.spec.rewards());
        } else {
            for (String id : op.rewards().split(",")) {
                var r = model.spec.rewardIfAny(id);
                if (r.isEmpty()) {
                    return Expect.error(400, "invalid_request"); // a reward the program no longer has
                }
                rewards.add(r.get());
            }
        }
        List<Check> checks = new ArrayList<>();
        if (qualification) {
            for (Spec.Reward r : rewards) {
                checks.add(check(m, r, total, op.shipping(), now));
            }
        } else {
            // checkTogether: in the order given, a category or exclusive once, points, limits and discounts shared
            Set<String> categories = new HashSet<>();
            boolean exclusiveTaken = false;
            int taken = 0;
            long pointsLeft = Model.available(m, now);
            long discountLeft = total == null ? 0 : total;
            Map<String, Long> counts = new HashMap<>(m.redemptions);
            for (Spec.Reward r : rewards) {
                Check c = check(m, r, total, op.shipping(), now);
                List<String> reasons = new ArrayList<>(c.reasons());
                boolean conflicts = exclusiveTaken || (r.exclusive() && taken > 0)
                        || (r.category() != null && categories.contains(r.category()));
                if (conflicts) {
                    reasons.add("stacking");
                }
                if (!reasons.contains("insufficient_points") && pointsLeft < r.cost()) {
                    reasons.add("insufficient_points");
                }
                if (!reasons.contains("limit_reached") && r.perCustomer() != null
                        && counts.getOrDefault(r.id(), 0L) >= r.perCustomer()) {
                    reasons.add("limit_reached");
                }
                long d = Math.min(c.discount(), discountLeft);
                if (reasons.isEmpty()) {
                    taken++;
                    pointsLeft -= r.cost();
                    discountLeft -= d;
                    counts.merge(r.id(), 1L, Long::sum);
                    if (r.category() != null) {
                        categories.add(r.category());
                    }
                    exclusiveTaken |= r.exclusive();
                }
                checks.add(new Check(r, reasons, d, r.discountType() ? d : c.value()));
            }
        }
        List<String> out = new ArrayList<>();
        boolean allValid = true;
        boolean open = false;
        for (Check c : checks) {
            Spec.Reward r = c.reward();
            List<String> reasons = new ArrayList<>(c.reasons());
            Stack stored = op.basket() == null ? null : stacks.get(op.basket());
            if (Semantics.BUDGET_FIRST_USE.on() && total != null && op.basket() != null
                    && (stored == null ? 0 : stored.disc) + c.discount() > total) {
                open = true; // whether validate reports an order's discounts past its total is not agreed (S1 speaks of redeem)
            }
            if (budgetRefuses(r, c.value(), total == null ? 0 : total, true)) {
                reasons.add("budget_exhausted");
            }
            if (total != null && op.basket() != null && !reasons.contains("stacking")) {
                Stack s = stacks.get(op.basket());
                if (s != null && (s.excl || (r.exclusive() && s.n > 0) || (r.category() != null && s.categories.contains(r.category())))) {
                    reasons.add("stacking");
                }
            }
            if (qualification && !reasons.isEmpty()) {
                continue;
            }
            allValid &= reasons.isEmpty();
            out.add(r.id() + ":" + reasons.isEmpty() + ":" + String.join("+", reasons.stream().sorted().toList()) + ":"
                    + c.discount() + ":" + r.cost());
        }
        long preview = 0;
        if (total != null) {
            Map<String, Long> used = Semantics.EARN_PREVIEW_BUDGET.on() ? model.ruleBudgetUsed : Map.of();
            preview = ModelEarning.plan(model, m, "order.paid", now, total, used).points();
        }
        Expect e = Expect.ok(200).put("earnPreview.points", preview);
        return open ? e : e.put("valid", qualification ? !out.isEmpty() : allValid && !out.isEmpty())
                .put("rewards#validate", String.join(",", out));
    }

    Expect redeem(Op.Redeem op, Instant now) {
        Long total = op.total();
        Object[] first = redeemKeys.get(op.key());
        String body = op.c() + "|" + op.reward() + "|" + total + "|" + op.shipping() + "|" + op.basket() + "|"
                + (total == null ? "" : op.currency());
        // what the program (as it is now) refuses: an order in another currency, a reward it no longer has
        java.util.Optional<Spec.Reward> found = model.spec.rewardIfAny(op.reward());
        Expect refusal = total != null && !op.currency().equals(model.spec.currency()) ? Expect.error(400, "invalid_request")
                : found.isEmpty() ? Expect.error(404, "not_found")
                : total == null && found.get().needsOrder() ? Expect.error(400, "invalid_request") : null;
        if (first != null && (refusal == null || Semantics.REPLAY_FIRST_ANSWER.on())) {
            // S8: a key that took effect answers its first answer, whatever changed since
            return body.equals(first[0]) ? (Expect) first[1] : Expect.error(409, "idempotency_key_reused");
        }
        if (refusal != null) {
            return refusal;
        }
        Spec.Reward r = found.get();
        Member m = model.members.get(op.c());
        if (m == null || !m.member) {
            return Expect.error(404, "not_found");
        }
        long before = model.reminders.before(m, now);
        Spec.Tier tierBefore = model.tier(m);
        model.settle(m, now);
        Check c = check(m, r, total, op.shipping(), now);
        List<String> reasons = c.reasons();
        if (reasons.stream().anyMatch(x -> !x.equals("limit_reached") && !x.equals("insufficient_points"))) {
            return Expect.error(422, "not_eligible");
        }
        if (reasons.contains("limit_reached")) {
            return Expect.error(409, "limit_reached");
        }
        if (reasons.contains("insufficient_points")) {
            return Expect.error(409, "insufficient_points");
        }
        long orderMinor = total == null ? 0 : total;
        if (budgetRefuses(r, c.value(), orderMinor, Semantics.BUDGET_FIRST_USE.on())) {
            return Expect.error(409, "budget_exhausted");
        }
        boolean stacked = total != null && op.basket() != null;
        if (stacked) {
            Stack s = stacks.get(op.basket());
            boolean slot = s == null || (r.exclusive() ? s.n == 0
                    : !s.excl && (r.category() == null || !s.categories.contains(r.category())));
            boolean within = (s == null && !Semantics.BUDGET_FIRST_USE.on()) || (s == null ? 0 : s.disc) + c.discount() <= total;
            if (!slot || !within) {
                return Expect.error(422, "not_eligible");
            }
        }
        // the redemption: points from the lots that expire soonest, counters, budget, the order's stack
        List<Lot> spendable = m.lots.stream().filter(l -> Model.live(l, now) && l.pendingUntil == null).toList();
        Redemption red = new Redemption();
        red.c = op.c();
        red.reward = r;
        red.taken = new ArrayList<>();
        for (Object[] t : Model.take(spendable, r.cost(), null)) {
            Lot l = (Lot) t[0];
            red.taken.add(new Object[] {l.expiresAt, l.earnedAt, l.orderId, t[1]});
        }
        m.redemptions.merge(r.id(), 1L, Long::sum);
        m.ledger.merge("redeem", -r.cost(), Long::sum);
        if (r.budgeted()) {
            Budget b = budgets.computeIfAbsent(r.id(), k -> new Budget());
            b.redemptions++;
            b.value += c.value();
            b.order += orderMinor;
            red.value = c.value();
            red.orderMinor = orderMinor;
        }
        if (stacked) {
            Stack s = stacks.computeIfAbsent(op.basket(), k -> new Stack());
            s.n++;
            s.disc += c.discount();
            s.excl |= r.exclusive();
            if (r.category() != null) {
                s.categories.add(r.category());
            }
            red.basket = op.basket();
            red.discount = c.discount();
        }
        redemptions.put(op.handle(), red);
        Expect e = Expect.ok(201).put("pointsSpent", r.cost()).put("discountMinor", c.discount());
        boolean valued = r.type().equals("gift_card") || r.type().equals("cash_back") || r.type().equals("donation")
                || r.type().equals("product");
        e.put("valueMinor", valued ? String.valueOf(c.value()) : Expect.ABSENT);
        model.balance(e, m, now);
        Model.recorded(m);
        model.reminders.wrote(m, before, tierBefore, now, false);
        redeemKeys.put(op.key(), new Object[] {body, e});
        return e;
    }

    /** A donation: points spent as a redemption spends them, worth points × the charity's point value. */
    Expect donate(Op.Donate op, Instant now) {
        String body = op.c() + "|" + op.charity() + "|" + op.points();
        Object[] first = donateKeys.get(op.key());
        Long perPoint = CHARITIES.get(op.charity());
        Expect refusal = perPoint == null ? Expect.error(404, "not_found") : null;
        if (first != null && (refusal == null || Semantics.REPLAY_FIRST_ANSWER.on())) {
            return body.equals(first[0]) ? (Expect) first[1] : Expect.error(409, "idempotency_key_reused");
        }
        if (refusal != null) {
            return refusal;
        }
        Member m = model.members.get(op.c());
        if (m == null || !m.member) {
            return Expect.error(404, "not_found");
        }
        long before = model.reminders.before(m, now);
        Spec.Tier tierBefore = model.tier(m);
        model.settle(m, now);
        if (Model.available(m, now) < op.points()) {
            return Expect.error(409, "insufficient_points");
        }
        List<Lot> spendable = m.lots.stream().filter(l -> Model.live(l, now) && l.pendingUntil == null).toList();
        Model.take(spendable, op.points(), null);
        m.ledger.merge("donation", -op.points(), Long::sum);
        Expect e = Expect.ok(201).put("charityId", op.charity()).put("points", op.points())
                .put("valueMinor", op.points() * perPoint);
        model.balance(e, m, now);
        Model.recorded(m);
        model.reminders.wrote(m, before, tierBefore, now, false);
        donateKeys.put(op.key(), new Object[] {body, e});
        return e;
    }

    Expect rollback(Op.Rollback op, Instant now) {
        Redemption red = redemptions.get(op.handle());
        if (red == null) {
            return Expect.error(404, "not_found");
        }
        Object[] first = op.key() == null ? null : rollbackKeys.get(op.key());
        if (first != null) {
            return op.handle().equals(first[0]) ? (Expect) first[1] : Expect.error(409, "idempotency_key_reused");
        }
        if (red.rolledBack) {
            return Expect.error(409, "already_rolled_back");
        }
        red.rolledBack = true;
        Member m = model.member(red.c);
        long before = model.reminders.before(m, now);
        Spec.Tier tierBefore = model.tier(m);
        model.settle(m, now);
        List<Lot> restored = new ArrayList<>();
        for (Object[] t : red.taken) {
            Lot l = model.newLot((Long) t[3], (Instant) t[1], (Instant) t[0], (String) t[2], null);
            model.mergeInto(m, l, now);
            m.lots.add(l);
            restored.add(l);
        }
        m.redemptions.merge(red.reward.id(), -1L, Long::sum);
        m.ledger.merge("rollback", red.reward.cost(), Long::sum);
        if (red.reward.budgeted()) {
            Budget b = budgets.get(red.reward.id());
            b.redemptions--;
            b.value -= red.value;
            b.order -= red.orderMinor;
        }
        if (red.basket != null) {
            Stack s = stacks.get(red.basket);
            s.n--;
            s.disc -= red.discount;
            if (red.reward.exclusive()) {
                s.excl = false;
            }
            if (red.reward.category() != null) {
                s.categories.remove(red.reward.category());
            }
        }
        Model.payDebt(m, restored.stream().filter(l -> Model.live(l, now)).toList());
        Model.recorded(m);
        model.reminders.wrote(m, before, tierBefore, now, false);
        Expect e = Expect.ok(200).put("status", "rolled_back").put("pointsRestored", red.reward.cost());
        if (op.key() != null) {
            rollbackKeys.put(op.key(), new Object[] {op.handle(), e});
        }
        return e;
    }

    Expect refund(Op.Refund op, Instant now) {
        OrderRec o = orders.get(op.c() + "|" + op.order());
        if (o == null) {
            return Expect.error(404, "not_found");
        }
        if (op.amount() > o.total - o.refunded) {
            return Expect.error(400, "invalid_request");
        }
        Member m = model.member(op.c());
        long before = model.reminders.before(m, now);
        Spec.Tier tierBefore = model.tier(m);
        model.settle(m, now);
        long refundedAfter = o.refunded + op.amount();
        long target = o.total == 0 ? o.earned : Math.floorDiv(Math.multiplyExact(o.earned, refundedAfter), o.total);
        long claw = Math.max(0, target - o.clawed);
        String orderId = op.order();
        List<Lot> collectable = m.lots.stream()
                .filter(l -> Model.live(l, now) && (l.pendingUntil == null || orderId.equals(l.orderId))).toList();
        long taken = 0;
        long fromPending = 0;
        for (Object[] t : Model.take(collectable, claw, l -> orderId.equals(l.orderId))) {
            taken += (Long) t[1];
            if (((Lot) t[0]).pendingUntil != null) {
                fromPending += (Long) t[1];
            }
        }
        long uncollected = claw - taken;
        ModelGrowth.refunded(m, o, op.amount());
        ModelGrowth.takenBack(model, m, o.tierMonth, claw, now);
        long cancelled = ModelReferrals.cancel(model, m, orderId, now);
        m.lifetime = Math.max(0, m.lifetime - claw - cancelled);
        o.refunded = refundedAfter;
        o.clawed += claw;
        m.ledger.merge("refund", -taken, Long::sum);
        if (Semantics.DEBT.on()) {
            m.owed += uncollected;
        }
        Expect e = Expect.ok(200).put("refundedMinor", op.amount()).put("totalRefundedMinor", refundedAfter)
                .put("pointsClawedBack", taken).put("pendingCancelled", fromPending).put("uncollectedPoints", uncollected);
        Model.recorded(m);
        model.reminders.wrote(m, before, tierBefore, now, false);
        return model.balance(e, m, now);
    }
}
