package dev.laurel.it.model;

import dev.laurel.it.model.Model.Member;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 12's growth features in the reference (API.md Part 2 "Campaigns, segments and tiers",
 * "Consent: double opt-in"), for a program with a {@link Spec.Growth}:
 * <ul>
 * <li>order statistics: every order counts once (a replay nowhere), its spend net of refunds; the
 * "last N days" figures over whole months from the month of the day N-1 days back (the bounded form
 * of ARCHITECTURE.md: month buckets older than 13 months, counted from the member's last earn or
 * upsert, are gone);</li>
 * <li>named segments decided from them (and from the tier and the days since joining), at the
 * event's {@code occurredAt} for a rule (the member as they stood before the event), at now for the
 * wallet and a reward's {@code segments};</li>
 * <li>tier windows: with {@code rolling_365_days} (the current month and the eleven before) or
 * {@code calendar_year}, the tier is reached by the points earned in the window holding the event,
 * kept until a review at the end of a later window moves it down one tier when the points of the
 * window that just ended fall short ({@code end_of_window}); a refund takes its points out of the
 * month they counted in and the tier follows them down when they had reached it;</li>
 * <li>double opt-in: {@code marketing: true} makes the consent pending and sends a single-use token
 * (again only an hour later), which confirms it (7 days); the first confirmation fires
 * {@code customer.confirmed} and the welcome; until then the member earns but is sent nothing.</li>
 * </ul>
 */
final class ModelGrowth {
    static final long CONFIRMED_POINTS = 40;
    static final Duration TOKEN_VALIDITY = Duration.ofDays(7);
    static final Duration RESEND_AFTER = Duration.ofHours(1);
    static final int KEPT_MONTHS = 13;

    private ModelGrowth() {
    }

    /** A member's growth state. */
    static final class State {
        long orders;
        long spent;
        Instant lastOrder;
        /** Orders and spend per month of occurredAt (program zone at the time), for the "last N days" figures. */
        final TreeMap<YearMonth, long[]> months = new TreeMap<>();
        /** Points counted for tiers per month (windowed programs). */
        final TreeMap<YearMonth, Long> tierMonths = new TreeMap<>();
        /** The start of the window in which the tier was last set or confirmed; null: the window of joining. */
        Instant since;
        Instant joinedAt;
        /** The latest write that drops old month buckets (an earn, an upsert, a confirmation). */
        Instant prunedAt;
        boolean pending;
        Instant requestedAt;
        Instant confirmedAt;
        /** Tokens sent so far (the n-th confirmation message), the one that works (-1: none), and until when. */
        int tokens;
        int current = -1;
        Instant tokenExpires;
    }

    static Spec.Growth growth(Model model) {
        return model.spec.growth();
    }

    static boolean windowed(Model model) {
        Spec.Growth g = growth(model);
        return g != null && g.windowed() && model.spec.tiers();
    }

    static boolean doubleOptIn(Model model) {
        Spec.Growth g = growth(model);
        return g != null && g.doubleOptIn();
    }

    // ------------------------------------------------------------------ the definition

