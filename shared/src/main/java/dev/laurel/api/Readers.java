package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Donate;
import dev.laurel.app.Earn;
import dev.laurel.app.Ledger;
import dev.laurel.app.Programs;
import dev.laurel.app.Redeem;
import dev.laurel.app.Refund;
import dev.laurel.app.Replays;
import dev.laurel.app.Rollback;
import dev.laurel.app.Upsert;
import dev.laurel.app.Validate;
import dev.laurel.domain.Arith;
import dev.laurel.domain.Backdating;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Event;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.domain.Program.Reward;
import dev.laurel.domain.Refused;
import dev.laurel.json.Canonical;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.OrderReader;
import dev.laurel.json.Problems;
import dev.laurel.store.Records;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Request readers: each reads a request strictly into a use case's command, reporting every
 * problem at once with its JSON path (400 {@code invalid_request}, thrown as {@link Refused}).
 */
final class Readers {
    /** How far in the future an event's {@code occurredAt} may lie (API.md). */
    static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_ATTRIBUTE_DEPTH = 16;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");
    private static final BigDecimal MAX_NUMBER = new BigDecimal("1E126");
    private static final BigDecimal MIN_NUMBER = new BigDecimal("1E-130");

    private Readers() {
    }

    // ---------------------------------------------------------------- programs (admin)

