package dev.laurel.app;

import static dev.laurel.app.Accounts.profileAfter;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Charity;
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
 * Donate (API.md Donations): a member gives points to one of the program's charities. The points
 * are spent as a redemption spends them (available lots, soonest-expiring first, {@link Spending});
 * the charity receives {@code points × pointValueMinor} ({@code valueMinor}, overflow-checked). One
 * read, one write; the Idempotency-Key makes a retry exact and a replay answers the first answer.
 * A disabled charity refuses donations (422 {@code not_eligible}, reason {@code disabled}), as a
 * disabled reward refuses redemptions. The {@code donation} ledger entry's id is the donation's id.
 */
public final class Donate {
    public static final String ENTRY_TYPE = "donation";
    public static final String SCOPE = "donation";

    /** {@code valueMinor} is checked by the reader ({@link #valueMinor}) before the command is made. */
    public record Command(String tenant, Program program, String idempotencyKey, String customerId, Charity charity,
                          long points, String requestHash) {
    }

    public record Result(String donationId, String charityId, String customerId, long points, long valueMinor,
                         Customer after) {
    }

    private final CustomerStore store;
    private final Clock clock;

    public Donate(CustomerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A donation entry's charity and value, from its details; null when they are not there. */
    public record Given(String charityId, long valueMinor) {
    }

    /** The charity and value of a {@code donation} ledger entry (as the change stream gives it: with its details). */
    public static Given given(Entry e) {
        if (!ENTRY_TYPE.equals(e.type()) || !(Json.plainOf(e.details()) instanceof Map<?, ?> d)) {
            return null;
        }
        return d.get("charityId") instanceof String id && d.get("valueMinor") instanceof Long v ? new Given(id, v) : null;
    }

    /** What {@code points} donated to {@code charity} are worth, in minor units; null when beyond {@link Arith#MAX_MINOR}. */
    public static Long valueMinor(Charity charity, long points) {
        long perPoint = charity.pointValueMinor();
        if (points > Arith.MAX_MINOR / perPoint) {
            return null;
        }
        return Arith.multiply(points, perPoint);
    }

    public Outcome<Rendered> run(Command cmd, Function<Result, Rendered> render) {
        Program program = cmd.program();
        String programId = program.programId();
        Charity charity = cmd.charity();
        long points = cmd.points();
        long valueMinor = Objects.requireNonNull(valueMinor(charity, points), "valueMinor");
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Customer raw = store.readWithLots(cmd.tenant(), programId, cmd.customerId());
            Customer c = raw.current(now);
            Refusal refusal = refusal(c, charity, points);
            if (refusal != null) {
                return Optimistic.refuseUnlessReplayed(store, cmd.tenant(), programId, SCOPE, cmd.idempotencyKey(),
                        cmd.requestHash(), refusal);
            }
            List<Spending.Take> takes = Spending.take(c.lots().stream().filter(l -> !l.pending()).toList(), points, null);
            if (Spending.sum(takes) != points) {
                throw new IllegalStateException("customer " + cmd.customerId() + " lots hold less than the available balance");
            }
            String donationId = Ids.next(now.toEpochMilli());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("charityId", charity.id());
            details.put("pointValueMinor", charity.pointValueMinor());
            details.put("valueMinor", valueMinor);
            Entry entry = new Entry(donationId, ENTRY_TYPE, -points, now, null, null, null, null, Json.write(details));
            Customer after = c.after(c.seq() + 1, c.tierId(), c.available() - points, c.lifetimeEarned(), c.ruleCounts(),
                    c.rulePoints(), c.redemptions());
            Rendered answer = render.apply(new Result(donationId, charity.id(), cmd.customerId(), points, valueMinor, after));
            Commit commit = store.donate(new Records.DonateWrite(cmd.tenant(), programId, program.version(), c, takes, entry,
                    new Idempotency(SCOPE, cmd.idempotencyKey(), cmd.requestHash(), answer.status(), answer.body()),
                    profileAfter(program, raw, after, Spending.apply(c.lots(), takes), now), now));
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }

    /** Why this donation may not be made now, or null when it may. */
    private static Refusal refusal(Customer c, Charity charity, long points) {
        if (!c.member()) {
            return Refusal.notFound("customer " + c.customerId());
        }
        if (charity.status() != Program.Status.ACTIVE) {
            return new Refusal(Refusal.Code.NOT_ELIGIBLE, "charity " + charity.id() + " takes no donations now",
                    Map.of("charityId", charity.id(), "reasons", List.of("disabled")));
        }
        if (c.available() < points) {
            return new Refusal(Refusal.Code.INSUFFICIENT_POINTS, "a donation of " + points + " points needs them available; "
                    + c.available() + " are", Map.of("charityId", charity.id(), "points", points, "available", c.available()));
        }
        return null;
    }
}
