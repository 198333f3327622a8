package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The daily expiry run (API.md "Scheduled functions"): every lot due at or before the run's time
 * expires, soonest first, with one {@code expire} ledger entry per customer and lot; pending
 * points whose return window has ended become available. It reads only the {@code due} index,
 * shard by shard, so its cost grows with the due lots, not with the customers. Each customer is
 * one transaction conditional on what was read, with entry ids derived from the lots, so a
 * retried, repeated or overlapping run expires nothing twice.
 */
public final class ExpiryRun {
    /** Lots expired per transaction (DynamoDB allows 100 items; one is the profile). */
    static final int LOTS_PER_WRITE = 90;

    private final RunStore store;
    private final ProgramCache programs;
    private final Clock clock;
    private final ExpireCode codes;

    /** {@code codes} expires the reward codes the {@code due} index holds next to the profiles. */
    public ExpiryRun(RunStore store, ProgramCache programs, Clock clock, ExpireCode codes) {
        this.store = Objects.requireNonNull(store, "store");
        this.programs = Objects.requireNonNull(programs, "programs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codes = Objects.requireNonNull(codes, "codes");
    }

    /** What a run did; {@code remainingShards} is empty when it finished. */
    public record Result(Instant upTo, boolean complete, List<Integer> remainingShards, long customers, long lotsExpired,
                         long pointsExpired, long lotsReleased, long pointsReleased, long retries, long skipped,
                         double readUnits, long readRequests, long ms, long failed, long codesExpired, long codePoints) {
    }

    private final class Run extends ShardRun {
        final LongAdder customers = new LongAdder();
        final LongAdder lotsExpired = new LongAdder();
        final LongAdder pointsExpired = new LongAdder();
        final LongAdder lotsReleased = new LongAdder();
        final LongAdder pointsReleased = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder codesExpired = new LongAdder();
        final LongAdder codePoints = new LongAdder();

        Run(Instant upTo, LongSupplier remainingMs, long marginMs) {
            super(ExpiryRun.this.store, RunStore.DueIndex.DUE, upTo, ExpiryRun.this.clock, remainingMs, marginMs);
        }

        @Override
        boolean page(List<ItemKey> keys, Records.Items items) {
            for (ItemKey k : keys) {
                String code = store.codeOf(k);
                if (code != null) {
                    code(k, code);
                    continue;
                }
                try {
                    customer(k, items.profile(k.pk()));
                } catch (RuntimeException e) {
                    failed(k, e); // one customer never stops the run: recorded, dead-lettered, passed over
                }
            }
            return true;
        }

        /** A reward code past its validity: its points and budget come back ({@link ExpireCode}). */
        private void code(ItemKey k, String code) {
            Optional<Program> found = programs.get(k.tenant(), k.programId());
            if (found.isEmpty()) {
                skipped.increment();
                return;
            }
            try {
                long points = codes.run(k.tenant(), found.get(), code, upTo);
                if (points > 0) {
                    codesExpired.increment();
                    codePoints.add(points);
                }
            } catch (RuntimeException e) {
                if (store.isOutage(e)) {
                    throw e;
                }
                failed.increment(); // one bad code never stops the run; it stays due for the next
                System.err.println("ERROR expiry run up to " + upTo + " failed for code " + code + " (tenant " + k.tenant()
                        + ", program " + k.programId() + "), passed over: " + describe(e));
            }
        }

        private void customer(ItemKey k, Records.DueProfile read) {
            Optional<Program> found = programs.get(k.tenant(), k.programId());
            if (found.isEmpty()) {
                skipped.increment();
                return; // the program is gone: its customers' points stay as they are
            }
            Program program = found.get();
            Optimistic.retrying(attempt -> {
                Records.DueProfile raw = attempt == 1 ? read : store.profile(k, usage);
                if (raw == null || !raw.customer().member()) {
                    return null;
                }
                if (expire(program, k, raw) instanceof Commit.Retry r) {
                    retries.increment();
                    throw Optimistic.again(r.why());
                }
                customers.increment();
                return null;
            }, s -> {
                skipped.increment(); // still due: the next run takes it
                return null;
            });
        }

        /** Expires what is due for one customer (several transactions if many lots are due at once). */
        private Commit expire(Program program, ItemKey k, Records.DueProfile profile) {
            Instant now = upTo;
            Customer raw = profile.customer();
            Customer c = raw.settled(now);
            List<Lot> due = c.lots().stream().filter(l -> l.expired(now)).sorted(Lot.SPEND_ORDER).toList();
            List<Lot> released = raw.releasable(now);
            Instant review = TierReviews.due(program, c, now);
            if (due.isEmpty() && released.isEmpty() && review == null) {
                Records.ProfileAfter pa = Accounts.storedAfter(program, raw, c, c.lots(), now, List.of());
                if (java.util.Objects.equals(pa.dueAt(), profile.dueAt())
                        && java.util.Objects.equals(pa.remindAt(), profile.remindAt())) {
                    return Commit.DONE; // another run did it: nothing to do, and the keys are right
                }
            }
            Customer before = raw;
            int from = 0;
            do {
                List<Lot> chunk = due.subList(from, Math.min(due.size(), from + LOTS_PER_WRITE));
                List<Lot> lots = new ArrayList<>(c.lots());
                lots.removeAll(chunk);
                long avail = c.available();
                long pend = c.pending();
                List<Entry> entries = new ArrayList<>();
                for (Lot l : chunk) {
                    if (l.pending()) {
                        pend -= l.remaining();
                    } else {
                        avail -= l.remaining();
                    }
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("lotId", l.lotId());
                    details.put("earnedAt", l.earnedAt().toString());
                    details.put("expiresAt", l.expiresAt().toString());
                    details.put("earned", l.earned());
                    entries.add(new Entry("exp-" + l.lotId(), "expire", -l.remaining(), l.expiresAt(), null, null,
                            l.orderId(), null, Json.write(details)));
                }
                Customer after = c.withLots(avail, pend, c.lifetimeEarned(), lots);
                Records.TierReview tier = from == 0 && review != null ? TierReviews.review(program, c, review, entries) : null;
                if (tier != null) {
                    after = TierReviews.after(after, tier);
                }
                // the run's event reminders, with its first write: on the customer after the whole run
                List<Records.NotificationRecord> notes = from == 0
                        ? Accounts.reminders(program, raw, raw.current(now), null, now) : List.of();
                Records.ProfileAfter pa = Accounts.storedAfter(program, before, after, lots, now, notes);
                Commit commit = store.expire(new Records.ExpireWrite(k.tenant(), k.programId(), program.version(), c,
                        chunk, entries, pa, clock.instant(), tier));
                if (!(commit instanceof Commit.Done)) {
                    return commit;
                }
                for (Lot l : chunk) {
                    lotsExpired.increment();
                    pointsExpired.add(l.remaining());
                }
                if (from == 0) {
                    lotsReleased.add(released.size());
                    pointsReleased.add(released.stream().mapToLong(Lot::remaining).reduce(0, Arith::add));
                }
                // the next chunk starts from what this write left (its seq is one higher)
                c = (tier == null ? c : TierReviews.after(c, tier)).after(c.seq() + 1, tier == null ? c.tierId() : tier.tierId(), avail, c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), c.redemptions())
                        .withLots(avail, pend, c.lifetimeEarned(), lots);
                before = c;
                from += LOTS_PER_WRITE;
            } while (from < due.size());
            return Commit.DONE;
        }
    }

    /**
     * Runs over {@code shards} (all of them for a scheduled run) for what is due at or before
     * {@code upTo}, until done or until {@code remainingMs} falls to {@code marginMs}.
     */
    public Result run(Instant upTo, List<Integer> shards, LongSupplier remainingMs, long marginMs) {
        long t0 = System.nanoTime();
        Run run = new Run(upTo, remainingMs, marginMs);
        List<Integer> left = run.run(shards);
        return new Result(upTo, left.isEmpty(), left, run.customers.sum(), run.lotsExpired.sum(), run.pointsExpired.sum(),
                run.lotsReleased.sum(), run.pointsReleased.sum(), run.retries.sum(), run.skipped.sum(),
                run.usage.readUnits(), run.usage.readRequests(), (System.nanoTime() - t0) / 1_000_000, run.failed.sum(),
                run.codesExpired.sum(), run.codePoints.sum());
    }
}
