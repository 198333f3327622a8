package dev.laurel.it.model;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded random sequence of steps for one program. It runs its own {@link Model} while it
 * generates, so that clock jumps land on lots' expiry and release instants, refunds name orders
 * that exist, and rollbacks name redemptions. Inputs whose old outcome was a crash are generated
 * only when the semantics that fixed them is on (see {@link Semantics}).
 */
final class Gen {
    private static final long[] TOTALS = {0, 50, 99, 100, 1999, 2000, 2500, 4999, 12999, 50000, 150000};
    private static final long[] SHIPPING = {0, 495, 1500, 6000};
    private static final String[] CUSTOMERS = {"c1", "c1", "c2", "c2", "c3"};
    /** Daylight-saving changes (UTC) in Berlin and Los Angeles, 2026 and 2027. */
    private static final String[] DST = {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-03-08T10:00:00Z",
        "2026-11-01T09:00:00Z", "2027-03-28T01:00:00Z", "2027-10-31T01:00:00Z", "2027-03-14T10:00:00Z", "2027-11-07T09:00:00Z"};

    private final Spec spec;
    private final Random r;
    private final Model model;
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Long> baskets = new HashMap<>();
    private Instant now;
    private int n;
    private final int maxBurst;

    private Gen(Spec spec, long seed, int maxBurst) {
        this.spec = spec;
        this.r = new Random(seed * 31 + 7);
        this.model = new Model(spec, spec.start());
        this.now = spec.start();
        this.maxBurst = Semantics.BOUNDED_LOTS.on() ? maxBurst : Math.min(maxBurst, 10);
    }

    static List<Op> generate(Spec spec, long seed, int count, int maxBurst) {
        Gen g = new Gen(spec, seed, maxBurst);
        while (g.ops.size() < count) {
            g.add(g.next());
        }
        return g.ops;
    }

    private void add(Op op) {
        if (op == null) {
            return;
        }
        ops.add(op);
        apply(model, op, now);
        if (op instanceof Op.Clock c) {
            now = c.to();
        } else if (op instanceof Op.Program) {
            now = now.plus(Runner.PROGRAM_SETTLES);
        }
    }

    /** The currency an order is sent in: the program's now, sometimes the other one (400, unless a replay). */
    private String currency() {
        String now = model.spec.currency();
        return r.nextInt(12) == 0 ? (now.equals("EUR") ? "USD" : "EUR") : now;
    }

    /** Issue 16: a new version of the program, one thing changed from the current one. */
    private Op.Program change() {
        Op.Program p = model.spec.asChange();
        List<Spec.Reward> all = model.spec.rewards();
        String reward = all.get(r.nextInt(all.size())).id();
        String[] zones = {"UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"};
        String[] channels = {null, "a", "b"};
        return switch (r.nextInt(8)) {
            case 0 -> Op.program(p.currency().equals("EUR") ? "USD" : "EUR", p.zone(), p.removed(), p.repriced(), p.welcome(),
                    p.rewardAvailable(), p.tierUpgraded(), p.channel());
            case 1 -> Op.program(p.currency(), zones[r.nextInt(zones.length)], p.removed(), p.repriced(), p.welcome(),
                    p.rewardAvailable(), p.tierUpgraded(), p.channel());
            case 2 -> Op.program(p.currency(), p.zone(), p.removed() == null ? reward : null, p.repriced(), p.welcome(),
                    p.rewardAvailable(), p.tierUpgraded(), p.channel());
            case 3 -> Op.program(p.currency(), p.zone(), p.removed(), p.repriced() == null ? reward : null, p.welcome(),
                    p.rewardAvailable(), p.tierUpgraded(), p.channel());
            case 4 -> Op.program(p.currency(), p.zone(), p.removed(), p.repriced(), !p.welcome(), p.rewardAvailable(),
                    p.tierUpgraded(), p.channel());
            case 5 -> Op.program(p.currency(), p.zone(), p.removed(), p.repriced(), p.welcome(), !p.rewardAvailable(),
                    p.tierUpgraded(), p.channel());
            case 6 -> Op.program(p.currency(), p.zone(), p.removed(), p.repriced(), p.welcome(), p.rewardAvailable(),
                    !p.tierUpgraded(), p.channel());
            default -> Op.program(p.currency(), p.zone(), p.removed(), p.repriced(), p.welcome(), p.rewardAvailable(),
                    p.tierUpgraded(), channels[r.nextInt(channels.length)]);
        };
    }

