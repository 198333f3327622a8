package dev.laurel.app;

import static dev.laurel.app.Accounts.applied;
import static dev.laurel.app.Accounts.budgetRules;
import static dev.laurel.app.Accounts.earned;
import static dev.laurel.app.Accounts.profileAfter;
import static dev.laurel.app.Accounts.tierId;

import dev.laurel.domain.Consent;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refusal;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /v1/consent/confirm}: a double opt-in token confirms its member's marketing consent.
 * The token is the credential, so every way it can fail (unknown, used, replaced by a newer one,
 * expired, its program or member gone) is the same 404 and changes nothing. One transaction deletes
 * the token item (on the condition that it still exists and has not expired: single use under any
 * concurrency), marks the consent confirmed and, at the member's first confirmation, fires
 * {@code customer.confirmed}: the rules with that trigger earn in the same write.
 */
public final class ConsentConfirm {
    public record Result(String programId, String customerId, Long points) {
    }

    private final CustomerStore store;
    private final BiFunction<String, String, Optional<Program>> programs;
    private final Clock clock;

    public ConsentConfirm(CustomerStore store, BiFunction<String, String, Optional<Program>> programs, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.programs = Objects.requireNonNull(programs, "programs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param token a token of {@link ConsentTokens#wellFormed} shape */
    public Outcome<Result> run(String token) {
        String hash = ConsentTokens.hash(token);
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Optional<Records.ConsentToken> stored = store.consentToken(hash);
            if (stored.isEmpty() || !ConsentTokens.same(stored.get().tokenHash(), hash)
                    || !now.isBefore(stored.get().expiresAt())) {
                return unknown();
            }
            Records.ConsentToken t = stored.get();
            Program program = programs.apply(t.tenant(), t.programId()).orElse(null);
            if (program == null) {
                return unknown();
            }
            Records.EarnRead read = store.readForEarn(t.tenant(), t.programId(), t.customerId(),
                    budgetRules(program, Event.CUSTOMER_CONFIRMED));
            Customer raw = read.customer();
            Customer before = raw.current(now);
            if (!before.member() || !ConsentTokens.same(before.consent().tokenHash(), hash)) {
                return unknown(); // a newer token replaced it, or consent was withdrawn
            }
            boolean first = before.consent().confirmedAt() == null;
            Customer after = before.withConsent(true, new Consent(null, null,
                    first ? now : before.consent().confirmedAt()));
            List<Records.Earned> earned = new ArrayList<>();
            List<Lot> lots = new ArrayList<>(before.lots());
            Earning.Plan plan = null;
            List<Records.Entry> debts = new ArrayList<>();
            if (first) {
                Event confirmed = new Event(Event.CUSTOMER_CONFIRMED, t.customerId(), now, null, Map.of());
                plan = Earning.plan(program, after, confirmed, read.ruleBudgetUsed());
                after = applied(after, plan, false);
                if (plan.points() > 0) {
                    Records.Earned main = earned(program, plan, now, null);
                    if (main.lot() != null && after.owed() > 0) { // the bonus pays the debt first, as an earn's points do
                        Debts.Credited paid = Debts.payFirst(after, main.lot(), main.entry().entryId(), now, debts);
                        main = new Records.Earned(plan, main.entry(), paid.lot(), main.orderId(), main.orderTotalMinor());
                        after = paid.after();
                    }
                    earned.add(Accounts.merged(main, lots, now));
                }
            }
            Commit commit = store.earn(new Records.EarnWrite(t.tenant(), t.programId(), program.version(), before, earned,
                    new Records.ProfileFields(null, null, Boolean.TRUE, null), tierId(plan == null ? null : plan.tierAfter()),
                    null, profileAfter(program, raw, after, lots, now, debts), now, Accounts.prunedCaps(program, before, now), null,
                    Records.ConsentWrite.confirm(hash)));
            return commit instanceof Commit.Done
                    ? Outcome.done(new Result(t.programId(), t.customerId(), plan == null ? null : plan.points()))
                    : Optimistic.notDone(commit, null);
        });
    }

    private static Outcome<Result> unknown() {
        return Outcome.declined(Refusal.notFound("confirmation token"));
    }
}
