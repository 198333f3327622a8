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
import dev.laurel.domain.Program;
import dev.laurel.domain.Refusal;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Upsert of a member's profile (email, attributes, consent). A first upsert enrols the customer
 * and fires {@code customer.joined} once, in the same write.
 */
public final class Upsert {
    /** A customer's attributes, all together, in JSON characters: they live in the profile item with the lots. */
    public static final int MAX_ATTRIBUTES_CHARS = 16_384;

    /** {@code referredBy}: the referral code a newcomer names (null: none). */
    public record Command(String tenant, Program program, String customerId, Records.ProfileFields fields,
                          String referredBy) {
        public Command(String tenant, Program program, String customerId, Records.ProfileFields fields) {
            this(tenant, program, customerId, fields, null);
        }
    }

    /**
     * {@code signupPoints} is null when the customer was a member already; {@code confirmationSent}
     * is null unless this upsert issued a double opt-in token (then: whether the channel took the message).
     */
    public record Result(String customerId, boolean created, Long signupPoints, Customer after, Boolean confirmationSent) {
    }

    private final CustomerStore store;
    private final Clock clock;
    private final java.util.function.Supplier<Channels> channels;

    public Upsert(CustomerStore store, Clock clock) {
        this(store, clock, () -> program -> null);
    }

    /** @param channels where a double opt-in's confirmation message goes (the program's channel) */
    public Upsert(CustomerStore store, Clock clock, java.util.function.Supplier<Channels> channels) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    public Outcome<Result> run(Command cmd) {
        Program program = cmd.program();
        String programId = program.programId();
        String[] issued = new String[1];
        Outcome<Result> outcome = Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Records.EarnRead read = store.readForEarn(cmd.tenant(), programId, cmd.customerId(),
                    budgetRules(program, Event.CUSTOMER_JOINED));
            Customer raw = read.customer();
            Customer before = raw.current(now);
            DoubleOptIn optIn = DoubleOptIn.decide(program, before, cmd.fields(), now);
            Records.ProfileFields fields = optIn.fields();
            issued[0] = optIn.token();
            Customer after = optIn.applied(withFields(before, fields));
            if (fields.attributes() != null && Json.write(after.attributes()).length() > MAX_ATTRIBUTES_CHARS) {
                return Outcome.declined(Refusal.invalid("attributes", "together with the customer's stored attributes would be more than "
                        + MAX_ATTRIBUTES_CHARS + " characters of JSON; remove some (set them to null)"));
            }
            Referrals.State ref = Referrals.start(store, cmd.tenant(), program, before, read.referral(), cmd.referredBy(),
                    after.email());
            if (ref.refusal != null) {
                return Outcome.declined(ref.refusal);
            }
            List<Earned> earned = new ArrayList<>();
            List<Lot> lots = new ArrayList<>(before.lots());
            Earning.Plan join = null;
            if (!before.member()) {
                join = Earning.plan(program, after, joinEvent(cmd.customerId(), now), read.ruleBudgetUsed());
                if (join.points() > 0) {
                    earned.add(Accounts.merged(earned(program, join, now, null), lots, now));
                }
                after = applied(after, join, false);
            }
            Commit commit = store.earn(new Records.EarnWrite(cmd.tenant(), programId, program.version(), before, earned,
                    fields, tierId(join == null ? null : join.tierAfter()), null,
                    profileAfter(program, raw, after, lots, now, List.of(), join == null ? null : join.points()),
                    now, Accounts.prunedCaps(program, before, now), ref.write(), optIn.write()));
            Result result = new Result(cmd.customerId(), !before.member(), join == null ? null : join.points(), after, null);
            return commit instanceof Commit.Done ? Outcome.done(result) : Optimistic.notDone(commit, null);
        });
        if (issued[0] != null && outcome instanceof Outcome.Done<Result> d) {
            // committed: the one send of this token (it lives only in this request)
            Result r = d.value();
            Instant now = clock.instant();
            boolean sent = ConsentMessage.send(channels.get(), cmd.tenant(), program, r.after(), issued[0],
                    r.after().consent().requestedAt().plus(dev.laurel.domain.Consent.TOKEN_VALIDITY), now);
            return Outcome.done(new Result(r.customerId(), r.created(), r.signupPoints(), r.after(), sent));
        }
        return outcome;
    }

    /** The customer with an upsert's fields: attributes merge (null removes), other fields replace when given. */
    static Customer withFields(Customer c, Records.ProfileFields f) {
        Map<String, Object> attrs = new LinkedHashMap<>(c.attributes());
        if (f.attributes() != null) {
            f.attributes().forEach((k, v) -> {
                if (v == null) {
                    attrs.remove(k);
                } else {
                    attrs.put(k, v);
                }
            });
        }
        return new Customer(c.customerId(), c.member(), c.seq(), f.email() != null ? f.email() : c.email(), attrs,
                f.marketingConsent() != null ? f.marketingConsent() : c.marketingConsent(), c.tierId(), c.available(),
                c.pending(), c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), c.redemptions(), c.lots(), c.joinedAt(),
                c.notifications(), c.owed(), f.locale() != null ? f.locale() : c.locale(), c.consent());
    }
}