    /** {@code PUT /v1/programs/{programId}}: the definition (JSON; the use case validates it whole), and If-Match. */
    static Programs.Put putProgram(Request req, String programId) {
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
                throw Refused.invalid("If-Match", "must be a program version number");
            }
        }
        JsonNode body = req.json();
        return new Programs.Put(req.tenant(), programId, Json.write(body), ifMatch);
    }

    /** {@code PATCH .../earningRules/{ruleId}} or {@code .../rewards/{rewardId}}: {@code {"status"}}. */
    static Programs.SetStatus setStatus(Request req, String programId, String collection, String itemId) {
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String status = o.oneOf("status", true, Set.of("active", "disabled"));
        o.end();
        problems.throwIfAny();
        return new Programs.SetStatus(req.tenant(), programId, collection, itemId, status);
    }

    // ---------------------------------------------------------------- customers

    static Upsert.Command upsert(Request req, Program program, String customerId) {
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String email = o.string("email", false, 254);
        if (email != null && !email.matches("^[^@\\s]+@[^@\\s]+$")) {
            problems.add("email", "must be an email address");
        }
        JsonNode attributes = o.raw("attributes", false);
        checkAttributes(attributes, "attributes", problems);
        String locale = o.string("locale", false, 8);
        if (locale != null && !Customer.LOCALES.contains(locale)) {
            problems.add("locale", "must be one of " + String.join(", ", Customer.LOCALES));
        }
        Boolean consent = null;
        Obj c = o.obj("consent", false);
        if (c != null) {
            consent = c.bool("marketing", false);
            c.end();
        }
        String referredBy = referredBy(o);
        o.end();
        problems.throwIfAny();
        Map<String, Object> attrs = null;
        if (attributes != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            attributes.fields().forEachRemaining(e -> m.put(e.getKey(), Json.plain(e.getValue())));
            attrs = m;
        }
        return new Upsert.Command(req.tenant(), program, customerId, new Records.ProfileFields(email, attrs, consent, locale),
                referredBy);
    }

    /** {@code referredBy}: a referral code (as imports keep them: letters, digits, _ and -), or null. */
    private static String referredBy(Obj o) {
        String code = o.string("referredBy", false, 64);
        if (code != null && !ImportCsv.CODE.matcher(code).matches()) {
            o.problems().add(o.path("referredBy"), "must be a referral code: letters, digits, _ and -");
            return null;
        }
        return code;
    }

    /** {@code ?limit=&cursor=} of the ledger. */
    static Ledger.Query ledger(Request req, String programId, String customerId) {
        for (String q : req.query().keySet()) {
            if (!q.equals("limit") && !q.equals("cursor")) {
                throw Refused.invalid(q, "is not a known query parameter (limit, cursor)");
            }
        }
        return new Ledger.Query(req.tenant(), programId, customerId, limit(req, Ledger.DEFAULT_LIMIT, Ledger.MAX_LIMIT),
                req.query().get("cursor"));
    }

    /** A page's {@code limit} query parameter: {@code otherwise} when absent, else an integer from 1 to {@code max} (400 naming it). */
    static int limit(Request req, int otherwise, int max) {
        String l = req.query().get("limit");
        if (l == null) {
            return otherwise;
        }
        int limit;
        try {
            limit = Integer.parseInt(l);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw Refused.invalid("limit", "must be an integer from 1 to " + max);
        }
        return limit;
    }

    // ---------------------------------------------------------------- earn, validate, redeem, rollback, refund

    static Earn.Command earn(Request req, Program program, Instant now) {
        JsonNode body = req.json();
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
            } else if (Event.CUSTOMER_CONFIRMED.equals(type)) {
                problems.add("event.type", "customer.confirmed is fired by Laurel when a member confirms their consent");
            }
            String id = e.id("id", true);
            Instant occurredAt = e.instant("occurredAt", false);
            if (occurredAt != null && occurredAt.isAfter(now.plus(MAX_FUTURE))) {
                problems.add("event.occurredAt", "may not lie more than 5 minutes in the future");
            } else if (occurredAt != null && occurredAt.isBefore(Backdating.earliest(program.createdAt()))) {
                problems.add("event.occurredAt", Backdating.refusal(program.createdAt()));
            }
            Obj ord = e.obj("order", Event.ORDER_PAID.equals(type));
            Order order = ord == null ? null : OrderReader.read(ord, program.currency());
            JsonNode attrs = e.raw("attributes", false);
            checkAttributes(attrs, "event.attributes", problems);
            e.end();
            Map<String, Object> attributes = attrs != null && attrs.isObject() ? castMap(Json.plain(attrs)) : Map.of();
            event = new Event(type, id, occurredAt == null ? now : occurredAt, order, attributes);
        }
        String referredBy = referredBy(o);
        o.end();
        problems.throwIfAny();
        return new Earn.Command(req.tenant(), program, customerId, event, Canonical.hash(body), referredBy);
    }

    // ---------------------------------------------------------------- replay identities (issue 16)

    /**
     * An earn's replay identity, from the request alone: {@code event.type} + {@code event.id}
     * and the body's fingerprint (as {@link #earn} reads them); null when the body names no event.
     */
    static Replays.Identity earnIdentity(Request req) {
        JsonNode body = req.json();
        JsonNode type = body.path("event").path("type");
        JsonNode id = body.path("event").path("id");
        if (!type.isTextual() || !id.isTextual()) {
            return null;
        }
        return new Replays.Identity(req.id("programId"), "earn", Event.key(type.asText(), id.asText()), Canonical.hash(body));
    }

    /** A redeem's: its Idempotency-Key and the body's fingerprint. */
    static Replays.Identity redeemIdentity(Request req) {
        return new Replays.Identity(req.id("programId"), "redeem", idempotencyKey(req, true), Canonical.hash(req.json()));
    }

    /** A rollback's: its Idempotency-Key (none: null) and the fingerprint of redemption id and body. */
    static Replays.Identity rollbackIdentity(Request req) {
        String key = idempotencyKey(req, false);
        String redemptionId = req.id("redemptionId");
        return key == null ? null
                : new Replays.Identity(req.id("programId"), "rollback", key, rollbackHash(redemptionId, req.jsonOrEmpty()));
    }

    /** A refund's: its Idempotency-Key (none: null) and the body's fingerprint. */
    static Replays.Identity refundIdentity(Request req) {
        String key = idempotencyKey(req, false);
        return key == null ? null : new Replays.Identity(req.id("programId"), "refund", key, Canonical.hash(req.json()));
    }

    private static String rollbackHash(String redemptionId, JsonNode body) {
        ObjectNode fingerprint = Json.object().put("redemptionId", redemptionId);
        fingerprint.set("body", body);
        return Canonical.hash(fingerprint);
    }

    static Validate.Query validate(Request req, Program program) {
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String customerId = o.id("customerId", true);
        Obj ord = o.obj("order", false);
        Order order = ord == null ? null : OrderReader.read(ord, program.currency());
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
        return new Validate.Query(req.tenant(), program, customerId, order, ids == null ? null : rewards);
    }

    static Redeem.Command redeem(Request req, Program program) {
        String key = idempotencyKey(req, true);
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        String rewardId = o.id("rewardId", true);
        Obj ord = o.obj("order", false);
        Order order = ord == null ? null : OrderReader.read(ord, program.currency());
        o.end();
        problems.throwIfAny();
        Reward reward = program.reward(rewardId).orElseThrow(() -> Refused.notFound("reward " + rewardId));
        if (order == null && reward.needsOrder()) {
            throw Refused.invalid("order", "is required for reward " + rewardId);
        }
        return new Redeem.Command(req.tenant(), program, key, customerId, reward, order, Canonical.hash(body));
    }

    /** {@code POST .../donations}: {customerId, charityId, points}; an unknown charity 404, a value past 10^13 minor units 400. */
    static Donate.Command donate(Request req, Program program) {
        String key = idempotencyKey(req, true);
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        String charityId = o.id("charityId", true);
        Long points = o.integer("points", true, 1, Arith.MAX_POINTS);
        o.end();
        problems.throwIfAny();
        Program.Charity charity = program.charity(charityId).orElseThrow(() -> Refused.notFound("charity " + charityId));
        if (Donate.valueMinor(charity, points) == null) {
            throw Refused.invalid("points", "are worth more than " + Arith.MAX_MINOR + " minor units to charity " + charityId);
        }
        return new Donate.Command(req.tenant(), program, key, customerId, charity, points, Canonical.hash(body));
    }

    /** A donation's replay identity: its Idempotency-Key and the body's fingerprint. */
    static Replays.Identity donateIdentity(Request req) {
        return new Replays.Identity(req.id("programId"), Donate.SCOPE, idempotencyKey(req, true), Canonical.hash(req.json()));
    }

    static Rollback.Command rollback(Request req, Program program, String redemptionId) {
        String key = idempotencyKey(req, false);
        JsonNode body = req.jsonOrEmpty();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String reason = o.string("reason", false, 500);
        o.end();
        problems.throwIfAny();
        return new Rollback.Command(req.tenant(), program, redemptionId, key, reason, rollbackHash(redemptionId, body));
    }

    static Refund.Command refund(Request req, Program program) {
        String key = idempotencyKey(req, false);
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String customerId = o.id("customerId", true);
        String orderId = o.id("orderId", true);
        Long amount = o.integer("amountMinor", true, 1, Arith.MAX_MINOR);
        o.end();
        problems.throwIfAny();
        return new Refund.Command(req.tenant(), program, key, customerId, orderId, amount, Canonical.hash(body));
    }

    // ---------------------------------------------------------------- parts

    static String idempotencyKey(Request req, boolean required) {
        String key = req.header("Idempotency-Key");
        if (key == null) {
            if (required) {
                throw Refused.invalid("Idempotency-Key", "header is required");
            }
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw Refused.invalid("Idempotency-Key", "must match " + IDEMPOTENCY_KEY.pattern());
        }
        return key;
    }

    private static void checkAttributes(JsonNode attributes, String field, Problems problems) {
        if (attributes == null) {
            return;
        }
        if (!attributes.isObject()) {
            problems.add(field, "must be a JSON object");
        } else if (attributes.size() > MAX_ATTRIBUTES) {
            problems.add(field, "must have at most " + MAX_ATTRIBUTES + " keys");
        } else if (Json.write(attributes).length() > Upsert.MAX_ATTRIBUTES_CHARS) {
            problems.add(field, "must be at most " + Upsert.MAX_ATTRIBUTES_CHARS + " characters of JSON");
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

    /** Values DynamoDB can store: numbers of at most 38 digits from 1E-130 to below 1E126, no empty keys, bounded nesting. */
    private static void checkStorable(JsonNode v, String path, int depth, Problems problems) {
        if (depth > MAX_ATTRIBUTE_DEPTH) {
            problems.add(path, "nests more than " + MAX_ATTRIBUTE_DEPTH + " levels deep");
        } else if (v.isNumber()) {
            BigDecimal d = v.decimalValue().abs().stripTrailingZeros();
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
