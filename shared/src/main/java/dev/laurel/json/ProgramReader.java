package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Arith;
import dev.laurel.domain.Backdating;
import dev.laurel.domain.Condition;
import dev.laurel.domain.Money;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Channel;
import dev.laurel.domain.Program.EarningRule;
import dev.laurel.domain.Program.Period;
import dev.laurel.domain.Program.PointsSpec;
import dev.laurel.domain.Program.Reminders;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Program.RewardLimits;
import dev.laurel.domain.Program.RewardType;
import dev.laurel.domain.Program.RuleLimits;
import dev.laurel.domain.Program.Stacking;
import dev.laurel.domain.Program.Status;
import dev.laurel.domain.Program.Tier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a program definition strictly: every problem found is reported at once, each with its JSON path. */
public final class ProgramReader {
    private ProgramReader() {
    }

    /**
     * Validates a whole definition and builds the program. Every problem found is reported at once
     * as 400 {@code invalid_request}, each with its JSON path.
     */
    /** A stored definition (JSON this code wrote), read as {@link #read(String, long, JsonNode)} does. */
    public static Program read(String programId, long version, String storedDefinition) {
        return read(programId, version, Json.read(storedDefinition));
    }

    public static Program read(String programId, long version, JsonNode body) {
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String name = o.string("name", true, 200);
        String currency = o.string("currency", true, 3);
        if (currency != null && !Money.isCurrency(currency)) {
            problems.add("currency", "must be an ISO 4217 currency code such as EUR");
        }
        ZoneId zone = null;
        String tz = o.string("timezone", true, 64);
        if (tz != null) {
            if (ZoneId.getAvailableZoneIds().contains(tz)) {
                zone = ZoneId.of(tz);
            } else {
                problems.add("timezone", "must be an IANA time zone such as Europe/Berlin (not a fixed offset)");
            }
        }
        List<Tier> tiers = parseTiers(o, problems);
        Set<String> tierIds = new HashSet<>(tiers.stream().map(Tier::id).toList());
        List<Program.Segment> segments = SegmentReader.read(o, problems);
        Set<String> segmentIds = new HashSet<>(segments.stream().map(Program.Segment::id).toList());
        List<EarningRule> rules = parseRules(o, problems, segmentIds);
        List<Reward> rewards = parseRewards(o, problems, tierIds, segmentIds);
        Integer afterDays = null;
        Obj expiry = o.obj("expiry", false);
        if (expiry != null) {
            Long d = expiry.integer("afterDays", true, 1, Program.MAX_DAYS);
            afterDays = d == null ? null : d.intValue();
            expiry.end();
        }
        Integer pendingDays = null;
        Obj pending = o.obj("pending", false);
        if (pending != null) {
            Long d = pending.integer("days", true, 1, Program.MAX_PENDING_DAYS);
            pendingDays = d == null ? null : d.intValue();
            pending.end();
            if (pendingDays != null) {
                if (afterDays != null && pendingDays >= afterDays) {
                    problems.add("pending.days", "must be less than expiry.afterDays, or points would expire while pending");
                }
                for (Tier t : tiers) {
                    if (t.expiryDays() != null && pendingDays >= t.expiryDays()) {
                        problems.add("pending.days", "must be less than the expiryDays of tier " + t.id());
                    }
                }
            }
        }
        Reminders reminders = parseReminders(o, problems);
        Channel channel = parseChannel(o, problems);
        Program.Referrals referrals = parseReferrals(o);
        List<Program.Charity> charities = GrowthReader.charities(o, problems);
        Instant endsAt = o.instant("endsAt", false);
        Program.Velocity velocity = GrowthReader.velocity(o);
        boolean doubleOptIn = GrowthReader.doubleOptIn(o);
        Program.TierPolicy tierPolicy = GrowthReader.tierPolicy(o);
        o.end();
        problems.throwIfAny();
        return new Program(programId, version, name, currency, zone, rules, rewards, tiers, afterDays, pendingDays,
                reminders, channel, Json.write(body), Backdating.LEGACY_CREATED_AT, referrals, charities, endsAt, velocity,
                doubleOptIn, segments, tierPolicy);
    }

