package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input on every route, through the real authorizer and handlers on DynamoDB Local. Each
 * request starts from a body (or path, or header) that succeeds and writes as it is (proved by
 * {@link #theUnbrokenRequestsSucceedAndWrite()}), breaks exactly one thing, and must answer its
 * precise 4xx in the one error shape, name the offending field as a JSON path, and write nothing:
 * every item of the tenant is compared before and after.
 */
class BadInputTest {
    static final String P = "/v1/programs/acme";
    private static final String TABLE = LocalDynamo.freshTable();
    static final String LONG_ID = "a".repeat(200);
    static final String HUGE = "123456789012345678901234567890";
    static final List<String> BAD_IDS = List.of("a b", LONG_ID, "x#y");
    /** details.field must be present (a string), whatever its value. */
    static final String ANY = "<any field>";
    static final int MAX = 256 * 1024;

    static final String CUSTOMER = """
            {"email": "c2@example.com", "attributes": {"country": "DE", "vip": true, "visits": 3},
             "consent": {"marketing": true}}""";
    static final String VALIDATE = """
            {"customerId": "c-1",
             "order": {"id": "o-8", "totalMinor": 5000, "currency": "EUR", "shippingMinor": 500,
                       "items": [{"sku": "A-1", "category": "shoes", "quantity": 2, "unitPriceMinor": 2500}]},
             "rewards": ["ten-off"]}""";
    static final String REDEEM = """
            {"customerId": "c-1", "rewardId": "ten-off",
             "order": {"id": "o-7", "totalMinor": 5000, "currency": "EUR", "shippingMinor": 0,
                       "items": [{"sku": "A-1", "category": "shoes", "quantity": 1, "unitPriceMinor": 5000}]}}""";
    static final String REFUND = "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 1000}";
    static final String ROLLBACK = "{\"reason\": \"customer cancelled\"}";
    static final String DISABLE = "{\"status\": \"disabled\"}";
    static final String EARN = Api.orderPaid("c-9", "o-9", 12999, "2026-11-23T09:00:00Z").trim();
    static final String DONATE = "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 10}";
    /** The minimal definition and a charity (API.md Donations), so that donations have somewhere to go. */
    static final String PROGRAM = Api.minimalProgram().trim().replaceFirst("\\}$",
            ", \"charities\": [{\"id\": \"trees\", \"name\": \"Plant a tree\", \"pointValueMinor\": 1}]}");

    enum Role { ADMIN, SHOP }

    /** A request that succeeds and writes (validate: reads) exactly as it is. */
    record Target(String name, String route, String path, Role role, String body, Map<String, String> headers) {
        String method() {
            return route.split(" ", 2)[0];
        }
    }

    /** One broken request and the answer it must get; field null means "not checked". */
    record Case(String name, Target target, String path, String body, boolean base64, Map<String, String> headers,
                int status, String code, String field) {
    }

    Api api;
    String redemptionId;
    String code;

    @BeforeEach
    void tenantWithAProgramACustomerAnOrderAndARedemption() {
        // a table of its own: every case snapshots the tenant's items twice, and a snapshot is a Scan of the
        // whole table, so on the shared table it would cost what every other test has stored there
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), TABLE);
        expectStatus(api.admin("PUT", P, PROGRAM), 201);
        expectStatus(api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 30000, "2026-11-23T09:00:00Z")), 200);
        Api.Reply r = api.shop("POST", P + "/redeem", """
                {"customerId": "c-1", "rewardId": "ten-off", "order": {"id": "o-setup", "totalMinor": 5000, "currency": "EUR"}}""",
                Map.of("Idempotency-Key", "k-setup"));
        expectStatus(r, 201);
        redemptionId = r.body().path("redemptionId").asText();
        code = r.body().path("code").asText();
    }

    // ------------------------------------------------------------------ targets

    Target putProgram() {
        return new Target("PUT program", "PUT /v1/programs/{programId}", P, Role.ADMIN, PROGRAM, Map.of());
    }

    Target patchRule() {
        return new Target("PATCH rule", "PATCH /v1/programs/{programId}/earningRules/{ruleId}", P + "/earningRules/purchase",
                Role.ADMIN, DISABLE, Map.of());
    }

    Target patchReward() {
        return new Target("PATCH reward", "PATCH /v1/programs/{programId}/rewards/{rewardId}", P + "/rewards/ten-off",
                Role.ADMIN, DISABLE, Map.of());
    }

    Target putCustomer() {
        return new Target("PUT customer", "PUT /v1/programs/{programId}/customers/{customerId}", P + "/customers/c-2",
                Role.SHOP, CUSTOMER, Map.of());
    }

    Target earn() {
        return new Target("earn", "POST /v1/programs/{programId}/earn", P + "/earn", Role.SHOP, EARN, Map.of());
    }

    Target validate() {
        return new Target("validate", "POST /v1/programs/{programId}/validate", P + "/validate", Role.SHOP, VALIDATE, Map.of());
    }

    Target redeem() {
        return new Target("redeem", "POST /v1/programs/{programId}/redeem", P + "/redeem", Role.SHOP, REDEEM,
                Map.of("Idempotency-Key", "k-new"));
    }

    Target donate() {
        return new Target("donate", "POST /v1/programs/{programId}/donations", P + "/donations", Role.SHOP, DONATE,
                Map.of("Idempotency-Key", "k-donate"));
    }

    Target rollback() {
        return new Target("rollback", "POST /v1/programs/{programId}/redemptions/{redemptionId}/rollback",
                P + "/redemptions/" + redemptionId + "/rollback", Role.SHOP, ROLLBACK, Map.of());
    }

    Target useCode() {
        return new Target("use code", "POST /v1/programs/{programId}/codes/{code}/use", P + "/codes/" + code + "/use", Role.SHOP,
                "{\"orderId\": \"pos-1\", \"location\": \"till 3\"}", Map.of());
    }

    Target refund() {
        return new Target("refunds", "POST /v1/programs/{programId}/refunds", P + "/refunds", Role.SHOP, REFUND, Map.of());
    }

    List<Target> bodyTargets() {
        return List.of(putProgram(), patchRule(), patchReward(), putCustomer(), earn(), validate(), redeem(), rollback(), refund(),
                donate());
    }

    /** Every route of Api.ROUTES, with its valid path values, body and headers. */
    Map<String, Target> allTargets() {
        Map<String, Target> m = new LinkedHashMap<>();
        for (Target t : bodyTargets()) {
            m.put(t.route(), t);
        }
        m.put("GET /v1/programs/{programId}", new Target("GET program", "GET /v1/programs/{programId}", P, Role.ADMIN, null, Map.of()));
        m.put("GET /v1/programs/{programId}/customers/{customerId}", new Target("wallet",
                "GET /v1/programs/{programId}/customers/{customerId}", P + "/customers/c-1", Role.SHOP, null, Map.of()));
        m.put("GET /v1/programs/{programId}/customers/{customerId}/ledger", new Target("ledger",
                "GET /v1/programs/{programId}/customers/{customerId}/ledger", P + "/customers/c-1/ledger", Role.SHOP, null, Map.of()));
        m.put("GET /v1/programs/{programId}/customers", new Target("member listing",
                "GET /v1/programs/{programId}/customers", P + "/customers", Role.ADMIN, null, Map.of()));
        m.put("GET /v1/programs/{programId}/reports/summary", new Target("report",
                "GET /v1/programs/{programId}/reports/summary", P + "/reports/summary", Role.ADMIN, null, Map.of()));
        m.put("GET /v1/programs/{programId}/codes/{code}", new Target("code",
                "GET /v1/programs/{programId}/codes/{code}", P + "/codes/" + code, Role.SHOP, null, Map.of()));
        m.put("GET /v1/programs/{programId}/codes/{code}/qr.svg", new Target("code qr",
                "GET /v1/programs/{programId}/codes/{code}/qr.svg", P + "/codes/" + code + "/qr.svg", Role.SHOP, null, Map.of()));
        m.put("POST /v1/programs/{programId}/codes/{code}/use", useCode());
        m.put("POST /v1/programs/{programId}/customers/{customerId}/sessions", new Target("session",
                "POST /v1/programs/{programId}/customers/{customerId}/sessions", P + "/customers/c-1/sessions", Role.SHOP, null, Map.of()));
        m.put("PUT /v1/programs/{programId}/imports/{importId}", new Target("put import",
                "PUT /v1/programs/{programId}/imports/{importId}", P + "/imports/i-1", Role.ADMIN, "{}", Map.of()));
        m.put("GET /v1/programs/{programId}/imports/{importId}", new Target("get import",
                "GET /v1/programs/{programId}/imports/{importId}", P + "/imports/i-1", Role.ADMIN, null, Map.of()));
        m.put("POST /v1/programs/{programId}/imports/{importId}/rows", new Target("import rows",
                "POST /v1/programs/{programId}/imports/{importId}/rows", P + "/imports/i-1/rows?offset=0", Role.ADMIN,
                "email\na@example.com\n", Map.of("content-type", "text/csv")));
        m.put("POST /v1/programs/{programId}/imports/{importId}/revert", new Target("revert import",
                "POST /v1/programs/{programId}/imports/{importId}/revert", P + "/imports/i-1/revert", Role.ADMIN, null, Map.of()));
        String hook = "{\"url\": \"http://127.0.0.1:9/hook\", \"secret\": \"0123456789abcdef\", \"events\": [\"points.earned\"]}";
        m.put("PUT /v1/webhooks/{webhookId}", new Target("PUT webhook", "PUT /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1", Role.ADMIN,
                hook, Map.of()));
        m.put("GET /v1/webhooks/{webhookId}", new Target("GET webhook", "GET /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1", Role.ADMIN,
                null, Map.of()));
        m.put("DELETE /v1/webhooks/{webhookId}", new Target("DELETE webhook", "DELETE /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1",
                Role.ADMIN, null, Map.of()));
        m.put("GET /v1/webhooks/{webhookId}/deliveries", new Target("deliveries", "GET /v1/webhooks/{webhookId}/deliveries",
                "/v1/webhooks/wh-1/deliveries", Role.ADMIN, null, Map.of()));
        m.put("POST /v1/keys", new Target("create key", "POST /v1/keys", "/v1/keys", Role.ADMIN, "{\"role\": \"shop\", \"name\": \"till 3\"}",
                Map.of()));
        m.put("GET /v1/keys", new Target("list keys", "GET /v1/keys", "/v1/keys", Role.ADMIN, null, Map.of()));
        m.put("DELETE /v1/keys/{keyId}", new Target("revoke key", "DELETE /v1/keys/{keyId}", "/v1/keys/key-0123456789abcdef", Role.ADMIN,
                null, Map.of()));
        m.put("POST /v1/consent/confirm", new Target("confirm consent", "POST /v1/consent/confirm", "/v1/consent/confirm",
                Role.SHOP, "{\"token\": \"" + "A".repeat(43) + "\"}", Map.of()));
        assertThat(m.keySet()).as("every route of Api.ROUTES is covered").containsExactlyInAnyOrderElementsOf(Api.ROUTES);
        return m;
    }

    // ------------------------------------------------------------------ the unbroken requests

    @Test
    void theUnbrokenRequestsSucceedAndWrite() {
        Map<String, String> statuses = new LinkedHashMap<>();
        // validate first: read-only, so it must write nothing even when it succeeds
        for (Target t : List.of(validate(), putCustomer(), earn(), redeem(), donate(), refund(), rollback(), patchRule(), patchReward(),
                putProgram())) {
            var before = TableSnapshot.of(api.table, api.tenant);
            Api.Reply r = send(t, t.path(), t.body(), false, t.headers());
            var after = TableSnapshot.of(api.table, api.tenant);
            statuses.put(t.name(), Integer.toString(r.status()));
            assertThat(r.status()).as(t.name() + ": " + r).isBetween(200, 201);
            if (t.name().equals("validate")) {
                assertThat(TableSnapshot.diff(before, after)).as("validate writes nothing").isEmpty();
            } else {
                assertThat(TableSnapshot.diff(before, after)).as(t.name() + " writes").isNotEmpty();
            }
        }
        assertThat(statuses).hasSize(10);
    }

    @Test
    void aBodyOfExactly256KiBAndACharsetParameterAreAccepted() {
        Target t = earn();
        SoftAssertions s = new SoftAssertions();
        Api.Reply charset = send(t, t.path(), t.body(), false, Map.of("Content-Type", "application/json; charset=utf-8"));
        s.assertThat(charset.status()).as("charset parameter: " + charset).isEqualTo(200);
        Api.Reply plain = send(t, t.path(), padded(with(t.body(), "event.id", "\"o-10\""), MAX), false, Map.of());
        s.assertThat(plain.status()).as("exactly 256 KiB: " + plain).isEqualTo(200);
        Api.Reply pretty = send(t, t.path(), padded(EARN.replace("\"o-9\"", "\"o-13\""), MAX), false, Map.of());
        s.assertThat(EARN).contains("\n");
        s.assertThat(pretty.status()).as("exactly 256 KiB of pretty-printed JSON (with newlines): " + pretty).isEqualTo(200);
        Api.Reply b64 = send(t, t.path(), base64(padded(with(t.body(), "event.id", "\"o-11\""), MAX)), true, Map.of());
        s.assertThat(b64.status()).as("exactly 256 KiB, base64: " + b64).isEqualTo(200);
        Api.Reply small64 = send(t, t.path(), base64(padded(with(t.body(), "event.id", "\"o-12\""), 200_000)), true, Map.of());
        s.assertThat(small64.status()).as("200000 bytes, base64 (266668 characters on the wire): " + small64).isEqualTo(200);
        s.assertAll();
    }

    @Test
    void anOccurredAtExactlyFiveMinutesAheadIsAccepted() {
        Target t = earn();
        Api.Reply r = send(t, t.path(), with(t.body(), "event.occurredAt", "\"2026-11-23T09:05:00Z\""), false, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ malformed and non-object bodies

    @TestFactory
    Stream<DynamicTest> malformedJsonAndNonObjectBodies() {
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            Map<String, String> malformed = new LinkedHashMap<>();
            malformed.put("truncated", t.body().substring(0, t.body().length() / 2));
            malformed.put("missing colon", "{\"customerId\" \"c-1\"}");
            malformed.put("not JSON at all", "not json");
            malformed.put("single quotes", "{'status': 'disabled'}");
            malformed.put("leading zero", "{\"amountMinor\": 0100}");
            malformed.put("NaN", "{\"amountMinor\": NaN}");
            malformed.put("trailing tokens", t.body() + " {}");
            malformed.put("duplicate key", duplicateFirstKey(t.body()));
            malformed.put("nesting 40 deep", "{\"x\": " + "[".repeat(40) + "]".repeat(40) + "}");
            malformed.put("50-digit number", "{\"x\": " + "9".repeat(50) + "}");
            if (!t.name().equals("rollback")) {
                malformed.put("empty body", "");
            }
            malformed.forEach((what, body) -> cases.add(new Case(t.name() + ": " + what, t, t.path(), body, false, t.headers(),
                    400, "invalid_request", null)));
            for (String body : List.of("[]", "[{}]", "\"text\"", "42", "null", "true")) {
                cases.add(new Case(t.name() + ": body " + body, t, t.path(), body, false, t.headers(), 400, "invalid_request", ANY));
            }
        }
        return tests(cases);
    }

    // ------------------------------------------------------------------ unknown fields

    @TestFactory
    Stream<DynamicTest> unknownFieldsAtEveryLevel() {
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            for (Map.Entry<String, JsonNode> n : nodes(Json.read(t.body()), true)) {
                String at = n.getKey();
                if (!n.getValue().isObject() || freeForm(at) || at.endsWith("attributes")) {
                    continue;
                }
                String field = at.isEmpty() ? "colour" : at + ".colour";
                cases.add(new Case(t.name() + ": unknown field " + field, t, t.path(), with(t.body(), field, "\"red\""), false,
                        t.headers(), 400, "invalid_request", field));
            }
        }
        // the brief's own example, spelled out
        cases.add(new Case("earn: event.order.items[0].colour", earn(), earn().path(),
                with(EARN, "event.order.items[0].colour", "\"red\""), false, Map.of(), 400, "invalid_request",
                "event.order.items[0].colour"));
        return tests(cases);
    }

    // ------------------------------------------------------------------ wrong types

    @TestFactory
    Stream<DynamicTest> wrongTypesForEveryField() {
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            for (Map.Entry<String, JsonNode> n : nodes(Json.read(t.body()), false)) {
                String at = n.getKey();
                if (freeForm(at)) {
                    continue;
                }
                JsonNode v = n.getValue();
                Map<String, String> wrong = new LinkedHashMap<>();
                if (v.isTextual()) {
                    wrong.put("number", "5");
                    wrong.put("boolean", "true");
                } else if (v.isIntegralNumber()) {
                    wrong.put("string", "\"" + v.asText() + "\"");
                    if (!decimalField(at)) {
                        wrong.put("fraction", v.asText() + ".5");
                    }
                    wrong.put("beyond 64 bits", HUGE);
                    wrong.put("boolean", "true");
                } else if (v.isNumber()) {
                    wrong.put("string", "\"" + v.asText() + "\"");
                } else if (v.isBoolean()) {
                    wrong.put("string", "\"" + v.asText() + "\"");
                    wrong.put("number", "1");
                } else if (v.isObject()) {
                    wrong.put("string", "\"x\"");
                    wrong.put("array", "[]");
                } else if (v.isArray()) {
                    wrong.put("string", "\"x\"");
                    wrong.put("object", "{}");
                }
                wrong.forEach((kind, raw) -> cases.add(new Case(t.name() + ": " + at + " as " + kind + " " + abbreviate(raw, 40), t,
                        t.path(), with(t.body(), at, raw), false, t.headers(), 400, "invalid_request", at)));
            }
        }
        // a few attribute maps: free-form, but still bounded to 64 bits and objects
        cases.add(new Case("PUT customer: attributes.n beyond 64 bits", putCustomer(), putCustomer().path(),
                with(CUSTOMER, "attributes.n", HUGE), false, Map.of(), 400, "invalid_request", "attributes.n"));
        cases.add(new Case("earn: event.attributes.n beyond 64 bits", earn(), earn().path(),
                with(EARN, "event.attributes", "{\"n\": " + HUGE + "}"), false, Map.of(), 400, "invalid_request", "event.attributes.n"));
        cases.add(new Case("earn: event.attributes as a string", earn(), earn().path(),
                with(EARN, "event.attributes", "\"x\""), false, Map.of(), 400, "invalid_request", "event.attributes"));
        return tests(cases);
    }

    // ------------------------------------------------------------------ out of range

    @TestFactory
    Stream<DynamicTest> outOfRangeNumbersAndStrings() {
        List<Case> cases = new ArrayList<>();
        Target e = earn();
        add(cases, e, "event.order.totalMinor", "-1");
        add(cases, e, "event.order.totalMinor", "9223372036854775807");
        add(cases, e, "event.order.items[0].quantity", "0");
        add(cases, e, "event.order.items[0].quantity", "-1");
        add(cases, e, "event.order.items[0].unitPriceMinor", "-1");
        add(cases, e, "event.order.shippingMinor", "-1");
        add(cases, e, "event.type", "\"Order Paid\"");
        add(cases, e, "event.type", "\"customer.joined\"");
        Target v = validate();
        add(cases, v, "order.totalMinor", "-1");
        add(cases, v, "order.items[0].quantity", "0");
        add(cases, v, "order.shippingMinor", "-500");
        add(cases, v, "rewards[0]", "\"no-such-reward\"");
        Target r = redeem();
        add(cases, r, "order.totalMinor", "-1");
        add(cases, r, "order.items[0].unitPriceMinor", "-5000");
        Target f = refund();
        add(cases, f, "amountMinor", "0");
        add(cases, f, "amountMinor", "-1");
        add(cases, f, "amountMinor", "30001"); // more than the order's total
        add(cases, f, "amountMinor", "9223372036854775807");
        Target d = donate();
        add(cases, d, "points", "0");
        add(cases, d, "points", "-1");
        add(cases, d, "points", "10000000000001");
        add(cases, d, "points", "9223372036854775807");
        Target c = putCustomer();
        add(cases, c, "email", "\"" + "a".repeat(300) + "@example.com\"");
        add(cases, c, "email", "\"no-at-sign\"");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": 1");
        }
        add(cases, c, "attributes", many.append("}").toString());
        Target p = putProgram();
        add(cases, p, "name", "\"\"");
        add(cases, p, "name", "\"" + "n".repeat(201) + "\"");
        add(cases, p, "currency", "\"EURO\"");
        add(cases, p, "currency", "\"XXY\"");
        add(cases, p, "timezone", "\"Mars/Olympus_Mons\"");
        add(cases, p, "timezone", "\"+02:00\"");
        add(cases, p, "earningRules[0].points.perAmount.amountMinor", "0");
        add(cases, p, "earningRules[0].points.perAmount.points", "0");
        add(cases, p, "earningRules[0].trigger", "\"Order Paid\"");
        add(cases, p, "earningRules[1].points.fixed", "-1");
        add(cases, p, "earningRules[1].limits.perCustomer.count", "0");
        add(cases, p, "earningRules[2].limits.total.points", "0");
        add(cases, p, "earningRules[3].multiplier", "0");
        add(cases, p, "earningRules[3].multiplier", "101");
        add(cases, p, "earningRules[3].when.all[0].op", "\"like\"");
        add(cases, p, "earningRules[3].when.all[0].attr", "\"shop.country\"");
        add(cases, p, "rewards[0].cost", "-1");
        add(cases, p, "rewards[0].valueMinor", "0");
        add(cases, p, "rewards[0].type", "\"teleport\"");
        add(cases, p, "rewards[0].limits.perCustomer", "0");
        add(cases, p, "rewards[0].limits.totalRedemptions", "-1");
        add(cases, p, "tiers[1].earnMultiplier", "0");
        add(cases, p, "tiers[1].earnMultiplier", "101");
        add(cases, p, "tiers[1].earnMultiplier", "1.23456");
        add(cases, p, "tiers[2].expiryDays", "0");
        add(cases, p, "expiry.afterDays", "0");
        add(cases, p, "expiry.afterDays", "36501");
        cases.add(new Case("PUT program: tiers[0].threshold -1", p, p.path(), with(p.body(), "tiers[0].threshold", "-1"), false,
                Map.of(), 400, "invalid_request", "tiers[0].threshold"));
        cases.add(new Case("PUT program: duplicate earning rule id", p, p.path(), with(p.body(), "earningRules[1].id", "\"purchase\""),
                false, Map.of(), 400, "invalid_request", "earningRules[1].id"));
        for (Target k : List.of(patchRule(), patchReward())) {
            add(cases, k, "status", "\"paused\"");
            add(cases, k, "status", "\"\"");
            cases.add(new Case(k.name() + ": status missing", k, k.path(), "{}", false, Map.of(), 400, "invalid_request", "status"));
            cases.add(new Case(k.name() + ": status null", k, k.path(), "{\"status\": null}", false, Map.of(), 400,
                    "invalid_request", "status"));
        }
        add(cases, rollback(), "reason", "\"\"");
        add(cases, rollback(), "reason", "\"" + "r".repeat(501) + "\"");
        // required fields, one at a time
        for (Target t : List.of(e, v, r, f)) {
            for (String req : List.of("customerId")) {
                cases.add(new Case(t.name() + ": " + req + " missing", t, t.path(), with(t.body(), req, null), false, t.headers(),
                        400, "invalid_request", req));
            }
        }
        cases.add(new Case("earn: event missing", e, e.path(), with(EARN, "event", null), false, Map.of(), 400, "invalid_request", "event"));
        cases.add(new Case("earn: event.id missing", e, e.path(), with(EARN, "event.id", null), false, Map.of(), 400,
                "invalid_request", "event.id"));
        cases.add(new Case("earn: event.order missing on order.paid", e, e.path(), with(EARN, "event.order", null), false, Map.of(),
                400, "invalid_request", "event.order"));
        cases.add(new Case("redeem: rewardId missing", r, r.path(), with(REDEEM, "rewardId", null), false, r.headers(), 400,
                "invalid_request", "rewardId"));
        cases.add(new Case("redeem: order missing for a discount", r, r.path(), with(REDEEM, "order", null), false, r.headers(), 400,
                "invalid_request", "order"));
        cases.add(new Case("refunds: amountMinor missing", f, f.path(), with(REFUND, "amountMinor", null), false, Map.of(), 400,
                "invalid_request", "amountMinor"));
        cases.add(new Case("refunds: orderId missing", f, f.path(), with(REFUND, "orderId", null), false, Map.of(), 400,
                "invalid_request", "orderId"));
        return tests(cases);
    }

    // ------------------------------------------------------------------ body size

    @TestFactory
    Stream<DynamicTest> bodiesOver256KiB() {
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            String big = padded(t.body(), MAX + 1);
            cases.add(new Case(t.name() + ": " + (MAX + 1) + " bytes", t, t.path(), big, false, t.headers(), 413, "payload_too_large", null));
            cases.add(new Case(t.name() + ": " + (MAX + 1) + " bytes, base64", t, t.path(), base64(big), true, t.headers(), 413,
                    "payload_too_large", null));
            cases.add(new Case(t.name() + ": 1 MiB", t, t.path(), padded(t.body(), 1024 * 1024), false, t.headers(), 413,
                    "payload_too_large", null));
        }
        // fewer than 256 Ki characters, more than 256 KiB of UTF-8
        Target e = earn();
        String wide = with(EARN, "event.attributes", "{\"note\": \"" + "é".repeat(140_000) + "\"}");
        assertThat(wide.length()).isLessThan(MAX);
        assertThat(wide.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MAX);
        cases.add(new Case("earn: 140000 x é (chars < 256 Ki, bytes > 256 KiB)", e, e.path(), wide, false, Map.of(), 413,
                "payload_too_large", null));
        cases.add(new Case("earn: same, base64", e, e.path(), base64(wide), true, Map.of(), 413, "payload_too_large", null));
        cases.add(new Case("earn: body flagged base64 but not base64", e, e.path(), "{not base64!}", true, Map.of(), 400,
                "invalid_request", null));
        return tests(cases);
    }

    // ------------------------------------------------------------------ ids in path and body

    @TestFactory
    Stream<DynamicTest> badIdsInPathsAndBodies() {
        List<Case> cases = new ArrayList<>();
        for (Target t : allTargets().values()) {
            String[] template = t.route().split(" ", 2)[1].split("/");
            String[] valid = t.path().split("/");
            for (int i = 0; i < template.length; i++) {
                if (!template[i].startsWith("{")) {
                    continue;
                }
                String param = template[i].substring(1, template[i].length() - 1);
                List<String> bad = new ArrayList<>(BAD_IDS);
                bad.add("a/b");
                bad.add("ä");
                for (String value : bad) {
                    String[] segments = valid.clone();
                    segments[i] = URLEncoder.encode(value, StandardCharsets.UTF_8);
                    cases.add(new Case(t.name() + ": path " + param + " = " + abbreviate(value, 20), t, String.join("/", segments),
                            t.body(), false, t.headers(), 400, "invalid_request", param));
                }
            }
        }
        for (String bad : BAD_IDS) {
            String raw = Json.write(bad);
            add(cases, earn(), "customerId", raw);
            add(cases, earn(), "event.id", raw);
            add(cases, validate(), "customerId", raw);
            add(cases, validate(), "order.id", raw);
            add(cases, validate(), "rewards[0]", raw);
            add(cases, redeem(), "customerId", raw);
            add(cases, redeem(), "rewardId", raw);
            add(cases, redeem(), "order.id", raw);
            add(cases, refund(), "customerId", raw);
            add(cases, refund(), "orderId", raw);
            add(cases, donate(), "customerId", raw);
            add(cases, donate(), "charityId", raw);
            add(cases, putProgram(), "charities[0].id", raw);
            add(cases, putProgram(), "earningRules[0].id", raw);
            add(cases, putProgram(), "rewards[0].id", raw);
            add(cases, putProgram(), "tiers[0].id", raw);
            add(cases, putProgram(), "rewards[0].stacking.category", raw);
        }
        return tests(cases);
    }

    // ------------------------------------------------------------------ headers

    @TestFactory
    Stream<DynamicTest> idempotencyKeysAndIfMatch() {
        List<Case> cases = new ArrayList<>();
        Target r = redeem();
        cases.add(new Case("redeem: no Idempotency-Key", r, r.path(), r.body(), false, Map.of(), 400, "invalid_request",
                "Idempotency-Key"));
        cases.add(new Case("donate: no Idempotency-Key", donate(), donate().path(), DONATE, false, Map.of(), 400, "invalid_request",
                "Idempotency-Key"));
        for (Target t : List.of(redeem(), rollback(), refund(), donate())) {
            for (String key : List.of("a b", LONG_ID, "x#y", "", "ключ")) {
                cases.add(new Case(t.name() + ": Idempotency-Key '" + abbreviate(key, 20) + "'", t, t.path(), t.body(), false,
                        Map.of("Idempotency-Key", key), 400, "invalid_request", "Idempotency-Key"));
            }
        }
        Target p = putProgram();
        for (String v : List.of("abc", "99999999999999999999", "1.0")) {
            cases.add(new Case("PUT program: If-Match " + v, p, p.path(), p.body(), false, Map.of("If-Match", v), 400,
                    "invalid_request", "If-Match"));
        }
        for (String v : List.of("7", "\"0\"", "-1")) {
            cases.add(new Case("PUT program: stale If-Match " + v, p, p.path(), p.body(), false, Map.of("If-Match", v), 409,
                    "version_conflict", null));
        }
        return tests(cases);
    }

    // ------------------------------------------------------------------ ledger query

    @TestFactory
    Stream<DynamicTest> badLedgerLimitAndCursor() {
        List<Case> cases = new ArrayList<>();
        Target l = allTargets().get("GET /v1/programs/{programId}/customers/{customerId}/ledger");
        for (String limit : List.of("0", "101", "-1", "abc", "1.5", "", "99999999999", "1e1", "%205")) {
            cases.add(new Case("ledger: limit=" + limit, l, l.path() + "?limit=" + limit, null, false, Map.of(), 400,
                    "invalid_request", "limit"));
        }
        List<String> cursors = List.of("not-a-cursor", "!!!!", "YWJj", "", b64url("P"), b64url("L#lot"), b64url("E#" + "9".repeat(300)),
                b64url("{\"pk\": \"T#other#P#acme#C#c-1\"}"));
        for (String cursor : cursors) {
            cases.add(new Case("ledger: cursor=" + abbreviate(cursor, 30), l, l.path() + "?limit=10&cursor=" + cursor, null, false,
                    Map.of(), 400, "invalid_request", "cursor"));
        }
        cases.add(new Case("ledger: unknown query parameter", l, l.path() + "?colour=red", null, false, Map.of(), 400,
                "invalid_request", "colour"));
        cases.add(new Case("ledger: Limit (wrong case)", l, l.path() + "?Limit=5", null, false, Map.of(), 400, "invalid_request",
                "Limit"));
        return tests(cases);
    }

    // ------------------------------------------------------------------ time and currency

    @TestFactory
    Stream<DynamicTest> occurredAtInTheFutureOrMalformed() {
        List<Case> cases = new ArrayList<>();
        for (String at : List.of("2026-11-23T09:05:01Z", "2026-11-23T09:05:00.001Z", "2027-11-23T09:00:00Z",
                "+10000-01-01T00:00:00Z", "yesterday", "2026-11-23", "2026-11-23T09:00:00", "")) {
            add(cases, earn(), "event.occurredAt", Json.write(at));
        }
        return tests(cases);
    }

    @TestFactory
    Stream<DynamicTest> orderCurrencyOtherThanTheProgramsCurrency() {
        List<Case> cases = new ArrayList<>();
        for (String cur : List.of("USD", "eur", "EURO", "")) {
            add(cases, earn(), "event.order.currency", Json.write(cur));
        }
        add(cases, validate(), "order.currency", "\"USD\"");
        add(cases, redeem(), "order.currency", "\"USD\"");
        return tests(cases);
    }

    // ------------------------------------------------------------------ content type

    @TestFactory
    Stream<DynamicTest> wrongContentType() {
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "text/html; charset=utf-8",
                    "application/xml")) {
                Map<String, String> h = new LinkedHashMap<>(t.headers());
                h.put("Content-Type", type);
                cases.add(new Case(t.name() + ": Content-Type " + type, t, t.path(), t.body(), false, h, 415,
                        "unsupported_media_type", null));
            }
        }
        // a different media type that merely starts with the right letters
        Target e = earn();
        cases.add(new Case("earn: Content-Type application/jsonp", e, e.path(), e.body(), false,
                Map.of("Content-Type", "application/jsonp"), 415, "unsupported_media_type", null));
        return tests(cases);
    }

    // ------------------------------------------------------------------ references to things that do not exist

    @TestFactory
    Stream<DynamicTest> unknownThingsAnswerNotFoundAndWriteNothing() {
        List<Case> cases = new ArrayList<>();
        Target k = patchRule();
        cases.add(new Case("PATCH unknown rule", k, P + "/earningRules/nope", DISABLE, false, Map.of(), 404, "not_found", null));
        k = patchReward();
        cases.add(new Case("PATCH unknown reward", k, P + "/rewards/nope", DISABLE, false, Map.of(), 404, "not_found", null));
        k = rollback();
        cases.add(new Case("rollback unknown redemption", k, P + "/redemptions/r-nope/rollback", ROLLBACK, false, Map.of(), 404,
                "not_found", null));
        k = refund();
        cases.add(new Case("refund of an unknown order", k, k.path(), with(REFUND, "orderId", "\"o-nope\""), false, Map.of(), 404,
                "not_found", null));
        cases.add(new Case("refund of another customer's order", k, k.path(), with(REFUND, "customerId", "\"c-9\""), false, Map.of(),
                404, "not_found", null));
        k = redeem();
        cases.add(new Case("redeem an unknown reward", k, k.path(), with(REDEEM, "rewardId", "\"nope\""), false, k.headers(), 404,
                "not_found", null));
        k = donate();
        cases.add(new Case("donate to an unknown charity", k, k.path(), with(DONATE, "charityId", "\"nope\""), false, k.headers(), 404,
                "not_found", null));
        cases.add(new Case("donate for an unknown customer", k, k.path(), with(DONATE, "customerId", "\"c-nope\""), false,
                k.headers(), 404, "not_found", null));
        for (Target t : allTargets().values()) {
            if (t.route().equals("PUT /v1/programs/{programId}") || !t.path().startsWith("/v1/programs/")) {
                continue; // creates the program; or a tenant-level resource (webhooks)
            }
            String path = t.path().replace("/v1/programs/acme", "/v1/programs/nope");
            cases.add(new Case(t.name() + " on an unknown program", t, path, t.body(), false, t.headers(), 404, "not_found", null));
        }
        return tests(cases);
    }

    // ------------------------------------------------------------------ a definition with many problems

    @Test
    void aProgramWithSeveralProblemsListsThemAllAndStoresNothing() {
        String bad = """
                {"name": 5, "currency": "EURO", "timezone": "Mars/Olympus_Mons",
                 "earningRules": [{"id": "a b", "trigger": "order.paid",
                                   "points": {"perAmount": {"points": 1, "amountMinor": 0}}, "colour": "red"}],
                 "rewards": [{"id": "r-1", "type": "discount_amount", "valueMinor": 1000, "cost": -1}],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500, "earnMultiplier": "1.5"}],
                 "expiry": {"afterDays": 0}}""";
        List<String> expected = List.of("name", "currency", "timezone", "earningRules[0].id",
                "earningRules[0].points.perAmount.amountMinor", "earningRules[0].colour", "rewards[0].cost",
                "tiers[1].earnMultiplier", "expiry.afterDays");
        for (String programId : List.of("acme", "fresh")) {
            var before = TableSnapshot.of(api.table, api.tenant);
            Api.Reply r = api.admin("PUT", "/v1/programs/" + programId, bad);
            var after = TableSnapshot.of(api.table, api.tenant);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(r.status()).as(r.toString()).isEqualTo(400);
            errorShape(s, r, "invalid_request", null, r.toString());
            JsonNode errors = r.body().path("error").path("details").path("errors");
            s.assertThat(errors.isArray()).as("details.errors is a list: " + r).isTrue();
            List<String> fields = new ArrayList<>();
            errors.forEach(e -> {
                fields.add(e.path("field").asText(null));
                s.assertThat(e.path("message").asText("")).as("each problem has a message: " + e).isNotBlank();
            });
            s.assertThat(fields).as("every problem is listed: " + r).containsAll(expected);
            s.assertThat(r.field()).as("details.field is the first problem").isEqualTo(fields.isEmpty() ? null : fields.get(0));
            s.assertThat(TableSnapshot.diff(before, after)).as("nothing stored").isEmpty();
            s.assertAll();
        }
        Api.Reply stored = api.admin("GET", P, null);
        assertThat(stored.body().path("version").asLong()).isEqualTo(1);
        assertThat(stored.body().path("name").asText()).isEqualTo("Acme Rewards");
        assertThat(api.admin("GET", "/v1/programs/fresh", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ seeded fuzzing: never a 5xx

    @TestFactory
    Stream<DynamicTest> seededMutationsNeverAnswer5xxAndFailuresWriteNothing() {
        List<String> nasty = List.of("\"\"", "\"x#y\"", "\"" + "z".repeat(5000) + "\"", "-1", "0", "1.5", "1e400", "-1e400", HUGE,
                "-" + HUGE, "9223372036854775807", "-9223372036854775808", "10000000000001", "true", "false", "null", "[]", "{}",
                "[null]", "{\"a\": {\"b\": [1, 2, {}]}}", "\"\\u0000\"", "\"2026-11-23T09:00:00Z\"", "\"EUR\"", "\"order.paid\"",
                "\"Europe/Berlin\"", "\"ten-off\"", "\"c-1\"", "\"o-1\"", "[\"MONDAY\", 5, null]", "\"\\ud800\"");
        Random random = new Random(20261123L);
        List<DynamicTest> tests = new ArrayList<>();
        for (Target t : bodyTargets()) {
            List<Map.Entry<String, JsonNode>> nodes = nodes(Json.read(t.body()), true);
            for (int i = 0; i < 30; i++) {
                Map.Entry<String, JsonNode> n = nodes.get(random.nextInt(nodes.size()));
                String at = n.getKey();
                String raw;
                String body;
                if (at.isEmpty() || random.nextInt(6) == 0) {
                    // an extra or a missing field instead of a changed one
                    if (at.isEmpty() || !n.getValue().isObject()) {
                        raw = null;
                        body = at.isEmpty() ? t.body() : with(t.body(), at, null);
                        at = at.isEmpty() ? "(unchanged)" : at;
                    } else {
                        raw = nasty.get(random.nextInt(nasty.size()));
                        at = at + ".extra";
                        body = with(t.body(), at, raw);
                    }
                } else {
                    raw = nasty.get(random.nextInt(nasty.size()));
                    body = with(t.body(), at, raw);
                }
                String name = t.name() + " #" + i + ": " + at + (raw == null ? " removed" : " = " + abbreviate(raw, 30));
                String finalBody = body;
                tests.add(dynamicTest(name, () -> {
                    var before = TableSnapshot.of(api.table, api.tenant);
                    Api.Reply r = send(t, t.path(), finalBody, false, t.headers());
                    var after = TableSnapshot.of(api.table, api.tenant);
                    SoftAssertions s = new SoftAssertions();
                    s.assertThat(r.status()).as(name + " -> " + abbreviate(r.toString(), 500) + " (a 5xx is a bug)").isLessThan(500);
                    if (r.status() >= 400) {
                        errorShape(s, r, null, null, name);
                        s.assertThat(TableSnapshot.diff(before, after)).as(name + ": a failed request writes nothing").isEmpty();
                    }
                    s.assertAll();
                }));
            }
        }
        return tests.stream();
    }

    // ================================================================== helpers

    Stream<DynamicTest> tests(List<Case> cases) {
        Set<String> names = new HashSet<>();
        return cases.stream().map(c -> {
            String name = names.add(c.name()) ? c.name() : c.name() + " (" + names.size() + ")";
            return dynamicTest(name, () -> expectRejected(c));
        });
    }

    /** A body-field case: the target's body with {@code field} set to {@code raw}, answered 400 naming the field. */
    static void add(List<Case> cases, Target t, String field, String raw) {
        cases.add(new Case(t.name() + ": " + field + " = " + abbreviate(raw, 40), t, t.path(), with(t.body(), field, raw), false,
                t.headers(), 400, "invalid_request", field));
    }

    void expectRejected(Case c) {
        var before = TableSnapshot.of(api.table, api.tenant);
        Api.Reply r = send(c.target(), c.path(), c.body(), c.base64(), c.headers());
        var after = TableSnapshot.of(api.table, api.tenant);
        String what = c.name() + " -> " + abbreviate(r.toString(), 600);
        SoftAssertions s = new SoftAssertions();
        s.assertThat(r.status()).as(what + " (a 5xx is a bug)").isLessThan(500);
        s.assertThat(r.status()).as(what).isEqualTo(c.status());
        errorShape(s, r, c.code(), c.field(), what);
        s.assertThat(TableSnapshot.diff(before, after)).as(c.name() + ": must write nothing").isEmpty();
        s.assertAll();
    }

    static void errorShape(SoftAssertions s, Api.Reply r, String code, String field, String what) {
        JsonNode err = r.body().path("error");
        s.assertThat(r.body().isObject() && r.body().size() == 1 && err.isObject())
                .as(what + ": the body is {\"error\": {...}}").isTrue();
        s.assertThat(err.path("code").isTextual()).as(what + ": error.code is a string").isTrue();
        if (code != null) {
            s.assertThat(err.path("code").asText()).as(what + ": error.code").isEqualTo(code);
        }
        s.assertThat(err.path("message").isTextual() && !err.path("message").asText().isBlank())
                .as(what + ": error.message is a sentence").isTrue();
        s.assertThat(err.path("details").isObject()).as(what + ": error.details is an object").isTrue();
        if (ANY.equals(field)) {
            s.assertThat(err.path("details").path("field").isTextual()).as(what + ": details.field is present").isTrue();
        } else if (field != null) {
            s.assertThat(err.path("details").path("field").asText(null)).as(what + ": details.field").isEqualTo(field);
        }
        s.assertThat(r.headers().getOrDefault("content-type", "")).as(what + ": JSON answer").startsWith("application/json");
    }

    Api.Reply send(Target t, String path, String body, boolean base64, Map<String, String> headers) {
        String key = t.role() == Role.ADMIN ? api.adminKey : api.shopKey;
        return api.send(t.method(), path, body, base64, key, headers);
    }

    static void expectStatus(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    /** Every node of a JSON document with its JSON path ({@code a.b[0].c}); the root as "" if asked. */
    static List<Map.Entry<String, JsonNode>> nodes(JsonNode root, boolean withRoot) {
        List<Map.Entry<String, JsonNode>> out = JsonPaths.nodes(root);
        if (!withRoot) {
            out.remove(0);
        }
        return out;
    }

    /** Inside free-form data (attribute values, condition values) any type may be legal. */
    static boolean freeForm(String path) {
        return path.matches("(^|.*\\.)attributes\\..+") || path.matches(".*\\.value(\\[\\d+])?$");
    }

    static boolean decimalField(String path) {
        return path.endsWith("multiplier") || path.endsWith("earnMultiplier");
    }

    /** {@code json} with the node at {@code path} set to the raw JSON {@code raw} (removed when null). */
    static String with(String json, String path, String raw) {
        JsonNode root = Json.read(json);
        JsonPaths.set(root, path, raw == null ? null : Json.read(raw));
        return Json.write(root);
    }

    /** The body with its first key repeated (a duplicate key). */
    static String duplicateFirstKey(String json) {
        JsonNode root = Json.read(json);
        Map.Entry<String, JsonNode> first = root.fields().next();
        String body = json.trim();
        return "{" + Json.write(first.getKey()) + ": " + Json.write(first.getValue()) + ", " + body.substring(1);
    }

    /** The body followed by spaces up to exactly {@code bytes} bytes of UTF-8 (still valid JSON). */
    static String padded(String json, int bytes) {
        int have = json.getBytes(StandardCharsets.UTF_8).length;
        return json + " ".repeat(bytes - have);
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }
}
