package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Program;
import dev.laurel.domain.Spending;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.ImportStore;
import dev.laurel.store.ImportStore.ImportStatus;
import dev.laurel.store.ImportStore.RowMarker;
import dev.laurel.store.Records;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reverting an import (API.md Part 2): the import becomes {@code reverting} (no row commits after
 * that), then its {@code ROW#} markers are walked in row order, a page at a time from the cursor
 * kept on the import item, and each member met takes back, in one transaction, what is left of the
 * import's own lots (origin {@code import#<id>}, never another lot) with one {@code import_revert}
 * entry. A call does a bounded amount of work (a time budget and a row budget); what is left waits
 * for the next call, which goes on from the cursor (202 until done). Idempotent: a member whose
 * imported lots are gone takes back nothing, and a done revert answers its status. A dry run wrote
 * no member: its revert has nothing to take back and ends at once.
 */
public final class ImportRevert {
    /** The ledger type of points taken back. */
    public static final String TYPE = "import_revert";
    /** Row markers read per page (one Query). */
    public static final int PAGE = 100;

    /** How much one call may do: wall time and rows (markers walked). */
    public record Budget(Duration time, long rows) {
        /** A call behind API Gateway (29 s): 20 s of work. */
        public static final Budget DEFAULT = new Budget(Duration.ofSeconds(20), Long.MAX_VALUE);
    }

    private final CustomerStore customers;
    private final ImportStore imports;
    private final Clock clock;
    private volatile Budget budget = Budget.DEFAULT;

    public ImportRevert(CustomerStore customers, ImportStore imports, Clock clock) {
        this.customers = Objects.requireNonNull(customers, "customers");
        this.imports = Objects.requireNonNull(imports, "imports");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets what one call may do (tests and benchmarks lower it to see a revert continue across calls). */
    public void budget(Budget b) {
        this.budget = Objects.requireNonNull(b, "budget");
    }

    /** Starts or continues the revert; answers the status after this call's work (empty: no such import). */
    public Optional<ImportStatus> run(String tenant, Program program, String importId) {
        String programId = program.programId();
        Optional<ImportStatus> started = imports.startRevert(tenant, programId, importId, clock.instant());
        if (started.isEmpty() || !ImportStore.REVERTING.equals(started.get().status())) {
            return started.isEmpty() ? started : imports.importStatus(tenant, programId, importId, Imports.MAX_ERRORS);
        }
        Budget b = budget;
        long deadline = System.nanoTime() + b.time().toNanos();
        long walked = 0;
        long cursor = started.get().revert().cursor();
        boolean dry = started.get().def().dryRun();
        while (true) {
            List<RowMarker> page = dry ? List.of()
                    : imports.rowsAfter(tenant, programId, importId, cursor, (int) Math.min(PAGE, Math.max(1, b.rows() - walked)));
            if (page.isEmpty()) {
                imports.revertFinished(tenant, programId, importId, cursor, clock.instant());
                break;
            }
            Set<String> members = new LinkedHashSet<>();
            page.stream().filter(m -> m.customerId() != null && m.points() > 0).forEach(m -> members.add(m.customerId()));
            for (String customerId : members) {
                member(tenant, program, importId, customerId);
            }
            for (RowMarker m : page) {
                if (m.customerId() != null && m.points() < 0 && !m.restored()) {
                    restore(tenant, program, importId, m);
                }
            }
            long next = page.get(page.size() - 1).row();
            if (!imports.revertCursor(tenant, programId, importId, cursor, next)) {
                break; // another call moved on meanwhile: it carries on from there
            }
            cursor = next;
            walked += page.size();
            if (walked >= b.rows() || System.nanoTime() >= deadline) {
                break;
            }
        }
        return imports.importStatus(tenant, programId, importId, Imports.MAX_ERRORS);
    }

    /** Takes back what is left of the member's lots of this import (nothing: no write). */
    private void member(String tenant, Program program, String importId, String customerId) {
        String origin = ImportRows.origin(importId);
        Outcome<Commit> o = Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Customer raw = customers.readForEarn(tenant, program.programId(), customerId, List.of()).customer();
            Customer c = raw.current(now);
            List<Lot> own = c.lots().stream().filter(l -> origin.equals(l.orderId()) && !l.pending()).toList();
            long left = own.stream().mapToLong(Lot::remaining).reduce(0, Arith::add);
            if (left == 0) {
                return Outcome.done(Commit.DONE);
            }
            List<Spending.Take> takes = Spending.take(own, left, null);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("importId", importId);
            Records.Entry entry = new Records.Entry(Ids.next(now.toEpochMilli()), TYPE, -left, now, null, null, null, null,
                    Json.write(details));
            Customer after = c.after(c.seq() + 1, c.tierId(), Arith.subtract(c.available(), left),
                    Math.max(0, c.lifetimeEarned() - left), c.ruleCounts(), c.rulePoints(), c.redemptions());
            Commit commit = imports.revertMember(new ImportStore.RevertWrite(tenant, program.programId(), importId,
                    program.version(), c, takes, entry, Accounts.profileAfter(program, raw, after, Spending.apply(c.lots(), takes), now),
                    now));
            return commit instanceof Commit.Retry ? Optimistic.notDone(commit, null) : Outcome.done(commit);
        });
        settle(o, "not_reverting");
    }

    /**
     * Gives back what a lowering row took from lots not of this import: one lot of those points,
     * earned now with the program's expiry (a debt takes its share first, as from any credit), and an
     * {@code import_revert} entry of them; the marker becomes restored in the same transaction, so
     * they are given back once. A marker stored before {@code restore} was recorded gives back all it took.
     */
    private void restore(String tenant, Program program, String importId, RowMarker m) {
        long give = m.restore() != null ? m.restore() : -m.points();
        if (give <= 0) {
            return; // it took only this import's own points: nothing of the member's to give back
        }
        Outcome<Commit> o = Optimistic.retrying(() -> {
            Instant now = clock.instant();
            Customer raw = customers.readForEarn(tenant, program.programId(), m.customerId(), List.of()).customer();
            Customer c = raw.current(now);
            String entryId = Ids.next(now.toEpochMilli());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("importId", importId);
            details.put("row", m.row());
            Records.Entry entry = new Records.Entry(entryId, TYPE, give, now, null, null, null, null, Json.write(details));
            List<Records.Entry> debts = new ArrayList<>();
            Customer after = c.after(c.seq() + 1, c.tierId(), Arith.add(c.available(), give), c.lifetimeEarned(),
                    c.ruleCounts(), c.rulePoints(), c.redemptions());
            Debts.Credited paid = Debts.payFirst(after, new Lot(entryId, give, give, now, ImportRows.expiry(program, now), null),
                    entryId, now, debts);
            List<Lot> lots = new ArrayList<>(c.lots());
            if (paid.lot() != null) {
                lots.add(paid.lot());
            }
            Commit commit = imports.restoreRow(new ImportStore.RestoreWrite(tenant, program.programId(), importId, program.version(),
                    m.row(), c, paid.lot(), entry, Accounts.profileAfter(program, raw, paid.after(), lots, now, debts), now));
            return commit instanceof Commit.Retry ? Optimistic.notDone(commit, null) : Outcome.done(commit);
        });
        settle(o, "restored");
    }

    private static void settle(Outcome<Commit> o, String done) {
        if (o instanceof Outcome.Declined<Commit> d) {
            throw new dev.laurel.domain.Refused(d.refusal());
        }
        if (((Outcome.Done<Commit>) o).value() instanceof Commit.Refused r) {
            Object code = r.refusal().details().get("code");
            if (!"not_reverting".equals(code) && !done.equals(code)) {
                throw new dev.laurel.domain.Refused(r.refusal());
            }
        }
    }

    /**
     * Points imported that the revert could not take back (spent, expired, or paid a debt); 0 for a
     * dry run. Exact for every kind of row: {@code pointsImported} is net of lowering rows, and the
     * revert's net ({@code pointsReverted − pointsRestored}) undoes each row but for what was spent.
     */
    public static long uncollected(ImportStatus s) {
        if (s.def().dryRun() || s.revert() == null) {
            return 0;
        }
        long net = Arith.subtract(s.revert().pointsReverted(), s.revert().pointsRestored());
        return Math.max(0, Arith.subtract(s.pointsImported(), net));
    }
}
