package dev.laurel.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.it.Api;
import dev.laurel.it.JsonPaths;
import dev.laurel.it.TableSnapshot;
import dev.laurel.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Item 3 of issue 5: a seeded generator ({@link Hostile}) of malformed, oversized, wrongly typed
 * and adversarial bodies, headers, query strings and path parameters for every route, on top of
 * BadInputTest's hand-picked cases (one broken thing at a time) and its mutation fuzzing. Here
 * cases come in volume and combine: several wrong fields at once, nesting and numbers past the
 * parser's limits in any field, ids with control characters, traversal, {@code #} and key
 * layouts in bodies and path parameters, duplicate keys deep inside, truncation at any byte,
 * invalid UTF-8 and base64, oversized bodies of four shapes, header and query games.
 *
 * <p>Every answer must be a 4xx in the one error shape (the status exactly where the contract
 * fixes it: 413, 415, 400) and never a 5xx; the tenant's items are compared before and after each
 * batch. Values that may legally be accepted (free text, attribute values) are checked for never
 * answering 5xx and for writing nothing when refused. Seed: {@code laurel.reliability.seed}.
 */
class HostileInputTest {
    static final long SEED = Long.getLong("laurel.reliability.seed", 5_2026L);
    static final String P = Workload.P;
    static final int MAX = 256 * 1024;

    static Gateway gateway;
    static Gateway.Tenant tenant;
    static String redemptionId;
    static String code;

    record Target(String name, String route, String path, boolean admin, String body, Map<String, String> headers) {
        String method() {
            return route.split(" ", 2)[0];
        }
    }

    /** One hostile request: either the usual path routing, or explicit path parameters (raw event). */
    record Case(String name, Target target, String path, Map<String, String> pathParameters, String query, String body,
                boolean base64, Map<String, String> headers, int status, String code, String field) {
    }

    @BeforeAll
    static void aTenantWithAProgramACustomerAnOrderAndARedemption() {
        gateway = Gateway.clean();
        tenant = gateway.tenant();
        Workload.createProgram(tenant);
        expect(gateway.call("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 500_000, "2026-11-23T09:00:00Z"), tenant.shopKey(),
                Map.of()), 200);
        redemptionId = newRedemption();
        code = expect(gateway.call("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"free\"}", tenant.shopKey(),
                Map.of("Idempotency-Key", "k-code")), 201).body().path("code").asText();
    }

    static String newRedemption() {
        Api.Reply r = expect(gateway.call("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"free\"}", tenant.shopKey(),
                Map.of("Idempotency-Key", "k-" + java.util.UUID.randomUUID())), 201);
        return r.body().path("redemptionId").asText();
    }

