package dev.laurel.it.model;

import dev.laurel.it.model.Model.Member;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's earning arithmetic (API.md, domain/Earning.java): base rules, multiplier rules of the
 * same event, the tier's multiplier last, each rule floored, then per-customer and total caps.
 */
final class ModelEarning {
    private ModelEarning() {
    }

    record Plan(long points, List<String> lines, Map<String, Long> caps, Map<String, Long> budgets,
                Spec.Tier before, Spec.Tier after, Instant expiresAt) {
    }

    static Plan plan(Model model, Member m, String type, Instant occurredAt, Long orderTotal, Map<String, Long> used) {
        LocalDate day = occurredAt.atZone(model.zone).toLocalDate();
        String dow = day.getDayOfWeek().name();
        List<Spec.Rule> base = new ArrayList<>();
        BigDecimal eventFactor = BigDecimal.ONE;
        List<String> multiplierLines = new ArrayList<>();
        for (Spec.Rule r : model.spec.rules()) {
            boolean holds = r.trigger().equals(type)
                    && (r.whenDayIn() == null || List.of(r.whenDayIn().split(",")).contains(dow))
                    && (r.whenCountry() == null || r.whenCountry().equals(m.country))
                    && (r.whenSegment() == null || ModelGrowth.inSegment(model, m, r.whenSegment(), occurredAt));
            if (!holds) {
                continue;
            }
            if (r.multiplierOnly()) {
                eventFactor = eventFactor.multiply(new BigDecimal(r.multiplier()));
                multiplierLines.add(r.id() + ":0");
            } else {
                base.add(r);
            }
        }
        Spec.Tier before = model.tier(m);
        BigDecimal tierFactor = before == null || before.earnMultiplier() == null ? BigDecimal.ONE
                : new BigDecimal(before.earnMultiplier());
        long total = 0;
        List<String> lines = new ArrayList<>();
        Map<String, Long> caps = new HashMap<>();
        Map<String, Long> budgets = new HashMap<>();
        for (Spec.Rule r : base) {
            long basePoints = r.fixed() != null ? r.fixed() : orderTotal == null ? 0 : orderTotal / r.perAmountMinor() * r.perAmountPoints();
            BigDecimal factor = eventFactor.multiply(tierFactor);
            if (r.multiplier() != null) {
                factor = factor.multiply(new BigDecimal(r.multiplier()));
            }
            long points = BigDecimal.valueOf(basePoints).multiply(factor).setScale(0, RoundingMode.FLOOR).longValueExact();
            String capped = null;
            String key = r.capPeriod() == null ? r.id() : r.id() + "@" + day;
            if (r.capCount() != null && m.capCount.getOrDefault(key, 0L) >= r.capCount()) {
                points = 0;
                capped = "perCustomer.count";
            }
            long got = m.capPoints.getOrDefault(key, 0L);
            if (r.capPoints() != null && points > r.capPoints() - got) {
                points = Math.max(0, r.capPoints() - got);
                capped = "perCustomer.points";
            }
            long usedTotal = used.getOrDefault(r.id(), 0L);
            if (r.total() != null && points > r.total() - usedTotal) {
                points = Math.max(0, r.total() - usedTotal);
                capped = "total.points";
            }
            if (points > 0 && (r.capCount() != null || r.capPoints() != null)) {
                caps.put(key, points);
            }
            if (points > 0 && r.total() != null) {
                budgets.put(r.id(), points);
            }
            total += points;
            lines.add(r.id() + ":" + points + (capped == null ? "" : ":" + capped));
        }
        lines.addAll(multiplierLines);
        if (before != null && before.earnMultiplier() != null && !base.isEmpty()) {
            lines.add("tier:" + before.id() + ":0");
        }
        Spec.Tier after = !model.spec.tiers() ? null : ModelGrowth.windowed(model)
                ? ModelGrowth.reached(model, m, before, total, occurredAt) : Model.higher(before, model.tierFor(m.lifetime + total));
        Integer days = after != null && after.expiryDays() != null ? after.expiryDays() : model.spec.expiryDays();
        Instant expiresAt = days == null ? null : model.endOfDay(day.plusDays(days));
        return new Plan(total, lines, caps, budgets, before, after, expiresAt);
    }
}
