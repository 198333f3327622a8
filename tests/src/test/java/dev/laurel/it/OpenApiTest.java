package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.laurel.json.Json;
import dev.laurel.notify.Outbox;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * api/openapi.yaml is the API: its routes are exactly template.yaml's (plus the documented
 * local-only ones), every example validates against its schema, and every request example is
 * accepted by the real handlers, whose answers validate against the documented schemas (and
 * equal the documented answer examples of the same name, up to generated ids).
 *
 * <p>Validation goes through {@link SchemaValidator}: {@link MiniValidator} (below, no dependency)
 * always runs; if {@code com.networknt:json-schema-validator} is on the test classpath it runs as
 * well, through reflection, and both must agree.
 */
class OpenApiTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");
    static final List<String> LOCAL_ROUTES = List.of("POST /local/clock", "POST /local/schedules/{name}/run",
            "GET /local/outbox");
    /** Fields whose values the API generates anew on every call (compared by presence only). */
    static final Set<String> GENERATED = Set.of("entryId", "redemptionId", "code");
    static final String JSON_TYPE = "application/json";

    static JsonNode doc;
    static List<SchemaValidator> validators;
    static Map<String, Op> ops;

    record Op(String method, String path, JsonNode pathItem, JsonNode node) {
        String id() {
            return node.path("operationId").asText();
        }

        String route() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }

        boolean localOnly() {
            return node.path("x-laurel-local-only").asBoolean(false);
        }

        List<String> roles() {
            List<String> out = new ArrayList<>();
            node.path("x-laurel-roles").forEach(r -> out.add(r.asText()));
            return out;
        }

        @Override
        public String toString() {
            return id() + " (" + route() + ")";
        }
    }

    @BeforeAll
    static void load() throws Exception {
        doc = YAML.readTree(LocalDynamo.root().resolve("api").resolve("openapi.yaml").toFile());
        validators = new ArrayList<>();
        validators.add(new MiniValidator(doc));
        NetworkntValidator.load(doc).ifPresent(validators::add);
        ops = new LinkedHashMap<>();
        doc.path("paths").fields().forEachRemaining(p -> {
            for (String m : METHODS) {
                if (p.getValue().has(m)) {
                    Op op = new Op(m, p.getKey(), p.getValue(), p.getValue().get(m));
                    assertThat(ops.put(op.id(), op)).as("duplicate operationId " + op.id()).isNull();
                }
            }
        });
    }

    // ================================================================ a) routes

    @Test
    void theDocumentsRoutesAreTheTemplatesRoutesPlusTheLocalOnlyOnes() throws Exception {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        JsonNode resources = YAML.readTree(LocalDynamo.root().resolve("template.yaml").toFile()).path("Resources");
        Set<String> template = new TreeSet<>();
        resources.forEach(r -> r.path("Properties").path("Events").forEach(e -> {
            if (e.path("Type").asText().equals("HttpApi")) {
                template.add(e.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT) + " "
                        + e.path("Properties").path("Path").asText());
            }
        }));
        Set<String> deployed = new TreeSet<>();
        Set<String> local = new TreeSet<>();
        for (Op op : ops.values()) {
            (op.localOnly() ? local : deployed).add(op.route());
        }
        assertThat(deployed).isEqualTo(template);
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(Api.ROUTES);
        assertThat(local).containsExactlyInAnyOrderElementsOf(LOCAL_ROUTES);
        for (Op op : ops.values()) {
            List<String> tags = new ArrayList<>();
            op.node().path("tags").forEach(t -> tags.add(t.asText()));
            if (op.localOnly()) {
                assertThat(tags).as(op.toString()).contains("local");
                assertThat(op.node().path("security").isArray() && op.node().path("security").isEmpty())
                        .as(op + ": local routes need no key").isTrue();
            } else {
                assertThat(tags).as(op.toString()).doesNotContain("local");
                assertThat(op.node().has("security")).as(op + " uses the document's bearer auth").isFalse();
                assertThat(op.roles()).as(op + ": x-laurel-roles").isNotEmpty().isSubsetOf("admin", "shop").contains("admin");
                assertThat(op.node().path("description").asText()).as(op + " describes its role")
                        .contains(op.roles().contains("shop") ? "Role: shop or admin" : "Role: admin");
            }
        }
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/security/0").has("bearerAuth")).isTrue();
    }

    @Test
    void everyOperationDocumentsTheErrorsTheHttpGlueCanAnswer() {
        for (Op op : ops.values()) {
            if (op.localOnly()) {
                continue;
            }
            Set<String> statuses = new TreeSet<>();
            op.node().path("responses").fieldNames().forEachRemaining(statuses::add);
            assertThat(statuses).as(op.toString()).contains("400", "401");
            if (!op.id().equals("putProgram")) {
                assertThat(statuses).as(op.toString()).contains("404");
            }
            if (op.roles().equals(List.of("admin"))) {
                assertThat(statuses).as(op.toString()).contains("403");
            } else {
                assertThat(statuses).as(op + ": a shop route never answers 403").doesNotContain("403");
            }
            if (op.node().has("requestBody")) {
                assertThat(statuses).as(op.toString()).contains("413", "415");
            }
            assertThat(statuses.stream().filter(s -> s.startsWith("2"))).as(op.toString()).isNotEmpty();
            // the database unavailable (API.md Part 2) is the one 5xx; any other is a bug
            assertThat(statuses).as(op + ": 503 unavailable").contains("503");
            assertThat(statuses.stream().filter(s -> s.startsWith("5") && !s.equals("503"))).as(op + ": a 5xx is a bug").isEmpty();
        }
    }

    // ================================================================ b) examples

    @Test
    void everyExampleValidatesAgainstItsSchema() {
        List<String> failures = new ArrayList<>();
        int[] count = {0};
        for (Op op : ops.values()) {
            for (JsonNode p : parameters(op)) {
                String where = op + " parameter " + p.path("name").asText();
                Map<String, JsonNode> ex = examples(p);
                if (ex.isEmpty()) {
                    failures.add(where + ": no example");
                }
                ex.forEach((name, v) -> {
                    count[0]++;
                    check(where + " example " + name, p.get("schema"), v, failures);
                });
            }
            JsonNode body = deref(op.node().path("requestBody"));
            if (!body.isMissingNode()) {
                media(op + " request", body, failures, count);
            }
            op.node().path("responses").fields().forEachRemaining(r -> {
                JsonNode response = deref(r.getValue());
                String where = op + " response " + r.getKey();
                media(where, response, failures, count);
                response.path("headers").fields().forEachRemaining(h -> {
                    JsonNode header = deref(h.getValue());
                    Map<String, JsonNode> ex = examples(header);
                    if (ex.isEmpty()) {
                        failures.add(where + " header " + h.getKey() + ": no example");
                    }
                    ex.forEach((name, v) -> {
                        count[0]++;
                        check(where + " header " + h.getKey(), header.get("schema"), v, failures);
                    });
                });
            });
        }
        assertThat(failures).isEmpty();
        System.out.printf("openapi.yaml: %d operations, %d component schemas, %d examples checked with %s%n",
                ops.size(), doc.at("/components/schemas").size(), count[0],
                validators.stream().map(SchemaValidator::name).toList());
    }

    private void media(String where, JsonNode holder, List<String> failures, int[] count) {
        JsonNode content = holder.path("content");
        if (content.isEmpty()) {
            failures.add(where + ": no content");
        }
        content.fields().forEachRemaining(c -> {
            if (!c.getKey().equals(JSON_TYPE)) {
                failures.add(where + ": " + c.getKey() + " is not " + JSON_TYPE);
            }
            Map<String, JsonNode> ex = examples(c.getValue());
            if (ex.isEmpty()) {
                failures.add(where + ": no example");
            }
            ex.forEach((name, v) -> {
                count[0]++;
                check(where + " example " + name, c.getValue().get("schema"), v, failures);
            });
        });
    }

    private static void check(String where, JsonNode schema, JsonNode value, List<String> failures) {
        if (schema == null) {
            failures.add(where + ": no schema");
            return;
        }
        for (SchemaValidator v : validators) {
            List<String> errors = v.validate(schema, value);
            if (!errors.isEmpty()) {
                failures.add(where + " (" + v.name() + "): " + errors);
            }
        }
    }

    @Test
    void everySchemaUsesOnlyKeywordsTheValidatorKnows() {
        List<String> problems = new ArrayList<>();
        doc.at("/components/schemas").fields().forEachRemaining(s -> MiniValidator.keywords(s.getValue(), "#/components/schemas/"
                + s.getKey(), problems));
        for (Op op : ops.values()) {
            for (JsonNode p : parameters(op)) {
                MiniValidator.keywords(p.get("schema"), op + " " + p.path("name").asText(), problems);
            }
        }
        assertThat(problems).isEmpty();
        assertThatThrownBy(() -> new MiniValidator(doc).validate(Json.mapper().readTree("{\"maxContains\": 1}"), Json.object()))
                .as("an unknown keyword is an error, never silently ignored").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theValidatorRejectsBrokenExamples() {
        JsonNode program = requestExamples(ops.get("putProgram")).get("acme");
        JsonNode earn = requestExamples(ops.get("earn")).get("orderPaid");
        JsonNode definition = schemaRef("ProgramDefinition");
        assertAccepted(definition, program);
        assertRejected("unknown field", definition, with(program, o -> ((ObjectNode) o).put("colour", "green")));
        assertRejected("string for integer", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/1/points")).put("fixed", "25")));
        assertRejected("fraction for integer", definition,
                with(program, o -> ((ObjectNode) o.at("/tiers/1")).put("threshold", new BigDecimal("500.5"))));
        // JSON Schema counts 500.0 as an integer; the API (and MiniValidator with it) does not
        assertThat(validators.get(0).validate(definition,
                with(program, o -> ((ObjectNode) o.at("/tiers/1")).put("threshold", new BigDecimal("500.0")))))
                .as("500.0 is a fraction on the wire").isNotEmpty();
        assertRejected("beyond maximum", definition,
                with(program, o -> ((ObjectNode) o.at("/rewards/0")).put("cost", 10_000_000_000_001L)));
        assertRejected("below minimum", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/0/points/perAmount")).put("amountMinor", 0)));
        assertRejected("unknown reward type", definition,
                with(program, o -> ((ObjectNode) o.at("/rewards/0")).put("type", "discount")));
        assertRejected("both fixed and perAmount", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/0/points")).put("fixed", 1)));
        assertRejected("all and any in one condition node", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/4/when")).set("any", o.at("/earningRules/4/when/all").deepCopy())));
        assertRejected("in without an array", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/4/when/all/1")).put("value", "MONDAY")));
        assertRejected("discount_amount without valueMinor", definition,
                with(program, o -> ((ObjectNode) o.at("/rewards/0")).remove("valueMinor")));
        assertRejected("no tier with threshold 0", definition,
                with(program, o -> ((ArrayNode) o.get("tiers")).remove(0)));
        assertRejected("a rule with neither points nor multiplier", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/4")).remove("multiplier")));
        assertRejected("missing required field", definition, with(program, o -> ((ObjectNode) o).remove("currency")));
        assertRejected("GET's answer sent back as a definition", definition,
                with(program, o -> ((ObjectNode) o).put("programId", "acme").put("version", 1).put("createdAt", "2026-11-23T09:00:00Z")));

        JsonNode earnSchema = schemaRef("EarnRequest");
        assertAccepted(earnSchema, earn);
        assertRejected("bad id", earnSchema, with(earn, o -> ((ObjectNode) o).put("customerId", "c 1")));
        assertRejected("order.paid without an order", earnSchema, with(earn, o -> ((ObjectNode) o.get("event")).remove("order")));
        assertRejected("customer.joined is Laurel's", earnSchema,
                with(earn, o -> ((ObjectNode) o.get("event")).put("type", "customer.joined").remove("order")));
        assertRejected("not an instant", earnSchema,
                with(earn, o -> ((ObjectNode) o.get("event")).put("occurredAt", "2026-11-23 09:00")));
        assertRejected("lower-case currency", earnSchema,
                with(earn, o -> ((ObjectNode) o.at("/event/order")).put("currency", "eur")));

        JsonNode wallet = responseExamples(ops.get("getWallet"), "200").get("c-1");
        JsonNode walletSchema = responseSchema(ops.get("getWallet"), "200");
        assertAccepted(walletSchema, wallet);
        assertRejected("an undocumented answer field", walletSchema, with(wallet, o -> ((ObjectNode) o).put("points", 1)));
        JsonNode notFound = responseSchema(ops.get("getWallet"), "404");
        JsonNode forbidden = responseExamples(ops.get("getProgram"), "403").get("shopKey");
        assertAccepted(responseSchema(ops.get("getProgram"), "403"), forbidden);
        assertRejected("an error code that is not this status's", notFound, forbidden);
        assertRejected("neither error shape", responseSchema(ops.get("getWallet"), "401"), Json.object());
        assertRejected("an error without details", notFound,
                with(forbidden, o -> ((ObjectNode) o.get("error")).put("code", "not_found").remove("details")));
    }

    private static void assertAccepted(JsonNode schema, JsonNode value) {
        for (SchemaValidator v : validators) {
            assertThat(v.validate(schema, value)).as(v.name()).isEmpty();
        }
    }

    private static void assertRejected(String what, JsonNode schema, JsonNode value) {
        for (SchemaValidator v : validators) {
            assertThat(v.validate(schema, value)).as(v.name() + " rejects " + what + ": " + value).isNotEmpty();
        }
    }

    private static JsonNode with(JsonNode node, Consumer<JsonNode> change) {
        JsonNode copy = node.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static JsonNode schemaRef(String name) {
        return Json.object().put("$ref", "#/components/schemas/" + name);
    }

    // ================================================================ c) the API accepts the examples

    /** The deployed operations in an order that makes every example meaningful (program first, redeem before rollback). */
    static final List<String> STORY = List.of("putProgram", "getProgram", "upsertCustomer", "earn", "validate", "redeem",
            "rollbackRedemption", "refund", "getWallet", "listLedger", "setEarningRuleStatus", "setRewardStatus");

    @Test
    void everyRequestExampleIsAcceptedAndAnsweredAsDocumented() {
        assertThat(new LinkedHashSet<>(STORY)).containsExactlyInAnyOrderElementsOf(
                ops.values().stream().filter(o -> !o.localOnly()).map(Op::id).toList());
        Api api = new Api();
        Map<String, String> ids = new HashMap<>();
        // the program first, from the PUT example, without If-Match
        Op put = ops.get("putProgram");
        Api.Reply created = call(api, put, ids, requestExamples(put).get("acme"), Map.of(), api.adminKey);
        assertDocumented(put, created, 201);
        int calls = 0;
        for (String id : STORY) {
            Op op = ops.get(id);
            String key = op.roles().contains("shop") ? api.shopKey : api.adminKey;
            Map<String, String> headers = headerExamples(op);
            Map<String, JsonNode> bodies = requestExamples(op);
            if (bodies.isEmpty()) {
                bodies = new LinkedHashMap<>();
                bodies.put("", null);
            }
            for (var b : bodies.entrySet()) {
                Api.Reply r = call(api, op, ids, b.getValue(), headers, key);
                calls++;
                assertThat(r.status()).as(op + " example " + b.getKey() + ": " + r).isBetween(200, 299);
                assertDocumented(op, r, r.status());
                JsonNode expected = responseExamples(op, Integer.toString(r.status())).get(b.getKey());
                if (expected != null) {
                    assertThat(sameJson(withoutGenerated(r.body()), withoutGenerated(expected)))
                            .as(op + " answers its example " + b.getKey() + ":\n actual   " + r.body() + "\n documented " + expected)
                            .isTrue();
                }
                if (documentsReplays(op, r.status())) {
                    assertThat(r.headers()).as(op + " first call").doesNotContainKey("idempotent-replayed");
                    Api.Reply again = call(api, op, ids, b.getValue(), headers, key);
                    assertThat(again.status()).as(again.toString()).isEqualTo(r.status());
                    assertThat(again.headers()).as(op + " replay").containsEntry("idempotent-replayed", "true");
                    assertThat(again.body()).isEqualTo(r.body());
                    assertDocumented(op, again, again.status());
                }
                if (op.id().equals("redeem")) {
                    ids.put("redemptionId", r.body().path("redemptionId").asText());
                    // the same basket again under another key: the stacking category is taken
                    Api.Reply stacked = call(api, op, ids, b.getValue(), Map.of("Idempotency-Key", "redeem-order-1002-again"), key);
                    assertDocumented(op, stacked, 422);
                    assertThat(stacked.body().at("/error/details/reasons/0").asText()).isEqualTo("stacking");
                    Api.Reply poor = call(api, op, ids, with(b.getValue(), o -> ((ObjectNode) o).put("customerId", "c-2")),
                            Map.of("Idempotency-Key", "redeem-c-2"), key);
                    assertDocumented(op, poor, 409);
                    assertThat(poor.code()).isEqualTo("insufficient_points");
                }
            }
        }
        assertThat(calls).isGreaterThanOrEqualTo(STORY.size());

        // a few documented conflicts of the story
        Api.Reply stale = call(api, put, ids, requestExamples(put).get("acme"), headerExamples(put), api.adminKey);
        assertDocumented(put, stale, 409);
        assertThat(stale.code()).isEqualTo("version_conflict");
        Op rollback = ops.get("rollbackRedemption");
        Api.Reply twice = call(api, rollback, ids, null, Map.of(), api.shopKey);
        assertDocumented(rollback, twice, 409);
        assertThat(twice.code()).isEqualTo("already_rolled_back");
        Op earn = ops.get("earn");
        Api.Reply reused = call(api, earn, ids, with(requestExamples(earn).get("orderPaid"),
                o -> ((ObjectNode) o.at("/event/order")).put("totalMinor", 13999)), Map.of(), api.shopKey);
        assertDocumented(earn, reused, 409);
        Op refund = ops.get("refund");
        Api.Reply refundReused = call(api, refund, ids, with(requestExamples(refund).get("half"),
                o -> ((ObjectNode) o).put("amountMinor", 100)), headerExamples(refund), api.shopKey);
        assertDocumented(refund, refundReused, 409);
        Api.Reply tooMuch = call(api, refund, ids, with(requestExamples(refund).get("half"),
                o -> ((ObjectNode) o).put("amountMinor", 7000)), Map.of(), api.shopKey);
        assertDocumented(refund, tooMuch, 400);
        Op wallet = ops.get("getWallet");
        Map<String, String> stranger = new HashMap<>(ids);
        stranger.put("customerId", "c-9");
        assertDocumented(wallet, call(api, wallet, stranger, null, Map.of(), api.shopKey), 404);
        Op ledger = ops.get("listLedger");
        assertDocumented(ledger, call(api, ledger, stranger, null, Map.of(), api.shopKey), 404);

        // the ledger's cursor leads to the next page, answered as documented too
        Api.Reply page = api.shop("GET", path(ledger, ids) + "?limit=2", null);
        assertDocumented(ledger, page, 200);
        String cursor = page.body().path("cursor").asText(null);
        assertThat(cursor).as(page.toString()).isNotNull();
        Api.Reply next = api.shop("GET", path(ledger, ids) + "?limit=2&cursor=" + enc(cursor), null);
        assertDocumented(ledger, next, 200);
        assertThat(next.body().at("/entries/0/id").asText()).isNotEqualTo(page.body().at("/entries/0/id").asText());
    }

    @Test
    void theErrorsEveryOperationCanAnswerAreDocumented() {
        Api api = new Api();
        Op put = ops.get("putProgram");
        Map<String, String> ids = new HashMap<>();
        ids.put("redemptionId", "01m83t4cm0bx4aykp320zz");
        assertDocumented(put, call(api, put, ids, requestExamples(put).get("acme"), Map.of(), api.adminKey), 201);
        String big = "{\"note\": \"" + "x".repeat(300 * 1024) + "\"}";
        for (Op op : ops.values()) {
            if (op.localOnly()) {
                continue;
            }
            String key = op.roles().contains("shop") ? api.shopKey : api.adminKey;
            JsonNode body = requestExamples(op).values().stream().findFirst().orElse(null);
            Map<String, String> headers = headerExamples(op);
            headers.remove("If-Match");

            Api.Reply badKey = call(api, op, ids, body, headers, "not-a-key-at-all");
            assertDocumented(op, badKey, 401);
            assertThat(badKey.code()).isEqualTo("unauthorized");
            assertDocumented(op, call(api, op, ids, body, headers, null), 401);
            if (!op.roles().contains("shop")) {
                Api.Reply shop = call(api, op, ids, body, headers, api.shopKey);
                assertDocumented(op, shop, 403);
            }
            Map<String, String> badIds = new HashMap<>(ids);
            badIds.put("programId", "bad id");
            assertDocumented(op, call(api, op, badIds, body, headers, key), 400);
            if (!op.id().equals("putProgram")) {
                Map<String, String> missing = new HashMap<>(ids);
                missing.put("programId", "nope");
                assertDocumented(op, call(api, op, missing, body, headers, key), 404);
            }
            if (op.node().has("requestBody")) {
                Map<String, String> text = new HashMap<>(headers);
                text.put("Content-Type", "text/plain");
                Api.Reply unsupported = call(api, op, ids, body, text, key);
                assertDocumented(op, unsupported, 415);
                assertDocumented(op, call(api, op, ids, big, headers, key), 413);
                Api.Reply unknownField = call(api, op, ids, "{\"unknownField\": true}", headers, key);
                assertDocumented(op, unknownField, 400);
                assertThat(unknownField.body().at("/error/details/errors").toString()).contains("unknownField");
            }
        }
    }

    // ================================================================ d) the second story: return window, expiry, reminders

    /**
     * The second story of the examples (see the document's description), on a table of its own so
     * that the scheduled runs see only it: program {@code acme} as the {@code returnsAndReminders}
     * example (a 14-day return window, every reminder), customer c-1 joins and pays order-1001,
     * whose points wait out the window; half the order is returned inside it; the window ends (an
     * expiry run releases the points), a large order lifts c-1 to silver, the reminders go out;
     * a week before the lots expire the points_expiring reminders, then the expiry run. Every
     * answer must validate against its documented schema and equal the example of that name, up
     * to generated ids and timings; the scheduled functions' answers are what
     * {@code POST /local/schedules/{name}/run} puts in {@code output}, and the outbox items are
     * built as {@code GET /local/outbox} builds them.
     */
    @Test
    void theReturnWindowExpiryAndRemindersStoryIsAnsweredAsDocumented() {
        Api api = new Api(new MutableClock(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200),
                LocalDynamo.freshTable());
        Jobs jobs = new Jobs(api);
        Map<String, String> ids = new HashMap<>();
        // the definition is GET's example without programId and version: the first story PUTs every PUT example
        // (with If-Match 1), so a second one there would answer 409 in it
        Op get = ops.get("getProgram");
        JsonNode program = definitionOf(responseExamples(get, "200").get("returnsAndReminders"));
        Op put = ops.get("putProgram");
        JsonNode broken = with(program, o -> {
            ((ObjectNode) o).set("pending", Json.object().put("days", 365));
            ((ObjectNode) o).set("channel", Json.object().put("type", "webhook").put("url", "ftp://shop.example.com/hooks")
                    .put("secret", "too-short"));
        });
        assertDocumentedAs(put, call(api, put, ids, broken, Map.of(), api.adminKey), 400, "returnWindowAndChannel");
        assertDocumentedAs(put, call(api, put, ids, program, Map.of(), api.adminKey), 201, "created");
        assertDocumentedAs(get, call(api, get, ids, null, Map.of(), api.adminKey), 200, "returnsAndReminders");
        Op upsert = ops.get("upsertCustomer");
        assertDocumentedAs(upsert, call(api, upsert, ids, requestExamples(upsert).get("join"), Map.of(), api.shopKey), 201, "join");
        Op earn = ops.get("earn");
        assertDocumentedAs(earn, call(api, earn, ids, requestExamples(earn).get("orderPaid"), Map.of(), api.shopKey),
                200, "orderPaidPending");
        Op refund = ops.get("refund");
        assertDocumentedAs(refund, call(api, refund, ids, requestExamples(refund).get("half"), Map.of(), api.shopKey),
                200, "halfInsideWindow");
        Op wallet = ops.get("getWallet");
        Api.Reply pendingWallet = call(api, wallet, ids, null, Map.of(), api.shopKey);
        assertDocumentedAs(wallet, pendingWallet, 200, "pending");
        long listed = 0;
        for (JsonNode p : pendingWallet.body().path("pending")) {
            listed += p.path("points").asLong();
        }
        assertThat(listed).as("the wallet's pending list adds up to balance.pending").isEqualTo(
                pendingWallet.body().at("/balance/pending").asLong());

        api.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
        List<JsonNode> runs = new ArrayList<>(jobs.reminders()); // welcome
        api.clock.set(Instant.parse("2026-12-08T00:15:00Z"));
        JsonNode release = jobs.expiry().get(0);
        assertRunAsDocumented(release, "ExpiryRun", "release");
        Api.Reply big = api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "order-1004", 50000,
                api.clock.instant().toString()));
        assertDocumented(earn, big, 200);
        assertThat(big.body().at("/tier/changed").asBoolean()).as(big.toString()).isTrue();
        api.clock.set(Instant.parse("2026-12-08T01:00:00Z"));
        JsonNode sent = jobs.reminders().get(0); // reward_available, tier_upgraded
        assertRunAsDocumented(sent, "RemindersRun", "reminders");
        api.clock.set(Instant.parse("2027-11-17T00:00:00Z"));
        runs.addAll(jobs.reminders()); // points_expiring, a week before
        api.clock.set(Instant.parse("2027-11-24T00:15:00Z"));
        JsonNode expired = jobs.expiry().get(0);
        assertRunAsDocumented(expired, "ExpiryRun", "expiry");
        for (JsonNode r : runs) {
            assertRunAsDocumented(r, "RemindersRun", null);
        }

        Op ledger = ops.get("listLedger");
        assertDocumentedAs(ledger, call(api, ledger, ids, null, Map.of(), api.shopKey), 200, "afterExpiry");
        Invariants.check(api, "acme", "c-1");

        // GET /local/outbox, as LocalServer builds it from the outbox
        ObjectNode outbox = Json.object();
        ArrayNode list = outbox.putArray("notifications");
        for (Outbox.Sent s : jobs.outbox.all()) {
            list.addObject().put("id", s.notification().id()).put("programId", s.notification().programId())
                    .put("customerId", s.notification().customerId()).put("type", s.notification().type())
                    .put("at", s.at().toString()).set("payload", s.notification().payload());
        }
        ArrayNode dead = outbox.putArray("deadLetters");
        for (var d : new dev.laurel.store.dynamodb.ScheduledStore(api.store).deadLetters(api.tenant, 100)) {
            dead.addObject().put("id", d.notificationId()).put("programId", d.programId()).put("customerId", d.customerId())
                    .put("type", d.type()).put("attempts", d.attempts()).put("error", d.error()).put("at", d.at().toString());
        }
        Op listOutbox = ops.get("listOutbox");
        List<String> failures = new ArrayList<>();
        check("GET /local/outbox " + outbox, responseSchema(listOutbox, "200"), outbox, failures);
        assertThat(failures).isEmpty();
        JsonNode documented = responseExamples(listOutbox, "200").get("story");
        assertThat(documented).as(listOutbox + " example story").isNotNull();
        // one run sends in no particular order (as webhooks.md says): compare by time, then id
        assertSameAsExample(listOutbox + " answer", byTimeAndId(outbox), byTimeAndId(documented));
    }

    /** GET's answer as a definition to PUT: without programId and version, the webhook's secret in place of secretSet. */
    private static JsonNode definitionOf(JsonNode got) {
        return with(got, o -> {
            ((ObjectNode) o).remove(List.of("programId", "version", "createdAt"));
            if (o.get("channel") instanceof ObjectNode c && c.has("secretSet")) {
                c.remove("secretSet");
                c.put("secret", "whsec_7Jc2pQ9vXr4LmT8s");
            }
        });
    }

    /** The schemas of pending, reminders and channel reject what the API rejects, and accept what it accepts. */
    @Test
    void theReturnWindowRemindersAndChannelSchemasAgreeWithTheApi() {
        JsonNode program = definitionOf(responseExamples(ops.get("getProgram"), "200").get("returnsAndReminders"));
        JsonNode definition = schemaRef("ProgramDefinition");
        Map<String, Consumer<JsonNode>> broken = new LinkedHashMap<>();
        broken.put("pending.days 0", o -> ((ObjectNode) o.get("pending")).put("days", 0));
        broken.put("pending.days 366", o -> ((ObjectNode) o.get("pending")).put("days", 366));
        broken.put("pending.days a string", o -> ((ObjectNode) o.get("pending")).put("days", "14"));
        broken.put("pending without days", o -> ((ObjectNode) o.get("pending")).remove("days"));
        broken.put("an unknown field in pending", o -> ((ObjectNode) o.get("pending")).put("hours", 1));
        broken.put("reminders.pointsExpiring.daysBefore 366", o -> ((ObjectNode) o.at("/reminders/pointsExpiring")).put("daysBefore", 366));
        broken.put("reminders.pointsExpiring without daysBefore", o -> ((ObjectNode) o.at("/reminders/pointsExpiring")).remove("daysBefore"));
        broken.put("reminders.welcome a string", o -> ((ObjectNode) o.get("reminders")).put("welcome", "yes"));
        broken.put("an unknown reminder", o -> ((ObjectNode) o.get("reminders")).put("birthday", true));
        // a webhook without a secret: the schema allows it (a PUT keeps the stored secret of an
        // unchanged url), the API refuses it for a new channel (ProgramsTest)
        broken.put("a 15-character secret", o -> ((ObjectNode) o.get("channel")).put("secret", "x".repeat(15)));
        broken.put("a 257-character secret", o -> ((ObjectNode) o.get("channel")).put("secret", "x".repeat(257)));
        broken.put("an ftp URL", o -> ((ObjectNode) o.get("channel")).put("url", "ftp://shop.example.com/hooks"));
        broken.put("a relative URL", o -> ((ObjectNode) o.get("channel")).put("url", "/hooks/laurel"));
        broken.put("a URL of 2049 characters", o -> ((ObjectNode) o.get("channel"))
                .put("url", "https://shop.example.com/" + "x".repeat(2049 - 25)));
        broken.put("a webhook with from", o -> ((ObjectNode) o.get("channel")).put("from", "rewards@example.com"));
        broken.put("an email channel without from", o -> ((ObjectNode) o.get("channel")).removeAll().put("type", "email"));
        broken.put("an email channel with a url", o -> ((ObjectNode) o.get("channel")).put("type", "email")
                .put("from", "rewards@example.com").remove("secret"));
        broken.put("an email channel from no address", o -> ((ObjectNode) o.get("channel")).removeAll().put("type", "email")
                .put("from", "rewards"));
        broken.put("a channel of type sms", o -> ((ObjectNode) o.get("channel")).put("type", "sms"));
        Map<String, Consumer<JsonNode>> fine = new LinkedHashMap<>();
        fine.put("an email channel", o -> ((ObjectNode) o.get("channel")).removeAll().put("type", "email")
                .put("from", "rewards@example.com"));
        fine.put("an http URL and a 256-character secret", o -> ((ObjectNode) o.get("channel"))
                .put("url", "http://127.0.0.1:8080/hooks").put("secret", "x".repeat(256)));
        fine.put("a URL of 2048 characters", o -> ((ObjectNode) o.get("channel"))
                .put("url", "https://shop.example.com/" + "x".repeat(2048 - 25)));
        fine.put("no reminders and no channel, pending.days 364", o -> {
            ((ObjectNode) o).remove(List.of("reminders", "channel"));
            ((ObjectNode) o.get("pending")).put("days", 364);
        });
        fine.put("only pointsExpiring, daysBefore 365", o -> ((ObjectNode) o).set("reminders",
                Json.object().set("pointsExpiring", Json.object().put("daysBefore", 365))));
        Api api = new Api();
        Op put = ops.get("putProgram");
        broken.forEach((what, change) -> {
            JsonNode value = with(program, change);
            assertRejected(what, definition, value);
            Api.Reply r = call(api, put, Map.of(), value, Map.of(), api.adminKey);
            assertThat(r.status()).as("the API rejects " + what + ": " + r).isEqualTo(400);
            assertDocumented(put, r, 400);
        });
        fine.forEach((what, change) -> {
            JsonNode value = with(program, change);
            assertAccepted(definition, value);
            Api.Reply r = call(api, put, Map.of(), value, Map.of(), api.adminKey);
            assertThat(r.status()).as("the API accepts " + what + ": " + r).isBetween(200, 201);
        });
    }

    private static JsonNode byTimeAndId(JsonNode outbox) {
        List<JsonNode> items = new ArrayList<>();
        outbox.path("notifications").forEach(items::add);
        items.sort(Comparator.comparing((JsonNode n) -> n.path("at").asText()).thenComparing(n -> n.path("id").asText()));
        ObjectNode out = Json.object();
        out.putArray("notifications").addAll(items);
        out.set("deadLetters", outbox.path("deadLetters"));
        return out;
    }

    /** A scheduled function's answer validates against its schema and, if {@code example} is given, is that runSchedule example's output. */
    private static void assertRunAsDocumented(JsonNode answer, String schema, String example) {
        List<String> failures = new ArrayList<>();
        check(schema + " " + answer, schemaRef(schema), answer, failures);
        assertThat(failures).isEmpty();
        if (example != null) {
            JsonNode documented = responseExamples(ops.get("runSchedule"), "200").get(example);
            assertThat(documented).as("runSchedule example " + example).isNotNull();
            assertSameAsExample("runSchedule output " + example, answer, documented.get("output"));
        }
    }

    /** As {@link #assertDocumented}, and the body equals the response example {@code example} up to generated ids. */
    private static void assertDocumentedAs(Op op, Api.Reply r, int status, String example) {
        assertDocumented(op, r, status);
        JsonNode documented = responseExamples(op, Integer.toString(status)).get(example);
        assertThat(documented).as(op + " example " + status + " " + example).isNotNull();
        assertSameAsExample(op + " answer " + example, r.body(), documented);
    }

    /** Generated ids (as {@code Ids.next} makes them, also inside {@code exp-...} and notification ids) and timings. */
    private static final Pattern GENERATED_ID = Pattern.compile("\\b[0-9a-hjkmnp-tv-z]{22}\\b");

    private static void assertSameAsExample(String what, JsonNode actual, JsonNode documented) {
        assertThat(sameJson(masked(actual), masked(documented)))
                .as(what + ":\n actual     " + actual + "\n documented " + documented).isTrue();
    }

    private static JsonNode masked(JsonNode node) {
        JsonNode copy = withoutGenerated(node);
        mask(copy);
        return copy;
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("ms")) {
                o.put("ms", 0);
            }
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                if (o.get(f).isTextual()) {
                    o.put(f, GENERATED_ID.matcher(o.get(f).textValue()).replaceAll("<id>"));
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(GENERATED_ID.matcher(a.get(i).textValue()).replaceAll("<id>")));
                }
            }
        }
        node.forEach(OpenApiTest::mask);
    }

    private static boolean documentsReplays(Op op, int status) {
        return deref(op.node().path("responses").path(Integer.toString(status))).path("headers").has("Idempotent-Replayed");
    }

    /** The reply's status is documented for the operation, and its body and headers match the documentation. */
    private static void assertDocumented(Op op, Api.Reply r, int expectedStatus) {
        assertThat(r.status()).as(op + ": " + r).isEqualTo(expectedStatus);
        JsonNode response = deref(op.node().path("responses").path(Integer.toString(r.status())));
        assertThat(response.isMissingNode()).as(op + " does not document " + r.status() + ": " + r).isFalse();
        JsonNode schema = response.at("/content/application~1json/schema");
        List<String> failures = new ArrayList<>();
        check(op + " answer " + r.status() + " " + r.body(), schema, r.body(), failures);
        response.path("headers").fields().forEachRemaining(h -> {
            String value = r.headers().get(h.getKey().toLowerCase(java.util.Locale.ROOT));
            if (!h.getKey().equals("Idempotent-Replayed") && value == null) {
                failures.add(op + " answer " + r.status() + " lacks header " + h.getKey());
            }
            if (value != null) {
                check(op + " header " + h.getKey(), deref(h.getValue()).get("schema"), TextNode.valueOf(value), failures);
            }
        });
        assertThat(failures).isEmpty();
    }

    private static Api.Reply call(Api api, Op op, Map<String, String> ids, Object body, Map<String, String> headers, String key) {
        String path = path(op, ids);
        List<String> query = new ArrayList<>();
        for (JsonNode p : parameters(op)) {
            // a cursor only ever comes from a previous page
            if (p.path("in").asText().equals("query") && !p.path("name").asText().equals("cursor")) {
                examples(p).values().stream().findFirst()
                        .ifPresent(v -> query.add(p.path("name").asText() + "=" + enc(v.asText())));
            }
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        return api.call(op.method().toUpperCase(java.util.Locale.ROOT), path, body, key, headers);
    }

    /** The operation's path with each parameter from {@code ids}, else from its documented example. */
    private static String path(Op op, Map<String, String> ids) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode p : parameters(op)) {
            if (p.path("in").asText().equals("path")) {
                String name = p.path("name").asText();
                values.put(name, ids.getOrDefault(name, examples(p).values().iterator().next().asText()));
            }
        }
        Matcher m = Pattern.compile("\\{([A-Za-z]+)\\}").matcher(op.path());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(enc(values.get(m.group(1))).replace("+", "%20")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Documented header parameters with their example values. */
    private static Map<String, String> headerExamples(Op op) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : parameters(op)) {
            if (p.path("in").asText().equals("header")) {
                examples(p).values().stream().findFirst().ifPresent(v -> out.put(p.path("name").asText(), v.asText()));
            }
        }
        return out;
    }

    private static JsonNode withoutGenerated(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (String f : GENERATED) {
                if (o.has(f)) {
                    o.put(f, "<generated>");
                }
            }
        }
        node.forEach(OpenApiTest::strip);
    }

    /** JSON equality where numbers are equal by value (YAML's 2 and JSON's 2.0 alike). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        Comparator<JsonNode> numbers = (x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue()) : (x.equals(y) ? 0 : 1);
        return a.equals(numbers, b);
    }

    // ================================================================ document access

    static JsonNode deref(JsonNode node) {
        int hops = 0;
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            node = doc.at(ref.substring(1));
            assertThat(node.isMissingNode()).as("dangling " + ref).isFalse();
            assertThat(++hops).isLessThan(10);
        }
        return node;
    }

    static List<JsonNode> parameters(Op op) {
        List<JsonNode> out = new ArrayList<>();
        op.pathItem().path("parameters").forEach(p -> out.add(deref(p)));
        op.node().path("parameters").forEach(p -> out.add(deref(p)));
        return out;
    }

    /** The examples of a media type, parameter or header, by name ({@code example} is named "example"). */
    static Map<String, JsonNode> examples(JsonNode holder) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (holder.has("example")) {
            out.put("example", holder.get("example"));
        }
        holder.path("examples").fields().forEachRemaining(e -> {
            JsonNode ex = deref(e.getValue());
            assertThat(ex.has("value")).as("example " + e.getKey() + " has a value").isTrue();
            out.put(e.getKey(), ex.get("value"));
        });
        return out;
    }

    static Map<String, JsonNode> requestExamples(Op op) {
        JsonNode body = deref(op.node().path("requestBody"));
        return body.isMissingNode() ? Map.of() : examples(body.at("/content/application~1json"));
    }

    static Map<String, JsonNode> responseExamples(Op op, String status) {
        JsonNode r = deref(op.node().path("responses").path(status));
        return r.isMissingNode() ? Map.of() : examples(r.at("/content/application~1json"));
    }

    static JsonNode responseSchema(Op op, String status) {
        return deref(op.node().path("responses").path(status)).at("/content/application~1json/schema");
    }

    // ================================================================ validators

    /** Validates a JSON value against a schema of the document ({@code $ref}s resolve in the document). */
    interface SchemaValidator {
        String name();

        /** The problems found; empty when {@code instance} is valid. */
        List<String> validate(JsonNode schema, JsonNode instance);
    }

    /**
     * The JSON Schema 2020-12 subset this document uses, strictly: {@code $ref} (to this document),
     * {@code type}, {@code enum}, {@code const}, {@code properties}, {@code required},
     * {@code additionalProperties}, {@code propertyNames}, {@code min/maxProperties}, {@code items},
     * {@code min/maxItems}, {@code contains}, {@code minimum}, {@code maximum},
     * {@code exclusiveMinimum/Maximum}, {@code min/maxLength}, {@code pattern}, {@code format}
     * ({@code date-time}, {@code date}, {@code uri} asserted; {@code int32}, {@code int64} checked),
     * {@code allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if/then/else}. As the API,
     * {@code integer} means an integral JSON number ({@code 1.0} is not one). Any other keyword is
     * an error, so nothing in the document is silently left unchecked.
     */
    static final class MiniValidator implements SchemaValidator {
        static final Set<String> KEYWORDS = Set.of("$ref", "type", "enum", "const", "properties", "required",
                "additionalProperties", "propertyNames", "maxProperties", "minProperties", "items", "minItems", "maxItems",
                "contains", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern",
                "format", "allOf", "anyOf", "oneOf", "not", "if", "then", "else");
        static final Set<String> ANNOTATIONS = Set.of("description", "title", "default", "examples", "deprecated",
                "readOnly", "writeOnly", "$comment");
        static final Set<String> FORMATS = Set.of("date-time", "date", "uri", "int32", "int64");
        private final JsonNode root;
        private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

        MiniValidator(JsonNode root) {
            this.root = root;
        }

        @Override
        public String name() {
            return "MiniValidator";
        }

        @Override
        public List<String> validate(JsonNode schema, JsonNode instance) {
            List<String> errors = new ArrayList<>();
            check(schema, instance, "$", errors);
            return errors;
        }

        /** Lists keywords, formats and refs this validator cannot handle, anywhere in a schema. */
        static void keywords(JsonNode s, String at, List<String> problems) {
            if (s == null || s.isBoolean()) {
                return;
            }
            if (!s.isObject()) {
                problems.add(at + ": not a schema");
                return;
            }
            s.fields().forEachRemaining(e -> {
                String k = e.getKey();
                JsonNode v = e.getValue();
                if (!KEYWORDS.contains(k) && !ANNOTATIONS.contains(k) && !k.startsWith("x-")) {
                    problems.add(at + ": unsupported keyword " + k);
                }
                switch (k) {
                    case "$ref" -> {
                        if (!v.asText().startsWith("#/components/schemas/")) {
                            problems.add(at + ": $ref outside #/components/schemas: " + v.asText());
                        }
                    }
                    case "format" -> {
                        if (!FORMATS.contains(v.asText())) {
                            problems.add(at + ": unsupported format " + v.asText());
                        }
                    }
                    case "properties" -> v.fields().forEachRemaining(p -> keywords(p.getValue(), at + "/" + p.getKey(), problems));
                    case "items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else" ->
                            keywords(v, at + "/" + k, problems);
                    case "allOf", "anyOf", "oneOf" -> {
                        for (int i = 0; i < v.size(); i++) {
                            keywords(v.get(i), at + "/" + k + "/" + i, problems);
                        }
                    }
                    default -> {
                    }
                }
            });
        }

        private JsonNode resolve(String ref) {
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only refs into this document are supported: " + ref);
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException("dangling $ref " + ref);
            }
            return target;
        }

        private boolean valid(JsonNode s, JsonNode v, String at) {
            List<String> errors = new ArrayList<>();
            check(s, v, at, errors);
            return errors.isEmpty();
        }

        private void check(JsonNode s, JsonNode v, String at, List<String> errors) {
            if (s.isBoolean()) {
                if (!s.booleanValue()) {
                    errors.add(at + ": no value is allowed here");
                }
                return;
            }
            if (!s.isObject()) {
                throw new IllegalStateException("not a schema at " + at + ": " + s);
            }
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYWORDS.contains(k) && !ANNOTATIONS.contains(k) && !k.startsWith("x-")) {
                    throw new IllegalStateException("unsupported keyword " + k + " at " + at);
                }
            }
            if (s.has("$ref")) {
                check(resolve(s.get("$ref").asText()), v, at, errors);
            }
            if (s.has("type") && !typeMatches(s.get("type"), v)) {
                errors.add(at + ": must be " + s.get("type") + ", not " + describe(v));
                return;
            }
            if (s.has("enum")) {
                boolean any = false;
                for (JsonNode e : s.get("enum")) {
                    any |= sameJson(e, v);
                }
                if (!any) {
                    errors.add(at + ": must be one of " + s.get("enum") + ", not " + v);
                }
            }
            if (s.has("const") && !sameJson(s.get("const"), v)) {
                errors.add(at + ": must be " + s.get("const") + ", not " + v);
            }
            if (v.isNumber()) {
                numbers(s, v, at, errors);
            }
            if (v.isTextual()) {
                strings(s, v.textValue(), at, errors);
            }
            if (v.isArray()) {
                arrays(s, v, at, errors);
            }
            if (v.isObject()) {
                objects(s, v, at, errors);
            }
            if (s.has("allOf")) {
                for (JsonNode sub : s.get("allOf")) {
                    check(sub, v, at, errors);
                }
            }
            if (s.has("anyOf")) {
                List<String> why = new ArrayList<>();
                boolean any = false;
                for (JsonNode sub : s.get("anyOf")) {
                    List<String> e = new ArrayList<>();
                    check(sub, v, at, e);
                    any |= e.isEmpty();
                    why.addAll(e);
                }
                if (!any) {
                    errors.add(at + ": matches none of anyOf " + why);
                }
            }
            if (s.has("oneOf")) {
                int matches = 0;
                List<String> why = new ArrayList<>();
                for (JsonNode sub : s.get("oneOf")) {
                    List<String> e = new ArrayList<>();
                    check(sub, v, at, e);
                    if (e.isEmpty()) {
                        matches++;
                    }
                    why.addAll(e);
                }
                if (matches != 1) {
                    errors.add(at + ": must match exactly one of oneOf, matches " + matches + (matches == 0 ? " " + why : ""));
                }
            }
            if (s.has("not") && valid(s.get("not"), v, at)) {
                errors.add(at + ": must not match " + s.get("not"));
            }
            if (s.has("if")) {
                JsonNode branch = valid(s.get("if"), v, at) ? s.get("then") : s.get("else");
                if (branch != null) {
                    check(branch, v, at, errors);
                }
            }
        }

        private static boolean typeMatches(JsonNode type, JsonNode v) {
            if (type.isArray()) {
                for (JsonNode t : type) {
                    if (typeMatches(t, v)) {
                        return true;
                    }
                }
                return false;
            }
            return switch (type.asText()) {
                case "null" -> v.isNull();
                case "boolean" -> v.isBoolean();
                case "object" -> v.isObject();
                case "array" -> v.isArray();
                case "string" -> v.isTextual();
                case "number" -> v.isNumber();
                case "integer" -> v.isIntegralNumber();
                default -> throw new IllegalStateException("unknown type " + type);
            };
        }

        private static String describe(JsonNode v) {
            String text = v.toString();
            return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
        }

        private static void numbers(JsonNode s, JsonNode v, String at, List<String> errors) {
            BigDecimal d = v.decimalValue();
            if (s.has("minimum") && d.compareTo(s.get("minimum").decimalValue()) < 0) {
                errors.add(at + ": " + v + " is below the minimum " + s.get("minimum"));
            }
            if (s.has("maximum") && d.compareTo(s.get("maximum").decimalValue()) > 0) {
                errors.add(at + ": " + v + " is above the maximum " + s.get("maximum"));
            }
            if (s.has("exclusiveMinimum") && d.compareTo(s.get("exclusiveMinimum").decimalValue()) <= 0) {
                errors.add(at + ": " + v + " must be above " + s.get("exclusiveMinimum"));
            }
            if (s.has("exclusiveMaximum") && d.compareTo(s.get("exclusiveMaximum").decimalValue()) >= 0) {
                errors.add(at + ": " + v + " must be below " + s.get("exclusiveMaximum"));
            }
            String format = s.path("format").asText("");
            if ((format.equals("int64") && !(v.isIntegralNumber() && v.canConvertToLong()))
                    || (format.equals("int32") && !(v.isIntegralNumber() && v.canConvertToInt()))) {
                errors.add(at + ": " + v + " is not an " + format);
            }
        }

        private void strings(JsonNode s, String t, String at, List<String> errors) {
            int length = t.codePointCount(0, t.length());
            if (s.has("minLength") && length < s.get("minLength").asInt()) {
                errors.add(at + ": shorter than " + s.get("minLength"));
            }
            if (s.has("maxLength") && length > s.get("maxLength").asInt()) {
                errors.add(at + ": longer than " + s.get("maxLength"));
            }
            if (s.has("pattern")) {
                Pattern p = patterns.computeIfAbsent(s.get("pattern").asText(), Pattern::compile);
                if (!p.matcher(t).find()) {
                    errors.add(at + ": " + t + " does not match " + p.pattern());
                }
            }
            if (s.has("format") && !formatMatches(s.get("format").asText(), t)) {
                errors.add(at + ": " + t + " is not a " + s.get("format").asText());
            }
        }

        private static boolean formatMatches(String format, String t) {
            try {
                switch (format) {
                    case "date-time" -> {
                        if (!t.matches("^\\d{4}-\\d{2}-\\d{2}T.*")) {
                            return false;
                        }
                        try {
                            Instant.parse(t);
                        } catch (DateTimeParseException e) {
                            OffsetDateTime.parse(t);
                        }
                    }
                    case "date" -> {
                        if (!t.matches("^\\d{4}-\\d{2}-\\d{2}$")) {
                            return false;
                        }
                        LocalDate.parse(t);
                    }
                    case "uri" -> {
                        return URI.create(t).isAbsolute();
                    }
                    case "int32", "int64" -> {
                        return true; // numbers only
                    }
                    default -> throw new IllegalStateException("unsupported format " + format);
                }
                return true;
            } catch (DateTimeParseException | IllegalArgumentException e) {
                return false;
            }
        }

        private void arrays(JsonNode s, JsonNode v, String at, List<String> errors) {
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                errors.add(at + ": fewer than " + s.get("minItems") + " items");
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                errors.add(at + ": more than " + s.get("maxItems") + " items");
            }
            if (s.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(s.get("items"), v.get(i), at + "[" + i + "]", errors);
                }
            }
            if (s.has("contains")) {
                boolean any = false;
                for (int i = 0; i < v.size() && !any; i++) {
                    any = valid(s.get("contains"), v.get(i), at + "[" + i + "]");
                }
                if (!any) {
                    errors.add(at + ": no item matches " + s.get("contains"));
                }
            }
        }

        private void objects(JsonNode s, JsonNode v, String at, List<String> errors) {
            JsonNode props = s.path("properties");
            for (JsonNode r : s.path("required")) {
                if (!v.has(r.asText())) {
                    errors.add(at + "." + r.asText() + ": is required");
                }
            }
            if (s.has("maxProperties") && v.size() > s.get("maxProperties").asInt()) {
                errors.add(at + ": more than " + s.get("maxProperties") + " properties");
            }
            if (s.has("minProperties") && v.size() < s.get("minProperties").asInt()) {
                errors.add(at + ": fewer than " + s.get("minProperties") + " properties");
            }
            v.fields().forEachRemaining(e -> {
                String where = at + "." + e.getKey();
                if (s.has("propertyNames")) {
                    check(s.get("propertyNames"), TextNode.valueOf(e.getKey()), where + " (name)", errors);
                }
                if (props.has(e.getKey())) {
                    check(props.get(e.getKey()), e.getValue(), where, errors);
                } else if (s.has("additionalProperties")) {
                    JsonNode extra = s.get("additionalProperties");
                    if (extra.isBoolean() && !extra.booleanValue()) {
                        errors.add(where + ": is not a known field");
                    } else {
                        check(extra, e.getValue(), where, errors);
                    }
                }
            });
        }
    }

    /**
     * com.networknt:json-schema-validator (1.5.x), through reflection so that it needs no pom change:
     * used when it is on the test classpath. Each schema is wrapped in a 2020-12 document that
     * carries this document's {@code components}, so {@code #/components/...} refs resolve.
     */
    static final class NetworkntValidator implements SchemaValidator {
        private final JsonNode components;
        private final Object factory;
        private final Method getSchema;
        private final Object config;
        private final Map<JsonNode, Object> compiled = new IdentityHashMap<>();

        private NetworkntValidator(JsonNode components, Object factory, Method getSchema, Object config) {
            this.components = components;
            this.factory = factory;
            this.getSchema = getSchema;
            this.config = config;
        }

        static Optional<SchemaValidator> load(JsonNode doc) {
            try {
                Class<?> flagType = Class.forName("com.networknt.schema.SpecVersion$VersionFlag");
                Class<?> factoryType = Class.forName("com.networknt.schema.JsonSchemaFactory");
                Object flag = flagType.getField("V202012").get(null);
                Object factory = factoryType.getMethod("getInstance", flagType).invoke(null, flag);
                // 2020-12 makes format an annotation; assert it, as MiniValidator does
                Class<?> configType = Class.forName("com.networknt.schema.SchemaValidatorsConfig");
                Object builder = configType.getMethod("builder").invoke(null);
                builder.getClass().getMethod("formatAssertionsEnabled", Boolean.class).invoke(builder, Boolean.TRUE);
                Object config = builder.getClass().getMethod("build").invoke(builder);
                return Optional.of(new NetworkntValidator(doc.get("components"), factory,
                        factoryType.getMethod("getSchema", JsonNode.class, configType), config));
            } catch (ClassNotFoundException e) {
                return Optional.empty();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("json-schema-validator is on the classpath but not usable", e);
            }
        }

        @Override
        public String name() {
            return "networknt json-schema-validator";
        }

        @Override
        public synchronized List<String> validate(JsonNode schema, JsonNode instance) {
            try {
                Object s = compiled.get(schema);
                if (s == null) {
                    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
                    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                    wrapper.set("components", components);
                    wrapper.putArray("allOf").add(schema);
                    s = getSchema.invoke(factory, wrapper, config);
                    compiled.put(schema, s);
                }
                Set<?> messages = (Set<?>) s.getClass().getMethod("validate", JsonNode.class).invoke(s, instance);
                return messages.stream().map(Object::toString).toList();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
