package dev.laurel.it;

import static dev.laurel.it.OpenApiCalls.DOC;
import static dev.laurel.it.OpenApiCalls.assertAccepted;
import static dev.laurel.it.OpenApiCalls.assertRejected;
import static dev.laurel.it.OpenApiCalls.schemaRef;
import static dev.laurel.it.OpenApiCalls.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.InvalidSchemaException;
import dev.laurel.it.OpenApiDoc.Op;
import dev.laurel.json.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * api/openapi.yaml is the API: its routes are exactly template.yaml's (plus the documented
 * local-only ones), every operation documents the errors the HTTP glue can answer, and every
 * example validates against its schema ({@link OpenApiSchemas}: com.networknt:json-schema-validator
 * in the OpenAPI 3.1 dialect, closed schemas, formats asserted, unknown keywords refused).
 * {@link OpenApiStoryTest} and {@link OpenApiSecondStoryTest} send the examples to the API.
 */
class OpenApiTest {
    static final List<String> LOCAL_ROUTES = List.of("POST /local/clock", "POST /local/schedules/{name}/run",
            "POST /local/streams/drain", "GET /local/outbox");

    // ================================================================ a) routes

    @Test
    void theDocumentsRoutesAreTheTemplatesRoutesPlusTheLocalOnlyOnes() throws Exception {
        assertThat(DOC.root.path("openapi").asText()).isEqualTo("3.1.0");
        JsonNode resources = OpenApiDoc.YAML.readTree(LocalDynamo.root().resolve("template.yaml").toFile()).path("Resources");
        Set<String> template = new TreeSet<>();
        resources.forEach(r -> r.path("Properties").path("Events").forEach(e -> {
            if (e.path("Type").asText().equals("HttpApi")) {
                template.add(e.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT) + " "
                        + e.path("Properties").path("Path").asText());
            }
        }));
        Set<String> deployed = new TreeSet<>();
        Set<String> local = new TreeSet<>();
        for (Op op : DOC.ops.values()) {
            (op.localOnly() ? local : deployed).add(op.route());
        }
        assertThat(deployed).isEqualTo(template);
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(Api.ROUTES);
        assertThat(local).containsExactlyInAnyOrderElementsOf(LOCAL_ROUTES);
        for (Op op : DOC.ops.values()) {
            List<String> tags = new ArrayList<>();
            op.node().path("tags").forEach(t -> tags.add(t.asText()));
            if (op.localOnly()) {
                assertThat(tags).as(op.toString()).contains("local");
                assertThat(op.node().path("security").isArray() && op.node().path("security").isEmpty())
                        .as(op + ": local routes need no key").isTrue();
            } else if (op.id().equals("confirmConsent")) {
                // the one deployed route without the authorizer: the double opt-in token is the credential
                assertThat(op.node().path("security").isArray() && op.node().path("security").isEmpty()).as(op.toString()).isTrue();
                assertThat(op.roles()).as(op + ": no role").isEmpty();
                assertThat(op.node().path("description").asText()).contains("No API key");
            } else {
                assertThat(tags).as(op.toString()).doesNotContain("local");
                assertThat(op.node().has("security")).as(op + " uses the document's bearer auth").isFalse();
                assertThat(op.roles()).as(op + ": x-laurel-roles").isNotEmpty().isSubsetOf("admin", "shop").contains("admin");
                assertThat(op.node().path("description").asText()).as(op + " describes its role")
                        .contains(op.roles().contains("shop") ? "Role: shop or admin" : "Role: admin");
            }
        }
        assertThat(DOC.root.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(DOC.root.at("/security/0").has("bearerAuth")).isTrue();
    }

