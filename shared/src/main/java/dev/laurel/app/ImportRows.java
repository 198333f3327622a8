package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Event;
import dev.laurel.domain.Expiry;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Lots;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Spending;
import dev.laurel.json.Json;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.ImportStore;
import dev.laurel.store.ImportStore.ImportDef;
import dev.laurel.store.ImportStore.RowError;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chunk of an import's rows, each applied in one transaction with its marker and the import's
 * counters ({@link ImportStore#importRow}): the member upserted (a newcomer enrolled without
 * {@code customer.joined} rules), an {@code import} ledger entry and its lot (origin
 * {@code import#<importId>}, so imported points stay apart from earned ones), the tier at least
 * the row's. In mode {@code set}, a row below the member's available balance lowers it: a negative
 * {@code import} entry that spends the available lots soonest-expiring first (no lot; pending
 * points untouched). A row seen before is skipped; a bad row is recorded as failed, alone.
 */
public final class ImportRows {
    /** The ledger type of imported points. */
    public static final String TYPE = "import";

    /** One data row as read from the CSV: typed cells (null = not given); {@code row} is 1-based in the whole file. */
    public record Row(long row, String customerId, String email, Long points, Long totalSpentMinor, String tierId,
                      String referralCode, Instant earnedAt, Instant expiresAt, Boolean consentMarketing,
                      Map<String, Object> attributes) {
    }

    /** What a chunk did. */
    public record Result(long rows, long imported, long skipped, long failed, List<RowError> errors, boolean closed) {
    }

    private final CustomerStore customers;
    private final ImportStore imports;
    private final Clock clock;

    public ImportRows(CustomerStore customers, ImportStore imports, Clock clock) {
        this.customers = Objects.requireNonNull(customers, "customers");
        this.imports = Objects.requireNonNull(imports, "imports");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Applies {@code rows} (read rows, or the errors of rows that could not be read), in file order. */
    public Result run(String tenant, Program program, ImportDef def, List<Object> rows) {
        long imported = 0;
        long skipped = 0;
        List<RowError> errors = new ArrayList<>();
        for (Object o : rows) {
            RowError error = o instanceof RowError e ? e : null;
            if (error == null) {
                Commit c = apply(tenant, program, def, (Row) o);
                if (c instanceof Commit.Done) {
                    imported++;
                    continue;
                }
                if (c instanceof Commit.Replay) {
                    skipped++;
                    continue;
                }
                if (c instanceof Commit.Refused f && "not_open".equals(f.refusal().details().get("code"))) {
                    // a revert started meanwhile: no row commits after that, the rest is not tried
                    return new Result(rows.size(), imported, skipped, errors.size(), errors, true);
                }
                error = errorOf((Row) o, c);
            }
            Commit f = imports.importRowFailed(tenant, program.programId(), def.importId(), error, clock.instant());
            if (f instanceof Commit.Replay) {
                skipped++;
            } else {
                errors.add(error);
            }
        }
        return new Result(rows.size(), imported, skipped, errors.size(), errors, false);
    }

    private static RowError errorOf(Row r, Commit c) {
        if (c instanceof Commit.Refused f) {
            Object code = f.refusal().details().get("code");
            Object column = f.refusal().details().get("column");
            return new RowError(r.row(), column != null ? column.toString() : "referral_code_taken".equals(code) ? "referralCode" : null,
                    code == null ? f.refusal().code().wire() : code.toString(), f.refusal().message());
        }
        return new RowError(r.row(), null, "rejected", "the row could not be applied: " + c);
    }

    /** The row's one transaction (decided again when the member changed meanwhile). */
    private Commit apply(String tenant, Program program, ImportDef def, Row r) {
        Outcome<Commit> o = Optimistic.retrying(() -> {
            Commit c = attempt(tenant, program, def, r);
            return c instanceof Commit.Retry ? Optimistic.notDone(c, null) : Outcome.done(c);
        });
        if (o instanceof Outcome.Done<Commit> d) {
            return d.value();
        }
        return new Commit.Refused(((Outcome.Declined<Commit>) o).refusal());
    }

    private Commit attempt(String tenant, Program program, ImportDef def, Row r) {
        String programId = program.programId();
        Instant now = clock.instant();
        Records.EarnRead read = customers.readForEarn(tenant, programId, r.customerId(), List.of());
        Customer raw = read.customer();
        Customer before = raw.current(now);
        long points = r.points() == null ? 0 : r.points();
        long retro = 0;
        if (def.ruleId() != null && r.totalSpentMinor() != null) {
            retro = retroactive(program, def.ruleId(), r.totalSpentMinor());
            points = Arith.add(points, retro);
        }
        long lower = 0;
        if (Imports.SET.equals(def.mode()) && r.points() != null) {
            points = Arith.subtract(points, before.available());
            if (points < 0) {
                // the balance comes down to the row's points: a negative import entry, no lot
                lower = -points;
                points = 0;
            }
        }
        Instant earnedAt = r.earnedAt() != null ? r.earnedAt() : now;
        Instant expiresAt = r.expiresAt() != null ? r.expiresAt() : expiry(program, earnedAt);
        if (points > 0 && expiresAt != null && !expiresAt.isAfter(now)) {
            return refused(r, r.expiresAt() != null ? "expiresAt" : "earnedAt", "expired",
                    "these points expired at " + expiresAt + "; an expired lot is not imported");
        }
        if (r.tierId() != null && program.tier(r.tierId()).isEmpty()) {
            return refused(r, "tier", "unknown_tier", "tier " + r.tierId() + " is not a tier of the program");
        }
        String entryId = Ids.next(now.toEpochMilli());
        if (def.dryRun()) {
            return imports.importRow(new ImportStore.RowWrite(tenant, programId, def.importId(), r.row(), r.customerId(),
                    null, lower > 0 ? -lower : points, 0, r.referralCode(), null, now));
        }
        Map<String, Object> attrs = r.attributes().isEmpty() ? null : new LinkedHashMap<>(r.attributes());
        Records.ProfileFields fields = new Records.ProfileFields(r.email(), attrs, r.consentMarketing(), null, r.referralCode());
        Customer c = Upsert.withFields(before, fields);
        long lifetime = Arith.add(c.lifetimeEarned(), points);
        Tier tier = Earning.currentTier(program, c.withLots(c.available(), c.pending(), lifetime, List.of()));
        if (r.tierId() != null) {
            Tier given = program.tier(r.tierId()).orElseThrow();
            tier = tier == null || given.threshold() > tier.threshold() ? given : tier;
        }
        String tierId = tier == null ? null : tier.id();
        Customer after = c.after(c.seq(), tierId, Arith.subtract(Arith.add(c.available(), points), lower), lifetime,
                c.ruleCounts(), c.rulePoints(), c.redemptions());
        List<Lot> lots = new ArrayList<>(before.lots());
        List<Earned> earned = new ArrayList<>();
        List<Entry> debts = new ArrayList<>();
        List<Spending.Take> takes = List.of();
        long restore = 0;
        if (lower > 0) {
            // the available lots, soonest-expiring first; pending points are not the balance and stay
            takes = Spending.take(before.lots().stream().filter(l -> !l.pending()).toList(), lower, null);
            if (Spending.sum(takes) != lower) {
                return new Commit.Retry("the available lots hold less than the available balance");
            }
            lots = new ArrayList<>(Spending.apply(lots, takes));
            // what a revert gives back: the points taken from lots not of this import (its own lots' points cancel out)
            restore = takes.stream().filter(t -> !origin(def.importId()).equals(t.lot().orderId()))
                    .mapToLong(Spending.Take::points).reduce(0, Arith::add);
            Entry entry = new Entry(entryId, TYPE, -lower, now, null, null, null, null, details(def, r, null, 0));
            Earning.Plan plan = new Earning.Plan(new Event(TYPE, def.importId() + ":" + r.row(), now, null, Map.of()),
                    -lower, List.of(), Map.of(), Map.of(), Map.of(), null, tier, null, lifetime);
            earned.add(new Earned(plan, entry, null, null, null));
        }
        if (points > 0) {
            Entry entry = new Entry(entryId, TYPE, points, now, retro > 0 ? def.ruleId() : null, null, null, null,
                    details(def, r, earnedAt, retro));
            Lot lot = new Lot(entryId, points, points, earnedAt, expiresAt, origin(def.importId()));
            // imported points pay a debt first, as any credit does
            Debts.Credited paid = Debts.payFirst(after, lot, entryId, now, debts);
            lot = paid.lot();
            after = paid.after();
            Earning.Plan plan = new Earning.Plan(new Event(TYPE, def.importId() + ":" + r.row(), earnedAt, null, Map.of()),
                    points, List.of(), Map.of(), Map.of(), Map.of(), null, tier, expiresAt, lifetime);
            earned.add(new Earned(plan, entry, lot == null ? null : Lots.add(lots, lot, now), null, null));
        }
        Records.EarnWrite w = new Records.EarnWrite(tenant, programId, program.version(), before, earned, fields, tierId,
                null, Accounts.profileAfter(program, raw, after, lots, now, debts, null), now,
                Accounts.prunedCaps(program, before, now), null, null, takes);
        return imports.importRow(new ImportStore.RowWrite(tenant, programId, def.importId(), r.row(), r.customerId(),
                earned.isEmpty() ? null : entryId, lower > 0 ? -lower : points, restore, r.referralCode(), w, now));
    }

    /** The {@code import} entry's details: the import and row; for points imported, when they were earned. */
    private static String details(ImportDef def, Row r, Instant earnedAt, long retro) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("importId", def.importId());
        details.put("row", r.row());
        if (earnedAt != null) {
            details.put("earnedAt", earnedAt.toString());
        }
        if (retro > 0) {
            details.put("retroactivePoints", retro);
        }
        return Json.write(details);
    }

    /** The lot origin of an import's points ({@code #} never occurs in an order id, so no order shares it). */
    public static String origin(String importId) {
        return "import#" + importId;
    }

    /** Points of one order of {@code totalMinor} by the rule alone (no tier multiplier, no caps). */
    static long retroactive(Program program, String ruleId, long totalMinor) {
        Program.EarningRule rule = program.earningRules().stream().filter(x -> x.id().equals(ruleId)).findFirst().orElseThrow();
        if (rule.points() == null) {
            return 0;
        }
        BigDecimal factor = rule.multiplier() == null ? BigDecimal.ONE : rule.multiplier();
        return Arith.multiplyFloor(rule.points().basePoints(totalMinor), factor);
    }

    /** The expiry the program gives points earned at {@code earnedAt} (null: they do not expire). */
    static Instant expiry(Program program, Instant earnedAt) {
        Integer days = program.expiryDaysFor(null);
        return days == null ? null : Expiry.endOfDay(earnedAt.atZone(program.timezone()).toLocalDate().plusDays(days),
                program.timezone());
    }

    private static Commit refused(Row r, String column, String code, String message) {
        return new Commit.Refused(new dev.laurel.domain.Refusal(dev.laurel.domain.Refusal.Code.INVALID_REQUEST, message,
                Map.of("code", code, "column", column)));
    }
}
