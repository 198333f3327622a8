package dev.laurel.app;

import static dev.laurel.app.Accounts.applied;
import static dev.laurel.app.Accounts.budgetRules;
import static dev.laurel.app.Accounts.earned;
import static dev.laurel.app.Accounts.joinEvent;
import static dev.laurel.app.Accounts.profileAfter;
import static dev.laurel.app.Accounts.tierId;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Referral;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Earn: an event earns points by the program's rules (and enrols an unknown customer, whose
 * {@code customer.joined} bonus comes first). One read, one write; the event's type and id make
 * it idempotent, and a replay answers the first answer.
 */
public final class Earn {
    /** An event for a customer; {@code requestHash} fingerprints the request (a replay must match it). */
    public record Command(String tenant, Program program, String customerId, Event event, String requestHash,
                          String referredBy) {
        /** An earn that names no referrer. */
        public Command(String tenant, Program program, String customerId, Event event, String requestHash) {
            this(tenant, program, customerId, event, requestHash, null);
        }
    }

    /** What the earn did: the main plan, the join plan (null when the customer was a member), the customer after. */
    public record Result(String customerId, String entryId, Earning.Plan plan, Earning.Plan join, Customer after,
                         String tierId, boolean tierChanged, Instant expiresAt, Instant pendingUntil,
                         Referral referral, long referralPoints) {
    }

    private final CustomerStore store;
    private final Clock clock;

    public Earn(CustomerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Earns; {@code render} makes the answer that is stored as the first answer for replays. */
    public Outcome<Rendered> run(Command cmd, Function<Result, Rendered> render) {
        Program program = cmd.program();
        Event ev = cmd.event();
        String programId = program.programId();
        return Optimistic.retrying(() -> {
            Instant at = clock.instant();
            List<String> rules = new ArrayList<>(budgetRules(program, ev.type()));
            rules.addAll(budgetRules(program, Event.CUSTOMER_JOINED));
            Records.EarnRead read = store.readForEarn(cmd.tenant(), programId, cmd.customerId(), rules);
            Customer raw = read.customer();
            Customer before = raw.current(at);
            Referrals.State ref = Referrals.start(store, cmd.tenant(), program, before, read.referral(), cmd.referredBy(),
                    before.email());
            if (ref.refusal != null) {
                return Optimistic.refuseUnlessReplayed(store, cmd.tenant(), programId, "earn", ev.key(), cmd.requestHash(),
                        ref.refusal);
            }
            Map<String, Long> used = new HashMap<>(read.ruleBudgetUsed());
            List<Earned> earned = new ArrayList<>();
            List<Lot> lots = new ArrayList<>(before.lots());
            Customer c = before;
            Earning.Plan join = null;
            if (!before.member()) {
                join = Earning.plan(program, before, joinEvent(cmd.customerId(), at), used);
                if (join.points() > 0) {
                    earned.add(Accounts.merged(earned(program, join, at, null), lots, at));
                }
                join.ruleBudgets().forEach((k, v) -> used.merge(k, v, Long::sum));
                c = applied(before, join, false);
            }
            Earning.Plan plan = Earning.plan(program, c, ev, used, at); // the call counts toward the velocity limits at its arrival
            String orderId = ev.order() == null ? null : (ev.order().orderId() != null ? ev.order().orderId() : ev.id());
            Earned main = earned(program, plan, at, orderId);
            boolean pending = main.lot() != null && main.lot().pending();
            Customer after = applied(c, plan, pending);
            List<Entry> debts = new ArrayList<>();
            if (main.lot() != null && !pending && !main.lot().expired(at) && after.owed() > 0) {
                // points available at once pay the debt first: the lot keeps what is left
                Debts.Credited paid = Debts.payFirst(after, main.lot(), main.entry().entryId(), at, debts);
                main = new Earned(plan, main.entry(), paid.lot(), main.orderId(), main.orderTotalMinor());
                after = paid.after();
            }
            Lot fresh = main.lot();
            main = Accounts.merged(main, lots, at);
            earned.add(main);
            if (fresh != null) {
                after = Lots.lessExpired(after, List.of(fresh), at); // an old event's lot may be expired already
            }
            after = Referrals.award(ref, store, cmd.tenant(), program, ev, orderId,
                    fresh != null ? fresh.pendingUntil() : Accounts.pendingUntil(program, ev.occurredAt(), at), after, lots, debts, at);
            if (ref.award != null) {
                earned.add(ref.award);
            }
            Tier tierBefore = Earning.currentTier(program, before);
            Tier tierAfter = ref.award != null ? Earning.currentTier(program, after) : plan.tierAfter();
            Result result = new Result(cmd.customerId(), main.entry().entryId(), plan, join, after, tierId(tierAfter),
                    !Objects.equals(tierId(tierBefore), tierId(tierAfter)),
                    plan.expiresAt() != null && plan.points() > 0 ? plan.expiresAt() : null,
                    pending ? main.lot().pendingUntil() : null, ref.after, ref.refereePoints);
            Rendered answer = render.apply(result);
            Idempotency idem = new Idempotency("earn", ev.key(), cmd.requestHash(), answer.status(), answer.body());
            Commit commit = store.earn(new Records.EarnWrite(cmd.tenant(), programId, program.version(), before, earned,
                    Records.ProfileFields.NONE, tierId(tierAfter), idem,
                    profileAfter(program, raw, after, lots, at, debts, join == null ? null : join.points()), at,
                    Accounts.prunedCaps(program, before, at), ref.write()));
            if (commit instanceof Commit.Done) {
                dev.laurel.store.Meter.count("PointsEarned", plan.points() + (join == null ? 0 : join.points())); // the log line's metric
            }
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }
}