    @Test
    void everyOperationDocumentsTheErrorsTheHttpGlueCanAnswer() {
        for (Op op : DOC.ops.values()) {
            if (op.localOnly()) {
                continue;
            }
            Set<String> statuses = new TreeSet<>();
            op.node().path("responses").fieldNames().forEachRemaining(statuses::add);
            assertThat(statuses).as(op.toString()).contains("400");
            if (!op.id().equals("confirmConsent")) {
                assertThat(statuses).as(op.toString()).contains("401");
            }
            if (op.path().contains("{") && !op.id().equals("putProgram") && !op.id().equals("putWebhook")) {
                // (POST and GET /v1/keys name nothing that could be missing)
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
        int[] count = {0};
        List<String> failures = DOC.exampleFailures(count);
        assertThat(failures).isEmpty();
        assertThat(count[0]).isGreaterThan(100);
        System.out.printf("openapi.yaml: %d operations, %d component schemas, %d examples checked%n",
                DOC.ops.size(), DOC.root.at("/components/schemas").size(), count[0]);
    }

    /** The check above fails on a document whose examples break their schemas (a test-only document). */
    @Test
    void anExampleThatBreaksItsSchemaFailsTheCheck() {
        OpenApiDoc wrong = OpenApiDoc.read(resource("wrong-examples.yaml"));
        int[] count = {0};
        List<String> failures = wrong.exampleFailures(count);
        assertThat(count[0]).isEqualTo(6);
        assertThat(failures).as(failures.toString()).hasSize(5).noneSatisfy(f -> assertThat(f).contains("example right"));
        assertThat(failures).anySatisfy(f -> assertThat(f).contains("wrong-extra-field").contains("colour"))
                .anySatisfy(f -> assertThat(f).contains("wrong-fraction").contains("fraction"))
                .anySatisfy(f -> assertThat(f).contains("wrong-date").contains("date-time"))
                .anySatisfy(f -> assertThat(f).contains("header Retry-After").contains("minimum"));
    }

    @Test
    void everySchemaUsesOnlyKeywordsTheValidatorKnows() {
        DOC.compileAllSchemas();
        OpenApiDoc unknown = OpenApiDoc.read(resource("unknown-keyword.yaml"));
        assertThatThrownBy(unknown::compileAllSchemas).as("an unknown keyword is an error, never silently ignored")
                .isInstanceOf(InvalidSchemaException.class).hasMessageContaining("maxContain");
        assertThat(unknown.schemas.validate(schemaRef("Note"), TextNode.valueOf("x")))
                .as("an unknown format is an error, never silently unchecked").anySatisfy(e -> assertThat(e).contains("dat-time"));
    }

    private static Path resource(String name) {
        return LocalDynamo.root().resolve("tests/src/test/resources/openapi").resolve(name);
    }

    @Test
    void theValidatorRejectsBrokenExamples() {
        JsonNode program = DOC.requestExamples(DOC.op("putProgram")).get("acme");
        JsonNode earn = DOC.requestExamples(DOC.op("earn")).get("orderPaid");
        JsonNode definition = schemaRef("ProgramDefinition");
        assertAccepted(definition, program);
        assertRejected("unknown field", definition, with(program, o -> ((ObjectNode) o).put("colour", "green")));
        assertRejected("string for integer", definition,
                with(program, o -> ((ObjectNode) o.at("/earningRules/1/points")).put("fixed", "25")));
        assertRejected("fraction for integer", definition,
                with(program, o -> ((ObjectNode) o.at("/tiers/1")).put("threshold", new BigDecimal("500.5"))));
        // JSON Schema counts 500.0 as an integer; the API (and OpenApiSchemas with it) does not
        assertRejected("500.0 is a fraction on the wire", definition,
                with(program, o -> ((ObjectNode) o.at("/tiers/1")).put("threshold", new BigDecimal("500.0"))));
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
        assertRejected("a lower-case t in an instant (java.time refuses it)", earnSchema,
                with(earn, o -> ((ObjectNode) o.get("event")).put("occurredAt", "2026-11-23t09:00:00z")));
        assertRejected("lower-case currency", earnSchema,
                with(earn, o -> ((ObjectNode) o.at("/event/order")).put("currency", "eur")));

        JsonNode wallet = DOC.responseExamples(DOC.op("getWallet"), "200").get("c-1");
        JsonNode walletSchema = DOC.responseSchema(DOC.op("getWallet"), "200");
        assertAccepted(walletSchema, wallet);
        assertRejected("an undocumented answer field", walletSchema, with(wallet, o -> ((ObjectNode) o).put("points", 1)));
        JsonNode notFound = DOC.responseSchema(DOC.op("getWallet"), "404");
        JsonNode forbidden = DOC.responseExamples(DOC.op("getProgram"), "403").get("shopKey");
        assertAccepted(DOC.responseSchema(DOC.op("getProgram"), "403"), forbidden);
        assertRejected("an error code that is not this status's", notFound, forbidden);
        assertRejected("neither error shape", DOC.responseSchema(DOC.op("getWallet"), "401"), Json.object());
        assertRejected("an error without details", notFound,
                with(forbidden, o -> ((ObjectNode) o.get("error")).put("code", "not_found").remove("details")));
    }
}