    private String customer() {
        return CUSTOMERS[r.nextInt(CUSTOMERS.length)];
    }

    private String id(String prefix) {
        return prefix + (n++);
    }

    private Op next() {
        int x = r.nextInt(100);
        if (x < 3) {
            return change();
        } else if (x < 7) {
            return Op.reminders();
        } else if (model.spec.growth() != null && x < 17) {
            return growth();
        }
        int w = r.nextInt(100);
        String c = customer();
        if (w < 5) {
            return r.nextInt(3) == 0 ? Op.refer(c, customer()) : Op.upsert(c, r.nextBoolean() ? "DE" : "FR", r.nextInt(4) > 0);
        } else if (w < 27) {
            return Op.earn(c, id("o"), TOTALS[r.nextInt(TOTALS.length)], occurredAt(), currency());
        } else if (w < 29) {
            List<Op.Earn> earns = ops.stream().filter(o -> o instanceof Op.Earn).map(o -> (Op.Earn) o).toList();
            if (earns.isEmpty()) {
                return null;
            }
            Op.Earn e = earns.get(r.nextInt(earns.size()));
            return r.nextInt(4) > 0 ? e : Op.earn(e.c(), e.order(), e.total() + 1, e.at(), e.currency()); // a replay, or the key reused
        } else if (w < 36) {
            String[] types = {"social.liked", "social.liked", "review.written", "unknown.kind"};
            return Op.custom(c, types[r.nextInt(types.length)], id("e"), occurredAt());
        } else if (w < 38) {
            Model.Member m = model.members.get(c);
            if (!Semantics.BOUNDED_LOTS.on() && m != null && m.lots.size() > 60) {
                return null; // the old main could not spend or expire hundreds of lots (issue 9 defect 6)
            }
            return Op.likes(c, id("l"), 2 + r.nextInt(Math.max(1, maxBurst - 1)));
        } else if (w < 46) {
            return validate(r.nextInt(15) == 0 ? "c9" : c);
        } else if (w < 61) {
            return redeem(c);
        } else if (w < 64) {
            return donate(c);
        } else if (w < 66) {
            List<Op.Redeem> rs = ops.stream().filter(o -> o instanceof Op.Redeem).map(o -> (Op.Redeem) o).toList();
            return rs.isEmpty() ? null : rs.get(r.nextInt(rs.size()));
        } else if (w < 73) {
            List<Op.Redeem> rs = ops.stream().filter(o -> o instanceof Op.Redeem).map(o -> (Op.Redeem) o).toList();
            if (rs.isEmpty()) {
                return null;
            }
            String handle = rs.get(r.nextInt(rs.size())).handle();
            String key = r.nextBoolean() ? null : id("rb");
            Op.Rollback rb = Op.rollback(handle, key);
            if (r.nextInt(4) == 0) {
                add(rb); // twice: a replay with the same key, or already_rolled_back
            }
            return rb;
        } else if (w < 82) {
            return refund(c);
        } else if (w < 91) {
            return clock();
        } else if (w < 95) {
            return Op.expiry();
        } else if (w < 96) {
            return Op.reminders();
        } else if (w < 98) {
            return Op.wallet(r.nextInt(8) == 0 ? "c9" : c);
        } else {
            return Op.ledger(c);
        }
    }

    /** Issue 12: confirmations (mostly of the last token sent, now and then of an older one), consent given or withdrawn, window ends. */
    private Op growth() {
        String c = customer();
        int w = r.nextInt(10);
        if (w < 4) {
            return Op.confirm(c, r.nextInt(5) == 0 ? 1 : 0);
        } else if (w < 7) {
            return Op.upsert(c, r.nextBoolean() ? "DE" : "FR", r.nextInt(4) > 0);
        } else if (w < 9 && model.spec.tiers() && model.spec.growth().windowed()) {
            // onto the end of the current month or year (a tier review is due), just before, at, or just after
            ZoneId z = model.spec.zoneId();
            java.time.YearMonth m = java.time.YearMonth.from(now.atZone(z));
            java.time.YearMonth next = model.spec.growth().window().equals("calendar_year") && r.nextBoolean()
                    ? java.time.YearMonth.of(m.getYear() + 1, 1) : m.plusMonths(1);
            Instant to = next.atDay(1).atStartOfDay(z).toInstant().plusSeconds(r.nextInt(3) - 1);
            if (!to.isAfter(now)) {
                return null;
            }
            add(Op.clock(to.toString()));
            return r.nextBoolean() ? Op.expiry() : Op.wallet(c);
        }
        return Op.expiry();
    }

