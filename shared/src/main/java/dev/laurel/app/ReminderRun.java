package dev.laurel.app;

import dev.laurel.domain.Customer;
import dev.laurel.domain.Due;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.domain.Triggers;
import dev.laurel.json.Json;
import dev.laurel.notify.Channel;
import dev.laurel.notify.Delivery;
import dev.laurel.notify.Notification;
import dev.laurel.store.Commit;
import dev.laurel.store.Records;
import dev.laurel.store.Records.ItemKey;
import dev.laurel.store.Records.StoredNotification;
import dev.laurel.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The hourly reminders run (API.md "Scheduled functions"). It reads only the {@code remind}
 * index: profiles whose next {@code points_expiring} reminder is due, and notifications queued
 * by earlier writes (welcome, tier_upgraded, reward_available) or earlier failed sends.
 *
 * <p>At most once: a reminder is recorded under its deterministic id by a conditional write
 * before anything is sent, and claimed by a conditional write (queued → sending) before each
 * send, so however often the function runs, retries or overlaps, one send is attempted per
 * claim. A run that dies mid-send leaves it {@code sending}; the next run turns it into a dead
 * letter rather than risk a second send. A failed send is retried a few times with backoff in
 * the run, then queued again with a growing delay, and after {@link #MAX_ATTEMPTS} claims it ends
 * as a dead letter, visible per program. Only customers with {@code consent.marketing = true}
 * receive anything; consent is checked again when the reminder is sent. A reminder speaks the member's
 * {@code locale} as their profile says it when it is sent ({@code notify/Templates}).
 */
public final class ReminderRun {
    /** Claims (each with up to {@link #TRIES_PER_CLAIM} tries) before a reminder becomes a dead letter. */
    public static final int MAX_ATTEMPTS = 5;
    static final int TRIES_PER_CLAIM = 3;
    /** Expiry days whose points_expiring reminders one transaction records (each is an item; one more is the profile). */
    static final int DAYS_PER_WRITE = 90;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /** How long a claimed reminder is the claimer's: far longer than any send with its retries takes. */
    static final Duration LEASE = Duration.ofMinutes(5);
    /** Delay before a failed reminder is tried again by a later run: 5 min × 2^(claims - 1). */
    static final Duration REQUEUE = Duration.ofMinutes(5);

    private final RunStore store;
    private final ProgramCache programs;
    private final Clock clock;
    private final Channels channels;
    private final Delivery.Sleeper sleeper;

    public ReminderRun(RunStore store, ProgramCache programs, Clock clock, Channels channels, Delivery.Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.programs = Objects.requireNonNull(programs, "programs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** What a run did; {@code remainingShards} is empty when it finished. */
    public record Result(Instant upTo, boolean complete, List<Integer> remainingShards, long recorded, long sent,
                         long retried, long skipped, long dead, long busy, double readUnits, long readRequests, long ms,
                         long failed) {
    }

    private final class Run extends ShardRun {
        final LongAdder recorded = new LongAdder();
        final LongAdder sent = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder dead = new LongAdder();
        final LongAdder busy = new LongAdder();

        Run(Instant upTo, LongSupplier remainingMs, long marginMs) {
            super(ReminderRun.this.store, RunStore.DueIndex.REMIND, upTo, ReminderRun.this.clock, remainingMs, marginMs);
        }

        @Override
        boolean page(List<ItemKey> keys, Records.Items items) {
            for (ItemKey k : keys) {
                if (!timeLeft()) {
                    return false;
                }
                if (store.isProfile(k)) {
                    try {
                        record(k, customer(items.profile(k.pk())));
                    } catch (RuntimeException e) {
                        failed(k, e); // one customer never stops the run: recorded, dead-lettered, passed over
                    }
                }
            }
            items.unreadableNotifications().forEach(this::unreadable);
            for (StoredNotification n : items.notifications()) {
                if (!timeLeft()) {
                    return false;
                }
                try {
                    deliver(n, customer(items.profile(n.key().pk())));
                } catch (RuntimeException e) {
                    if (store.isOutage(e)) {
                        throw e;
                    }
                    failed.increment(); // never retried: a dead letter at once (at most once, as for a lost send)
                    try {
                        dead(n, clock.instant(), n.attempts(), describe(e));
                    } catch (RuntimeException f) {
                        if (store.isOutage(f)) {
                            throw f;
                        }
                        System.err.println("ERROR reminder " + n.id() + " failed (" + describe(e)
                                + ") and could not be dead-lettered: " + describe(f));
                    }
                }
            }
            return true;
        }

        private void dead(StoredNotification n, Instant now, long attempts, String error) {
            store.dead(n, now, attempts, error);
            dead.increment();
            ItemKey k = n.key();
            System.err.println("ERROR reminder " + n.id() + " of customer " + k.customerId() + " (tenant " + k.tenant()
                    + ", program " + k.programId() + ") is a dead letter after " + attempts + " attempts: " + error);
        }

        private Customer customer(Records.DueProfile p) {
            return p == null ? null : p.customer();
        }

        private Program program(ItemKey k) {
            return programs.get(k.tenant(), k.programId()).orElse(null);
        }

        /** Records the points_expiring reminders now due for a customer's lots, then sends them. */
        private void record(ItemKey k, Customer raw) {
            Program program = program(k);
            if (raw == null || !raw.member() || program == null) {
                return;
            }
            Customer c = raw.current(upTo);
            Integer days = program.reminders().pointsExpiringDaysBefore();
            List<Lot> remindable = days == null || !c.marketingConsent() ? List.of()
                    : Due.remindable(c.lots(), days, program.timezone(), upTo);
            // one reminder per last valid day, whatever the number of lots; at most DAYS_PER_WRITE days in one
            // transaction (the others stay due: the next run takes them)
            java.util.Map<java.time.LocalDate, List<Lot>> byDay = new java.util.TreeMap<>();
            for (Lot l : remindable) {
                java.time.LocalDate day = Triggers.lastDay(l, program.timezone());
                if (byDay.containsKey(day) || byDay.size() < DAYS_PER_WRITE) {
                    byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(l);
                }
            }
            java.util.Set<String> marked = new java.util.HashSet<>();
            List<Lot> due = new ArrayList<>();
            List<Records.NotificationRecord> notes = new ArrayList<>();
            byDay.forEach((day, dayLots) -> {
                Triggers.Trigger t = Triggers.pointsExpiring(day, dayLots, program.timezone());
                notes.add(new Records.NotificationRecord(t.id(), t.type(), Json.write(t.payload()), upTo));
                dayLots.forEach(l -> marked.add(l.lotId()));
                due.addAll(dayLots);
            });
            List<Lot> lots = new ArrayList<>();
            for (Lot l : c.lots()) {
                lots.add(marked.contains(l.lotId()) ? l.markedReminded() : l);
            }
            Customer after = c.withLots(c.available(), c.pending(), c.lifetimeEarned(), lots);
            // the write records the release of points whose return window is over, and the event reminders it causes
            Records.ProfileAfter pa = Accounts.profileAfter(program, raw, after, lots, upTo);
            Commit commit = store.remind(new Records.RemindWrite(k.tenant(), k.programId(), c, due, notes, pa, clock.instant()));
            if (!(commit instanceof Commit.Done)) {
                busy.increment(); // the customer changed meanwhile; their key is still due, the next run takes it
                return;
            }
            notes.addAll(pa.notifications());
            recorded.add(notes.size());
            for (Records.NotificationRecord r : notes) {
                ItemKey nk = store.notificationKey(k, r.id());
                deliver(new StoredNotification(nk, r.id(), r.type(), r.payloadJson(), StoredNotification.QUEUED, 0, upTo,
                        upTo, null), after);
            }
        }

        private void deliver(StoredNotification n, Customer profile) {
            Instant now = clock.instant();
            if (n.remindAt() == null || n.remindAt().isAfter(upTo)) {
                return;
            }
            if (StoredNotification.SENDING.equals(n.status())) {
                // its lease ran out: the run that claimed it stopped during the send, which may or
                // may not have gone out; at most once means it is not sent again
                dead(n, now, n.attempts(), "outcome unknown: the run sending it stopped before it finished"
                        + (n.lastError() == null ? "" : " (earlier: " + n.lastError() + ")"));
                return;
            }
            if (!StoredNotification.QUEUED.equals(n.status())) {
                return;
            }
            // the program as it is now decides (its reminder settings and channel), as the member's consent does
            Program program = program(n.key());
            String skip = program == null ? "no_program" : profile == null || !profile.member() ? "no_customer"
                    : !profile.marketingConsent() ? "no_consent" : !Triggers.turnedOn(program, n.type()) ? "reminders_off"
                    : null;
            Channel channel = skip == null ? channels.of(program) : null;
            if (skip == null && channel == null) {
                skip = "no_channel";
            }
            if (!store.claim(n, upTo.isAfter(now) ? upTo : now, now.plus(LEASE))) {
                busy.increment(); // another run has it
                return;
            }
            long attempts = n.attempts() + 1;
            if (skip != null) {
                store.skipped(n, now, skip);
                skipped.increment();
                return;
            }
            Notification note = Notification.of(n.id(), n.type(), n.key().programId(), program.name(), n.key().customerId(),
                    profile.email(), n.createdAt() == null ? now : n.createdAt(), n.payloadJson(), profile.locale());
            Delivery.Outcome out = Delivery.deliver(channel, note, TRIES_PER_CLAIM, FIRST_BACKOFF, sleeper);
            Instant done = clock.instant();
            if (out.delivered()) {
                store.sent(n, done);
                sent.increment();
            } else if (!out.retryable() || attempts >= MAX_ATTEMPTS) {
                dead(n, done, attempts, out.lastError());
            } else {
                store.retryLater(n, done.plus(REQUEUE.multipliedBy(1L << (attempts - 1))), out.lastError());
                retried.increment();
            }
        }
    }

    public Result run(Instant upTo, List<Integer> shards, LongSupplier remainingMs, long marginMs) {
        long t0 = System.nanoTime();
        Run run = new Run(upTo, remainingMs, marginMs);
        List<Integer> left = run.run(shards);
        return new Result(upTo, left.isEmpty(), left, run.recorded.sum(), run.sent.sum(), run.retried.sum(),
                run.skipped.sum(), run.dead.sum(), run.busy.sum(), run.usage.readUnits(), run.usage.readRequests(),
                (System.nanoTime() - t0) / 1_000_000, run.failed.sum());
    }
}
