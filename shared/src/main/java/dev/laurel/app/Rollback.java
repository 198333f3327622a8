package dev.laurel.app;

import static dev.laurel.app.Accounts.profileAfter;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Debt;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Program;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Rollback of a redemption (an abandoned basket): its points come back as lots of their own with
 * the original lots' dates, and its budget and stacking slot are given back, once.
 */
public final class Rollback {
    /** {@code idempotencyKey} and {@code reason} may be null. */
    public record Command(String tenant, Program program, String redemptionId, String idempotencyKey, String reason,
                          String requestHash) {
    }

    public record Result(String redemptionId, String rewardId, String customerId, long pointsRestored) {
    }

    private final CustomerStore store;
    private final Clock clock;

    public Rollback(CustomerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Rendered> run(Command cmd, Function<Result, Rendered> render) {
        Program program = cmd.program();
        String programId = program.programId();
        String redemptionId = cmd.redemptionId();
        String key = cmd.idempotencyKey();
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            var found = store.redemption(cmd.tenant(), programId, redemptionId);
            if (found.isEmpty()) {
                return Outcome.declined(Refusal.notFound("redemption " + redemptionId));
            }
            Records.Redemption r = found.get();
            if (r.rolledBack()) {
                return Optimistic.refuseUnlessReplayed(store, cmd.tenant(), programId, "rollback", key, cmd.requestHash(),
                        new Refusal(Refusal.Code.ALREADY_ROLLED_BACK, "redemption " + redemptionId + " was already rolled back",
                                Map.of("redemptionId", redemptionId)));
            }
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "rollback", r.cost(), now, null, r.rewardId(),
                    r.orderId(), redemptionId, cmd.reason() == null ? null : Json.write(Map.of("reason", cmd.reason())));
            Rendered answer = render.apply(new Result(redemptionId, r.rewardId(), r.customerId(), r.cost()));
            Idempotency idem = key == null ? null
                    : new Idempotency("rollback", key, cmd.requestHash(), answer.status(), answer.body());
            Commit commit = store.rollback(giveBack(store, cmd.tenant(), program, r, entry, idem, now, false));
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }

    /**
     * The write that gives a redemption's points, budget and stacking slot back once, with
     * {@code entry} (a rollback's, or the daily run's {@code code_expired} when {@code codeExpired}).
     */
    static Records.RollbackWrite giveBack(CustomerStore store, String tenant, Program program, Records.Redemption r,
                                          Entry entry, Idempotency idem, Instant now, boolean codeExpired) {
        String programId = program.programId();
        String redemptionId = r.redemptionId();
        Customer raw = store.readWithLots(tenant, programId, r.customerId());
        if (!raw.member()) {
            throw new IllegalStateException("redemption " + redemptionId + " names customer " + r.customerId()
                    + ", who has no profile");
        }
        Customer c = raw.current(now);
        // the points go back into the lot of the same expiry and order, or as a lot of their own
        List<Lot> live = new ArrayList<>();
        List<Lot> dead = new ArrayList<>();
        for (Lot lot : r.lotsTaken()) {
            Lot back = new Lot(lot.lotId() + "~" + redemptionId, lot.remaining(), lot.remaining(), lot.earnedAt(),
                    lot.expiresAt(), lot.orderId());
            (back.expired(now) ? dead : live).add(back);
        }
        // the points given back that still count pay the debt first (from the soonest-expiring restored lots)
        Debt.Payment paid = Debt.pay(c.owed(), Spending.sum(live.stream().map(l -> new Spending.Take(l, l.remaining())).toList()));
        List<Entry> debts = paid.points() == 0 ? List.of() : List.of(Debts.ofCredit(entry.entryId(), paid, now));
        List<Lot> giving = new ArrayList<>(paid.points() == 0 ? live : Debt.payFrom(live, paid.points()));
        giving.addAll(dead);
        List<Lot> lots = new ArrayList<>(c.lots());
        Map<String, Lot> back = new LinkedHashMap<>();
        for (Lot lot : giving) {
            Lot stored = Lots.add(lots, lot, now);
            back.put(stored.lotId(), stored);
        }
        List<Lot> restored = List.copyOf(back.values());
        Map<String, Long> redemptions = new HashMap<>(c.redemptions());
        redemptions.merge(r.rewardId(), -1L, Arith::add);
        Customer after = c.after(c.seq() + 1, c.tierId(), Arith.add(c.available(), r.cost()) - paid.points(),
                c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), redemptions).paid(paid);
        after = Lots.lessExpired(after, giving, now); // restored lots past their expiry count nowhere
        return new Records.RollbackWrite(tenant, programId, program.version(), r, c, restored, entry, idem,
                profileAfter(program, raw, after, lots, now, debts), now, codeExpired);
    }
}
