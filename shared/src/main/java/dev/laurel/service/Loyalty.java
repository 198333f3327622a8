package dev.laurel.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.ApiException;
import dev.laurel.domain.Arith;
import dev.laurel.domain.Backdating;
import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Debt;
import dev.laurel.domain.Due;
import dev.laurel.domain.Expiry;
import dev.laurel.domain.Triggers;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.ErrorCode;
import dev.laurel.domain.Event;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Program.Tier;
import dev.laurel.domain.Spending;
import dev.laurel.http.Request;
import dev.laurel.http.Response;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import dev.laurel.store.Backoff;
import dev.laurel.store.Commit;
import dev.laurel.store.DynamoStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Earned;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.Records.Idempotency;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Laurel's operations: each reads once, decides with the pure domain, and writes once in a
 * transaction. A write that finds the state changed since the read decides again (bounded, with
 * jittered backoff); an idempotency hit answers the first result.
 */
public final class Loyalty {
    /** How far in the future an event's {@code occurredAt} may lie (API.md). */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    public static final int MAX_ATTRIBUTES = 50;
    /** A customer's attributes, all together, in JSON characters: they live in the profile item with the lots. */
    public static final int MAX_ATTRIBUTES_CHARS = 16_384;
    static final int MAX_ATTRIBUTE_DEPTH = 16;
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    private final DynamoStore store;
    private final Programs programs;
    private final Clock clock;

