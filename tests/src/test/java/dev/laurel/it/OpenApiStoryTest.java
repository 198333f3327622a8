package dev.laurel.it;

import static dev.laurel.it.OpenApiCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.it.OpenApiDoc.Op;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every request example of api/openapi.yaml is accepted by the real handlers, whose answers (and
 * the errors every operation can answer) validate against the documented schemas and equal the
 * documented answer examples of the same name, up to generated ids.
 */
class OpenApiStoryTest {
    /** The deployed operations in an order that makes every example meaningful (program first, redeem before rollback). */
    static final List<String> STORY = List.of("putProgram", "getProgram", "upsertCustomer", "confirmConsent", "earn", "validate", "redeem",
            "getCode", "getCodeQr", "useCode", "rollbackRedemption", "refund", "getWallet", "listLedger", "createSession",
            "listCustomers", "donate", "putImport", "postImportRows", "getImport", "revertImport", "setEarningRuleStatus", "setRewardStatus", "reportSummary",
            "putWebhook", "getWebhook", "listWebhookDeliveries", "deleteWebhook",
            "createKey", "listKeys", "deleteKey");

    @Test
    void everyRequestExampleIsAcceptedAndAnsweredAsDocumented() {
        assertThat(new LinkedHashSet<>(STORY)).containsExactlyInAnyOrderElementsOf(
                DOC.ops.values().stream().filter(o -> !o.localOnly()).map(Op::id).toList());
        Api api = new Api();
        Map<String, String> ids = new HashMap<>();
        // the program first, from the PUT example, without If-Match
        Op put = DOC.op("putProgram");
        Api.Reply created = call(api, put, ids, DOC.requestExamples(put).get("acme"), Map.of(), api.adminKey);
        assertDocumented(put, created, 201);
        int calls = 0;
        for (String id : STORY) {
            Op op = DOC.op(id);
            String key = op.roles().contains("shop") ? api.shopKey : api.adminKey;
            Map<String, String> headers = headerExamples(op);
            Map<String, JsonNode> bodies = DOC.requestExamples(op);
            if (bodies.isEmpty()) {
                bodies = new LinkedHashMap<>();
                bodies.put("", null);
            }
            if (op.id().equals("confirmConsent")) {
                bodies = withRealToken(api, bodies);
            }
            for (var b : bodies.entrySet()) {
                Api.Reply r = call(api, op, ids, b.getValue(), headers, key);
                calls++;
                assertThat(r.status()).as(op + " example " + b.getKey() + ": " + r).isBetween(200, 299);
                assertDocumented(op, r, r.status());
                JsonNode expected = DOC.responseExamples(op, Integer.toString(r.status())).get(b.getKey());
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
                if (op.id().equals("createKey")) {
                    ids.put("keyId", r.body().path("keyId").asText()); // deleteKey revokes it
                }
                if (op.id().equals("redeem")) {
                    ids.put("redemptionId", r.body().path("redemptionId").asText());
                    ids.put("code", r.body().path("code").asText());
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

        // the member listing after the story, whole and a page of one (with a cursor to the rest), as documented
        Op members = DOC.op("listCustomers");
        assertDocumentedAs(members, call(api, members, ids, null, Map.of(), api.adminKey), 200, "afterTheStory");
        Api.Reply one = api.admin("GET", path(members, ids) + "?limit=1", null);
        assertDocumentedAs(members, one, 200, "limitOne");
        Api.Reply rest = api.admin("GET", path(members, ids) + "?limit=100&cursor=" + enc(one.body().path("cursor").asText()), null);
        assertDocumented(members, rest, 200);
        assertThat(rest.body().at("/customers/0/customerId").asText()).isNotEqualTo(one.body().at("/customers/0/customerId").asText());

        // a few documented conflicts of the story
        Api.Reply stale = call(api, put, ids, DOC.requestExamples(put).get("acme"), headerExamples(put), api.adminKey);
        assertDocumented(put, stale, 409);
        assertThat(stale.code()).isEqualTo("version_conflict");
        Op rollback = DOC.op("rollbackRedemption");
        Api.Reply twice = call(api, rollback, ids, null, Map.of(), api.shopKey);
        assertDocumented(rollback, twice, 409);
        assertThat(twice.code()).isEqualTo("already_rolled_back");
        Op earn = DOC.op("earn");
        Api.Reply reused = call(api, earn, ids, with(DOC.requestExamples(earn).get("orderPaid"),
                o -> ((ObjectNode) o.at("/event/order")).put("totalMinor", 13999)), Map.of(), api.shopKey);
        assertDocumented(earn, reused, 409);
        Op refund = DOC.op("refund");
        Api.Reply refundReused = call(api, refund, ids, with(DOC.requestExamples(refund).get("half"),
                o -> ((ObjectNode) o).put("amountMinor", 100)), headerExamples(refund), api.shopKey);
        assertDocumented(refund, refundReused, 409);
        Api.Reply tooMuch = call(api, refund, ids, with(DOC.requestExamples(refund).get("half"),
                o -> ((ObjectNode) o).put("amountMinor", 7000)), Map.of(), api.shopKey);
        assertDocumented(refund, tooMuch, 400);
        Op wallet = DOC.op("getWallet");
        Map<String, String> stranger = new HashMap<>(ids);
        stranger.put("customerId", "c-9");
        assertDocumented(wallet, call(api, wallet, stranger, null, Map.of(), api.shopKey), 404);
        Op ledger = DOC.op("listLedger");
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

    /**
     * The confirm example's token replaced by a real one: program {@code optin} with double opt-in, its member
     * {@code c-1} asked for consent, the token taken from the consent_confirmation message.
     */
    static Map<String, JsonNode> withRealToken(Api api, Map<String, JsonNode> bodies) {
        Api.Reply program = api.admin("PUT", "/v1/programs/optin", "{\"name\": \"Opt-in\", \"currency\": \"EUR\", "
                + "\"timezone\": \"Europe/Berlin\", \"earningRules\": [], \"consent\": {\"doubleOptIn\": true}}");
        assertThat(program.status()).as(program.toString()).isEqualTo(201);
        Api.Reply member = api.shop("PUT", "/v1/programs/optin/customers/c-1", "{\"consent\": {\"marketing\": true}}");
        assertThat(member.body().at("/consent/marketing").asText()).as(member.toString()).isEqualTo("pending");
        var sent = api.consentOutbox.all();
        String token = sent.get(sent.size() - 1).notification().payload().path("token").asText();
        Map<String, JsonNode> out = new LinkedHashMap<>();
        bodies.forEach((k, v) -> out.put(k, with(v, o -> ((ObjectNode) o).put("token", token))));
        return out;
    }

    @Test
    void theErrorsEveryOperationCanAnswerAreDocumented() {
        Api api = new Api();
        Op put = DOC.op("putProgram");
        Map<String, String> ids = new HashMap<>();
        ids.put("redemptionId", "01m83t4cm0bx4aykp320zz");
        assertDocumented(put, call(api, put, ids, DOC.requestExamples(put).get("acme"), Map.of(), api.adminKey), 201);
        String big = "{\"note\": \"" + "x".repeat(300 * 1024) + "\"}";
        for (Op op : DOC.ops.values()) {
            if (op.localOnly()) {
                continue;
            }
            String key = op.roles().contains("shop") ? api.shopKey : api.adminKey;
            JsonNode body = DOC.requestExamples(op).values().stream().findFirst().orElse(null);
            Map<String, String> headers = headerExamples(op);
            headers.remove("If-Match");

            boolean open = op.roles().isEmpty(); // no key: POST /v1/consent/confirm
            if (!open) {
                Api.Reply badKey = call(api, op, ids, body, headers, "not-a-key-at-all");
                assertDocumented(op, badKey, 401);
                assertThat(badKey.code()).isEqualTo("unauthorized");
                assertDocumented(op, call(api, op, ids, body, headers, null), 401);
            }
            if (!open && !op.roles().contains("shop")) {
                Api.Reply shop = call(api, op, ids, body, headers, api.shopKey);
                assertDocumented(op, shop, 403);
            }
            Map<String, String> badIds = new HashMap<>(ids);
            badIds.put("programId", "bad id");
            badIds.put("webhookId", "bad id");
            badIds.put("keyId", "bad id");
            boolean pathIds = op.path().contains("{"); // POST and GET /v1/keys have none
            if (pathIds && !open) {
                assertDocumented(op, call(api, op, badIds, body, headers, key), 400);
            }
            if (pathIds && !op.id().equals("putProgram") && !op.id().equals("putWebhook")) {
                Map<String, String> missing = new HashMap<>(ids);
                missing.put("programId", "nope");
                missing.put("webhookId", "nope");
                missing.put("keyId", "nope");
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
}