    static String json(Spec s) {
        StringBuilder b = new StringBuilder(",\n \"segments\": [");
        List<String> segs = new ArrayList<>(List.of(
                "{\"id\": \"regular\", \"when\": {\"attr\": \"customer.stats.ordersCount\", \"op\": \"gte\", \"value\": 2}}",
                "{\"id\": \"spender\", \"when\": {\"attr\": \"customer.stats.spentMinor\", \"op\": \"gte\", \"value\": 5000}}",
                "{\"id\": \"recent\", \"when\": {\"attr\": \"customer.stats.ordersLast30Days\", \"op\": \"gte\", \"value\": 1}}",
                "{\"id\": \"lapsed\", \"when\": {\"attr\": \"customer.stats.daysSinceLastOrder\", \"op\": \"gt\", \"value\": 40}}",
                "{\"id\": \"big90\", \"when\": {\"all\": [{\"segment\": \"spender\"}, "
                        + "{\"attr\": \"customer.stats.spentMinorLast90Days\", \"op\": \"gte\", \"value\": 3000}]}}",
                "{\"id\": \"newbie\", \"when\": {\"attr\": \"customer.daysSinceJoined\", \"op\": \"lt\", \"value\": 7}}"));
        if (s.tiers()) {
            segs.add("{\"id\": \"goldtier\", \"when\": {\"attr\": \"customer.tier\", \"op\": \"eq\", \"value\": \"gold\"}}");
        }
        b.append(String.join(",\n  ", segs)).append(']');
        if (s.tiers()) {
            b.append(",\n \"tierPolicy\": {\"window\": \"").append(s.growth().window()).append("\", \"downgrade\": \"")
                    .append(s.growth().downgrade()).append("\"}");
        }
        if (s.growth().doubleOptIn()) {
            b.append(",\n \"consent\": {\"doubleOptIn\": true}");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ statistics and segments

    private static YearMonth month(Model model, Instant at) {
        return YearMonth.from(at.atZone(model.zone));
    }

    /** The oldest month bucket still kept (older ones were dropped by the member's last pruning write), or null. */
    private static YearMonth oldestKept(Model model, Member m) {
        return m.g.prunedAt == null ? null : month(model, m.g.prunedAt).minusMonths(KEPT_MONTHS - 1);
    }

    private static boolean kept(Model model, Member m, YearMonth ym) {
        YearMonth oldest = oldestKept(model, m);
        return oldest == null || !ym.isBefore(oldest);
    }

    /** An order of {@code total} that occurred at {@code occurredAt}, earned at {@code now}: the month it counts in (null: none). */
    static YearMonth onOrder(Model model, Member m, Instant occurredAt, long total, Instant now) {
        m.g.orders++;
        m.g.spent += total;
        if (m.g.lastOrder == null || occurredAt.getEpochSecond() > m.g.lastOrder.getEpochSecond()) {
            m.g.lastOrder = occurredAt;
        }
        YearMonth ym = month(model, occurredAt);
        if (ym.isBefore(month(model, now).minusMonths(KEPT_MONTHS - 1))) {
            return null;
        }
        long[] b = m.g.months.computeIfAbsent(ym, k -> new long[2]);
        b[0]++;
        b[1] += total;
        return ym;
    }

    /** A write that drops old month buckets (an earn, an upsert, a confirmation) at {@code now}. */
    static void pruned(Member m, Instant now) {
        if (m.g.prunedAt == null || now.isAfter(m.g.prunedAt)) {
            m.g.prunedAt = now;
        }
    }

    static boolean inSegment(Model model, Member m, String id, Instant at) {
        LocalDate today = at.atZone(model.zone).toLocalDate();
        return switch (id) {
            case "regular" -> m.g.orders >= 2;
            case "spender" -> m.g.spent >= 5000;
            case "recent" -> last(model, m, today, 30)[0] >= 1;
            case "lapsed" -> m.g.lastOrder != null
                    && ChronoUnit.DAYS.between(m.g.lastOrder.atZone(model.zone).toLocalDate(), today) > 40;
            case "big90" -> inSegment(model, m, "spender", at) && last(model, m, today, 90)[1] >= 3000;
            case "newbie" -> m.g.joinedAt == null
                    || ChronoUnit.DAYS.between(m.g.joinedAt.atZone(model.zone).toLocalDate(), today) < 7;
            case "goldtier" -> "gold".equals(Model.tierId(model.tier(m)));
            default -> throw new IllegalArgumentException(id);
        };
    }

    /** Orders and spend of the months from the one holding the day {@code days - 1} before today on. */
    private static long[] last(Model model, Member m, LocalDate today, int days) {
        YearMonth from = YearMonth.from(today.minusDays(days - 1L));
        long[] out = new long[2];
        m.g.months.forEach((ym, b) -> {
            if (!ym.isBefore(from) && kept(model, m, ym)) {
                out[0] += b[0];
                out[1] += b[1];
            }
        });
        return out;
    }

    static List<String> segments(Model model, Member m, Instant now) {
        List<String> out = new ArrayList<>();
        for (String id : List.of("regular", "spender", "recent", "lapsed", "big90", "newbie", "goldtier")) {
            if ((model.spec.tiers() || !id.equals("goldtier")) && inSegment(model, m, id, now)) {
                out.add(id);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ tier windows

    static Instant windowStart(Model model, Instant at) {
        YearMonth m = month(model, at);
        YearMonth first = growth(model).window().equals("calendar_year") ? YearMonth.of(m.getYear(), 1) : m;
        return first.atDay(1).atStartOfDay(model.zone).toInstant();
    }

    /** The points of the window holding {@code at}: its months' counters, never below 0. */
    static long windowPoints(Model model, Member m, Instant at) {
        YearMonth last = month(model, at);
        YearMonth first = growth(model).window().equals("calendar_year") ? YearMonth.of(last.getYear(), 1) : last.minusMonths(11);
        long sum = 0;
        for (Map.Entry<YearMonth, Long> e : m.g.tierMonths.entrySet()) {
            if (!e.getKey().isBefore(first) && !e.getKey().isAfter(last) && kept(model, m, e.getKey())) {
                sum += e.getValue();
            }
        }
        return Math.max(0, sum);
    }

    /** The tier an earn of {@code points} at {@code occurredAt} reaches from {@code before} (never lower). */
    static Spec.Tier reached(Model model, Member m, Spec.Tier before, long points, Instant occurredAt) {
        return Model.higher(before, model.tierFor(windowPoints(model, m, occurredAt) + points));
    }

    /** Points credited at {@code at} count in its month; an upgrade stands from its window. */
    static void credited(Model model, Member m, long points, Spec.Tier before, Spec.Tier after, Instant at) {
        if (!windowed(model)) {
            return;
        }
        if (points > 0) {
            m.g.tierMonths.merge(month(model, at), points, Long::sum);
        }
        if (!java.util.Objects.equals(Model.tierId(before), Model.tierId(after))) {
            m.g.since = windowStart(model, at);
        }
    }

    /**
     * Points taken back from the month {@code ym} (floored at what it holds), at {@code now}: the
     * tier follows them down when the window's points had reached it and no longer do.
     */
    static void takenBack(Model model, Member m, YearMonth ym, long points, Instant now) {
        if (!windowed(model) || ym == null || points <= 0) {
            return;
        }
        Spec.Tier current = model.tier(m);
        long before = windowPoints(model, m, now);
        long held = kept(model, m, ym) ? m.g.tierMonths.getOrDefault(ym, 0L) : 0;
        m.g.tierMonths.put(ym, held - Math.min(points, held));
        long after = windowPoints(model, m, now);
        Spec.Tier reachedBefore = model.tierFor(before);
        Spec.Tier reachedAfter = model.tierFor(after);
        if (current == null || reachedBefore == null || reachedBefore.threshold() < current.threshold()
                || (reachedAfter != null && reachedAfter.threshold() >= current.threshold())) {
            return;
        }
        m.storedTier = (reachedAfter == null ? model.spec.tierList().get(0) : reachedAfter).id();
    }

    /** A refund of {@code amount} of order {@code o}: its spend leaves the totals and its month. */
    static void refunded(Member m, ModelRewards.OrderRec o, long amount) {
        m.g.spent -= Math.min(amount, m.g.spent);
        if (o.statsMonth != null) {
            long[] b = m.g.months.get(o.statsMonth);
            if (b != null) {
                b[1] -= Math.min(amount, b[1]);
            }
        }
    }

    /** Whether the daily run at {@code now} owes the member a review: a downgrading window, a tier above the lowest, set before this window. */
    static boolean reviewDue(Model model, Member m, Instant now) {
        if (!windowed(model) || !growth(model).downgrade().equals("end_of_window") || !m.member) {
            return false;
        }
        Spec.Tier held = model.tier(m);
        if (held == null || held.threshold() <= model.spec.tierList().get(0).threshold()) {
            return false;
        }
        Instant since = m.g.since != null ? m.g.since : windowStart(model, m.g.joinedAt);
        return since.isBefore(windowStart(model, now));
    }

    /** The review at the start of the current window: one tier down when the window that just ended keeps less. */
    static void review(Model model, Member m, Instant now) {
        Instant due = windowStart(model, now);
        Spec.Tier held = model.tier(m);
        Spec.Tier kept = model.tierFor(windowPoints(model, m, due.minusNanos(1)));
        if (kept == null || kept.threshold() < held.threshold()) {
            Spec.Tier below = null;
            for (Spec.Tier t : model.spec.tierList()) {
                if (t.threshold() < held.threshold()) {
                    below = t;
                }
            }
            m.storedTier = below == null ? held.id() : below.id();
        }
        m.g.since = due;
    }

    // ------------------------------------------------------------------ double opt-in

    /** The wallet's {@code consent.marketing}. */
    static String consentState(Member m) {
        return m.consent ? "confirmed" : m.g.pending ? "pending" : "none";
    }

    /**
     * An upsert's {@code marketing} under double opt-in: whether it sent a confirmation (null: it
     * issued no token). Without double opt-in the consent is as given.
     */
    static Boolean consent(Model model, Member m, boolean marketing, Instant now) {
        if (!doubleOptIn(model)) {
            m.consent = marketing;
            return null;
        }
        if (!marketing) {
            m.consent = false;
            m.g.pending = false;
            m.g.current = -1;
            return null;
        }
        if (m.consent || (m.g.pending && now.isBefore(m.g.requestedAt.plus(RESEND_AFTER)))) {
            return null;
        }
        m.g.pending = true;
        m.g.requestedAt = now;
        m.g.current = m.g.tokens++;
        m.g.tokenExpires = now.plus(TOKEN_VALIDITY);
        return true;
    }

    /** Whether the {@code n}-th token sent to {@code m} confirms at {@code now} (and is used up by it). */
    static boolean confirms(Member m, int n, Instant now) {
        return m != null && m.member && m.g.pending && n >= 0 && n == m.g.current && now.isBefore(m.g.tokenExpires);
    }
}