    private String occurredAt() {
        ZoneId z = spec.zoneId();
        Instant startOfToday = now.atZone(z).toLocalDate().atStartOfDay(z).toInstant();
        int w = r.nextInt(100);
        Instant at;
        if (w < 45) {
            at = now;
        } else if (w < 55) {
            at = now.minus(Duration.ofMinutes(1 + r.nextInt(600)));
        } else if (w < 65) {
            at = now.minus(Duration.ofDays(1 + r.nextInt(40))).minusSeconds(r.nextInt(86_400));
        } else if (w < 70) {
            at = startOfToday;
        } else if (w < 75) {
            at = startOfToday.minusMillis(1);
        } else if (w < 82) {
            Instant dst = Instant.parse(DST[r.nextInt(DST.length)]).plusSeconds(r.nextInt(7201) - 3600);
            at = dst.isAfter(now) ? now : dst;
        } else if (w < 87) {
            at = now.minus(Duration.ofDays(300 + r.nextInt(65)));
        } else if (w < 91) {
            at = now.plus(Duration.ofMinutes(1 + r.nextInt(4)));
        } else if (w < 93) {
            at = now.plus(Duration.ofMinutes(6)); // too far in the future: 400
        } else if (w < 97) {
            at = now.minus(Duration.ofDays(366 + r.nextInt(200))); // before the backdating window (S2)
        } else if (Semantics.TIME_BOUND.on()) {
            return r.nextBoolean() ? "-300000000-01-01T00:00:00Z" : Instant.MIN.toString(); // crashed the old main (defect 2)
        } else {
            at = now;
        }
        return at.toString();
    }

    private Op validate(String c) {
        Long total = r.nextInt(5) == 0 ? null : TOTALS[r.nextInt(TOTALS.length)];
        String basket = total != null && r.nextBoolean() ? "b" + r.nextInt(3) : null;
        if (basket != null) {
            total = baskets.computeIfAbsent(basket, b -> 2000L + 500L * r.nextInt(20));
        }
        // shipping stays small on validate: the discount-total check on validate is not part of this contract
        long shipping = total != null && total >= 1000 && r.nextBoolean() ? 495 : 0;
        String rewards = null;
        if (r.nextInt(5) > 1) {
            List<Spec.Reward> all = model.spec.rewards();
            List<String> ids = new ArrayList<>();
            for (int i = 0, k = 1 + r.nextInt(3); i < k; i++) {
                String id = all.get(r.nextInt(all.size())).id();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            rewards = String.join(",", ids);
        }
        return Op.validate(c, total, shipping, basket, rewards);
    }

    /** A donation: mostly to a charity of the program, some of more points than held; now and then a key used before. */
    private Op donate(String c) {
        List<Op.Donate> ds = ops.stream().filter(o -> o instanceof Op.Donate).map(o -> (Op.Donate) o).toList();
        if (!ds.isEmpty() && r.nextInt(5) == 0) {
            Op.Donate d = ds.get(r.nextInt(ds.size()));
            return r.nextBoolean() ? d : Op.donate(d.c(), d.charity(), d.points() + 1, d.key()); // a replay, or the key reused
        }
        String[] charities = {"trees", "trees", "sea", "nope"};
        long[] points = {1, 5, 20, 60, 250};
        return Op.donate(r.nextInt(10) == 0 ? "c9" : c, charities[r.nextInt(charities.length)], points[r.nextInt(points.length)],
                id("d"));
    }

    private Op redeem(String c) {
        List<Spec.Reward> all = new ArrayList<>(model.spec.rewards());
        if (!model.spec.equals(spec)) {
            all.addAll(spec.rewards()); // now and then a reward the program no longer has
        }
        Spec.Reward rw = all.get(r.nextInt(all.size()));
        Long total = null;
        String basket = null;
        if (rw.needsOrder() ? r.nextInt(20) > 0 : r.nextBoolean()) {
            if (r.nextInt(5) < 3) {
                basket = "b" + r.nextInt(3);
                total = baskets.computeIfAbsent(basket, b -> 2000L + 500L * r.nextInt(20));
            } else {
                total = TOTALS[r.nextInt(TOTALS.length)];
            }
        }
        return Op.redeem(c, rw.id(), id("r"), id("k"), total, SHIPPING[r.nextInt(SHIPPING.length)], basket, currency());
    }

    private Op refund(String c) {
        List<String> orders = new ArrayList<>();
        model.rewards.orders.keySet().stream().filter(k -> k.startsWith(c + "|")).sorted().forEach(k -> orders.add(k.substring(c.length() + 1)));
        if (orders.isEmpty() || r.nextInt(15) == 0) {
            return Op.refund(c, "o-none", 100);
        }
        String order = orders.get(r.nextInt(orders.size()));
        ModelRewards.OrderRec o = model.rewards.orders.get(c + "|" + order);
        long left = o.total - o.refunded;
        int w = r.nextInt(10);
        long amount = w < 4 ? left : w < 6 ? Math.max(1, left / 2) : w < 7 ? 1 : w < 9 ? 1 + (long) r.nextInt((int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, left))) : left + 1;
        return Op.refund(c, order, Math.max(1, amount));
    }