    static Api.Reply expect(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    static List<Target> targets() {
        List<Target> t = new ArrayList<>();
        t.add(new Target("PUT program", "PUT /v1/programs/{programId}", P, true, Workload.PROGRAM.trim(), Map.of()));
        t.add(new Target("GET program", "GET /v1/programs/{programId}", P, true, null, Map.of()));
        t.add(new Target("PATCH rule", "PATCH /v1/programs/{programId}/earningRules/{ruleId}", P + "/earningRules/purchase", true,
                "{\"status\": \"disabled\"}", Map.of()));
        t.add(new Target("PATCH reward", "PATCH /v1/programs/{programId}/rewards/{rewardId}", P + "/rewards/free", true,
                "{\"status\": \"disabled\"}", Map.of()));
        t.add(new Target("PUT customer", "PUT /v1/programs/{programId}/customers/{customerId}", P + "/customers/c-2", false,
                "{\"email\": \"c2@example.com\", \"attributes\": {\"country\": \"DE\", \"visits\": 3}, \"consent\": {\"marketing\": true}}",
                Map.of()));
        t.add(new Target("wallet", "GET /v1/programs/{programId}/customers/{customerId}", P + "/customers/c-1", false, null, Map.of()));
        t.add(new Target("ledger", "GET /v1/programs/{programId}/customers/{customerId}/ledger", P + "/customers/c-1/ledger", false,
                null, Map.of()));
        t.add(new Target("earn", "POST /v1/programs/{programId}/earn", P + "/earn",
                false, Api.orderPaid("c-9", "o-9", 12_999, "2026-11-23T09:00:00Z").trim(), Map.of()));
        t.add(new Target("validate", "POST /v1/programs/{programId}/validate", P + "/validate", false,
                "{\"customerId\": \"c-1\", \"order\": {\"id\": \"o-v\", \"totalMinor\": 5000, \"currency\": \"EUR\", \"items\": "
                        + "[{\"sku\": \"A-1\", \"category\": \"shoes\", \"quantity\": 2, \"unitPriceMinor\": 2500}]}, \"rewards\": [\"ten-off\"]}",
                Map.of()));
        t.add(new Target("redeem", "POST /v1/programs/{programId}/redeem", P + "/redeem", false,
                "{\"customerId\": \"c-1\", \"rewardId\": \"ten-off\", \"order\": {\"id\": \"o-r\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}",
                Map.of("Idempotency-Key", "k-hostile")));
        t.add(new Target("donate", "POST /v1/programs/{programId}/donations", P + "/donations", false,
                "{\"customerId\": \"c-1\", \"charityId\": \"trees\", \"points\": 1}", Map.of("Idempotency-Key", "k-hostile-d")));
        t.add(new Target("rollback", "POST /v1/programs/{programId}/redemptions/{redemptionId}/rollback",
                P + "/redemptions/" + redemptionId + "/rollback", false, "{\"reason\": \"customer cancelled\"}", Map.of()));
        t.add(new Target("refunds", "POST /v1/programs/{programId}/refunds", P + "/refunds", false,
                "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 1000}", Map.of()));
        t.add(new Target("member listing", "GET /v1/programs/{programId}/customers", P + "/customers", true, null, Map.of()));
        t.add(new Target("report", "GET /v1/programs/{programId}/reports/summary", P + "/reports/summary", true, null, Map.of()));
        t.add(new Target("code", "GET /v1/programs/{programId}/codes/{code}", P + "/codes/" + code, false, null, Map.of()));
        t.add(new Target("code qr", "GET /v1/programs/{programId}/codes/{code}/qr.svg", P + "/codes/" + code + "/qr.svg", false,
                null, Map.of()));
        t.add(new Target("session", "POST /v1/programs/{programId}/customers/{customerId}/sessions", P + "/customers/c-1/sessions",
                false, null, Map.of()));
        t.add(new Target("use code", "POST /v1/programs/{programId}/codes/{code}/use", P + "/codes/" + code + "/use", false,
                "{\"orderId\": \"pos-1\", \"location\": \"till 3\"}", Map.of()));
        t.add(new Target("PUT import", "PUT /v1/programs/{programId}/imports/{importId}", P + "/imports/i-hostile", true,
                "{\"dryRun\": true}", Map.of()));
        t.add(new Target("GET import", "GET /v1/programs/{programId}/imports/{importId}", P + "/imports/i-hostile", true, null, Map.of()));
        t.add(new Target("import rows", "POST /v1/programs/{programId}/imports/{importId}/rows", P + "/imports/i-hostile/rows?offset=0",
                true, "email\na@example.com\n", Map.of("Content-Type", "text/csv")));
        t.add(new Target("revert import", "POST /v1/programs/{programId}/imports/{importId}/revert", P + "/imports/i-hostile/revert",
                true, null, Map.of()));
        t.add(new Target("PUT webhook", "PUT /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1", true,
                "{\"url\": \"http://127.0.0.1:9/hook\", \"secret\": \"0123456789abcdef\", \"events\": [\"points.earned\"]}", Map.of()));
        t.add(new Target("GET webhook", "GET /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1", true, null, Map.of()));
        t.add(new Target("DELETE webhook", "DELETE /v1/webhooks/{webhookId}", "/v1/webhooks/wh-1", true, null, Map.of()));
        t.add(new Target("deliveries", "GET /v1/webhooks/{webhookId}/deliveries", "/v1/webhooks/wh-1/deliveries", true, null, Map.of()));
        t.add(new Target("create key", "POST /v1/keys", "/v1/keys", true, "{\"role\": \"shop\", \"name\": \"till 3\"}", Map.of()));
        t.add(new Target("list keys", "GET /v1/keys", "/v1/keys", true, null, Map.of()));
        t.add(new Target("revoke key", "DELETE /v1/keys/{keyId}", "/v1/keys/key-0123456789abcdef", true, null, Map.of()));
        t.add(new Target("confirm consent", "POST /v1/consent/confirm", "/v1/consent/confirm", false,
                "{\"token\": \"" + "A".repeat(43) + "\"}", Map.of()));
        assertThat(t.stream().map(Target::route).toList()).as("every route").containsExactlyInAnyOrderElementsOf(Api.ROUTES);
        return t;
    }

    static List<Target> bodyTargets() {
        // JSON bodies; the imports' CSV chunks get their own hostile corpus (ImportTest)
        return targets().stream().filter(t -> t.body() != null && !t.body().startsWith("email\n")).toList();
    }

    // ================================================================== bodies

    @Test
    void hostileBodiesOnEveryRouteAnswer4xxInTheErrorShapeAndWriteNothing() {
        Hostile h = new Hostile(SEED);
        List<Case> cases = new ArrayList<>();
        for (Target t : bodyTargets()) {
            List<Map.Entry<String, JsonNode>> nodes = JsonPaths.nodes(Json.read(t.body()));
            List<Map.Entry<String, JsonNode>> typed = nodes.stream().filter(e -> !e.getKey().isEmpty() && !Hostile.freeForm(e.getKey())
                    && (e.getValue().isValueNode() || e.getKey().matches(".*(order|event|items|consent|points|limits|when|stacking)$")))
                    .toList();
            List<Map.Entry<String, JsonNode>> integers = nodes.stream().filter(e -> e.getValue().isIntegralNumber()
                    && !Hostile.freeForm(e.getKey())).toList();
            List<Map.Entry<String, JsonNode>> ids = nodes.stream().filter(e -> Hostile.idField(e.getKey(), e.getValue())).toList();
            List<Map.Entry<String, JsonNode>> objects = nodes.stream().filter(e -> e.getValue().isObject() && e.getValue().size() > 0
                    && !Hostile.freeForm(e.getKey())).toList();
            for (int i = 0; i < 4; i++) {
                String big = h.oversized(t.body());
                boolean b64 = h.nextInt(3) == 0;
                cases.add(body(t, "oversized " + big.length() + " chars" + (b64 ? ", base64" : ""),
                        b64 ? Hostile.base64(big.getBytes(StandardCharsets.UTF_8)) : big, b64, 413, "payload_too_large"));
                var n = h.pick(nodes);
                cases.add(body(t, "nesting past 32 at " + label(n.getKey()), Hostile.withRaw(t.body(), orRoot(n.getKey(), nodes), h.deep()),
                        false, 400, "invalid_request"));
                if (!integers.isEmpty()) {
                    var k = h.pick(integers);
                    String num = h.badNumber();
                    cases.add(body(t, k.getKey() + " = " + abbreviate(num), Hostile.withRaw(t.body(), k.getKey(), num), false, 400,
                            "invalid_request"));
                }
                // one to three fields of the wrong type at once
                String wrong = t.body();
                List<String> changed = new ArrayList<>();
                for (int j = 0, m = 1 + h.nextInt(3); j < m && !typed.isEmpty(); j++) {
                    var f = h.pick(typed);
                    if (changed.stream().anyMatch(c -> f.getKey().startsWith(c) || c.startsWith(f.getKey()))) {
                        continue;
                    }
                    wrong = Hostile.withRaw(wrong, f.getKey(), h.otherType(f.getValue()));
                    changed.add(f.getKey());
                }
                if (!changed.isEmpty()) {
                    cases.add(body(t, "wrong types at " + changed, wrong, false, 400, "invalid_request"));
                }
                if (!ids.isEmpty()) {
                    var id = h.pick(ids);
                    String bad = h.badId();
                    cases.add(body(t, id.getKey() + " = " + abbreviate(Json.write(bad)), Hostile.withRaw(t.body(), id.getKey(), Json.write(bad)),
                            false, 400, "invalid_request"));
                    cases.add(body(t, id.getKey() + " with bytes that are not UTF-8 (base64)",
                            h.invalidUtf8(Json.write(Json.read(t.body())), id.getValue().asText()), true, 400, "invalid_request"));
                }
                if (!objects.isEmpty()) {
                    var o = h.pick(objects);
                    cases.add(body(t, "duplicate key in " + label(o.getKey()), Hostile.duplicateKeyAt(t.body(), o.getKey()), false, 400,
                            "invalid_request"));
                    String name = h.badFieldName();
                    String extra = Json.write(Json.read(t.body()));
                    String inner = Json.write(JsonPaths.at(Json.read(t.body()), o.getKey()));
                    int at = extra.indexOf(inner);
                    extra = extra.substring(0, at) + "{" + Json.write(name) + ": 1, " + inner.substring(1) + extra.substring(at + inner.length());
                    cases.add(body(t, "unknown field " + abbreviate(Json.write(name)) + " in " + label(o.getKey()), extra, false, 400,
                            "invalid_request"));
                }
                String whole = Json.write(Json.read(t.body()));
                int cut = 1 + h.nextInt(whole.length() - 1);
                cases.add(body(t, "truncated at byte " + cut, whole.substring(0, cut), false, 400, "invalid_request"));
                cases.add(body(t, "flagged base64, is not", h.badBase64(), true, 400, "invalid_request"));
                cases.add(body(t, "trailing " + (i % 2 == 0 ? "garbage" : "NUL"), whole + (i % 2 == 0 ? " }" : "\u0000"), false, 400,
                        "invalid_request"));
            }
        }
        run("bodies", cases);
    }

    // ================================================================== path parameters

    @Test
    void hostilePathParametersOnEveryRouteAnswer400NamingTheParameterAndWriteNothing() {
        Hostile h = new Hostile(SEED + 1);
        List<Case> cases = new ArrayList<>();
        for (Target t : targets()) {
            Map<String, String> params = params(t);
            for (String name : params.keySet()) {
                for (int i = 0; i < 10; i++) {
                    Map<String, String> p = new LinkedHashMap<>(params);
                    String bad = h.badId();
                    p.put(name, bad);
                    cases.add(new Case(t.name() + ": path " + name + " = " + abbreviate(Json.write(bad)), t, t.path(), p, null, t.body(),
                            false, t.headers(), 400, "invalid_request", name));
                }
                Map<String, String> missing = new LinkedHashMap<>(params);
                missing.remove(name);
                cases.add(new Case(t.name() + ": path " + name + " missing", t, t.path(), missing, null, t.body(), false, t.headers(), 400,
                        "invalid_request", name));
            }
        }
        run("path parameters", cases);
    }

    // ================================================================== headers and query strings

    @Test
    void hostileHeadersAndQueryStringsAnswerTheirPrecise4xxAndWriteNothing() {
        Hostile h = new Hostile(SEED + 2);
        List<Case> cases = new ArrayList<>();
        Map<String, Target> byName = new HashMap<>();
        targets().forEach(t -> byName.put(t.name(), t));
        for (String name : List.of("redeem", "rollback", "refunds")) {
            Target t = byName.get(name);
            List<String> keys = new ArrayList<>(List.of("k-1,k-2", " k-1", "k-1 ", "k 1", "k-1\r\nX-Injected: 1", "\"k-1\""));
            for (int i = 0; i < 6; i++) {
                keys.add(h.badId());
            }
            for (String k : keys) {
                cases.add(new Case(name + ": Idempotency-Key " + abbreviate(Json.write(k)), t, t.path(), null, null, t.body(), false,
                        Map.of("Idempotency-Key", k), 400, "invalid_request", "Idempotency-Key"));
            }
        }
        for (Target t : bodyTargets()) {
            for (String type : List.of("application/json-patch+json", "application/jsonx", "text/json", "application/vnd.api+json",
                    "multipart/form-data; boundary=x", "application/json, text/plain", ";application/json", "*/*", "", "application/x-ndjson",
                    "json", "application/j son")) {
                Map<String, String> hs = new LinkedHashMap<>(t.headers());
                hs.put("Content-Type", type);
                cases.add(new Case(t.name() + ": Content-Type " + Json.write(type), t, t.path(), null, null, t.body(), false, hs, 415,
                        "unsupported_media_type", null));
            }
        }
        Target put = byName.get("PUT program");
        for (String v : List.of("*", "W/\"x\"", "1,2", "0x1", "1e0", "1.0", "", "\"\"", "9".repeat(30), "one", "W/", "1 1")) {
            cases.add(new Case("PUT program: If-Match " + Json.write(v), put, put.path(), null, null, put.body(), false, Map.of("If-Match", v),
                    400, "invalid_request", "If-Match"));
        }
        Target ledger = byName.get("ledger");
        for (String limit : List.of("1,2", "", "0x10", "1e1", "99999999999", "-0", "5.0", " 5", "5 ", "NaN", "Infinity",
                "9".repeat(100))) {
            cases.add(new Case("ledger: limit=" + Json.write(limit), ledger, ledger.path(), null,
                    "limit=" + URLEncoder.encode(limit, StandardCharsets.UTF_8), null, false, Map.of(), 400, "invalid_request", "limit"));
        }
        cases.add(new Case("ledger: limit twice", ledger, ledger.path(), null, "limit=5&limit=6", null, false, Map.of(), 400,
                "invalid_request", "limit"));
        for (int i = 0; i < 12; i++) {
            byte[] junk = new byte[1 + h.nextInt(300)];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = (byte) h.nextInt(256);
            }
            if (junk[0] == 'E') {
                junk[0] = 'X';
            }
            String cursor = i % 3 == 0 ? h.badBase64() : Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
            cases.add(new Case("ledger: cursor of " + cursor.length() + " chars", ledger, ledger.path(), null,
                    "limit=10&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null, false, Map.of(), 400, "invalid_request",
                    "cursor"));
        }
        cases.add(new Case("ledger: cursor of 10000 chars", ledger, ledger.path(), null,
                "cursor=" + Base64.getUrlEncoder().withoutPadding().encodeToString(("E#" + "9".repeat(8000)).getBytes(StandardCharsets.UTF_8)),
                null, false, Map.of(), 400, "invalid_request", "cursor"));
        Target report = byName.get("report");
        for (String from : List.of("2026-11-01,2026-11-02", "", "2026-13-01", "2026-11-1", "+2026-11-01", "2026-11-01T00:00:00Z",
                "20261101", "2026-02-29", " 2026-11-01", "9".repeat(200), "2026-11-01%00", "-999999999-01-01")) {
            cases.add(new Case("report: from=" + Json.write(from), report, report.path(), null,
                    "from=" + URLEncoder.encode(from, StandardCharsets.UTF_8) + "&to=2026-11-30", null, false, Map.of(), 400,
                    "invalid_request", "from"));
        }
        cases.add(new Case("report: from twice", report, report.path(), null, "from=2026-11-01&from=2026-11-02&to=2026-11-30", null, false,
                Map.of(), 400, "invalid_request", "from"));
        cases.add(new Case("report: 367 days", report, report.path(), null, "from=2026-01-01&to=2027-01-02", null, false, Map.of(), 400,
                "invalid_request", "to"));
        cases.add(new Case("report: FROM", report, report.path(), null, "FROM=2026-11-01&to=2026-11-30", null, false, Map.of(), 400,
                "invalid_request", "FROM"));
        for (String q : List.of("__proto__", "limit%20", "LIMIT", "cursor%00", "a".repeat(500))) {
            cases.add(new Case("ledger: query parameter " + abbreviate(q), ledger, ledger.path(), null, q + "=1", null, false, Map.of(),
                    400, "invalid_request", null));
        }
        run("headers and query strings", cases);
    }

