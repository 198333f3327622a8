package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code import.completed} through a real receiver: made from the committed import item (its last
 * chunk sent with {@code ?final=true}, then its revert finished), once per (import, status),
 * whatever is sent again; never from a chunk that was refused.
 */
class ImportEventsTest {
    static final String P = ImportTest.P;
    final Hooks hooks = new Hooks();
    final Api api = hooks.api;
    final WebhookReceiver receiver = receiver();

    static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void theLastChunkAndTheRevertEachSendImportCompletedOnce() {
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        assertThat(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, "[\"import.completed\"]", null)).status())
                .isBetween(200, 201);
        api.admin("PUT", P + "/imports/e1", null);
        assertThat(ImportTest.rows(api, "e1", 0, "customerId,points\na,10\nb,x\n").status()).isEqualTo(200);
        hooks.drain();
        assertThat(receiver.received()).as("not complete before its last chunk").isEmpty();
        Api.Reply refused = api.call("POST", P + "/imports/e1/rows?offset=2&final=maybe", "customerId,points\nc,5\n", api.adminKey,
                ImportTest.CSV);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.field()).isEqualTo("final");
        Api.Reply last = api.call("POST", P + "/imports/e1/rows?offset=2&final=true", "customerId,points\nc,5\n", api.adminKey,
                ImportTest.CSV);
        assertThat(last.status()).as(last.toString()).isEqualTo(200);
        assertThat(api.admin("GET", P + "/imports/e1", null).body().has("completedAt")).isTrue();
        // the last chunk again (a retry after a timeout): skipped, no second event
        api.call("POST", P + "/imports/e1/rows?offset=2&final=true", "customerId,points\nc,5\n", api.adminKey, ImportTest.CSV);
        hooks.drain();
        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(1);
        JsonNode e = got.get(0).envelope();
        assertThat(got.get(0).signatureValid()).isTrue();
        assertThat(e.path("type").asText()).isEqualTo("import.completed");
        assertThat(e.has("customerId")).isFalse();
        assertThat(e.path("data").toString()).isEqualTo(
                "{\"importId\":\"e1\",\"rows\":3,\"imported\":2,\"failed\":1,\"pointsImported\":15,\"dryRun\":false,\"status\":\"open\"}");
        OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), e);

        assertThat(ImportRevertTest.revert(api, "e1").status()).isEqualTo(200);
        assertThat(ImportRevertTest.revert(api, "e1").status()).isEqualTo(200);
        hooks.drain();
        got = receiver.received();
        assertThat(got).hasSize(2);
        JsonNode r = got.get(1).envelope();
        assertThat(r.path("data").path("status").asText()).isEqualTo("reverted");
        assertThat(r.path("id").asText()).isNotEqualTo(e.path("id").asText());
        OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), r);
        // the stream again from the start: the same ids, so the deliveries are not made twice
        hooks.deliver(hooks.records());
        assertThat(receiver.received()).hasSize(2);
    }
}
