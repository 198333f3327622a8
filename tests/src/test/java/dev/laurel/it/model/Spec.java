package dev.laurel.it.model;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One generated program and the instant a run starts: a template (zone, expiry, return window,
 * tiers, caps) and budgets, small so that random sequences reach their limits. {@link #json()} is
 * the definition PUT to Laurel; {@link Model} reads the same numbers from here.
 */
record Spec(String zone, Integer expiryDays, Integer pendingDays, boolean tiers, boolean caps, int budgets,
            long likePoints, Instant start, String currency, String removed, String repriced, boolean welcome,
            boolean rewardAvailable, boolean tierUpgraded, String channel, Growth growth) {

    /** The program a run starts with (EUR, every reward, every reminder on, no channel: the outbox). */
    Spec(String zone, Integer expiryDays, Integer pendingDays, boolean tiers, boolean caps, int budgets, long likePoints,
         Instant start) {
        this(zone, expiryDays, pendingDays, tiers, caps, budgets, likePoints, start, "EUR", null, null, true, true, true, null,
                null);
    }

    /**
     * Issue 12's growth features in a generated program ({@link ModelGrowth}): a {@code tierPolicy}
     * (window and downgrade), the named segments over order statistics (with a rule and a reward that
     * use them), and double opt-in with a {@code customer.confirmed} bonus.
     */
    record Growth(String window, String downgrade, boolean doubleOptIn) {
        static final String[] WINDOWS = {"lifetime", "rolling_365_days", "calendar_year"};

        static Growth random(Random r) {
            String window = r.nextInt(5) == 0 ? "lifetime" : WINDOWS[1 + r.nextInt(2)];
            return new Growth(window, window.equals("lifetime") || r.nextInt(4) == 0 ? "never" : "end_of_window", r.nextInt(3) > 0);
        }

        boolean windowed() {
            return !window.equals("lifetime");
        }

        String toJava() {
            return "new Spec.Growth(\"" + window + "\", \"" + downgrade + "\", " + doubleOptIn + ")";
        }
    }

    /** This program with the growth features {@code g}. */
    Spec withGrowth(Growth g) {
        return new Spec(zone, expiryDays, pendingDays, tiers, caps, budgets, likePoints, start, currency, removed, repriced, welcome,
                rewardAvailable, tierUpgraded, channel, g);
    }

    /** The webhook URLs of the two channels a program change may switch between (the runner maps them to outboxes). */
    static String channelUrl(String channel) {
        return "https://crm-" + channel + ".example.com/hooks";
    }

    /** Issue 16: a new version of this program, as a program change puts it (everything else as it was). */
    Spec with(Op.Program p) {
        return new Spec(p.zone(), expiryDays, pendingDays, tiers, caps, budgets, likePoints, start, p.currency(), p.removed(),
                p.repriced(), p.welcome(), p.rewardAvailable(), p.tierUpgraded(), p.channel(), growth);
    }

    /** This version as a program change to it. */
    Op.Program asChange() {
        return new Op.Program(currency, zone, removed, repriced, welcome, rewardAvailable, tierUpgraded, channel);
    }

    /** Whether this version sends reminders of {@code type} (points_expiring: always, 1 day before). */
    boolean sends(String type) {
        return switch (type) {
            case "welcome" -> welcome;
            case "reward_available" -> rewardAvailable;
            case "tier_upgraded" -> tierUpgraded;
            default -> true;
        };
    }

    /** Instants near daylight-saving changes and ends of day, where time bugs live. */
    private static final String[] STARTS = {
        "2026-03-28T20:00:00Z", "2026-03-07T22:00:00Z", "2026-10-24T21:30:00Z", "2026-10-31T23:00:00Z",
        "2026-11-23T09:00:00Z", "2026-12-31T22:59:00Z", "2026-06-15T12:00:00Z", "2027-03-27T23:00:00Z"};

    static Spec random(Random r) {
        String zone = r.nextInt(5) == 0 ? "UTC" : r.nextBoolean() ? "Europe/Berlin" : "America/Los_Angeles";
        Integer expiry = pick(r, new Integer[] {null, 1, 2, 7, 30, 365});
        Integer pending = pick(r, new Integer[] {null, null, 1, 3});
        if (pending != null && expiry != null && pending >= expiry) {
            pending = null; // a return window must end before the points expire
        }
        Instant start = Instant.parse(STARTS[r.nextInt(STARTS.length)]).plusSeconds(r.nextInt(7200) - 3600);
        return new Spec(zone, expiry, pending, r.nextBoolean(), r.nextBoolean(), r.nextInt(3), 1 + r.nextInt(3), start);
    }

    private static <T> T pick(Random r, T[] options) {
        return options[r.nextInt(options.length)];
    }

    ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    String toJava() {
        return "new Spec(\"" + zone + "\", " + expiryDays + ", " + pendingDays + ", " + tiers + ", " + caps + ", "
                + budgets + ", " + likePoints + ", Instant.parse(\"" + start + "\"))"
                + (growth == null ? "" : ".withGrowth(" + growth.toJava() + ")");
    }

    // ------------------------------------------------------------------ the numbers the model uses

    record Rule(String id, String trigger, Long fixed, Long perAmountPoints, Long perAmountMinor, String multiplier,
                String whenDayIn, String whenCountry, Long capCount, Long capPoints, String capPeriod, Long total,
                String whenSegment) {
        Rule(String id, String trigger, Long fixed, Long perAmountPoints, Long perAmountMinor, String multiplier, String whenDayIn,
             String whenCountry, Long capCount, Long capPoints, String capPeriod, Long total) {
            this(id, trigger, fixed, perAmountPoints, perAmountMinor, multiplier, whenDayIn, whenCountry, capCount, capPoints,
                    capPeriod, total, null);
        }

        boolean multiplierOnly() {
            return fixed == null && perAmountPoints == null;
        }
    }

    record Reward(String id, String type, long cost, Long valueMinor, Long percent, Long maxDiscountMinor,
                  Long minOrderMinor, String tier, Long perCustomer, Long totalRedemptions, Long totalDiscountMinor,
                  Long totalOrderMinor, String category, boolean exclusive, String segment) {
        Reward(String id, String type, long cost, Long valueMinor, Long percent, Long maxDiscountMinor, Long minOrderMinor,
               String tier, Long perCustomer, Long totalRedemptions, Long totalDiscountMinor, Long totalOrderMinor,
               String category, boolean exclusive) {
            this(id, type, cost, valueMinor, percent, maxDiscountMinor, minOrderMinor, tier, perCustomer, totalRedemptions,
                    totalDiscountMinor, totalOrderMinor, category, exclusive, null);
        }

        boolean discountType() {
            return type.equals("discount_amount") || type.equals("discount_percent") || type.equals("free_shipping");
        }

        boolean needsOrder() {
            return discountType() || minOrderMinor != null;
        }

        boolean budgeted() {
            return totalRedemptions != null || totalDiscountMinor != null || totalOrderMinor != null;
        }
    }

    record Tier(String id, long threshold, String earnMultiplier, Integer expiryDays) {
    }

    List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        out.add(new Rule("purchase", "order.paid", null, 1L, 100L, null, null, null, null, null, null, null));
        out.add(new Rule("signup", "customer.joined", 25L, null, null, null, null, null, 1L, null, null, null));
        out.add(new Rule("like", "social.liked", likePoints, null, null, null, null, null, null,
                caps ? 30L : null, caps ? "day" : null, caps ? 400L : null));
        out.add(new Rule("review", "review.written", 15L, null, null, null, null, null, caps ? 2L : null, null, null,
                caps ? 60L : null));
        if (caps) {
            // a small rule budget on orders: used up within a run, so that validate's earnPreview must respect it (S7)
            out.add(new Rule("bonus", "order.paid", 5L, null, null, null, null, null, null, null, null, 60L));
        }
        out.add(new Rule("weekend", "order.paid", null, null, null, "2", "SATURDAY,SUNDAY", null, null, null, null, null));
        out.add(new Rule("de", "order.paid", null, null, null, "1.5", null, "DE", null, null, null, null));
        if (growth != null) {
            // a multiplier for members in a segment (decided on the member before this order), and the confirmation bonus
            out.add(new Rule("regulars", "order.paid", null, null, null, "2", null, null, null, null, null, null, "regular"));
            out.add(new Rule("confirmed", "customer.confirmed", ModelGrowth.CONFIRMED_POINTS, null, null, null, null, null, null,
                    null, null, null));
        }
        return out;
    }

    List<Reward> rewards() {
        // budgets 0: roomy; 1: near the limit (the second use is refused); 2: the first use is over the limit
        long tenOffDiscount = budgets == 0 ? 100_000 : budgets == 1 ? 1500 : 800;
        long giftBudget = budgets == 0 ? 100_000 : budgets == 1 ? 3000 : 1500;
        long orderBudget = budgets == 0 ? 10_000_000 : budgets == 1 ? 30_000 : 9000;
        List<Reward> out = new ArrayList<>();
        addRewards(out, tenOffDiscount, giftBudget, orderBudget);
        // a program change may remove one reward, or reprice one (three times its cost)
        out.removeIf(r -> r.id().equals(removed));
        out.replaceAll(r -> !r.id().equals(repriced) ? r : new Reward(r.id(), r.type(), r.cost() * 3, r.valueMinor(), r.percent(),
                r.maxDiscountMinor(), r.minOrderMinor(), r.tier(), r.perCustomer(), r.totalRedemptions(), r.totalDiscountMinor(),
                r.totalOrderMinor(), r.category(), r.exclusive(), r.segment()));
        return out;
    }

    private void addRewards(List<Reward> out, long tenOffDiscount, long giftBudget, long orderBudget) {
        out.add(new Reward("ten-off", "discount_amount", 100, 1000L, null, null, 2000L, null, 3L, 4L, tenOffDiscount,
                orderBudget, "loyalty", false));
        out.add(new Reward("pct", "discount_percent", 150, null, 15L, 3000L, null, null, null, null,
                budgets == 0 ? null : 2500L, null, "loyalty", false));
        out.add(new Reward("ship", "free_shipping", 40, budgets == 2 ? null : 800L, null, null, null, null, null,
                budgets == 0 ? null : 3L, null, null, "shipping", false));
        out.add(new Reward("gift", "gift_card", 200, 2000L, null, null, null, null, null, null, giftBudget, null, null, false));
        out.add(new Reward("mug", "product", 60, budgets == 1 ? null : 900L, null, null, null, null, 2L, null, null, null,
                null, false));
        out.add(new Reward("cash", "cash_back", 50, 500L, null, null, null, null, null, 3L, null, null, null, false));
        out.add(new Reward("trees", "donation", 10, 100L, null, null, null, null, null, null, null, null, null, false));
        if (tiers) {
            out.add(new Reward("vip", "discount_amount", 120, 2500L, null, null, null, "gold", null, null, null, null,
                    null, true));
        }
        if (growth != null) {
            out.add(new Reward("spenders", "product", 30, 100L, null, null, null, null, null, null, null, null, null, false,
                    "spender"));
        }
    }

    List<Tier> tierList() {
        if (!tiers) {
            return List.of();
        }
        return List.of(new Tier("bronze", 0, null, null), new Tier("silver", 300, "1.5", null),
                new Tier("gold", 1000, "2", expiryDays == null ? null : expiryDays * 2));
    }

    Reward reward(String id) {
        return rewards().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** The reward of this version, if it still has it. */
    java.util.Optional<Reward> rewardIfAny(String id) {
        return rewards().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    // ------------------------------------------------------------------ the definition

    String json() {
        StringBuilder b = new StringBuilder();
        b.append("{\"name\": \"Model\", \"currency\": \"").append(currency).append("\", \"timezone\": \"").append(zone).append("\",\n \"earningRules\": [");
        List<String> rules = new ArrayList<>();
        for (Rule r : rules()) {
            StringBuilder s = new StringBuilder("{\"id\": \"" + r.id() + "\", \"trigger\": \"" + r.trigger() + "\"");
            if (r.fixed() != null) {
                s.append(", \"points\": {\"fixed\": ").append(r.fixed()).append('}');
            }
            if (r.perAmountPoints() != null) {
                s.append(", \"points\": {\"perAmount\": {\"points\": ").append(r.perAmountPoints())
                        .append(", \"amountMinor\": ").append(r.perAmountMinor()).append("}}");
            }
            if (r.multiplier() != null) {
                s.append(", \"multiplier\": ").append(r.multiplier());
            }
            if (r.whenDayIn() != null) {
                s.append(", \"when\": {\"attr\": \"event.dayOfWeek\", \"op\": \"in\", \"value\": [\"")
                        .append(r.whenDayIn().replace(",", "\", \"")).append("\"]}");
            }
            if (r.whenSegment() != null) {
                s.append(", \"when\": {\"segment\": \"").append(r.whenSegment()).append("\"}");
            }
            if (r.whenCountry() != null) {
                s.append(", \"when\": {\"attr\": \"customer.attributes.country\", \"op\": \"eq\", \"value\": \"")
                        .append(r.whenCountry()).append("\"}");
            }
            List<String> limits = new ArrayList<>();
            List<String> per = new ArrayList<>();
            if (r.capCount() != null) {
                per.add("\"count\": " + r.capCount());
            }
            if (r.capPoints() != null) {
                per.add("\"points\": " + r.capPoints());
            }
            if (r.capPeriod() != null) {
                per.add("\"period\": \"" + r.capPeriod() + "\"");
            }
            if (!per.isEmpty()) {
                limits.add("\"perCustomer\": {" + String.join(", ", per) + "}");
            }
            if (r.total() != null) {
                limits.add("\"total\": {\"points\": " + r.total() + "}");
            }
            if (!limits.isEmpty()) {
                s.append(", \"limits\": {").append(String.join(", ", limits)).append('}');
            }
            rules.add(s.append('}').toString());
        }
        b.append(String.join(",\n  ", rules)).append("],\n \"rewards\": [");
        List<String> rewards = new ArrayList<>();
        for (Reward r : rewards()) {
            StringBuilder s = new StringBuilder("{\"id\": \"" + r.id() + "\", \"type\": \"" + r.type() + "\", \"cost\": " + r.cost());
            field(s, "valueMinor", r.valueMinor());
            field(s, "percent", r.percent());
            field(s, "maxDiscountMinor", r.maxDiscountMinor());
            field(s, "minOrderMinor", r.minOrderMinor());
            if (r.tier() != null) {
                s.append(", \"tiers\": [\"").append(r.tier()).append("\"]");
            }
            if (r.segment() != null) {
                s.append(", \"segments\": [\"").append(r.segment()).append("\"]");
            }
            List<String> l = new ArrayList<>();
            limit(l, "perCustomer", r.perCustomer());
            limit(l, "totalRedemptions", r.totalRedemptions());
            limit(l, "totalDiscountMinor", r.totalDiscountMinor());
            limit(l, "totalOrderMinor", r.totalOrderMinor());
            if (!l.isEmpty()) {
                s.append(", \"limits\": {").append(String.join(", ", l)).append('}');
            }
            if (r.category() != null) {
                s.append(", \"stacking\": {\"category\": \"").append(r.category()).append("\"}");
            } else if (r.exclusive()) {
                s.append(", \"stacking\": {\"exclusive\": true}");
            }
            rewards.add(s.append('}').toString());
        }
        b.append(String.join(",\n  ", rewards)).append(']');
        if (tiers) {
            List<String> t = new ArrayList<>();
            for (Tier tier : tierList()) {
                StringBuilder s = new StringBuilder("{\"id\": \"" + tier.id() + "\", \"threshold\": " + tier.threshold());
                if (tier.earnMultiplier() != null) {
                    s.append(", \"earnMultiplier\": ").append(tier.earnMultiplier());
                }
                field(s, "expiryDays", tier.expiryDays() == null ? null : (long) tier.expiryDays());
                t.add(s.append('}').toString());
            }
            b.append(",\n \"tiers\": [").append(String.join(", ", t)).append(']');
        }
        if (expiryDays != null) {
            b.append(",\n \"expiry\": {\"afterDays\": ").append(expiryDays).append('}');
        }
        if (pendingDays != null) {
            b.append(",\n \"pending\": {\"days\": ").append(pendingDays).append('}');
        }
        b.append(",\n \"referrals\": {\"referrer\": {\"points\": ").append(Model.REFERRER_POINTS)
                .append("}, \"referee\": {\"points\": ").append(Model.REFEREE_POINTS).append("}, \"minOrderMinor\": ")
                .append(Model.REFERRAL_MIN_ORDER).append(", \"limits\": {\"perReferrer\": ").append(Model.PER_REFERRER).append("}}");
        b.append(",\n \"charities\": [{\"id\": \"trees\", \"name\": \"Trees\", \"pointValueMinor\": 3}, "
                + "{\"id\": \"sea\", \"name\": \"Sea\", \"pointValueMinor\": 7}]");
        if (growth != null) {
            b.append(ModelGrowth.json(this));
        }
        b.append(",\n \"reminders\": {\"pointsExpiring\": {\"daysBefore\": 1}, \"welcome\": ").append(welcome)
                .append(", \"rewardAvailable\": ").append(rewardAvailable).append(", \"tierUpgraded\": ").append(tierUpgraded).append('}');
        if (channel != null) {
            b.append(",\n \"channel\": {\"type\": \"webhook\", \"url\": \"").append(channelUrl(channel))
                    .append("\", \"secret\": \"whsec-model-0123456789abcdef\"}");
        }
        b.append('}');
        return b.toString();
    }

    private static void field(StringBuilder s, String name, Long v) {
        if (v != null) {
            s.append(", \"").append(name).append("\": ").append(v);
        }
    }

    private static void limit(List<String> l, String name, Long v) {
        if (v != null) {
            l.add("\"" + name + "\": " + v);
        }
    }
}