    public Loyalty(DynamoStore store, Clock clock, Duration programRecheck) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.programs = new Programs(store, programRecheck);
    }

    /** The real thing for a Lambda container: DynamoDB from the environment, the system clock. */
    public static Loyalty fromEnvironment() {
        return new Loyalty(DynamoStore.fromEnvironment(), Clock.systemUTC(), Programs.DEFAULT_RECHECK);
    }

    public DynamoStore store() {
        return store;
    }

    // ================================================================ programs (admin)

    public Response putProgram(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        Long ifMatch = null;
        String etag = req.header("If-Match");
        if (etag != null) {
            String v = etag.trim().replace("\"", "");
            if (v.startsWith("W/")) {
                v = v.substring(2).replace("\"", "");
            }
            try {
                ifMatch = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("If-Match", "must be a program version number");
            }
        }
        JsonNode body = req.json();
        keepStoredSecret(req.tenant(), programId, body);
        Program.parse(programId, 0, body);
        long version = store.saveProgram(req.tenant(), programId, Json.write(body), ifMatch, clock.instant());
        programs.forget(req.tenant(), programId);
        ObjectNode out = Json.object().put("programId", programId).put("version", version);
        return Response.raw(version == 1 ? 201 : 200, Json.write(out), Map.of("ETag", "\"" + version + "\""));
    }

    public Response getProgram(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        Records.StoredProgram p = store.program(req.tenant(), programId)
                .orElseThrow(() -> ApiException.notFound("program " + programId));
        ObjectNode out = Json.object().put("programId", programId).put("version", p.version())
                .put("createdAt", (p.createdAt() == null ? Backdating.LEGACY_CREATED_AT : p.createdAt()).toString());
        out.setAll((ObjectNode) Json.read(p.definition()));
        JsonNode channel = out.get("channel");
        if (channel instanceof ObjectNode c && c.has("secret")) {
            c.remove("secret");
            c.put("secretSet", true); // write-only: never answered
        }
        return Response.raw(200, Json.write(out), Map.of("ETag", "\"" + p.version() + "\""));
    }

    /**
     * A webhook's secret is write-only: a PUT that omits it keeps the stored one while the
     * channel's url is unchanged. Otherwise the definition is left as sent (a webhook without a
     * secret then answers 400 naming {@code channel.secret}).
     */
    private void keepStoredSecret(String tenant, String programId, JsonNode body) {
        if (!(body.get("channel") instanceof ObjectNode channel) || channel.has("secret")
                || !Program.Channel.WEBHOOK.equals(channel.path("type").asText(null)) || !channel.path("url").isTextual()) {
            return;
        }
        store.program(tenant, programId).ifPresent(stored -> {
            JsonNode was = Json.read(stored.definition()).path("channel");
            if (Program.Channel.WEBHOOK.equals(was.path("type").asText(null)) && was.path("url").equals(channel.get("url"))
                    && was.path("secret").isTextual()) {
                channel.set("secret", was.get("secret"));
            }
        });
    }

    /** The kill switch: sets an earning rule's or reward's status (lands everywhere within the re-check time). */
    public Response setStatus(Request req, String collection, String idParam) {
        req.requireAdmin();
        String programId = req.id("programId");
        String itemId = req.id(idParam);
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String status = o.oneOf("status", true, Set.of("active", "disabled"));
        o.end();
        problems.throwIfAny();
        for (int attempt = 1; ; attempt++) {
            Records.StoredProgram p = store.program(req.tenant(), programId)
                    .orElseThrow(() -> ApiException.notFound("program " + programId));
            ObjectNode def = (ObjectNode) Json.read(p.definition());
            ObjectNode target = null;
            for (JsonNode n : def.path(collection)) {
                if (itemId.equals(n.path("id").asText())) {
                    target = (ObjectNode) n;
                }
            }
            if (target == null) {
                throw ApiException.notFound((collection.equals("rewards") ? "reward " : "earning rule ") + itemId);
            }
            target.put("status", status);
            try {
                long version = store.saveProgram(req.tenant(), programId, Json.write(def), p.version(), clock.instant());
                programs.forget(req.tenant(), programId);
                ObjectNode out = Json.object().put("programId", programId).put("version", version)
                        .put(collection.equals("rewards") ? "rewardId" : "ruleId", itemId).put("status", status);
                return Response.json(200, out);
            } catch (ApiException e) {
                if (e.code() != ErrorCode.VERSION_CONFLICT || attempt >= Backoff.MAX_ATTEMPTS) {
                    throw e;
                }
                Backoff.pause(attempt);
            }
        }
    }

    // ================================================================ customers

    public Response upsertCustomer(Request req) {
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        Program program = programs.get(req.tenant(), programId);
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String email = o.string("email", false, 254);
        if (email != null && !email.matches("^[^@\\s]+@[^@\\s]+$")) {
            problems.add("email", "must be an email address");
        }
        JsonNode attributes = o.raw("attributes", false);
        checkAttributes(attributes, "attributes", problems);
        Boolean consent = null;
        Obj c = o.obj("consent", false);
        if (c != null) {
            consent = c.bool("marketing", false);
            c.end();
        }
        o.end();
        problems.throwIfAny();
        Records.ProfileFields fields = new Records.ProfileFields(email, attributes, consent);
        return retrying(() -> {
            Instant now = clock.instant();
            Records.EarnRead read = store.readForEarn(req.tenant(), programId, customerId, budgetRules(program, Event.CUSTOMER_JOINED));
            Customer raw = read.customer();
            Customer before = raw.current(now);
            Customer after = withFields(before, fields);
            if (fields.attributes() != null && Json.write(after.attributes()).length() > MAX_ATTRIBUTES_CHARS) {
                throw ApiException.invalid("attributes", "together with the customer's stored attributes would be more than "
                        + MAX_ATTRIBUTES_CHARS + " characters of JSON; remove some (set them to null)");
            }
            List<Earned> earned = new ArrayList<>();
            List<Lot> lots = new ArrayList<>(before.lots());
            Earning.Plan join = null;
            if (!before.member()) {
                join = Earning.plan(program, after, joinEvent(customerId, now), read.ruleBudgetUsed());
                if (join.points() > 0) {
                    earned.add(merged(earned(program, join, now, null), lots, now));
                }
                after = applied(after, join, false);
            }
            ObjectNode out = Json.object().put("customerId", customerId).put("created", !before.member());
            if (join != null) {
                out.put("signupPoints", join.points());
            }
            out.set("balance", balance(after));
            out.set("tier", tierInfo(program, after));
            int status = before.member() ? 200 : 201;
            List<Records.NotificationRecord> notes = notifications(
                    Triggers.of(program, before, after, join == null ? null : join.points(), now), now);
            Commit commit = store.earn(new Records.EarnWrite(req.tenant(), programId, program.version(), before, earned,
                    fields, tierId(join == null ? null : join.tierAfter()), null, profileAfter(program, raw, after, lots, now),
                    notes, now, prunedCaps(program, before, now)));
            return commit instanceof Commit.Done ? Response.json(status, out) : retry(commit);
        });
    }

    private static void checkAttributes(JsonNode attributes, String field, Problems problems) {
        if (attributes == null) {
            return;
        }
        if (!attributes.isObject()) {
            problems.add(field, "must be a JSON object");
        } else if (attributes.size() > MAX_ATTRIBUTES) {
            problems.add(field, "must have at most " + MAX_ATTRIBUTES + " keys");
        } else if (Json.write(attributes).length() > MAX_ATTRIBUTES_CHARS) {
            problems.add(field, "must be at most " + MAX_ATTRIBUTES_CHARS + " characters of JSON");
        } else {
            attributes.fields().forEachRemaining(e -> {
                if (!Obj.ID.matcher(e.getKey()).matches()) {
                    problems.add(field + "." + e.getKey(), "attribute names must match " + Obj.ID.pattern());
                }
                if (e.getValue().isNumber() && !e.getValue().canConvertToLong() && e.getValue().isIntegralNumber()) {
                    problems.add(field + "." + e.getKey(), "is beyond 64 bits");
                } else {
                    checkStorable(e.getValue(), field + "." + e.getKey(), 1, problems);
                }
            });
        }
    }

    private static final java.math.BigDecimal MAX_NUMBER = new java.math.BigDecimal("1E126");
    private static final java.math.BigDecimal MIN_NUMBER = new java.math.BigDecimal("1E-130");

    /** Values DynamoDB can store: numbers of at most 38 digits from 1E-130 to below 1E126, no empty keys, bounded nesting. */
    private static void checkStorable(JsonNode v, String path, int depth, Problems problems) {
        if (depth > MAX_ATTRIBUTE_DEPTH) {
            problems.add(path, "nests more than " + MAX_ATTRIBUTE_DEPTH + " levels deep");
        } else if (v.isNumber()) {
            java.math.BigDecimal d = v.decimalValue().abs().stripTrailingZeros();
            if (d.signum() != 0 && d.precision() > 38) {
                problems.add(path, "has more than 38 significant digits");
            } else if (d.signum() != 0 && (d.compareTo(MAX_NUMBER) >= 0 || d.compareTo(MIN_NUMBER) < 0)) {
                problems.add(path, "must be 0 or between 1E-130 and 1E126 in magnitude");
            }
        } else if (v.isObject()) {
            v.fields().forEachRemaining(e -> {
                if (e.getKey().isEmpty()) {
                    problems.add(path, "has an empty key");
                } else {
                    checkStorable(e.getValue(), path + "." + e.getKey(), depth + 1, problems);
                }
            });
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                checkStorable(v.get(i), path + "[" + i + "]", depth + 1, problems);
            }
        }
    }

    public Response wallet(Request req) {
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        Program program = programs.get(req.tenant(), programId);
        Instant now = clock.instant();
        Customer c = store.readWithLots(req.tenant(), programId, customerId).current(now);
        if (!c.member()) {
            throw ApiException.notFound("customer " + customerId);
        }
        ObjectNode out = Json.object().put("customerId", customerId);
        out.set("tier", tierInfo(program, c));
        out.set("balance", balance(c));
        // pending points (an order's return window) and when they become available
        TreeMap<Instant, Long> releases = new TreeMap<>();
        for (Lot lot : c.lots()) {
            if (lot.pending() && lot.remaining() > 0) {
                releases.merge(lot.pendingUntil(), lot.remaining(), Arith::add);
            }
        }
        ArrayNode pending = out.putArray("pending");
        releases.entrySet().stream().limit(12).forEach(e -> pending.addObject().put("points", e.getValue())
                .put("availableAt", e.getKey().toString())
                .put("availableOn", e.getKey().atZone(program.timezone()).toLocalDate().toString()));
        TreeMap<LocalDate, Long> byDay = new TreeMap<>();
        for (Lot lot : c.lots()) {
            if (lot.expiresAt() != null && lot.remaining() > 0) {
                LocalDate lastDay = lot.expiresAt().atZone(program.timezone()).toLocalDate().minusDays(1);
                byDay.merge(lastDay, lot.remaining(), Arith::add);
            }
        }
        ArrayNode expiring = out.putArray("expiring");
        byDay.entrySet().stream().limit(12).forEach(e ->
                expiring.addObject().put("points", e.getValue()).put("on", e.getKey().toString()));
        ArrayNode rewards = out.putArray("rewards");
        for (Eligibility.Check check : Eligibility.checkEach(program, c, program.rewards(), null, now)) {
            Reward r = check.reward();
            List<String> reasons = check.eligibilityReasons().stream()
                    .filter(x -> !x.equals(Eligibility.ORDER_REQUIRED)).toList();
            boolean limit = check.reasons().contains(Eligibility.LIMIT_REACHED);
            ObjectNode ro = rewards.addObject().put("rewardId", r.id());
            if (r.name() != null) {
                ro.put("name", r.name());
            }
            ro.put("type", r.type().wire()).put("cost", r.cost())
                    .put("affordable", c.available() >= r.cost())
                    .put("eligible", reasons.isEmpty() && !limit);
            if (!reasons.isEmpty() || limit) {
                ArrayNode why = ro.putArray("reasons");
                reasons.forEach(why::add);
                if (limit) {
                    why.add(Eligibility.LIMIT_REACHED);
                }
            }
        }
        return Response.json(200, out);
    }

    public Response ledger(Request req) {
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        programs.get(req.tenant(), programId);
        int limit = 50;
        for (String q : req.query().keySet()) {
            if (!q.equals("limit") && !q.equals("cursor")) {
                throw ApiException.invalid(q, "is not a known query parameter (limit, cursor)");
            }
        }
        String l = req.query().get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ApiException.invalid("limit", "must be an integer from 1 to 100");
            }
        }
        String cursor = req.query().get("cursor");
        Records.LedgerPage page = store.ledger(req.tenant(), programId, customerId, limit, cursor);
        if (page.entries().isEmpty()
                && !store.readForEarn(req.tenant(), programId, customerId, List.of()).customer().member()) {
            throw ApiException.notFound("customer " + customerId);
        }
        ObjectNode out = Json.object();
        ArrayNode entries = out.putArray("entries");
        for (Records.LedgerEntry e : page.entries()) {
            ObjectNode o = entries.addObject().put("id", e.id()).put("type", e.type()).put("points", e.points())
                    .put("at", e.at().toString());
            if (e.ruleId() != null) {
                o.put("ruleId", e.ruleId());
            }
            if (e.rewardId() != null) {
                o.put("rewardId", e.rewardId());
            }
            if (e.orderId() != null) {
                o.put("orderId", e.orderId());
            }
            if (e.redemptionId() != null) {
                o.put("redemptionId", e.redemptionId());
            }
            o.put("programVersion", e.programVersion());
            if (e.details() != null) {
                o.set("details", Json.read(e.details()));
            }
        }
        if (page.cursor() != null) {
            out.put("cursor", page.cursor());
        }
        return Response.json(200, out);
    }

    // ================================================================ earn

    public Response earn(Request req) {
        String programId = req.id("programId");
        Program program = programs.get(req.tenant(), programId);
        JsonNode body = req.json();
        Instant now = clock.instant();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        Obj e = o.obj("event", true);
        Event event = null;
        if (e != null) {
            String type = e.string("type", true, 64);
            if (type != null && !type.matches("^[a-z][a-z0-9_.-]{0,63}$")) {
                problems.add("event.type", "must match ^[a-z][a-z0-9_.-]{0,63}$");
            }
            if (Event.CUSTOMER_JOINED.equals(type)) {
                problems.add("event.type", "customer.joined is fired by Laurel when a customer joins");
            }
            String id = e.id("id", true);
            Instant occurredAt = e.instant("occurredAt", false);
            if (occurredAt != null && occurredAt.isAfter(now.plus(MAX_FUTURE))) {
                problems.add("event.occurredAt", "may not lie more than 5 minutes in the future");
            } else if (occurredAt != null && occurredAt.isBefore(Backdating.earliest(program.createdAt()))) {
                problems.add("event.occurredAt", Backdating.refusal(program.createdAt()));
            }
            Obj ord = e.obj("order", Event.ORDER_PAID.equals(type));
            Order order = ord == null ? null : Order.read(ord, program.currency());
            JsonNode attrs = e.raw("attributes", false);
            checkAttributes(attrs, "event.attributes", problems);
            e.end();
            Map<String, Object> attributes = attrs != null && attrs.isObject() ? castMap(Event.plain(attrs)) : Map.of();
            event = new Event(type, id, occurredAt == null ? now : occurredAt, order, attributes);
        }
        o.end();
        problems.throwIfAny();
        Event ev = event;
        String hash = Canonical.hash(body);
        return retrying(() -> {
            Instant at = clock.instant();
            List<String> budgetRules = new ArrayList<>(budgetRules(program, ev.type()));
            budgetRules.addAll(budgetRules(program, Event.CUSTOMER_JOINED));
            Records.EarnRead read = store.readForEarn(req.tenant(), programId, customerId, budgetRules);
            Customer raw = read.customer();
            Customer before = raw.current(at);
            Map<String, Long> used = new HashMap<>(read.ruleBudgetUsed());
            List<Earned> earned = new ArrayList<>();
            List<Lot> lots = new ArrayList<>(before.lots());
            Customer c = before;
            Earning.Plan join = null;
            if (!before.member()) {
                join = Earning.plan(program, before, joinEvent(customerId, at), used);
                if (join.points() > 0) {
                    earned.add(merged(earned(program, join, at, null), lots, at));
                }
                join.ruleBudgets().forEach((k, v) -> used.merge(k, v, Long::sum));
                c = applied(before, join, false);
            }
            Earning.Plan plan = Earning.plan(program, c, ev, used);
            String orderId = ev.order() == null ? null : (ev.order().orderId() != null ? ev.order().orderId() : ev.id());
            Earned main = earned(program, plan, at, orderId);
            boolean pending = main.lot() != null && main.lot().pending();
            Customer after = applied(c, plan, pending);
            List<Entry> debts = new ArrayList<>();
            if (main.lot() != null && !pending && !main.lot().expired(at) && after.owed() > 0) {
                // points available at once pay the debt first: the lot keeps what is left
                Debt.Payment paid = Debt.pay(after.owed(), main.lot().remaining());
                debts.add(Debts.ofCredit(main.entry().entryId(), paid, at));
                List<Lot> left = Debt.payFrom(List.of(main.lot()), paid.points());
                main = new Earned(plan, main.entry(), left.isEmpty() ? null : left.get(0), main.orderId(), main.orderTotalMinor());
                after = after.paid(paid).withLots(after.available() - paid.points(), after.pending(), after.lifetimeEarned(),
                        List.of());
            }
            Lot fresh = main.lot();
            main = merged(main, lots, at);
            earned.add(main);
            if (fresh != null) {
                after = dev.laurel.domain.Lots.lessExpired(after, List.of(fresh), at); // an old event's lot may be expired already
            }
            ObjectNode out = Json.object().put("customerId", customerId).put("entryId", main.entry().entryId())
                    .put("pointsEarned", plan.points());
            out.set("breakdown", breakdown(plan));
            if (join != null) {
                ObjectNode j = out.putObject("enrolled").put("signupPoints", join.points());
                j.set("breakdown", breakdown(join));
            }
            out.set("balance", balance(after));
            Tier tierBefore = Earning.currentTier(program, before);
            Tier tierAfter = plan.tierAfter();
            out.putObject("tier").put("id", tierId(tierAfter))
                    .put("changed", !Objects.equals(tierId(tierBefore), tierId(tierAfter)));
            if (plan.expiresAt() != null && plan.points() > 0) {
                out.put("expiresAt", plan.expiresAt().toString());
            }
            if (main.lot() != null && main.lot().pending()) {
                out.put("pendingUntil", main.lot().pendingUntil().toString());
            }
            Idempotency idem = new Idempotency("earn", ev.key(), hash, 200, Json.write(out));
            List<Records.NotificationRecord> notes = notifications(
                    Triggers.of(program, before, after, join == null ? null : join.points(), at), at);
            Commit commit = store.earn(new Records.EarnWrite(req.tenant(), programId, program.version(), before, earned,
                    Records.ProfileFields.NONE, tierId(tierAfter), idem, profileAfter(program, raw, after, lots, at, debts), notes, at,
                    prunedCaps(program, before, at)));
            return commit instanceof Commit.Done ? Response.json(200, out) : answerReplay(commit, hash);
        });
    }

    // ================================================================ validate

    public Response validate(Request req) {
        String programId = req.id("programId");
        Program program = programs.get(req.tenant(), programId);
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String customerId = o.id("customerId", true);
        Obj ord = o.obj("order", false);
        Order order = ord == null ? null : Order.read(ord, program.currency());
        List<String> ids = o.strings("rewards", false, Program.MAX_REWARDS, Obj.ID);
        o.end();
        List<Reward> rewards = new ArrayList<>();
        if (ids != null) {
            for (int i = 0; i < ids.size(); i++) {
                int idx = i;
                program.reward(ids.get(i)).ifPresentOrElse(rewards::add,
                        () -> problems.add("rewards[" + idx + "]", "names no reward of this program"));
            }
        }
        problems.throwIfAny();
        boolean qualification = ids == null;
        if (qualification) {
            rewards.addAll(program.rewards());
        }
        List<String> budgeted = rewards.stream().filter(r -> r.limits() != null && r.limits().hasBudget())
                .map(Reward::id).distinct().toList();
        Instant now = clock.instant();
        Records.ValidateRead read = store.readForValidate(req.tenant(), programId, customerId,
                order == null ? null : order.orderId(), budgeted,
                order == null ? List.of() : budgetRules(program, Event.ORDER_PAID));
        Customer c = read.customer().current(now);
        List<Eligibility.Check> checks = qualification
                ? Eligibility.checkEach(program, c, rewards, order, now)
                : Eligibility.checkTogether(program, c, rewards, order, now);
        ArrayNode list = Json.array();
        boolean allValid = true;
        for (Eligibility.Check check : checks) {
            List<String> reasons = new ArrayList<>(check.reasons());
            Reward r = check.reward();
            if (budgetExhausted(r, read, check, order)) {
                reasons.add("budget_exhausted");
            }
            if (order != null && order.orderId() != null && !reasons.contains(Eligibility.STACKING)) {
                Records.OrderStack s = read.stack();
                boolean excl = r.stacking() != null && r.stacking().exclusive();
                String cat = r.stacking() == null ? null : r.stacking().category();
                if (s.exclusive() || (excl && s.count() > 0) || (cat != null && s.categories().contains(cat))
                        || !discountFits(read, check, order)) {
                    reasons.add(Eligibility.STACKING);
                }
            }
            if (qualification && !reasons.isEmpty()) {
                continue;
            }
            allValid &= reasons.isEmpty();
            ObjectNode ro = list.addObject().put("rewardId", r.id()).put("valid", reasons.isEmpty());
            ArrayNode why = ro.putArray("reasons");
            reasons.forEach(why::add);
            ro.put("discountMinor", check.discountMinor()).put("cost", r.cost());
        }
        ObjectNode out = Json.object().put("valid", qualification ? !list.isEmpty() : allValid && !list.isEmpty());
        out.set("rewards", list);
        long preview = 0;
        if (order != null) {
            Event e = new Event(Event.ORDER_PAID, order.orderId() == null ? "preview" : order.orderId(), now, order, Map.of());
            preview = Earning.plan(program, c, e, read.ruleBudgetUsed()).points();
        }
        out.putObject("earnPreview").put("points", preview);
        return Response.json(200, out);
    }

    /** Whether a reward's budget refuses this redemption: validate and redeem both decide with it. */
    private static boolean budgetExhausted(Reward r, Records.ValidateRead read, Eligibility.Check check, Order order) {
        return Budgets.rewardExceeded(r.limits(), read.budgets().getOrDefault(r.id(), Budgets.Used.NONE),
                check.valueMinor(), order == null ? 0 : order.totalMinor());
    }

    /** Whether the discount still fits on the order with the discounts already redeemed on it. */
    private static boolean discountFits(Records.ValidateRead read, Eligibility.Check check, Order order) {
        return order == null || order.orderId() == null
                || Budgets.discountFits(order.totalMinor(), read.stack().discountMinor(), check.discountMinor());
    }

    // ================================================================ redeem

    public Response redeem(Request req) {
        String programId = req.id("programId");
        Program program = programs.get(req.tenant(), programId);
        String key = idempotencyKey(req, true);
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        String rewardId = o.id("rewardId", true);
        Obj ord = o.obj("order", false);
        Order order = ord == null ? null : Order.read(ord, program.currency());
        o.end();
        problems.throwIfAny();
        Reward reward = program.reward(rewardId).orElseThrow(() -> ApiException.notFound("reward " + rewardId));
        if (order == null && reward.needsOrder()) {
            throw ApiException.invalid("order", "is required for reward " + rewardId);
        }
        String hash = Canonical.hash(body);
        return retrying(() -> {
            Instant now = clock.instant();
            Records.ValidateRead read = store.readForValidate(req.tenant(), programId, customerId,
                    order == null ? null : order.orderId(),
                    reward.limits() != null && reward.limits().hasBudget() ? List.of(rewardId) : List.of(), List.of());
            Customer raw = read.customer();
            Customer c = raw.current(now);
            Eligibility.Check check = c.member() ? Eligibility.check(program, c, reward, order, now) : null;
            ApiException refusal = refusal(c, check, reward);
            if (refusal == null && budgetExhausted(reward, read, check, order)) {
                refusal = budgetRefusal(rewardId);
            }
            if (refusal == null && !discountFits(read, check, order)) {
                refusal = stackingRefusal(rewardId, order.orderId());
            }
            if (refusal != null) {
                return refuseUnlessReplayed(req, programId, "redeem", key, hash, refusal);
            }
            List<Spending.Take> takes = Spending.take(c.lots().stream().filter(l -> !l.pending()).toList(), reward.cost(), null);
            if (Spending.sum(takes) != reward.cost()) {
                throw new IllegalStateException("customer " + customerId + " lots hold less than the available balance");
            }
            Records.BudgetCharge budget = null;
            if (reward.limits() != null && reward.limits().hasBudget()) {
                var l = reward.limits();
                budget = new Records.BudgetCharge(rewardId, 1, check.valueMinor(), order == null ? 0 : order.totalMinor(),
                        l.totalRedemptions(), l.totalDiscountMinor(), l.totalOrderMinor());
            }
            String redemptionId = Ids.next(now.toEpochMilli());
            String code = Ids.rewardCode();
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "redeem", -reward.cost(), now, null, rewardId,
                    order == null ? null : order.orderId(), redemptionId, null);
            Customer after = spent(c, reward.cost(), rewardId);
            ObjectNode out = Json.object().put("redemptionId", redemptionId).put("rewardId", rewardId)
                    .put("customerId", customerId).put("pointsSpent", reward.cost())
                    .put("discountMinor", check.discountMinor());
            if (Eligibility.isPayout(reward.type()) || reward.type() == Program.RewardType.PRODUCT) {
                out.put("valueMinor", check.valueMinor());
            }
            out.put("code", code);
            out.set("balance", balance(after));
            var stacking = reward.stacking();
            Commit commit = store.redeem(new Records.RedeemWrite(req.tenant(), programId, program.version(), c,
                    redemptionId, rewardId, reward.cost(), reward.limits() == null ? null : reward.limits().perCustomer(),
                    takes, budget, order == null ? null : order.orderId(),
                    stacking == null ? null : stacking.category(), stacking != null && stacking.exclusive(),
                    check.discountMinor(), order == null ? 0 : order.totalMinor(), code, entry,
                    new Idempotency("redeem", key, hash, 201, Json.write(out)),
                    profileAfter(program, raw, after, Spending.apply(c.lots(), takes), now), now));
            return commit instanceof Commit.Done ? Response.json(201, out) : answerReplay(commit, hash);
        });
    }

    /** 409 budget_exhausted, as redeem answers it (refused before writing, or by the budget's condition). */
    public static ApiException budgetRefusal(String rewardId) {
        return new ApiException(ErrorCode.BUDGET_EXHAUSTED, "reward " + rewardId + " has used up its budget",
                Map.of("rewardId", rewardId));
    }

    /** 422 not_eligible (stacking), as redeem answers it (refused before writing, or by the order's condition). */
    public static ApiException stackingRefusal(String rewardId, String orderId) {
        return new ApiException(ErrorCode.NOT_ELIGIBLE, "reward " + rewardId
                + " does not stack with the rewards already redeemed on order " + orderId
                + " (same category, an exclusive reward, or discounts beyond the order total)",
                Map.of("rewardId", rewardId, "reasons", List.of(Eligibility.STACKING)));
    }

    /** Why a customer may not redeem a reward now, or null when they may. */
    private static ApiException refusal(Customer c, Eligibility.Check check, Reward reward) {
        String rewardId = reward.id();
        if (!c.member()) {
            return ApiException.notFound("customer " + c.customerId());
        }
        List<String> notEligible = check.eligibilityReasons();
        if (!notEligible.isEmpty()) {
            return new ApiException(ErrorCode.NOT_ELIGIBLE, "reward " + rewardId + " is not available: " + notEligible,
                    Map.of("rewardId", rewardId, "reasons", notEligible));
        }
        if (check.reasons().contains(Eligibility.LIMIT_REACHED)) {
            return new ApiException(ErrorCode.LIMIT_REACHED, "customer " + c.customerId() + " has redeemed " + rewardId
                    + " as often as allowed", Map.of("rewardId", rewardId, "limit", reward.limits().perCustomer()));
        }
        if (check.reasons().contains(Eligibility.INSUFFICIENT_POINTS)) {
            return new ApiException(ErrorCode.INSUFFICIENT_POINTS, "reward " + rewardId + " costs " + reward.cost()
                    + " points; " + c.available() + " are available",
                    Map.of("rewardId", rewardId, "cost", reward.cost(), "available", c.available()));
        }
        return null;
    }

    // ================================================================ rollback

    public Response rollback(Request req) {
        String programId = req.id("programId");
        String redemptionId = req.id("redemptionId");
        Program program = programs.get(req.tenant(), programId);
        String key = idempotencyKey(req, false);
        JsonNode body = req.jsonOrEmpty();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String reason = o.string("reason", false, 500);
        o.end();
        problems.throwIfAny();
        String hash = Canonical.hash(Json.object().put("redemptionId", redemptionId).set("body", body));
        return retrying(() -> {
            Instant now = clock.instant();
            Records.Redemption r = store.redemption(req.tenant(), programId, redemptionId)
                    .orElseThrow(() -> ApiException.notFound("redemption " + redemptionId));
            if (r.rolledBack()) {
                return refuseUnlessReplayed(req, programId, "rollback", key, hash, new ApiException(
                        ErrorCode.ALREADY_ROLLED_BACK, "redemption " + redemptionId + " was already rolled back",
                        Map.of("redemptionId", redemptionId)));
            }
            ObjectNode details = Json.object();
            if (reason != null) {
                details.put("reason", reason);
            }
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "rollback", r.cost(), now, null, r.rewardId(),
                    r.orderId(), redemptionId, details.isEmpty() ? null : Json.write(details));
            ObjectNode out = Json.object().put("redemptionId", redemptionId).put("rewardId", r.rewardId())
                    .put("customerId", r.customerId()).put("status", "rolled_back").put("pointsRestored", r.cost());
            Idempotency idem = key == null ? null : new Idempotency("rollback", key, hash, 200, Json.write(out));
            Customer raw = store.readWithLots(req.tenant(), programId, r.customerId());
            if (!raw.member()) {
                throw new IllegalStateException("redemption " + redemptionId + " names customer " + r.customerId()
                        + ", who has no profile");
            }
            Customer c = raw.current(now);
            List<Lot> live = new ArrayList<>();
            List<Lot> dead = new ArrayList<>();
            for (Lot lot : r.lotsTaken()) {
                Lot back = new Lot(lot.lotId() + "~" + redemptionId, lot.remaining(), lot.remaining(), lot.earnedAt(),
                        lot.expiresAt(), lot.orderId());
                (back.expired(now) ? dead : live).add(back);
            }
            // the points given back that still count pay the debt first (from the soonest-expiring restored lots)
            Debt.Payment paid = Debt.pay(c.owed(), Spending.sum(live.stream().map(l -> new Spending.Take(l, l.remaining())).toList()));
            List<Entry> debts = paid.points() == 0 ? List.of() : List.of(Debts.ofCredit(entry.entryId(), paid, now));
            List<Lot> giving = new ArrayList<>(paid.points() == 0 ? live : Debt.payFrom(live, paid.points()));
            giving.addAll(dead);
            // the points go back into the lot of the same expiry and order, or as a lot of their own
            List<Lot> lots = new ArrayList<>(c.lots());
            Map<String, Lot> back = new LinkedHashMap<>();
            for (Lot lot : giving) {
                Lot stored = dev.laurel.domain.Lots.add(lots, lot, now);
                back.put(stored.lotId(), stored);
            }
            List<Lot> restored = List.copyOf(back.values());
            Map<String, Long> redemptions = new HashMap<>(c.redemptions());
            redemptions.merge(r.rewardId(), -1L, Arith::add);
            Customer after = c.after(c.seq() + 1, c.tierId(), Arith.add(c.available(), r.cost()) - paid.points(),
                    c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), redemptions).paid(paid);
            after = dev.laurel.domain.Lots.lessExpired(after, giving, now); // restored lots past their expiry count nowhere
            Commit commit = store.rollback(new Records.RollbackWrite(req.tenant(), programId, program.version(), r, c,
                    restored, entry, idem, profileAfter(program, raw, after, lots, now, debts), now));
            return commit instanceof Commit.Done ? Response.json(200, out) : answerReplay(commit, hash);
        });
    }

    // ================================================================ refunds

    public Response refund(Request req) {
        String programId = req.id("programId");
        Program program = programs.get(req.tenant(), programId);
        String key = idempotencyKey(req, false);
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        String orderId = o.id("orderId", true);
        Long amount = o.integer("amountMinor", true, 1, Arith.MAX_MINOR);
        o.end();
        problems.throwIfAny();
        String hash = Canonical.hash(body);
        return retrying(() -> {
            Instant now = clock.instant();
            Records.RefundRead read = store.readForRefund(req.tenant(), programId, customerId, orderId);
            Records.OrderRecord order = read.order()
                    .orElseThrow(() -> ApiException.notFound("order " + orderId + " of customer " + customerId));
            long refundable = order.totalMinor() - order.refundedMinor();
            if (amount > refundable) {
                return refuseUnlessReplayed(req, programId, "refund", key, hash, new ApiException(ErrorCode.INVALID_REQUEST,
                        "amountMinor: exceeds what is left to refund on order " + orderId + " (" + refundable + ")",
                        Map.of("field", "amountMinor", "refundableMinor", refundable)));
            }
            long refundNow = amount;
            Customer raw = read.customer();
            Customer c = raw.current(now);
            long claw = Spending.clawBack(order.earned(), order.totalMinor(), order.refundedMinor(), refundNow, order.clawed());
            // the order's own lots first (pending ones too: a refund inside the return window cancels
            // them), then other available lots; never another order's pending points
            List<Lot> collectable = c.lots().stream().filter(l -> !l.pending() || orderId.equals(l.orderId())).toList();
            List<Spending.Take> takes = Spending.take(collectable, claw, lot -> orderId.equals(lot.orderId()));
            long taken = Spending.sum(takes);
            long fromPending = Spending.sum(takes.stream().filter(t -> t.lot().pending()).toList());
            long uncollected = claw - taken;
            ObjectNode details = Json.object().put("refundMinor", refundNow).put("pointsDue", claw)
                    .put("uncollectedPoints", uncollected).put("pendingCancelled", fromPending);
            Entry entry = new Entry(Ids.next(now.toEpochMilli()), "refund", -taken, now, null, null, orderId, null,
                    Json.write(details));
            long lifetimeAfter = Math.max(0, c.lifetimeEarned() - claw);
            Tier tierBefore = Earning.currentTier(program, c);
            Tier tierAfter = Earning.tierAfterRefund(program, c, lifetimeAfter); // follows the points that count down
            Customer after = c.after(c.seq() + 1, tierAfter == null ? c.tierId() : tierAfter.id(),
                    c.available() - (taken - fromPending), lifetimeAfter, c.ruleCounts(), c.rulePoints(), c.redemptions());
            after = after.withLots(after.available(), c.pending() - fromPending, after.lifetimeEarned(), List.of())
                    .withOwed(Arith.add(c.owed(), uncollected)); // what could not be taken stays owed
            ObjectNode out = Json.object().put("customerId", customerId).put("orderId", orderId)
                    .put("refundedMinor", refundNow).put("totalRefundedMinor", order.refundedMinor() + refundNow)
                    .put("pointsClawedBack", taken).put("pendingCancelled", fromPending).put("uncollectedPoints", uncollected);
            out.set("balance", balance(after));
            out.putObject("tier").put("id", tierId(tierAfter)).put("changed", !Objects.equals(tierId(tierBefore), tierId(tierAfter)));
            Idempotency idem = key == null ? null : new Idempotency("refund", key, hash, 200, Json.write(out));
            Commit commit = store.refund(new Records.RefundWrite(req.tenant(), programId, program.version(), c, order,
                    refundNow, order.clawed() + claw, takes, entry, idem,
                    profileAfter(program, raw, after, Spending.apply(c.lots(), takes), now), now, tierId(tierAfter)));
            return commit instanceof Commit.Done ? Response.json(200, out) : answerReplay(commit, hash);
        });
    }

    // ================================================================ helpers

    /** Thrown inside {@link #retrying} to decide and write again. */
    private static final class RetrySignal extends RuntimeException {
        RetrySignal(String why) {
            super(why, null, false, false);
        }
    }

    private static Response retry(Commit commit) {
        if (commit instanceof Commit.Retry r) {
            throw new RetrySignal(r.why());
        }
        throw new IllegalStateException("unexpected " + commit);
    }

    private static Response answerReplay(Commit commit, String hash) {
        if (commit instanceof Commit.Replay r) {
            if (!hash.equals(r.requestHash())) {
                throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "this idempotency key was used with a different request");
            }
            return Response.raw(r.status(), r.body(), Map.of(REPLAYED, "true"));
        }
        return retry(commit);
    }

    /**
     * Refuses, unless this idempotency key already took effect: a retry of a request that went
     * through gets its first answer, whatever the state is now. The record is read only here, on
     * the refusal path; a key that is new, or none, refuses.
     */
    private Response refuseUnlessReplayed(Request req, String programId, String scope, String key, String hash,
                                          ApiException refusal) {
        if (key != null) {
            var first = store.idempotency(req.tenant(), programId, scope, key);
            if (first.isPresent()) {
                return answerReplay(first.get(), hash);
            }
        }
        throw refusal;
    }

    private static Response retrying(Supplier<Response> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (RetrySignal s) {
                if (i >= Backoff.MAX_ATTEMPTS) {
                    throw new ApiException(ErrorCode.RATE_LIMITED,
                            "too many concurrent changes to this customer; retry shortly", Map.of("retryAfterMs", 100));
                }
                Backoff.pause(i);
            }
        }
    }

    private static String idempotencyKey(Request req, boolean required) {
        String key = req.header("Idempotency-Key");
        if (key == null) {
            if (required) {
                throw ApiException.invalid("Idempotency-Key", "header is required");
            }
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiException.invalid("Idempotency-Key", "must match " + IDEMPOTENCY_KEY.pattern());
        }
        return key;
    }

    private static List<String> budgetRules(Program program, String trigger) {
        return program.earningRules().stream().filter(r -> r.trigger().equals(trigger) && r.hasTotalBudget())
                .map(Program.EarningRule::id).toList();
    }

    private static Event joinEvent(String customerId, Instant now) {
        return new Event(Event.CUSTOMER_JOINED, customerId, now, null, Map.of());
    }

    private static Customer withFields(Customer c, Records.ProfileFields f) {
        Map<String, Object> attrs = new LinkedHashMap<>(c.attributes());
        if (f.attributes() != null) {
            f.attributes().fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    attrs.remove(e.getKey());
                } else {
                    attrs.put(e.getKey(), Event.plain(e.getValue()));
                }
            });
        }
        return new Customer(c.customerId(), c.member(), c.seq(), f.email() != null ? f.email() : c.email(), attrs,
                f.marketingConsent() != null ? f.marketingConsent() : c.marketingConsent(), c.tierId(), c.available(),
                c.pending(), c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), c.redemptions(), c.lots(), c.joinedAt(),
                c.notifications(), c.owed());
    }

    /**
     * An earn's ledger entry and lot. Points earned on an order wait out the program's return
     * window ({@code pending.days}) before they can be spent: the lot is pending until the end of
     * that day in the program's zone.
     */
    private static Earned earned(Program program, Earning.Plan plan, Instant now, String orderId) {
        String entryId = Ids.next(now.toEpochMilli());
        ObjectNode details = Json.object().put("eventType", plan.event().type()).put("eventId", plan.event().id())
                .put("occurredAt", plan.event().occurredAt().toString());
        details.set("breakdown", breakdown(plan));
        String ruleId = plan.breakdown().stream().filter(l -> l.ruleId() != null && l.points() > 0)
                .map(Earning.Line::ruleId).findFirst().orElse(null);
        Instant pendingUntil = null;
        if (program.pendingDays() != null && orderId != null && plan.points() > 0) {
            LocalDate day = plan.event().occurredAt().atZone(program.timezone()).toLocalDate();
            pendingUntil = Expiry.endOfDay(day.plusDays(program.pendingDays()), program.timezone());
            if (!pendingUntil.isAfter(now)) {
                pendingUntil = null; // an old event whose return window is already over
            } else {
                details.put("pendingUntil", pendingUntil.toString());
            }
        }
        Entry entry = new Entry(entryId, "earn", plan.points(), now, ruleId, null, orderId, null, Json.write(details));
        Lot lot = plan.points() > 0 ? new Lot(entryId, plan.points(), plan.points(), now, plan.expiresAt(), orderId,
                pendingUntil, false) : null;
        return new Earned(plan, entry, lot, orderId, plan.event().order() == null ? null : plan.event().order().totalMinor());
    }

    /** {@code e} with its lot merged into {@code lots} (the lot of the same expiry, order and return window). */
    private static Earned merged(Earned e, List<Lot> lots, Instant now) {
        return e.lot() == null ? e : new Earned(e.plan(), e.entry(), dev.laurel.domain.Lots.add(lots, e.lot(), now), e.orderId(),
                e.orderTotalMinor());
    }

    /** The customer's cap counters of periods long over, which the write drops (a few at a time). */
    private static List<String> prunedCaps(Program program, Customer c, Instant now) {
        java.util.Set<String> keys = new java.util.TreeSet<>(c.ruleCounts().keySet());
        keys.addAll(c.rulePoints().keySet());
        List<String> old = Earning.expiredCapKeys(keys, now.atZone(program.timezone()).toLocalDate());
        return old.subList(0, Math.min(old.size(), 25));
    }

    /** The customer after an earn plan, as the next plan in the same write must see them. */
    private static Customer applied(Customer c, Earning.Plan plan, boolean pending) {
        Map<String, Long> counts = new HashMap<>(c.ruleCounts());
        Map<String, Long> points = new HashMap<>(c.rulePoints());
        plan.capKeys().forEach((k, d) -> {
            counts.merge(k, d[0], Arith::add);
            points.merge(k, d[1], Arith::add);
        });
        Customer after = c.after(c.seq(), tierId(plan.tierAfter()), pending ? c.available() : Arith.add(c.available(), plan.points()),
                plan.lifetimeAfter(), counts, points, c.redemptions());
        return pending ? after.withLots(after.available(), Arith.add(c.pending(), plan.points()), after.lifetimeEarned(),
                List.of()) : after;
    }

    /**
     * The profile as a write leaves it: the balances of {@code after} (as answers show them: {@link Customer#current}),
     * the pending lots settling released, and when the scheduled functions next have work ({@code lots}: the current
     * lots as the write leaves them; the expired ones it did not touch are added).
     */
    static Records.ProfileAfter profileAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now) {
        return profileAfter(program, raw, after, lots, now, List.of());
    }

    /** ... with the debt payments of the write's own credit ({@code debts}) after those of the released lots. */
    static Records.ProfileAfter profileAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now,
                                             List<Entry> debts) {
        // lots whose expiry has come stay stored, and counted in the stored balances, until the run records them
        List<Lot> all = new ArrayList<>(lots);
        raw.settled(now).lots().stream().filter(l -> l.expired(now)).forEach(all::add);
        long[] x = dev.laurel.domain.Lots.expired(all, now);
        return storedAfter(program, raw, after.withLots(Arith.add(after.available(), x[0]), Arith.add(after.pending(), x[1]),
                after.lifetimeEarned(), List.of()), all, now, debts);
    }

    /**
     * {@link #profileAfter} for a write that works on the stored state (the expiry run): {@code after}
     * holds the stored balances and {@code lots} every stored lot as the write leaves them.
     */
    static Records.ProfileAfter storedAfter(Program program, Customer raw, Customer after, List<Lot> lots, Instant now) {
        return storedAfter(program, raw, after, lots, now, List.of());
    }

    private static Records.ProfileAfter storedAfter(Program program, Customer raw, Customer after, List<Lot> lots,
                                                    Instant now, List<Entry> debts) {
        List<Records.DebtEntry> paid = new ArrayList<>(Debts.onRelease(raw, now, program.version()));
        debts.forEach(e -> paid.add(new Records.DebtEntry(e, null, program.version())));
        return new Records.ProfileAfter(after.available(), after.pending(), after.lifetimeEarned(), raw.releasable(now),
                Due.next(lots), Due.nextReminder(lots, program.reminders().pointsExpiringDaysBefore(),
                        after.marketingConsent(), program.timezone(), now), lots, after.owed(), paid);
    }

    /** Reminders to record with a write, queued to be sent now. */
    static List<Records.NotificationRecord> notifications(List<Triggers.Trigger> triggers, Instant now) {
        List<Records.NotificationRecord> out = new ArrayList<>();
        for (Triggers.Trigger t : triggers) {
            out.add(new Records.NotificationRecord(t.id(), t.type(), Json.write(t.payload()), now));
        }
        return out;
    }

    private static Customer spent(Customer c, long cost, String rewardId) {
        Map<String, Long> redemptions = new HashMap<>(c.redemptions());
        redemptions.merge(rewardId, 1L, Arith::add);
        return c.after(c.seq() + 1, c.tierId(), c.available() - cost, c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(),
                redemptions);
    }

    private static String tierId(Tier t) {
        return t == null ? null : t.id();
    }

    static ObjectNode balance(Customer c) {
        return Json.object().put("available", c.available()).put("pending", c.pending())
                .put("lifetimeEarned", c.lifetimeEarned()).put("owed", c.owed());
    }

    private static ObjectNode tierInfo(Program program, Customer c) {
        ObjectNode t = Json.object();
        Tier tier = Earning.currentTier(program, c);
        t.put("id", tierId(tier));
        program.nextTier(tier).ifPresentOrElse(
                next -> t.put("next", next.id()).put("pointsToNext", Math.max(0, next.threshold() - c.lifetimeEarned())),
                () -> t.putNull("next"));
        return t;
    }

    private static ArrayNode breakdown(Earning.Plan plan) {
        ArrayNode a = Json.array();
        for (Earning.Line l : plan.breakdown()) {
            ObjectNode o = a.addObject();
            if (l.ruleId() != null) {
                o.put("ruleId", l.ruleId());
            } else {
                o.put("tierId", l.tierId());
            }
            o.put("points", l.points());
            if (l.multiplier() != null) {
                o.put("multiplier", l.multiplier());
            }
            if (l.capped() != null) {
                o.put("capped", l.capped());
            }
        }
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