    // ================================================================== values that may be accepted

    /**
     * Free text and attribute values where unusual content may be legal: whatever the answer, it
     * is not a 5xx, and a refusal writes nothing. Each case on its own (each may write).
     */
    @Test
    void freeTextAndAttributeValuesNeverAnswer5xxAndARefusalWritesNothing() {
        Hostile h = new Hostile(SEED + 3);
        List<String> texts = new ArrayList<>(List.of("\u0000", "\ud800", "\udfff", "a\ud800b", "\u202eevil", "\ud83d\ude00".repeat(100),
                "e\u0301\u0301\u0301", "\uFEFF", "line\nbreak", "tab\t", "\u001b[31mred", "<script>", "${jndi:ldap://127.0.0.1/a}"));
        for (int i = 0; i < 4; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0, n = 1 + h.nextInt(40); j < n; j++) {
                sb.append((char) h.nextInt(0x10000));
            }
            texts.add(sb.toString());
        }
        List<String> values = List.of("0.000000000000000000001", "1e100", "123456789012345678901234567890123456789", "-0", "0e0",
                "{\"a\": {\"b\": \"x\"}}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
                "\"" + "z".repeat(200_000) + "\"", "[" + "1,".repeat(20_000) + "1]", "{\"a\": null}", "\"\"", "[]", "{}");
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String text : texts) {
            String rid = newRedemption();
            n += check(failures, "rollback reason " + abbreviate(Json.write(text)), "POST", P + "/redemptions/" + rid + "/rollback",
                    "{\"reason\": " + Json.write(text) + "}", Map.of());
            n += check(failures, "customer email " + abbreviate(Json.write(text)), "PUT", P + "/customers/t-" + n,
                    "{\"email\": " + Json.write("x" + text + "@example.com") + "}", Map.of());
            n += check(failures, "attribute " + abbreviate(Json.write(text)), "PUT", P + "/customers/t-" + n,
                    "{\"attributes\": {\"note\": " + Json.write(text) + "}}", Map.of());
            n += check(failures, "event attribute " + abbreviate(Json.write(text)), "POST", P + "/earn",
                    "{\"customerId\": \"c-1\", \"event\": {\"type\": \"social.liked\", \"id\": \"ev-" + n + "\", \"attributes\": {\"note\": "
                            + Json.write(text) + "}}}", Map.of());
        }
        for (String v : values) {
            n += check(failures, "attribute value " + abbreviate(v), "PUT", P + "/customers/v-" + n, "{\"attributes\": {\"x\": " + v + "}}",
                    Map.of());
            n += check(failures, "event attribute value " + abbreviate(v), "POST", P + "/earn",
                    "{\"customerId\": \"c-1\", \"event\": {\"type\": \"social.liked\", \"id\": \"ev-" + n + "\", \"attributes\": {\"x\": "
                            + v + "}}}", Map.of());
        }
        Map<String, String> lenient = Map.of("If-Match", "\uff11");
        n += check(failures, "If-Match in fullwidth digits", "PUT", P, Workload.PROGRAM, lenient);
        n += check(failures, "ledger limit=+5", "GET", P + "/customers/c-1/ledger?limit=%2B5", null, Map.of());
        n += check(failures, "ledger limit in Arabic-Indic digits", "GET", P + "/customers/c-1/ledger?limit=%D9%A5", null, Map.of());
        n += check(failures, "body with a byte order mark", "POST", P + "/validate", "\uFEFF{\"customerId\": \"c-1\"}", Map.of());
        System.out.println("HostileInputTest: " + n + " free-text and attribute cases");
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    // ================================================================== limits of what one item can store

    /**
     * Attribute values DynamoDB cannot store: numbers beyond its range (magnitude over 9.99E+125 or
     * under 1E-130) or its 38 significant digits, and empty keys inside map values, are refused
     * with 400 {@code invalid_request} naming the attribute (they once answered 500: the store's
     * write failed with a ValidationException).
     */
    @Test
    void attributeValuesDynamoDbCannotStoreAreRefusedWith400NamingTheAttribute() {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String v : List.of("1e200", "-1e200", "1e-200", "1.23456789012345678901234567890123456789", "{\"\": 1}",
                "{\"a\": {\"\": \"x\"}}")) {
            var before = TableSnapshot.of(Gateway.table(), tenant.id());
            Api.Reply r = gateway.call("PUT", P + "/customers/d-" + n++, "{\"attributes\": {\"x\": " + v + "}}", tenant.shopKey(), Map.of());
            if (r.status() != 400 || !"invalid_request".equals(r.code()) || r.field() == null || !r.field().startsWith("attributes.x")
                    || !TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), tenant.id())).isEmpty()) {
                failures.add("attributes.x = " + v + " -> " + abbreviate(r.toString()));
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A customer's attributes merge upsert by upsert, each body under 256 KiB, until the profile
     * item would pass DynamoDB's 400 KB: that upsert, and from then on every write of that customer
     * (earn, redeem: the lots live in the same item), could never succeed. The attributes, all
     * together, are limited (Upsert.MAX_ATTRIBUTES_CHARS): an upsert beyond it answers 400
     * {@code invalid_request} before anything is written, and the customer keeps working.
     */
    @Test
    void aCustomersAttributesCannotGrowPastWhatOneItemHolds() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Reply r = gateway.call("PUT", P + "/customers/grow", "{\"attributes\": {\"a" + i + "\": \"" + "g".repeat(200_000) + "\"}}",
                    tenant.shopKey(), Map.of());
            if (!(r.status() == 200 || r.status() == 201 || (r.status() == 400 && "invalid_request".equals(r.code())))) {
                failures.add("upsert " + (i + 1) + " -> " + abbreviate(r.toString()));
            }
        }
        for (int i = 0; i < 20; i++) {
            Api.Reply r = gateway.call("POST", P + "/earn", Api.orderPaid("grow", "o-g" + i, 5000, "2026-11-23T09:00:00Z"), tenant.shopKey(),
                    Map.of());
            if (r.status() != 200) {
                failures.add("earn " + i + " of the grown customer -> " + abbreviate(r.toString()));
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Sends one request that may succeed; records a 5xx, a malformed error, or a refusal that wrote. */
    int check(List<String> failures, String name, String method, String path, String body, Map<String, String> headers) {
        boolean admin = method.equals("PUT") && path.equals(P) || method.equals("PATCH");
        var before = TableSnapshot.of(Gateway.table(), tenant.id());
        Api.Reply r = gateway.call(method, path, body, admin ? tenant.adminKey() : tenant.shopKey(), headers);
        String what = name + " -> " + abbreviate(r.toString());
        if (r.status() >= 500) {
            failures.add(what + " (a 5xx is a bug)");
        } else if (r.status() >= 400) {
            if (!errorShape(r)) {
                failures.add(what + ": not the error shape");
            }
            String diff = TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), tenant.id()));
            if (!diff.isEmpty()) {
                failures.add(what + ": refused, yet wrote " + diff);
            }
        }
        return 1;
    }

    // ================================================================== running cases

    void run(String what, List<Case> cases) {
        var before = TableSnapshot.of(Gateway.table(), tenant.id());
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Case c : cases) {
            Api.Reply r = send(c);
            statuses.merge(r.status(), 1, Integer::sum);
            String name = c.name() + " -> " + abbreviate(r.toString());
            if (r.status() >= 500) {
                failures.add(name + " (a 5xx is a bug)");
            } else if (r.status() != c.status() || !c.code().equals(r.code())) {
                failures.add(name + ": expected " + c.status() + " " + c.code());
            } else if (!errorShape(r)) {
                failures.add(name + ": not the error shape");
            } else if (c.field() != null && !c.field().equals(r.field())) {
                failures.add(name + ": details.field should be " + c.field());
            }
        }
        String diff = TableSnapshot.diff(before, TableSnapshot.of(Gateway.table(), tenant.id()));
        System.out.println("HostileInputTest " + what + ": " + cases.size() + " cases, answers " + statuses);
        assertThat(failures).as(what + ", seed " + SEED + ": " + failures.size() + " of " + cases.size() + " cases").isEmpty();
        assertThat(diff).as(what + ": the refused requests wrote nothing").isEmpty();
        assertThat(cases.size()).as("cases generated").isGreaterThan(100);
    }

    Api.Reply send(Case c) {
        Target t = c.target();
        String key = t.admin() ? tenant.adminKey() : tenant.shopKey();
        String path = c.path() + (c.query() == null ? "" : "?" + c.query());
        if (c.pathParameters() == null) {
            return gateway.send(t.method(), path, c.body(), c.base64(), key, c.headers());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("authorization", "Bearer " + key);
        c.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return gateway.invoke(gateway.event(t.route(), c.path(), "", c.pathParameters(), Map.of(), headers, c.body(), c.base64()));
    }

    static Case body(Target t, String what, String body, boolean base64, int status, String code) {
        return new Case(t.name() + ": " + what, t, t.path(), null, null, body, base64, t.headers(), status, code, null);
    }

    static boolean errorShape(Api.Reply r) {
        JsonNode err = r.body().path("error");
        return r.body().isObject() && r.body().size() == 1 && err.path("code").isTextual() && err.path("message").isTextual()
                && !err.path("message").asText().isBlank() && err.path("details").isObject()
                && r.headers().getOrDefault("content-type", "").startsWith("application/json");
    }

    /** The valid path parameters of a target, from its route template and path. */
    static Map<String, String> params(Target t) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] template = t.route().split(" ", 2)[1].split("/");
        String[] values = t.path().split("/");
        for (int i = 0; i < template.length; i++) {
            Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template[i]);
            if (m.matches()) {
                out.put(m.group(1), values[i]);
            }
        }
        return out;
    }

    static String orRoot(String path, List<Map.Entry<String, JsonNode>> nodes) {
        if (!path.isEmpty()) {
            return path;
        }
        Predicate<Map.Entry<String, JsonNode>> child = e -> !e.getKey().isEmpty() && !e.getKey().contains(".") && !e.getKey().contains("[");
        return nodes.stream().filter(child).findFirst().map(Map.Entry::getKey).orElseThrow();
    }

    static String label(String path) {
        return path.isEmpty() ? "the root" : path;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…(" + s.length() + " chars)";
    }
}
