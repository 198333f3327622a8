package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * {@code code.used} (API.md "Outbound webhooks", "Reward codes at the till"): derived from the code item's committed
 * change issued → used in the table's real stream records, delivered to a real receiver once per use however the
 * stream delivers, never for a refused use, a rolled-back or an expired code, and ordered after its redemption.
 */
class CodeUsedEventTest {
    static final String P = "/v1/programs/acme";
    static final String EVENTS = "[\"reward.redeemed\", \"redemption.rolled_back\", \"code.used\", \"points.earned\"]";

    Hooks hooks;
    Api api;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        hooks = new Hooks();
        api = hooks.api;
        receiver = new WebhookReceiver();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        ok(hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret, EVENTS, null)));
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private static void ok(Api.Reply r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
    }

    /** A redemption of ten-off on a fresh order; its answer. */
    private JsonNode redeem(String customer, String key) {
        Api.Reply r = api.shop("POST", P + "/redeem", "{\"customerId\": \"" + customer + "\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-" + key + "\", \"totalMinor\": 3000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", key));
        ok(r);
        return r.body();
    }

    private Api.Reply use(String code, String orderId, String location) {
        return api.shop("POST", P + "/codes/" + code + "/use",
                "{\"orderId\": \"" + orderId + "\"" + (location == null ? "" : ", \"location\": \"" + location + "\"") + "}");
    }

    private List<JsonNode> got(String type) {
        return receiver.received(type).stream().map(WebhookReceiver.Received::envelope).toList();
    }

    @Test
    void aUseAtTheTillIsOneSignedEventWithItsFiguresOrderedAfterItsRedemption() {
        ok(api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 60_000, api.clock.instant().toString())));
        JsonNode first = redeem("c-1", "r-1");
        JsonNode second = redeem("c-1", "r-2");
        api.clock.advance(Duration.ofMinutes(5));
        ok(use(first.path("code").asText(), "till-order-1", "store 7"));
        ok(use(second.path("code").asText(), "till-order-2", null));
        assertThat(use(first.path("code").asText(), "till-order-3", null).status()).as("a second use").isEqualTo(409);
        ok(api.shop("POST", P + "/redemptions/" + first.path("redemptionId").asText() + "/rollback", null));
        hooks.drain();

        List<JsonNode> used = got("code.used");
        assertThat(used).hasSize(2);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
        used.forEach(e -> OpenApiCalls.assertAccepted(OpenApiCalls.schemaRef("WebhookEvent"), e));
        JsonNode one = used.stream().filter(e -> e.path("data").path("code").asText().equals(first.path("code").asText()))
                .findFirst().orElseThrow();
        assertThat(one.path("id").asText()).matches("evt_[0-9a-f]{32}");
        assertThat(one.path("customerId").asText()).isEqualTo("c-1");
        assertThat(one.path("programId").asText()).isEqualTo("acme");
        assertThat(one.path("createdAt").asText()).isEqualTo("2026-11-23T09:05:00Z");
        JsonNode d = one.path("data");
        assertThat(d.path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(d.path("redemptionId").asText()).isEqualTo(first.path("redemptionId").asText());
        assertThat(d.path("orderId").asText()).isEqualTo("till-order-1");
        assertThat(d.path("location").asText()).isEqualTo("store 7");
        assertThat(d.path("discountMinor").asLong()).isEqualTo(1000);
        assertThat(d.path("usedAt").asText()).isEqualTo("2026-11-23T09:05:00Z");
        JsonNode two = used.stream().filter(e -> e != one).findFirst().orElseThrow();
        assertThat(two.path("data").has("location")).as("no location given").isFalse();
        assertThat(two.path("data").path("orderId").asText()).isEqualTo("till-order-2");

        // sequence: each use right after its own redemption's events, the rollback of a used code after its use
        long redeemed1 = sequenceOf("reward.redeemed", first.path("redemptionId").asText());
        long redeemed2 = sequenceOf("reward.redeemed", second.path("redemptionId").asText());
        long rolledBack = sequenceOf("redemption.rolled_back", first.path("redemptionId").asText());
        long used1 = one.path("sequence").asLong();
        long used2 = two.path("sequence").asLong();
        assertThat(used1).isGreaterThan(redeemed1).isLessThan(redeemed2).isLessThan(rolledBack);
        assertThat(used2).isGreaterThan(redeemed2).isLessThan(rolledBack);
        List<Long> all = new ArrayList<>();
        receiver.received().forEach(r -> all.add(r.envelope().path("sequence").asLong()));
        assertThat(all).as("sequences are distinct").doesNotHaveDuplicates();
    }

    private long sequenceOf(String type, String redemptionId) {
        return got(type).stream().filter(e -> e.path("data").path("redemptionId").asText().equals(redemptionId))
                .findFirst().orElseThrow().path("sequence").asLong();
    }

    @Test
    void aRefusedUseARolledBackCodeAndAnExpiredCodeEmitNothing() {
        String program = Api.minimalProgram().replace("\"stacking\"", "\"codeValidDays\": 2, \"stacking\"");
        assertThat(program).contains("codeValidDays");
        ok(api.admin("PUT", P, program));
        ok(api.shop("POST", P + "/earn", Api.orderPaid("c-1", "o-1", 60_000, api.clock.instant().toString())));
        JsonNode rolled = redeem("c-1", "r-1");
        JsonNode lapsing = redeem("c-1", "r-2");
        ok(api.shop("POST", P + "/redemptions/" + rolled.path("redemptionId").asText() + "/rollback", null));
        assertThat(use(rolled.path("code").asText(), "x-1", null).status()).as("rolled back").isEqualTo(409);
        assertThat(use("LR-22222-22222-22222", "x-2", null).status()).as("no such code").isEqualTo(404);
        api.clock.advance(Duration.ofDays(3));
        assertThat(use(lapsing.path("code").asText(), "x-3", null).status()).as("expired").isEqualTo(422);
        new Jobs(api).expiry(); // the daily run moves the lapsed code to expired and gives its points back
        assertThat(api.shop("GET", P + "/codes/" + lapsing.path("code").asText(), null).body().path("status").asText())
                .isEqualTo("expired");
        hooks.drain();
        assertThat(got("reward.redeemed")).hasSize(2);
        assertThat(got("redemption.rolled_back")).as("the rollback").isNotEmpty();
        assertThat(got("code.used")).isEmpty();
    }

    @Test
    void replayedDuplicatedAndBisectedBatchesSendEachUseExactlyOnce() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ok(api.shop("POST", P + "/earn", Api.orderPaid("c-" + i, "o-" + i, 30_000, api.clock.instant().toString())));
            codes.add(redeem("c-" + i, "r-" + i).path("code").asText());
        }
        for (int i = 0; i < codes.size(); i++) {
            ok(use(codes.get(i), "till-" + i, "till " + i));
            assertThat(use(codes.get(i), "till-again-" + i, null).status()).isEqualTo(409);
        }
        List<Record> records = hooks.records();
        long codeRecords = records.stream().filter(r -> r.dynamodb().keys().get("pk").s().contains("#K#")).count();
        assertThat(codeRecords).as("an insert and a modify per code, nothing for a refused use").isEqualTo(2L * codes.size());
        hooks.deliver(records);
        hooks.deliver(records);
        hooks.deliver(records.subList(0, records.size() / 2 + 3));
        hooks.deliver(records.subList(records.size() / 2 - 3, records.size()));
        for (int i = records.size() - 1; i >= 0; i--) {
            hooks.deliver(records.subList(i, i + 1));
        }
        List<JsonNode> used = got("code.used");
        assertThat(used).extracting(e -> e.path("data").path("code").asText()).containsExactlyInAnyOrderElementsOf(codes);
        assertThat(receiver.received()).as("nothing is sent twice")
                .extracting(WebhookReceiver.Received::id).doesNotHaveDuplicates();
        // a use's id is stable: the same use derives the same id from every re-delivery
        List<JsonNode> sorted = new ArrayList<>(used);
        sorted.sort(Comparator.comparing(e -> e.path("data").path("code").asText()));
        assertThat(sorted).allSatisfy(e -> assertThat(e.path("data").path("location").asText()).startsWith("till "));
    }
}
