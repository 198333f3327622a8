package dev.laurel.app;

import dev.laurel.app.StreamIngest.Figures;
import dev.laurel.domain.Arith;
import dev.laurel.store.ReportStore;
import dev.laurel.store.ReportStore.ReportRead;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary report of a date range (the program's days): what the change stream counted, read
 * as one Query over the range's day items and one GetItem of the outstanding points, so its cost
 * grows with the days asked for, never with the events.
 */
public final class Reports {
    /** The longest range a report covers, in days (both ends included). */
    public static final int MAX_DAYS = 366;

    private final ReportStore store;
    private final Clock clock;

    public Reports(ReportStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** One day's figures, every name of {@link Figures#DAILY} present. */
    public record Day(LocalDate date, Map<String, Long> figures) {
    }

    public record RuleFigures(String ruleId, long points, long events) {
    }

    public record RewardFigures(String rewardId, long redemptions, long discountMinor, long orderMinor) {
    }

    /** A charity's donations (API.md Reports: {@code charities}). */
    public record CharityFigures(String charityId, long points, long valueMinor) {
    }

    /** {@code asOf}: when the stream last added to what this report read (now when it never has). */
    public record Summary(LocalDate from, LocalDate to, Map<String, Long> totals, List<Day> days, List<RuleFigures> rules,
                          List<RewardFigures> rewards, long outstandingPoints, Instant asOf, double readUnits,
                          List<CharityFigures> charities) {
    }

    /** The range must hold 1 to {@link #MAX_DAYS} days (the reader checks it). */
    public Outcome<Summary> summary(String tenant, String programId, LocalDate from, LocalDate to) {
        ReportRead read = store.readReport(tenant, programId, from, to);
        Map<String, Long> totals = zeros();
        List<Day> days = new ArrayList<>();
        Map<String, long[]> rules = new TreeMap<>();
        Map<String, long[]> rewards = new TreeMap<>();
        Map<String, long[]> charities = new TreeMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Map<String, Long> stored = read.days().getOrDefault(d, Map.of());
            Map<String, Long> figures = zeros();
            for (String name : Figures.DAILY) {
                long v = stored.getOrDefault(name, 0L);
                figures.put(name, v);
                totals.merge(name, v, Arith::add);
            }
            days.add(new Day(d, figures));
            for (var e : stored.entrySet()) {
                collect(e.getKey(), e.getValue(), rules, rewards);
                collectCharity(e.getKey(), e.getValue(), charities);
            }
        }
        List<RuleFigures> ruleList = new ArrayList<>();
        rules.forEach((id, v) -> ruleList.add(new RuleFigures(id, v[0], v[1])));
        List<RewardFigures> rewardList = new ArrayList<>();
        rewards.forEach((id, v) -> rewardList.add(new RewardFigures(id, v[0], v[1], v[2])));
        Instant asOf = read.asOf() != null ? read.asOf() : clock.instant();
        return Outcome.done(new Summary(from, to, totals, days, ruleList, rewardList, read.outstandingPoints(),
                asOf.truncatedTo(ChronoUnit.SECONDS), read.readUnits(), charityList(charities)));
    }

    private static void collect(String name, long v, Map<String, long[]> rules, Map<String, long[]> rewards) {
        int cut = name.lastIndexOf(':');
        if (cut < 0) {
            return;
        }
        String figure = name.substring(cut + 1);
        if (name.startsWith(Figures.RULE)) {
            long[] r = rules.computeIfAbsent(name.substring(Figures.RULE.length(), cut), k -> new long[2]);
            switch (figure) {
                case "points" -> r[0] = Arith.add(r[0], v);
                case "events" -> r[1] = Arith.add(r[1], v);
                default -> {
                }
            }
        } else if (name.startsWith(Figures.REWARD)) {
            long[] r = rewards.computeIfAbsent(name.substring(Figures.REWARD.length(), cut), k -> new long[3]);
            switch (figure) {
                case "redemptions" -> r[0] = Arith.add(r[0], v);
                case "discountMinor" -> r[1] = Arith.add(r[1], v);
                case "orderMinor" -> r[2] = Arith.add(r[2], v);
                default -> {
                }
            }
        }
    }

    /** A charity's figure ({@code charity:<id>:points} or {@code :valueMinor}) into {@code charities}. */
    private static void collectCharity(String name, long v, Map<String, long[]> charities) {
        int cut = name.lastIndexOf(':');
        if (!name.startsWith(Figures.CHARITY) || cut < Figures.CHARITY.length()) {
            return;
        }
        long[] c = charities.computeIfAbsent(name.substring(Figures.CHARITY.length(), cut), k -> new long[2]);
        switch (name.substring(cut + 1)) {
            case "points" -> c[0] = Arith.add(c[0], v);
            case "valueMinor" -> c[1] = Arith.add(c[1], v);
            default -> {
            }
        }
    }

    private static List<CharityFigures> charityList(Map<String, long[]> charities) {
        List<CharityFigures> out = new ArrayList<>();
        charities.forEach((id, v) -> out.add(new CharityFigures(id, v[0], v[1])));
        return out;
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String name : Figures.DAILY) {
            m.put(name, 0L);
        }
        return m;
    }
}
