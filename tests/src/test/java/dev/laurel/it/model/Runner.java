package dev.laurel.it.model;

import dev.laurel.local.LocalClock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.it.Api;
import dev.laurel.it.LocalDynamo;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;

/**
 * Runs one sequence against the real handlers (a fresh table, its own tenant, a LocalClock) and
 * the model side by side: every answer and the member's wallet after every step are compared, and
 * the economic invariants checked on what the real system answered. The first difference ends the
 * run as a {@link Failure}.
 */
final class Runner {
    static final String P = "/v1/programs/p";
    /** How far the clock moves after a program change, so that every function's program cache sees it. */
    static final Duration PROGRAM_SETTLES = Duration.ofSeconds(1);

    /** Where and how a run first differed; {@code signature} (step kind and field) is what shrinking keeps. */
    record Failure(int step, String signature, String message) {
    }

    private final Spec spec;
    /** The program as it is now (issue 16: program changes in the sequence). */
    private Spec current;
    /** Where the reminders function sends, by channel: none (the outbox), webhook a, webhook b. */
    private final Map<String, dev.laurel.notify.Outbox> outboxes = new TreeMap<>();
    private final Api api;
    private final Model model;
    private Object jobs;
    private final Map<String, String> redemptionIds = new HashMap<>();
    private final Set<String> customers = new LinkedHashSet<>();
    /** Per customer, from the real answers: earned, spent, restored, refunds due (S4) or clawed (legacy). */
    private final Map<String, long[]> flows = new HashMap<>();
    /** Per reward, from the real answers: redemptions, value and order minor charged and not rolled back. */
    private final Map<String, long[]> budgetSeen = new HashMap<>();
    private final Map<String, Object[]> redeemedSeen = new HashMap<>();
    private final Map<String, long[]> basketSeen = new HashMap<>();

    private Runner(Spec spec, String table) {
        this.spec = spec;
        this.current = spec;
        this.api = new Api(LocalClock.frozenAt(spec.start()), Duration.ofMillis(200), table);
        this.model = new Model(spec, spec.start());
        for (String name : List.of("outbox", "a", "b")) {
            outboxes.put(name, new dev.laurel.notify.Outbox(api.clock));
        }
        this.jobs = newJobs(api, this::channel);
    }

    /** Runs {@code ops} on a table of their own (dropped after); null when real and model agreed throughout. */
    static Failure run(Spec spec, List<Op> ops) {
        String table = LocalDynamo.freshTable();
        try {
            return new Runner(spec, table).go(ops);
        } finally {
            LocalDynamo.get().client().deleteTable(DeleteTableRequest.builder().tableName(table).build());
        }
    }

    private Failure go(List<Op> ops) {
        Api.Reply put = api.admin("PUT", P, spec.json());
        if (put.status() != 201) {
            throw new IllegalStateException("the generated program was refused: " + put + "\n" + spec.json());
        }
        for (int i = 0; i < ops.size(); i++) {
            String failed;
            try {
                failed = step(ops.get(i));
            } catch (RuntimeException e) {
                failed = kind(ops.get(i)) + ":exception|" + e;
            }
            if (failed != null) {
                int bar = failed.indexOf('|');
                return new Failure(i, failed.substring(0, bar), "step " + i + " " + ops.get(i) + ": " + failed.substring(bar + 1));
            }
        }
        for (String c : customers) {
            String f = Compare.answer("end", api.shop("GET", P + "/customers/" + c, null), model.wallet(c, now()));
            f = f != null ? f : compareLedger(c);
            if (f != null) {
                int bar = f.indexOf('|');
                return new Failure(ops.size(), f.substring(0, bar), "after the last step: " + f.substring(bar + 1));
            }
        }
        return null;
    }

