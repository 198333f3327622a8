package dev.laurel.app;

import dev.laurel.domain.Arith;
import dev.laurel.domain.Program;
import dev.laurel.store.Change;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.ReportStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The report counters from one batch of the change stream (one shard's records, in order): each
 * record's figures go to the day of its ledger entry (or redemption, or join) in the program's
 * time zone, and the balance changes to the program's outstanding points. Exact under
 * at-least-once delivery: per (program, day) and per program, ONE conditional add per batch,
 * applied only if the shard's stored sequence is below the batch's first record; when it is not
 * (a retried, re-delivered or bisected batch), only the records newer than the stored one are
 * added. Figures are names of {@link Figures}.
 */
public final class StreamIngest {
    /** DynamoDB Streams keeps records 24 hours; a shard silent for longer is never delivered again. */
    static final Duration RETENTION = Duration.ofHours(25);
    private static final int ATTEMPTS = 8;

    private final ReportStore store;
    private final Clock clock;
    private final BiFunction<String, String, Optional<Program>> programs;

    public StreamIngest(ReportStore store, Clock clock, BiFunction<String, String, Optional<Program>> programs) {
        this.store = store;
        this.clock = clock;
        this.programs = programs;
    }

    /** What a batch did: records counted, adds written, and the first record to deliver again (null: none). */
    public record Result(int changes, int writes, String retryFrom) {
    }

    private record Day(String tenant, String programId, LocalDate day) {
    }

    private record ProgramKey(String tenant, String programId) {
    }

    /** Applies one shard's batch ({@code changes} in any order; sorted by sequence here). */
    public Result apply(String shard, List<Change> batch) {
        List<Change> changes = new ArrayList<>(batch);
        changes.sort(Comparator.comparing(c -> ReportStore.padded(c.sequence())));
        Map<Day, List<Change>> days = new LinkedHashMap<>();
        Map<ProgramKey, List<Change>> balances = new LinkedHashMap<>();
        Map<ProgramKey, ZoneId> zones = new LinkedHashMap<>();
        for (Change c : changes) {
            ProgramKey p = new ProgramKey(c.tenant(), c.programId());
            ZoneId zone = zones.computeIfAbsent(p, k -> programs.apply(k.tenant(), k.programId()).map(Program::timezone).orElse(ZoneOffset.UTC));
            Instant at = Figures.dayOf(c);
            if (at != null) {
                days.computeIfAbsent(new Day(c.tenant(), c.programId(), LocalDate.ofInstant(at, zone)), k -> new ArrayList<>()).add(c);
            }
            if (c.balanceDelta() != 0) {
                balances.computeIfAbsent(p, k -> new ArrayList<>()).add(c);
            }
        }
        int writes = 0;
        String retryFrom = null;
        for (var d : days.entrySet()) {
            try {
                writes += addToDay(shard, d.getKey(), d.getValue());
            } catch (RuntimeException e) {
                retryFrom = earliest(retryFrom, d.getValue().get(0).sequence());
            }
        }
        for (var b : balances.entrySet()) {
            try {
                writes += addToOutstanding(shard, b.getKey(), b.getValue());
            } catch (RuntimeException e) {
                retryFrom = earliest(retryFrom, b.getValue().get(0).sequence());
            }
        }
        return new Result(changes.size(), writes, retryFrom);
    }

    private int addToDay(String shard, Day d, List<Change> group) {
        List<Change> todo = group;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Map<String, Long> figures = Figures.of(todo);
            String stored = store.addToDay(d.tenant(), d.programId(), d.day(), shard, todo.get(0).sequence(),
                    todo.get(todo.size() - 1).sequence(), figures, clock.instant());
            if (stored == null) {
                return attempt;
            }
            todo = newerThan(todo, stored);
            if (todo.isEmpty()) {
                return attempt;
            }
        }
        throw new IllegalStateException("the report day " + d + " kept changing under shard " + shard);
    }

    private int addToOutstanding(String shard, ProgramKey p, List<Change> group) {
        List<Change> todo = group;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long delta = 0;
            for (Change c : todo) {
                delta = Arith.add(delta, c.balanceDelta());
            }
            Instant recordAt = todo.get(todo.size() - 1).streamedAt();
            String stored = store.addToOutstanding(p.tenant(), p.programId(), shard, todo.get(0).sequence(),
                    todo.get(todo.size() - 1).sequence(), delta, recordAt, recordAt.minus(RETENTION), clock.instant());
            if (stored == null) {
                return attempt;
            }
            todo = newerThan(todo, stored);
            if (todo.isEmpty()) {
                return attempt;
            }
        }
        throw new IllegalStateException("the outstanding points of " + p + " kept changing under shard " + shard);
    }

    private static List<Change> newerThan(List<Change> changes, String storedPadded) {
        return changes.stream().filter(c -> ReportStore.padded(c.sequence()).compareTo(storedPadded) > 0).toList();
    }

    private static String earliest(String a, String b) {
        return a == null || ReportStore.padded(b).compareTo(ReportStore.padded(a)) < 0 ? b : a;
    }

    /** The figures a report carries, by name, and how a change adds to them. */
    public static final class Figures {
        public static final String MEMBERS_JOINED = "membersJoined";
        public static final String POINTS_ISSUED = "pointsIssued";
        public static final String POINTS_REDEEMED = "pointsRedeemed";
        public static final String POINTS_ROLLED_BACK = "pointsRolledBack";
        public static final String POINTS_EXPIRED = "pointsExpired";
        public static final String POINTS_REFUNDED = "pointsRefunded";
        public static final String POINTS_DONATED = "pointsDonated";
        public static final String POINTS_IMPORTED = "pointsImported";
        public static final String REDEMPTIONS = "redemptions";
        public static final String DISCOUNT_MINOR = "discountMinor";
        public static final String ATTRIBUTED_ORDER_MINOR = "attributedOrderMinor";
        /** The figures of totals and days, in the answer's order. */
        public static final List<String> DAILY = List.of(MEMBERS_JOINED, POINTS_ISSUED, POINTS_REDEEMED, POINTS_ROLLED_BACK,
                POINTS_EXPIRED, POINTS_REFUNDED, POINTS_DONATED, POINTS_IMPORTED, REDEMPTIONS, DISCOUNT_MINOR, ATTRIBUTED_ORDER_MINOR);
        public static final String RULE = "rule:";
        public static final String REWARD = "reward:";
        public static final String CHARITY = "charity:";

        private Figures() {
        }

        /** A rule's or reward's figure ({@code rule:<ruleId>:points}); ids may hold ':', so the figure is what follows the last one. */
        public static String of(String prefix, String id, String figure) {
            return prefix + id + ":" + figure;
        }

        /** The instant whose day a change counts on (null: it counts on no day). */
        static Instant dayOf(Change c) {
            if (c.entry() != null) {
                return c.entry().at();
            }
            if (c.redemption() != null) {
                return c.redemption().at();
            }
            return c.joinedAt();
        }

        static Map<String, Long> of(List<Change> changes) {
            Map<String, Long> f = new LinkedHashMap<>();
            for (Change c : changes) {
                if (c.entry() != null) {
                    entry(f, c.entry());
                }
                if (c.redemption() != null) {
                    Change.Redemption r = c.redemption();
                    add(f, DISCOUNT_MINOR, r.discountMinor());
                    add(f, ATTRIBUTED_ORDER_MINOR, r.attributedOrderMinor());
                    if (r.rewardId() != null) {
                        add(f, of(REWARD, r.rewardId(), "discountMinor"), r.discountMinor());
                        add(f, of(REWARD, r.rewardId(), "orderMinor"), r.attributedOrderMinor());
                    }
                }
                if (c.joinedAt() != null) {
                    add(f, MEMBERS_JOINED, 1);
                }
            }
            return f;
        }

        /** Ledger entries by type: spends are negative in the ledger and positive in the report. */
        private static void entry(Map<String, Long> f, Entry e) {
            long p = e.points();
            switch (e.type()) {
                case "earn" -> {
                    add(f, POINTS_ISSUED, p);
                    if (e.ruleId() != null) {
                        add(f, of(RULE, e.ruleId(), "points"), p);
                        add(f, of(RULE, e.ruleId(), "events"), 1);
                    }
                }
                case "redeem" -> {
                    add(f, POINTS_REDEEMED, -p);
                    add(f, REDEMPTIONS, 1);
                    if (e.rewardId() != null) {
                        add(f, of(REWARD, e.rewardId(), "redemptions"), 1);
                    }
                }
                // a code that lapsed unused gives its points and budget back as a rollback does
                case "rollback", ExpireCode.ENTRY_TYPE -> add(f, POINTS_ROLLED_BACK, p);
                case "expire" -> add(f, POINTS_EXPIRED, -p);
                // a debt entry takes back points a refund found spent: refunded, as the refund itself
                case "refund", "debt" -> add(f, POINTS_REFUNDED, -p);
                case "import" -> add(f, POINTS_IMPORTED, p); // imported points (API.md Imports), not issued by a rule
                // referral points are issued under the rule id "referral"; a refund's cancellation of them is refunded
                case dev.laurel.domain.Referral.ENTRY_TYPE -> {
                    if (p >= 0) {
                        add(f, POINTS_ISSUED, p);
                        add(f, of(RULE, dev.laurel.domain.Referral.RULE_ID, "points"), p);
                        add(f, of(RULE, dev.laurel.domain.Referral.RULE_ID, "events"), 1);
                    } else {
                        add(f, POINTS_REFUNDED, -p);
                    }
                }
                case Donate.ENTRY_TYPE -> {
                    add(f, POINTS_DONATED, -p);
                    Donate.Given g = Donate.given(e);
                    if (g != null) {
                        add(f, of(CHARITY, g.charityId(), "points"), -p);
                        add(f, of(CHARITY, g.charityId(), "valueMinor"), g.valueMinor());
                    }
                }
                // a revert takes imported points back: pointsImported is net of reverts (the entry is negative)
                case ImportRevert.TYPE -> add(f, POINTS_IMPORTED, p);
                default -> {
                    // a type the report does not know yet counts nowhere (later features add theirs here)
                }
            }
        }

        private static void add(Map<String, Long> f, String name, long v) {
            f.merge(name, v, Arith::add);
        }
    }
}
