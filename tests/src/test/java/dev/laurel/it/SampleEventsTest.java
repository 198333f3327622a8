package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.functions.authorizer.AuthorizerHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.refunds.RefundsHandler;
import dev.laurel.functions.reports.ReportsHandler;
import dev.laurel.functions.rollback.RollbackHandler;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Laurel;
import dev.laurel.store.dynamodb.DynamoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every handler runs on its sample event from events/ (the files `sam local invoke -e` takes),
 * in the order a shop would send them, and answers success with the documented shape.
 */
class SampleEventsTest {
    private final DynamoStore store = new DynamoStore(LocalDynamo.get().client(), LocalDynamo.TABLE);
    private final Laurel loyalty = new Laurel(store, LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofSeconds(5));
    /** A tenant of its own per run, so the samples' fixed ids (acme, c-1) never meet other tests' data. */
    private final String tenant = "ev-" + UUID.randomUUID().toString().substring(0, 8);

    private JsonNode run(RequestStreamHandler handler, String file) {
        ObjectNode event = (ObjectNode) Api.event(file);
        ((ObjectNode) event.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        JsonNode out = Api.invoke(handler, event);
        assertThat(out.path("headers").path("content-type").asText()).isEqualTo("application/json");
        return out;
    }

    private static JsonNode body(JsonNode out) {
        return Json.read(out.path("body").asText());
    }

    @Test
    void everyHandlerAnswersItsSampleEvent() {
        JsonNode put = run(new ProgramsHandler(loyalty), "programs-put.json");
        assertThat(put.path("statusCode").asInt()).as(put.toString()).isEqualTo(201);
        JsonNode customer = run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-put.json");
        assertThat(customer.path("statusCode").asInt()).as(customer.toString()).isEqualTo(201);
        JsonNode earn = run(new EarnHandler(loyalty), "earn.json");
        assertThat(earn.path("statusCode").asInt()).as(earn.toString()).isEqualTo(200);
        assertThat(body(earn).path("pointsEarned").asLong()).isEqualTo(129);
        JsonNode validate = run(new ValidateHandler(loyalty), "validate.json");
        assertThat(validate.path("statusCode").asInt()).as(validate.toString()).isEqualTo(200);
        assertThat(body(validate).path("valid").asBoolean()).isTrue();
        JsonNode redeem = run(new RedeemHandler(loyalty), "redeem.json");
        assertThat(redeem.path("statusCode").asInt()).as(redeem.toString()).isEqualTo(201);
        String redemptionId = body(redeem).path("redemptionId").asText();
        String code = body(redeem).path("code").asText();
        for (String file : java.util.List.of("codes-get.json", "codes-qr.json", "codes-use.json")) {
            ObjectNode codeEvent = (ObjectNode) Api.event(file);
            ((ObjectNode) codeEvent.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
            ((ObjectNode) codeEvent.get("pathParameters")).put("code", code);
            JsonNode answer = Api.invoke(new RedeemHandler(loyalty), codeEvent);
            assertThat(answer.path("statusCode").asInt()).as(file + ": " + answer).isEqualTo(200);
            // the sample's own code names no code of this tenant
            assertThat(run(new RedeemHandler(loyalty), file).path("statusCode").asInt()).as(file).isEqualTo(404);
        }
        JsonNode wallet = run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-get.json");
        assertThat(body(wallet).path("balance").path("available").asLong()).as(wallet.toString()).isEqualTo(29);
        JsonNode ledger = run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-ledger.json");
        JsonNode session = run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-session.json");
        assertThat(session.path("statusCode").asInt()).as(session.toString()).isEqualTo(201);
        assertThat(body(session).path("token").asText()).startsWith("v1.k1.");
        assertThat(body(ledger).path("entries")).hasSize(2);
        JsonNode members = run(new CustomersHandler(loyalty, Api.randomKeys("k1")), "customers-list.json");
        assertThat(body(members).path("customers")).as(members.toString()).hasSize(1);
        assertThat(body(members).at("/customers/0/balance/available").asLong()).isEqualTo(29);
        // the route without the authorizer (no key in the event): the sample's token confirms no one
        JsonNode confirm = Api.invoke(new CustomersHandler(loyalty, Api.randomKeys("k1")), Api.event("consent-confirm.json"));
        assertThat(confirm.path("statusCode").asInt()).as(confirm.toString()).isEqualTo(404);
        assertThat(body(confirm).path("error").path("code").asText()).isEqualTo("not_found");

        ObjectNode rollbackEvent = (ObjectNode) Api.event("rollback.json");
        ((ObjectNode) rollbackEvent.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        ((ObjectNode) rollbackEvent.get("pathParameters")).put("redemptionId", redemptionId);
        JsonNode rollback = Api.invoke(new RollbackHandler(loyalty), rollbackEvent);
        assertThat(rollback.path("statusCode").asInt()).as(rollback.toString()).isEqualTo(200);
        // the sample's own id names no redemption of this tenant
        assertThat(run(new RollbackHandler(loyalty), "rollback.json").path("statusCode").asInt()).isEqualTo(404);

        JsonNode refund = run(new RefundsHandler(loyalty), "refunds.json");
        assertThat(refund.path("statusCode").asInt()).as(refund.toString()).isEqualTo(200);
        assertThat(body(refund).path("pointsClawedBack").asLong()).isEqualTo(129);
        JsonNode patchRule = run(new ProgramsHandler(loyalty), "programs-patch-rule.json");
        assertThat(body(patchRule).path("status").asText()).as(patchRule.toString()).isEqualTo("disabled");
        JsonNode patchReward = run(new ProgramsHandler(loyalty), "programs-patch-reward.json");
        assertThat(body(patchReward).path("status").asText()).isEqualTo("disabled");
        JsonNode get = run(new ProgramsHandler(loyalty), "programs-get.json");
        assertThat(body(get).path("version").asLong()).isEqualTo(3);
        assertThat(body(get).path("earningRules").get(0).path("status").asText()).isEqualTo("disabled");
    }

    /** The donation sample gives 10 of the sample earn's 129 points to the sample program's charity. */
    @Test
    void theDonationSampleGivesPointsToTheProgramsCharity() {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        run(new EarnHandler(loyalty), "earn.json");
        JsonNode donation = run(new RedeemHandler(loyalty), "donations.json");
        assertThat(donation.path("statusCode").asInt()).as(donation.toString()).isEqualTo(201);
        assertThat(body(donation).path("charityId").asText()).isEqualTo("trees");
        assertThat(body(donation).path("valueMinor").asLong()).isEqualTo(10);
        assertThat(body(donation).path("balance").path("available").asLong()).isEqualTo(119);
        assertThat(run(new RedeemHandler(loyalty), "donations.json").path("headers").path("Idempotent-Replayed").asText())
                .isEqualTo("true");
    }

    /** The stream function applies the sample batch; the reports route then answers its figures (twice applied, counted once). */
    @Test
    void theStreamSampleFeedsTheReportsSample() throws Exception {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        String text = java.nio.file.Files.readString(LocalDynamo.root().resolve("events").resolve("stream.json"))
                .replace("T#local#", "T#" + tenant + "#");
        StreamHandler stream = new StreamHandler(loyalty);
        for (int i = 0; i < 2; i++) {
            var out = new java.io.ByteArrayOutputStream();
            stream.handleRequest(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
            JsonNode answer = Json.read(out.toString(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(answer.path("batchItemFailures")).as(answer.toString()).isEmpty();
            assertThat(answer.has("state")).isTrue();
        }
        JsonNode report = run(new ReportsHandler(loyalty), "reports-summary.json");
        assertThat(report.path("statusCode").asInt()).as(report.toString()).isEqualTo(200);
        JsonNode totals = body(report).path("totals");
        assertThat(totals.path("membersJoined").asLong()).isEqualTo(1);
        assertThat(totals.path("pointsIssued").asLong()).isEqualTo(129);
        assertThat(totals.path("pointsRedeemed").asLong()).isEqualTo(100);
        assertThat(totals.path("redemptions").asLong()).isEqualTo(1);
        assertThat(totals.path("discountMinor").asLong()).isEqualTo(500);
        assertThat(totals.path("attributedOrderMinor").asLong()).isEqualTo(4200);
        assertThat(body(report).path("outstandingPoints").asLong()).isEqualTo(29);
        assertThat(body(report).path("days")).hasSize(30);
        assertThat(body(report).path("rules").get(0).path("ruleId").asText()).isEqualTo("base");
        assertThat(body(report).path("rewards").get(0).path("orderMinor").asLong()).isEqualTo(4200);
    }

    /** The webhook routes answer their samples; the stream sample, given to the webhooks' consumer, reaches a real receiver signed. */
    @Test
    void theWebhookSamplesAndTheStreamSampleReachAReceiver() throws Exception {
        run(new ProgramsHandler(loyalty), "programs-put.json");
        var api = new dev.laurel.functions.webhooks.WebhooksHandler(loyalty, dev.laurel.api.WebhookSetup.local());
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            ObjectNode put = (ObjectNode) Api.event("webhooks-put.json");
            ((ObjectNode) put.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
            put.put("body", put.path("body").asText().replace("https://crm.example.com/laurel/webhooks", receiver.url())
                    .replaceAll("whsec-[0-9a-f]+", receiver.secret));
            JsonNode created = Api.invoke(api, put);
            assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
            assertThat(body(created).has("secret")).isFalse();
            assertThat(run(api, "webhooks-get.json").path("statusCode").asInt()).isEqualTo(200);
            String text = java.nio.file.Files.readString(LocalDynamo.root().resolve("events").resolve("stream.json"))
                    .replace("T#local#", "T#" + tenant + "#");
            var stream = new dev.laurel.functions.webhooks.WebhookStreamHandler(loyalty, dev.laurel.api.WebhookSetup.local());
            for (int i = 0; i < 2; i++) {
                var out = new java.io.ByteArrayOutputStream();
                stream.handleRequest(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
                assertThat(Json.read(out.toString(java.nio.charset.StandardCharsets.UTF_8)).path("batchItemFailures")).isEmpty();
            }
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::type)
                    .containsExactlyInAnyOrder("customer.joined", "points.earned", "reward.redeemed");
            assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
            JsonNode dead = run(api, "webhooks-deliveries.json");
            assertThat(dead.path("statusCode").asInt()).as(dead.toString()).isEqualTo(200);
            assertThat(body(dead).path("deliveries")).isEmpty();
            assertThat(run(api, "webhooks-delete.json").path("statusCode").asInt()).isEqualTo(200);
        }
    }

    /** The keys' samples: create shows the key once, the listing never, delete revokes (the created key's id put in its sample). */
    @Test
    void theKeySamplesCreateListAndRevoke() {
        var keys = new dev.laurel.functions.authorizer.KeysHandler(loyalty);
        JsonNode created = run(keys, "keys-create.json");
        assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
        String keyId = body(created).path("keyId").asText();
        String key = body(created).path("key").asText();
        JsonNode list = run(keys, "keys-list.json");
        assertThat(list.path("statusCode").asInt()).as(list.toString()).isEqualTo(200);
        assertThat(body(list).path("keys").get(0).path("name").asText()).isEqualTo("till 3");
        assertThat(list.path("body").asText()).doesNotContain(key);
        ObjectNode delete = (ObjectNode) Api.event("keys-delete.json");
        ((ObjectNode) delete.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        delete.put("rawPath", "/v1/keys/" + keyId);
        ((ObjectNode) delete.path("pathParameters")).put("keyId", keyId);
        JsonNode revoked = Api.invoke(keys, delete);
        assertThat(revoked.path("statusCode").asInt()).as(revoked.toString()).isEqualTo(200);
        assertThat(run(keys, "keys-delete.json").path("statusCode").asInt()).isEqualTo(404); // the sample's own id: none
    }

    @Test
    void authorizerMapsTheSampleKeyToItsTenantAndRole() {
        String key = "local-shop-key-" + tenant;
        new ApiKeys(store).create(tenant, "shop", "sample", key, Instant.now());
        ObjectNode event = (ObjectNode) Api.event("authorizer.json");
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + key);
        JsonNode answer = Api.invoke(new AuthorizerHandler(new ApiKeys(store)), event);
        assertThat(answer.path("isAuthorized").asBoolean()).isTrue();
        assertThat(answer.path("context").path("tenant").asText()).isEqualTo(tenant);
        assertThat(answer.path("context").path("role").asText()).isEqualTo("shop");

        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + key + "-wrong");
        JsonNode unknown = Api.invoke(new AuthorizerHandler(new ApiKeys(store)), event);
        assertThat(unknown.path("context").path("role").asText()).isEqualTo(AuthorizerHandler.NONE);
        assertThat(unknown.path("context").path("tenant").asText()).isEmpty();
    }
}