    static String kind(Op op) {
        return op.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private Instant now() {
        return api.clock.instant();
    }

    /** Applies one step to both; a mismatch as "signature|message", or null. */
    private String step(Op op) {
        String k = kind(op);
        String f = null;
        String who = null;
        if (op instanceof Op.Upsert o) {
            who = o.c();
            String body = "{\"email\": \"" + o.c() + "@example.com\", \"attributes\": {\"country\": \"" + o.country()
                    + "\"}, \"consent\": {\"marketing\": " + o.consent() + "}}";
            Api.Reply r = api.shop("PUT", P + "/customers/" + o.c(), body);
            Expect e = model.upsert(o, now());
            f = Compare.answer(k, r, e);
            if (f == null && r.status() == 201) {
                flow(o.c())[0] += r.body().path("signupPoints").asLong();
            }
        } else if (op instanceof Op.Refer o) {
            who = o.c();
            Api.Reply w = api.shop("GET", P + "/customers/" + o.referrer(), null);
            String code = w.status() == 200 ? w.body().path("referral").path("code").asText() : "NOSUCHCODE";
            Api.Reply r = api.shop("PUT", P + "/customers/" + o.c(), "{\"referredBy\": \"" + code + "\"}");
            Expect e = model.refer(o, now());
            f = Compare.answer(k, r, e);
            if (f == null && r.status() == 201) {
                flow(o.c())[0] += r.body().path("signupPoints").asLong();
            }
        } else if (op instanceof Op.Earn o) {
            who = o.c();
            String body = "{\"customerId\": \"" + o.c() + "\", \"event\": {\"type\": \"order.paid\", \"id\": \"" + o.order()
                    + "\", \"occurredAt\": \"" + o.at() + "\", \"order\": {\"totalMinor\": " + o.total() + ", \"currency\": \""
                    + o.currency() + "\"}}}";
            f = earned(k, o.c(), api.shop("POST", P + "/earn", body),
                    model.earn(o.c(), "order.paid", o.order(), o.at(), o.total(), o.currency(), now()));
        } else if (op instanceof Op.Custom o) {
            who = o.c();
            f = earned(k, o.c(), api.shop("POST", P + "/earn", custom(o.c(), o.type(), o.id(), o.at())),
                    model.earn(o.c(), o.type(), o.id(), o.at(), null, "EUR", now()));
        } else if (op instanceof Op.Likes o) {
            who = o.c();
            f = null;
            String at = now().toString();
            for (int i = 0; i < o.n() && f == null; i++) {
                f = earned(k, o.c(), api.shop("POST", P + "/earn", custom(o.c(), "social.liked", o.id() + "-" + i, at)),
                        model.earn(o.c(), "social.liked", o.id() + "-" + i, at, null, "EUR", now()));
            }
        } else if (op instanceof Op.Validate o) {
            String body = "{\"customerId\": \"" + o.c() + "\"" + order(o.total(), o.shipping(), o.basket(), current.currency())
                    + (o.rewards() == null ? "" : ", \"rewards\": [\"" + o.rewards().replace(",", "\", \"") + "\"]") + "}";
            f = Compare.answer(k, api.shop("POST", P + "/validate", body), model.rewards.validate(o, now()));
        } else if (op instanceof Op.Redeem o) {
            who = o.c();
            String body = "{\"customerId\": \"" + o.c() + "\", \"rewardId\": \"" + o.reward() + "\""
                    + order(o.total(), o.shipping(), o.basket(), o.currency()) + "}";
            Api.Reply r = api.shop("POST", P + "/redeem", body, Map.of("Idempotency-Key", o.key()));
            f = Compare.answer(k, r, model.rewards.redeem(o, now()));
            if (r.status() == 201 && !replayed(r)) {
                redemptionIds.put(o.handle(), r.body().path("redemptionId").asText());
                f = f != null ? f : redeemed(o, r);
            }
        } else if (op instanceof Op.Donate o) {
            who = o.c();
            Api.Reply r = api.shop("POST", P + "/donations", "{\"customerId\": \"" + o.c() + "\", \"charityId\": \"" + o.charity()
                    + "\", \"points\": " + o.points() + "}", Map.of("Idempotency-Key", o.key()));
            f = Compare.answer(k, r, model.rewards.donate(o, now()));
        } else if (op instanceof Op.Rollback o) {
            String id = redemptionIds.getOrDefault(o.handle(), "unknown-" + o.handle());
            Api.Reply r = api.shop("POST", P + "/redemptions/" + id + "/rollback", null,
                    o.key() == null ? Map.of() : Map.of("Idempotency-Key", o.key()));
            f = Compare.answer(k, r, model.rewards.rollback(o, now()));
            Object[] red = redeemedSeen.get(o.handle());
            if (r.status() == 200 && !replayed(r) && red != null) {
                who = (String) red[0];
                f = f != null ? f : rolledBack(red);
            }
        } else if (op instanceof Op.Refund o) {
            who = o.c();
            Api.Reply r = api.shop("POST", P + "/refunds", "{\"customerId\": \"" + o.c() + "\", \"orderId\": \"" + o.order()
                    + "\", \"amountMinor\": " + o.amount() + "}");
            f = Compare.answer(k, r, model.rewards.refund(o, now()));
            if (r.status() == 200) {
                long due = r.body().path("pointsClawedBack").asLong()
                        + (Semantics.DEBT.on() ? r.body().path("uncollectedPoints").asLong() : 0);
                flow(o.c())[3] += due;
            }
        } else if (op instanceof Op.Confirm o) {
            who = model.members.containsKey(o.c()) && model.members.get(o.c()).member ? o.c() : null;
            List<String> tokens = new ArrayList<>();
            api.consentOutbox.all().forEach(x -> {
                if (x.notification().customerId().equals(o.c()) && x.notification().type().equals("consent_confirmation")) {
                    tokens.add(x.notification().payload().path("token").asText());
                }
            });
            int n = tokens.size() - 1 - o.back();
            String token = n >= 0 ? tokens.get(n) : "forged" + "A".repeat(37);
            long lifetime = who == null ? 0 : model.members.get(o.c()).lifetime;
            Api.Reply r = api.call("POST", "/v1/consent/confirm", "{\"token\": \"" + token + "\"}", null, Map.of());
            f = Compare.answer(k, r, model.confirm(o, now()));
            if (f == null && r.status() == 200) {
                // the bonus (the answer does not say it; the wallet, compared next, says the same as the model)
                flow(o.c())[0] += model.members.get(o.c()).lifetime - lifetime;
            }
        } else if (op instanceof Op.Clock o) {
            api.clock.set(o.to());
            f = null;
        } else if (op instanceof Op.Expiry o) {
            f = job("expiry");
            model.expiryRun(now());
        } else if (op instanceof Op.Reminders o) {
            f = reminders();
        } else if (op instanceof Op.Program o) {
            Spec next = current.with(o);
            Api.Reply r = api.admin("PUT", P, next.json());
            if (r.status() != 200) {
                throw new IllegalStateException("the program change was refused: " + r + "\n" + next.json());
            }
            current = next;
            model.program(o);
            api.clock.advance(PROGRAM_SETTLES);
            // a function container re-reads the program within its cache's re-check (seconds of wall time, by design);
            // a new container stands for "after that": the scheduled functions see the new version
            jobs = newJobs(api, this::channel);
        } else if (op instanceof Op.Wallet o) {
            f = Compare.answer(k, api.shop("GET", P + "/customers/" + o.c(), null), model.wallet(o.c(), now()));
        } else if (op instanceof Op.Ledger o) {
            f = compareLedger(o.c());
        } else {
            throw new IllegalArgumentException(String.valueOf(op));
        }
        if (f != null) {
            return f;
        }
        if (who != null) {
            customers.add(who);
        }
        boolean everyone = op instanceof Op.Clock || op instanceof Op.Expiry || op instanceof Op.Rollback;
        for (String c : everyone ? customers : who == null ? Set.<String>of() : Set.of(who)) {
            Api.Reply w = api.shop("GET", P + "/customers/" + c, null);
            f = Compare.answer("wallet-after-" + k, w, model.wallet(c, now()));
            f = f != null ? f : held(c, w);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String custom(String c, String type, String id, String at) {
        return "{\"customerId\": \"" + c + "\", \"event\": {\"type\": \"" + type + "\", \"id\": \"" + id
                + "\", \"occurredAt\": \"" + at + "\"}}";
    }

    private static String order(Long total, long shipping, String basket, String currency) {
        if (total == null) {
            return "";
        }
        return ", \"order\": {" + (basket == null ? "" : "\"id\": \"" + basket + "\", ") + "\"totalMinor\": " + total
                + ", \"currency\": \"" + currency + "\", \"shippingMinor\": " + shipping + "}";
    }

    private dev.laurel.notify.Channel channel(dev.laurel.domain.Program program) {
        return outboxes.get(program.channel() == null ? "outbox" : program.channel().url().equals(Spec.channelUrl("a")) ? "a" : "b");
    }

    /** A reminders run: what it sent through each channel must be what the model says it must send. */
    private String reminders() {
        Map<String, Integer> sizes = new HashMap<>();
        outboxes.forEach((name, box) -> sizes.put(name, box.all().size()));
        String f = job("reminders");
        List<String> expected = model.reminders.run(now());
        if (f != null) {
            return f;
        }
        List<String> actual = new ArrayList<>();
        outboxes.forEach((name, box) -> box.all().subList(sizes.get(name), box.all().size()).forEach(s -> {
            var n = s.notification();
            actual.add(n.customerId() + "|" + n.id() + "|" + name
                    + (n.type().equals("points_expiring") ? "|" + n.payload().path("points").asLong() : ""));
        }));
        actual.sort(null);
        return actual.equals(expected) ? null
                : "reminders:sent|the run sent " + actual + ", the model says it must send " + expected;
    }

    private static boolean replayed(Api.Reply r) {
        return "true".equals(r.headers().get("idempotent-replayed"));
    }

    private long[] flow(String c) {
        return flows.computeIfAbsent(c, x -> new long[4]);
    }

    private String earned(String k, String c, Api.Reply r, Expect e) {
        String f = Compare.answer(k, r, e);
        if (f == null && r.status() == 200 && !replayed(r)) {
            flow(c)[0] += r.body().path("pointsEarned").asLong() + r.body().path("enrolled").path("signupPoints").asLong();
            long referral = r.body().path("referral").path("points").asLong();
            if (referral > 0) {
                // issue 12: the award gave the referee this, and their referrer (whom the answer does not name) theirs
                flow(c)[0] += referral;
                flow(model.members.get(c).referrer)[0] += Model.REFERRER_POINTS;
            }
        }
        return f;
    }

    /** Invariant: a budget's used never passes its limit; an order's discounts never pass its total. */
    private String redeemed(Op.Redeem o, Api.Reply r) {
        Spec.Reward rw = current.reward(o.reward());
        long value = rw.discountType() ? r.body().path("discountMinor").asLong() : r.body().path("valueMinor").asLong();
        long orderMinor = o.total() == null ? 0 : o.total();
        long discount = r.body().path("discountMinor").asLong();
        redeemedSeen.put(o.handle(), new Object[] {o.c(), rw, value, orderMinor, o.basket(), discount});
        flow(o.c())[1] += rw.cost();
        // the old main let a first use pass any limit (defect 1): checked with the agreed semantics only
        boolean checked = Semantics.BUDGET_FIRST_USE.on();
        if (rw.budgeted()) {
            long[] b = budgetSeen.computeIfAbsent(rw.id(), x -> new long[3]);
            b[0]++;
            b[1] += value;
            b[2] += orderMinor;
            boolean over = (rw.totalRedemptions() != null && b[0] > rw.totalRedemptions())
                    || (rw.totalDiscountMinor() != null && b[1] > rw.totalDiscountMinor())
                    || (rw.totalOrderMinor() != null && b[2] > rw.totalOrderMinor());
            if (checked && over) {
                return "invariant:budget|reward " + rw.id() + " budget used " + java.util.Arrays.toString(b) + " passed its limits "
                        + rw.totalRedemptions() + "/" + rw.totalDiscountMinor() + "/" + rw.totalOrderMinor();
            }
        }
        if (o.basket() != null && o.total() != null) {
            long[] s = basketSeen.computeIfAbsent(o.basket(), x -> new long[1]);
            s[0] += discount;
            if (checked && s[0] > o.total()) {
                return "invariant:order-discount|discounts on order " + o.basket() + " add up to " + s[0] + " > its total " + o.total();
            }
        }
        return null;
    }

    private String rolledBack(Object[] red) {
        Spec.Reward rw = (Spec.Reward) red[1];
        flow((String) red[0])[2] += rw.cost();
        if (rw.budgeted()) {
            long[] b = budgetSeen.get(rw.id());
            b[0]--;
            b[1] -= (Long) red[2];
            b[2] -= (Long) red[3];
        }
        if (red[4] != null) {
            basketSeen.get((String) red[4])[0] -= (Long) red[5];
        }
        return null;
    }

    /** Invariant: what a member holds (less what they owe) never passes earned - spent + restored - refunds due. */
    private String held(String c, Api.Reply wallet) {
        if (wallet.status() != 200) {
            return null;
        }
        JsonNode b = wallet.body().path("balance");
        long held = b.path("available").asLong() + b.path("pending").asLong() - b.path("owed").asLong(0);
        long[] f = flow(c);
        long bound = f[0] - f[1] + f[2] - f[3];
        return held <= bound ? null : "invariant:points|" + c + " holds " + held + " (net of owed) but earned " + f[0]
                + ", spent " + f[1] + ", got back " + f[2] + ", refunds took " + f[3] + ": at most " + bound;
    }

    private String compareLedger(String c) {
        Expect e = model.ledger(c);
        TreeMap<String, Long> sums = new TreeMap<>();
        String cursor = null;
        Api.Reply r;
        do {
            r = api.shop("GET", P + "/customers/" + c + "/ledger?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), null);
            if (r.status() != 200) {
                return Compare.answer("ledger", r, e);
            }
            for (JsonNode n : r.body().path("entries")) {
                sums.merge(n.path("type").asText(), n.path("points").asLong(), Long::sum);
            }
            cursor = r.body().path("cursor").asText(null);
        } while (cursor != null);
        List<String> parts = new ArrayList<>();
        sums.forEach((t, s) -> {
            if (s != 0) {
                parts.add(t + ":" + s);
            }
        });
        String actual = String.join(",", parts);
        String expected = e.fields.get("ledger");
        return actual.equals(expected) ? null
                : "ledger:sums|ledger of " + c + " sums by type to " + actual + ", model " + expected;
    }

    // ------------------------------------------------------------------ the scheduled functions, through the tests' Jobs helper

    /** The tests' Jobs helper is package-private in dev.laurel.it; its methods are used as they are. */
    private static Object newJobs(Api api, dev.laurel.app.Channels channels) {
        try {
            Constructor<?> c = Class.forName("dev.laurel.it.Jobs").getDeclaredConstructor(Api.class, dev.laurel.app.Channels.class);
            c.setAccessible(true);
            return c.newInstance(api, channels);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private String job(String name) {
        try {
            Method m = jobs.getClass().getDeclaredMethod(name);
            m.setAccessible(true);
            Object answers = m.invoke(jobs);
            List<?> all = (List<?>) answers;
            JsonNode last = (JsonNode) all.get(all.size() - 1);
            return last.has("complete") && !last.path("complete").asBoolean()
                    ? name + ":incomplete|the run did not complete: " + all : null;
        } catch (InvocationTargetException e) {
            return name + ":exception|the run failed: " + e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
