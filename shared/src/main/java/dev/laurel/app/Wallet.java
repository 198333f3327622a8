package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Referral;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Triggers;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/** A member's wallet: balances, tier, pending points, points expiring by day, and what they may redeem. */
public final class Wallet {
    /** At most this many pending releases and expiry days are listed. */
    static final int MAX_LISTED = 12;

    public record Query(String tenant, Program program, String customerId) {
    }

    public record Pending(long points, Instant availableAt, LocalDate availableOn) {
    }

    public record Expiring(long points, LocalDate on) {
    }

    /** A reward as the wallet lists it; {@code reasons} is empty when it is eligible. */
    public record RewardLine(Reward reward, boolean affordable, boolean eligible, List<String> reasons) {
    }

    /** The customer as settled now (the view shows their tier and balance), and the lists ({@code segments}: the ids of those they are in). */
    public record Result(String customerId, Customer customer, List<Pending> pending, List<Expiring> expiring,
                         List<RewardLine> rewards, Referral referral, List<String> segments) {
    }

    private final CustomerStore store;
    private final Clock clock;

    public Wallet(CustomerStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Result> run(Query q) {
        Program program = q.program();
        Instant now = clock.instant();
        Records.EarnRead read = store.readForEarn(q.tenant(), program.programId(), q.customerId(), List.of());
        Customer c = read.customer().current(now);
        if (!c.member()) {
            return Outcome.declined(Refusal.notFound("customer " + q.customerId()));
        }
        Referral referral = read.referral();
        if (referral.code() == null) {
            // a member stored before referrals (or imported without a code) gets theirs when the wallet is first read
            long[] seq = {c.seq()};
            Outcome<Boolean> given = Optimistic.retrying(() -> {
                Commit commit = store.giveReferralCode(q.tenant(), program.programId(), q.customerId(), seq[0],
                        Ids.referralCode(), now);
                if (commit instanceof Commit.Done) {
                    return Outcome.done(true);
                }
                Records.EarnRead again = store.readForEarn(q.tenant(), program.programId(), q.customerId(), List.of());
                seq[0] = again.customer().seq();
                return again.referral().code() != null ? Outcome.done(true) : Optimistic.notDone(commit, null);
            });
            if (!(given instanceof Outcome.Done<Boolean>)) {
                return Outcome.declined(((Outcome.Declined<Boolean>) given).refusal());
            }
            return run(q);
        }
        // pending points (an order's return window) and when they become available
        TreeMap<Instant, Long> releases = new TreeMap<>();
        for (Lot lot : c.lots()) {
            if (lot.pending() && lot.remaining() > 0) {
                releases.merge(lot.pendingUntil(), lot.remaining(), Arith::add);
            }
        }
        List<Pending> pending = releases.entrySet().stream().limit(MAX_LISTED).map(e -> new Pending(e.getValue(),
                e.getKey(), e.getKey().atZone(program.timezone()).toLocalDate())).toList();
        // points expiring by last valid day: available points only (pending ones are listed above, a refund may cancel them)
        TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        for (Lot lot : c.lots()) {
            if (lot.expiresAt() != null && lot.remaining() > 0 && !lot.pending()) {
                byDay.merge(Triggers.lastDay(lot, program.timezone()), lot.remaining(), Arith::add);
            }
        }
        List<Expiring> expiring = byDay.entrySet().stream().limit(MAX_LISTED)
                .map(e -> new Expiring(e.getValue(), e.getKey())).toList();
        List<RewardLine> rewards = new ArrayList<>();
        for (Eligibility.Check check : Eligibility.checkEach(program, c, program.rewards(), null, now)) {
            Reward r = check.reward();
            List<String> reasons = new ArrayList<>(check.eligibilityReasons().stream()
                    .filter(x -> !x.equals(Eligibility.ORDER_REQUIRED)).toList());
            boolean limit = check.reasons().contains(Eligibility.LIMIT_REACHED);
            boolean eligible = reasons.isEmpty() && !limit;
            if (limit) {
                reasons.add(Eligibility.LIMIT_REACHED);
            }
            rewards.add(new RewardLine(r, c.available() >= r.cost(), eligible, List.copyOf(reasons)));
        }
        return Outcome.done(new Result(q.customerId(), c, pending, expiring, rewards, referral,
                dev.laurel.domain.Segments.of(program, c, now)));
    }
}
