package dev.laurel.it;

import static dev.laurel.it.OpenApiCalls.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.it.OpenApiDoc.Op;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.notify.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The second story of api/openapi.yaml's examples: return window, expiry, reminders, channels. */
class OpenApiSecondStoryTest {
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
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200),
                LocalDynamo.freshTable());
        Jobs jobs = new Jobs(api);
        Map<String, String> ids = new HashMap<>();
        // the definition is GET's example without programId and version: the first story PUTs every PUT example
        // (with If-Match 1), so a second one there would answer 409 in it
        Op get = DOC.op("getProgram");
        JsonNode program = definitionOf(DOC.responseExamples(get, "200").get("returnsAndReminders"));
        Op put = DOC.op("putProgram");
        JsonNode broken = with(program, o -> {
            ((ObjectNode) o).set("pending", Json.object().put("days", 365));
            ((ObjectNode) o).set("channel", Json.object().put("type", "webhook").put("url", "ftp://shop.example.com/hooks")
                    .put("secret", "too-short"));
        });
        assertDocumentedAs(put, call(api, put, ids, broken, Map.of(), api.adminKey), 400, "returnWindowAndChannel");
        assertDocumentedAs(put, call(api, put, ids, program, Map.of(), api.adminKey), 201, "created");
        assertDocumentedAs(get, call(api, get, ids, null, Map.of(), api.adminKey), 200, "returnsAndReminders");
        Op upsert = DOC.op("upsertCustomer");
        assertDocumentedAs(upsert, call(api, upsert, ids, DOC.requestExamples(upsert).get("join"), Map.of(), api.shopKey), 201, "join");
        Op earn = DOC.op("earn");
        assertDocumentedAs(earn, call(api, earn, ids, DOC.requestExamples(earn).get("orderPaid"), Map.of(), api.shopKey),
                200, "orderPaidPending");
        Op refund = DOC.op("refund");
        assertDocumentedAs(refund, call(api, refund, ids, DOC.requestExamples(refund).get("half"), Map.of(), api.shopKey),
                200, "halfInsideWindow");
        Op wallet = DOC.op("getWallet");
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

        Op ledger = DOC.op("listLedger");
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
        for (var d : new dev.laurel.store.ScheduledStore(api.store).deadLetters(api.tenant, 100)) {
            dead.addObject().put("id", d.notificationId()).put("programId", d.programId()).put("customerId", d.customerId())
                    .put("type", d.type()).put("attempts", d.attempts()).put("error", d.error()).put("at", d.at().toString());
        }
        Op listOutbox = DOC.op("listOutbox");
        List<String> failures = new ArrayList<>();
        DOC.check("GET /local/outbox " + outbox, DOC.responseSchema(listOutbox, "200"), outbox, failures);
        assertThat(failures).isEmpty();
        JsonNode documented = DOC.responseExamples(listOutbox, "200").get("story");
        assertThat(documented).as(listOutbox + " example story").isNotNull();
        // one run sends in no particular order (as webhooks.md says): compare by time, then id
        assertSameAsExample(listOutbox + " answer", byTimeAndId(outbox), byTimeAndId(documented));
    }

    /** The schemas of pending, reminders and channel reject what the API rejects, and accept what it accepts. */
    @Test
    void theReturnWindowRemindersAndChannelSchemasAgreeWithTheApi() {
        JsonNode program = definitionOf(DOC.responseExamples(DOC.op("getProgram"), "200").get("returnsAndReminders"));
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
        Op put = DOC.op("putProgram");
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

    /** GET's answer as a definition to PUT: without programId, version and createdAt, the webhook's secret in place of secretSet. */
    private static JsonNode definitionOf(JsonNode got) {
        return with(got, o -> {
            ((ObjectNode) o).remove(List.of("programId", "version", "createdAt"));
            if (o.get("channel") instanceof ObjectNode c && c.has("secretSet")) {
                c.remove("secretSet");
                c.put("secret", "whsec_7Jc2pQ9vXr4LmT8s");
            }
        });
    }
}