    private static List<EarningRule> parseRules(Obj o, Problems problems, Set<String> segmentIds) {
        List<Obj> items = o.objects("earningRules", true, Program.MAX_RULES);
        List<EarningRule> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Obj r : items) {
            String id = r.id("id", true);
            if (id != null && !seen.add(id)) {
                problems.add(r.path("id"), "duplicate earning rule id " + id);
            }
            String trigger = r.string("trigger", true, 64);
            if (trigger != null && !Program.TRIGGER.matcher(trigger).matches()) {
                problems.add(r.path("trigger"), "must match " + Program.TRIGGER.pattern());
            }
            Status status = Status.of(r.oneOf("status", false, Set.of("active", "disabled")));
            PointsSpec points = null;
            Obj p = r.obj("points", false);
            if (p != null) {
                Long fixed = p.integer("fixed", false, 0, Arith.MAX_POINTS);
                Obj per = p.obj("perAmount", false);
                Long perPoints = null;
                Long perMinor = null;
                if (per != null) {
                    perPoints = per.integer("points", true, 1, 1_000_000);
                    perMinor = per.integer("amountMinor", true, 1, Arith.MAX_MINOR);
                    per.end();
                }
                if ((fixed == null) == (per == null)) {
                    problems.add(p.path(), "must have exactly one of fixed or perAmount");
                } else if (fixed != null || (perPoints != null && perMinor != null)) {
                    points = new PointsSpec(fixed, perPoints, perMinor);
                }
                p.end();
            }
            BigDecimal multiplier = r.decimal("multiplier", false, Program.MIN_MULTIPLIER, Program.MAX_MULTIPLIER, Program.MULTIPLIER_SCALE);
            if (!r.has("points") && !r.has("multiplier")) {
                problems.add(r.path(), "needs points, a multiplier, or both");
            }
            Obj w = r.obj("when", false);
            Condition when = w == null ? null : ConditionReader.read(w);
            SegmentReader.check(r, when, segmentIds);
            RuleLimits limits = null;
            Obj l = r.obj("limits", false);
            if (l != null) {
                if (!r.has("points")) {
                    problems.add(l.path(), "limits apply to rules that give points; a multiplier-only rule has none");
                }
                Long count = null;
                Long pts = null;
                Period period = null;
                Obj pc = l.obj("perCustomer", false);
                if (pc != null) {
                    count = pc.integer("count", false, 1, Arith.MAX_POINTS);
                    pts = pc.integer("points", false, 1, Arith.MAX_POINTS);
                    String per = pc.oneOf("period", false, Set.of("day", "week", "month", "year"));
                    period = per == null ? null : Period.valueOf(per.toUpperCase(java.util.Locale.ROOT));
                    if (!pc.has("count") && !pc.has("points")) {
                        problems.add(pc.path(), "needs count, points, or both");
                    }
                    pc.end();
                }
                Long total = null;
                Obj t = l.obj("total", false);
                if (t != null) {
                    total = t.integer("points", true, 1, Arith.MAX_POINTS);
                    t.end();
                }
                l.end();
                limits = new RuleLimits(count, pts, period, total);
            }
            Instant from = r.instant("activeFrom", false);
            Instant until = r.instant("activeUntil", false);
            if (from != null && until != null && !from.isBefore(until)) {
                problems.add(r.path("activeUntil"), "must be after activeFrom");
            }
            r.end();
            out.add(new EarningRule(id, trigger, status, points, multiplier, when, limits, from, until));
        }
        return out;
    }

    private static final Map<String, RewardType> REWARD_TYPES = new LinkedHashMap<>();

    static {
        for (RewardType t : RewardType.values()) {
            REWARD_TYPES.put(t.wire(), t);
        }
    }

    private static List<Reward> parseRewards(Obj o, Problems problems, Set<String> tierIds, Set<String> segmentIds) {
        List<Obj> items = o.objects("rewards", false, Program.MAX_REWARDS);
        List<Reward> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (Obj r : items) {
            String id = r.id("id", true);
            if (id != null && !seen.add(id)) {
                problems.add(r.path("id"), "duplicate reward id " + id);
            }
            String name = r.string("name", false, 200);
            String typeName = r.oneOf("type", true, REWARD_TYPES.keySet());
            RewardType type = typeName == null ? null : REWARD_TYPES.get(typeName);
            Status status = Status.of(r.oneOf("status", false, Set.of("active", "disabled")));
            Long cost = r.integer("cost", true, 0, Arith.MAX_POINTS);
            Long value = r.integer("valueMinor", false, 1, Arith.MAX_MINOR);
            Long percent = r.integer("percent", false, 1, 100);
            Long maxDiscount = r.integer("maxDiscountMinor", false, 1, Arith.MAX_MINOR);
            if (type != null) {
                if (type == RewardType.DISCOUNT_PERCENT) {
                    if (!r.has("percent")) {
                        problems.add(r.path("percent"), "is required for discount_percent");
                    }
                    if (r.has("valueMinor")) {
                        problems.add(r.path("valueMinor"), "does not apply to discount_percent (use maxDiscountMinor)");
                    }
                } else {
                    if (r.has("percent") || r.has("maxDiscountMinor")) {
                        problems.add(r.path(r.has("percent") ? "percent" : "maxDiscountMinor"), "applies only to discount_percent");
                    }
                    if (type != RewardType.FREE_SHIPPING && type != RewardType.PRODUCT && !r.has("valueMinor")) {
                        problems.add(r.path("valueMinor"), "is required for " + typeName);
                    }
                }
            }
            Long minOrder = r.integer("minOrderMinor", false, 0, Arith.MAX_MINOR);
            List<String> tiers = r.strings("tiers", false, Program.MAX_TIERS, Obj.ID);
            if (tiers != null) {
                for (int i = 0; i < tiers.size(); i++) {
                    if (!tierIds.contains(tiers.get(i))) {
                        problems.add(r.path("tiers") + "[" + i + "]", "names no tier of this program");
                    }
                }
            }
            Obj w = r.obj("when", false);
            Condition when = SegmentReader.restrict(r, w == null ? null : ConditionReader.read(w), segmentIds);
            RewardLimits limits = null;
            Obj l = r.obj("limits", false);
            if (l != null) {
                limits = new RewardLimits(
                        l.integer("perCustomer", false, 1, Arith.MAX_POINTS),
                        l.integer("totalRedemptions", false, 1, Arith.MAX_POINTS),
                        l.integer("totalDiscountMinor", false, 1, Arith.MAX_MINOR),
                        l.integer("totalOrderMinor", false, 1, Arith.MAX_MINOR));
                l.end();
            }
            Stacking stacking = null;
            Obj s = r.obj("stacking", false);
            if (s != null) {
                String category = s.id("category", false);
                Boolean exclusive = s.bool("exclusive", false);
                if (category == null && !Boolean.TRUE.equals(exclusive) && !s.has("category")) {
                    problems.add(s.path(), "needs a category, exclusive: true, or both");
                }
                stacking = new Stacking(category, Boolean.TRUE.equals(exclusive));
                s.end();
            }
            Instant from = r.instant("activeFrom", false);
            Instant until = r.instant("activeUntil", false);
            if (from != null && until != null && !from.isBefore(until)) {
                problems.add(r.path("activeUntil"), "must be after activeFrom");
            }
            Long codeDays = r.integer("codeValidDays", false, 1, Reward.MAX_CODE_VALID_DAYS);
            r.end();
            out.add(new Reward(id, name, type, status, cost == null ? 0 : cost, value, percent, maxDiscount, minOrder,
                    tiers == null ? List.of() : List.copyOf(tiers), when, limits, stacking, from, until,
                    codeDays == null ? null : codeDays.intValue()));
        }
        return out;
    }

    /** {@code referrals} (issue 12): both parties' points, the qualifying order's minimum, the limit per referrer. */
    private static Program.Referrals parseReferrals(Obj o) {
        Obj r = o.obj("referrals", false);
        if (r == null) {
            return null;
        }
        Long referrer = points(r, "referrer");
        Long referee = points(r, "referee");
        Long min = r.integer("minOrderMinor", false, 0, Arith.MAX_MINOR);
        Long perReferrer = null;
        Obj limits = r.obj("limits", false);
        if (limits != null) {
            perReferrer = limits.integer("perReferrer", true, 1, Program.Referrals.MAX_PER_REFERRER);
            limits.end();
        }
        r.end();
        return referrer == null || referee == null ? null
                : new Program.Referrals(referrer, referee, min == null ? 0 : min, perReferrer);
    }

    private static Long points(Obj referrals, String party) {
        Obj p = referrals.obj(party, true);
        if (p == null) {
            return null;
        }
        Long points = p.integer("points", true, 0, Program.Referrals.MAX_POINTS);
        p.end();
        return points;
    }

    private static Reminders parseReminders(Obj o, Problems problems) {
        Obj r = o.obj("reminders", false);
        if (r == null) {
            return Reminders.NONE;
        }
        Integer daysBefore = null;
        Obj pe = r.obj("pointsExpiring", false);
        if (pe != null) {
            Long d = pe.integer("daysBefore", true, 1, Program.MAX_REMINDER_DAYS);
            daysBefore = d == null ? null : d.intValue();
            pe.end();
        }
        Boolean welcome = r.bool("welcome", false);
        Boolean rewardAvailable = r.bool("rewardAvailable", false);
        Boolean tierUpgraded = r.bool("tierUpgraded", false);
        Boolean tierDowngradeWarning = r.bool("tierDowngradeWarning", false);
        r.end();
        return new Reminders(daysBefore, Boolean.TRUE.equals(welcome), Boolean.TRUE.equals(rewardAvailable),
                Boolean.TRUE.equals(tierUpgraded), Boolean.TRUE.equals(tierDowngradeWarning));
    }

    private static final Pattern EMAIL_ADDRESS = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private static Channel parseChannel(Obj o, Problems problems) {
        Obj c = o.obj("channel", false);
        if (c == null) {
            return null;
        }
        String type = c.oneOf("type", true, Set.of(Channel.WEBHOOK, Channel.EMAIL));
        String url = null;
        String secret = null;
        String from = null;
        if (Channel.WEBHOOK.equals(type)) {
            url = c.string("url", true, 2048);
            if (url != null) {
                try {
                    java.net.URI u = new java.net.URI(url);
                    if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                        problems.add(c.path("url"), "must be an absolute http(s) URL");
                    }
                } catch (java.net.URISyntaxException e) {
                    problems.add(c.path("url"), "must be an absolute http(s) URL");
                }
            }
            secret = c.string("secret", true, 256);
            if (secret != null && secret.length() < 16) {
                problems.add(c.path("secret"), "must be at least 16 characters");
            }
        } else if (Channel.EMAIL.equals(type)) {
            from = c.string("from", true, 254);
            if (from != null && !EMAIL_ADDRESS.matcher(from).matches()) {
                problems.add(c.path("from"), "must be an email address");
            }
        }
        c.end();
        return type == null ? null : new Channel(type, url, secret, from);
    }

    private static List<Tier> parseTiers(Obj o, Problems problems) {
        List<Obj> items = o.objects("tiers", false, Program.MAX_TIERS);
        List<Tier> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        Set<Long> thresholds = new HashSet<>();
        for (Obj t : items) {
            String id = t.id("id", true);
            if (id != null && !seen.add(id)) {
                problems.add(t.path("id"), "duplicate tier id " + id);
            }
            String name = t.string("name", false, 200);
            Long threshold = t.integer("threshold", true, 0, Arith.MAX_POINTS);
            if (threshold != null && !thresholds.add(threshold)) {
                problems.add(t.path("threshold"), "another tier has the same threshold");
            }
            BigDecimal mult = t.decimal("earnMultiplier", false, Program.MIN_MULTIPLIER, Program.MAX_MULTIPLIER, Program.MULTIPLIER_SCALE);
            Long days = t.integer("expiryDays", false, 1, Program.MAX_DAYS);
            t.end();
            out.add(new Tier(id, name, threshold == null ? 0 : threshold, mult, days == null ? null : days.intValue()));
        }
        if (!items.isEmpty() && !thresholds.contains(0L)) {
            problems.add("tiers", "one tier must have threshold 0 (the tier every member starts in)");
        }
        out.sort(Comparator.comparingLong(Tier::threshold));
        return out;
    }
}
