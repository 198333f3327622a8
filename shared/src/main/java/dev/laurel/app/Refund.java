package dev.laurel.app;

import static dev.laurel.app.Accounts.profileAfter;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Spending;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Refund of (part of) an order: takes back the order's share of its points, cumulatively, from
 * the order's own lots first (pending ones too), then from other available lots; what was
 * already spent stays uncollected.
 */
public final class Refund {
    /** {@code idempotencyKey} may be null. */
    public record Command(String tenant, Program program, String idempotencyKey, String customerId, String orderId,
                          long amountMinor, String requestHash) {
    }

    public record Result(String customerId, String orderId, long refundedMinor, long totalRefundedMinor,
                         long pointsClawedBack, long pendingCancelled, long uncollectedPoints, Customer after,
                         String tierId, boolean tierChanged) {
    }

    private final CustomerStore store;
    private final Clock clock;

    public Refund(CustomerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Rendered> run(Command cmd, Function<Result, Rendered> render) {
        Program program = cmd.program();
        String programId = program.programId();
        String orderId = cmd.orderId();
        String customerId = cmd.customerId();
        String key = cmd.idempotencyKey();
        long amount = cmd.amountMinor();
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Records.RefundRead read = store.readForRefund(cmd.tenant(), programId, customerId, orderId);
            if (read.order().isEmpty()) {
                return Outcome.declined(Refusal.notFound("order " + orderId + " of customer " + customerId));
            }
            Records.OrderRecord order = read.order().get();
            long refundable = order.totalMinor() - order.refundedMinor();
            if (amount > refundable) {
                return Optimistic.refuseUnlessReplayed(store, cmd.tenant(), programId, "refund", key, cmd.requestHash(),
                        new Refusal(Refusal.Code.INVALID_REQUEST,
                                "amountMinor: exceeds what is left to refund on order " + orderId + " (" + refundable + ")",
                                Map.of("field", "amountMinor", "refundableMinor", refundable)));
            }
            long refundNow = amount;
            Customer raw = read.customer();
            Customer c = raw.current(now);
            long claw = Spending.clawBack(order.earned(), order.totalMinor(), order.refundedMinor(), refundNow, order.clawed());
            // the order's own lots first (pending ones too: a refund inside the return window cancels
            // them), then other available lots; never another order's pending points
            List<Lot> collectable = c.lots().stream().filter(l -> !l.pending() || orderId.equals(l.orderId())).toList();
            List<Spending.Take> takes = Spending.take(collectable, claw, lot -> orderId.equals(lot.orderId()));
            long taken = Spending.sum(takes);
            long fromPending = Spending.sum(takes.stream().filter(t -> t.lot().pending()).toList());
            long uncollected = claw - taken;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("refundMinor", refundNow);
            details.put("pointsDue", claw);
            details.put("uncollectedPoints", uncollected);
            details.put("pendingCancelled", fromPending);
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "refund", -taken, now, null, null, orderId, null,
                    Json.write(details));
            Referrals.Cancel cancel = Referrals.cancel(store, cmd.tenant(), program, c, read.referral(), orderId, now);
            long cancelled = cancel == null ? 0 : cancel.take().points();
            List<Spending.Take> allTakes = cancel == null ? takes
                    : java.util.stream.Stream.concat(takes.stream(), java.util.stream.Stream.of(cancel.take())).toList();
            long lifetimeAfter = Math.max(0, c.lifetimeEarned() - claw - cancelled);
            Tier tierBefore = Earning.currentTier(program, c);
            Map<String, long[]> counters = new LinkedHashMap<>(
                    dev.laurel.domain.OrderStats.onRefund(c.rulePoints(), order.statsMonth(), refundNow));
            // a tier window: the refunded points leave the month they were earned in (TierWindow)
            counters.putAll(dev.laurel.domain.TierWindow.onRefund(program, c, order.statsMonth(), claw));
            if (cancel != null) { // and a cancelled referral award leaves the month it counted in
                dev.laurel.domain.TierWindow.takeBack(program, c, counters, cancel.take().lot().earnedAt(), cancelled);
            }
            Tier windowed = dev.laurel.domain.TierWindow.afterRefund(program, c, Earning.currentTier(program, c), counters, now);
            Tier tierAfter = windowed != null ? windowed
                    : Earning.tierAfterRefund(program, c, lifetimeAfter); // follows the points that count down
            Customer after = c.after(c.seq() + 1, tierAfter == null ? c.tierId() : tierAfter.id(),
                    c.available() - (taken - fromPending), lifetimeAfter, c.ruleCounts(), c.rulePoints(), c.redemptions());
            after = after.withLots(after.available(), c.pending() - fromPending - cancelled, after.lifetimeEarned(), List.of())
                    .withOwed(Arith.add(c.owed(), uncollected)); // what could not be taken stays owed
            Rendered answer = render.apply(new Result(customerId, orderId, refundNow, order.refundedMinor() + refundNow,
                    taken, fromPending, uncollected, after, Accounts.tierId(tierAfter),
                    !Objects.equals(Accounts.tierId(tierBefore), Accounts.tierId(tierAfter))));
            Idempotency idem = key == null ? null
                    : new Idempotency("refund", key, cmd.requestHash(), answer.status(), answer.body());
            Commit commit = store.refund(new Records.RefundWrite(cmd.tenant(), programId, program.version(), c, order,
                    refundNow, order.clawed() + claw, allTakes, entry, idem,
                    profileAfter(program, raw, after, Spending.apply(c.lots(), allTakes), now), now, Accounts.tierId(tierAfter),
                    cancel == null ? List.of() : List.of(cancel.entry()), cancel == null ? null : cancel.write(),
                    counters));
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }
}