    private Op clock() {
        ZoneId z = spec.zoneId();
        int w = r.nextInt(100);
        Instant to;
        if (w < 15) {
            to = now.plus(Duration.ofMinutes(1 + r.nextInt(59)));
        } else if (w < 30) {
            to = now.plus(Duration.ofHours(1 + r.nextInt(23)));
        } else if (w < 45) {
            to = now.plus(Duration.ofDays(1 + r.nextInt(9))).plusSeconds(r.nextInt(3600));
        } else if (w < 55) {
            to = now.plus(Duration.ofDays(20 + r.nextInt(80)));
        } else if (w < 65) {
            LocalDate tomorrow = now.atZone(z).toLocalDate().plusDays(1);
            to = tomorrow.atStartOfDay(z).toInstant().plusSeconds(r.nextInt(3) - 1);
        } else {
            // onto an instant the lots care about: an expiry or a release, just before, at, or just after
            List<Instant> marks = new ArrayList<>();
            for (Model.Member m : model.members.values()) {
                for (Model.Lot l : m.lots) {
                    if (l.expiresAt != null && l.expiresAt.isAfter(now)) {
                        marks.add(l.expiresAt);
                    }
                    if (l.pendingUntil != null && l.pendingUntil.isAfter(now)) {
                        marks.add(l.pendingUntil);
                    }
                }
            }
            if (marks.isEmpty()) {
                to = now.plus(Duration.ofDays(1 + r.nextInt(30)));
            } else {
                to = marks.get(r.nextInt(marks.size())).plusSeconds(r.nextInt(3) - 1);
            }
        }
        return to.isAfter(now) ? Op.clock(to.toString()) : null;
    }

    /** What a step does to a model, answers ignored (the generator's own model keeps pace with the sequence). */
    static void apply(Model m, Op op, Instant now) {
        if (op instanceof Op.Upsert o) {
            m.upsert(o, now);
        } else if (op instanceof Op.Refer o) {
            m.refer(o, now);
        } else if (op instanceof Op.Earn o) {
            m.earn(o.c(), "order.paid", o.order(), o.at(), o.total(), o.currency(), now);
        } else if (op instanceof Op.Custom o) {
            m.earn(o.c(), o.type(), o.id(), o.at(), null, "EUR", now);
        } else if (op instanceof Op.Likes o) {
            for (int i = 0; i < o.n(); i++) {
                m.earn(o.c(), "social.liked", o.id() + "-" + i, now.toString(), null, "EUR", now);
            }
        } else if (op instanceof Op.Program o) {
            m.program(o);
        } else if (op instanceof Op.Reminders) {
            m.reminders.run(now);
        } else if (op instanceof Op.Validate o) {
            m.rewards.validate(o, now);
        } else if (op instanceof Op.Redeem o) {
            m.rewards.redeem(o, now);
        } else if (op instanceof Op.Donate o) {
            m.rewards.donate(o, now);
        } else if (op instanceof Op.Rollback o) {
            m.rewards.rollback(o, now);
        } else if (op instanceof Op.Refund o) {
            m.rewards.refund(o, now);
        } else if (op instanceof Op.Expiry) {
            m.expiryRun(now);
        } else if (op instanceof Op.Confirm o) {
            m.confirm(o, now);
        }
    }
}
