package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.Laurel;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The report equals the ledger however the stream delivers: the records of a real table's stream
 * (read with GetRecords from DynamoDB Local), given to the real stream function once, twice,
 * overlapping, bisected, and as the two shards of a split delivered child first. Each delivery
 * plan adds to counters on a fresh table of its own (holding a copy of the program), so the plans
 * share the commits and their stream but not their counters.
 */
class StreamReplayTest {
    static final String P = "/v1/programs/acme";
    static final String PROGRAM = """
            {"name": "Replay", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 25}}],
             "rewards": [{"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000}],
             "expiry": {"afterDays": 30}}
            """;

    static Api api;
    static String table;
    static List<Record> records;
    static Map<String, Long> ledger;
    static long balances;

    @BeforeAll
    static void commitsAndTheirStream() {
        table = LocalDynamo.freshTableWithStream();
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
        assertThat(api.admin("PUT", P, PROGRAM).status()).isEqualTo(201);
        List<String> redemptions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ok(api.shop("POST", P + "/earn", Api.orderPaid("c-" + i, "o-" + i, 10000 + 1000L * i, api.clock.instant().toString())), "earn");
            api.clock.advance(Duration.ofHours(7)); // across days, and across a Berlin midnight
        }
        for (int i = 0; i < 4; i++) {
            Api.Reply r = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-" + i + "\", \"rewardId\": \"ten-off\", \"order\": "
                    + "{\"id\": \"r-" + i + "\", \"totalMinor\": " + (5000 + i) + ", \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "rd-" + i));
            ok(r, "redeem");
            redemptions.add(r.body().path("redemptionId").asText());
            api.clock.advance(Duration.ofHours(1));
        }
        ok(api.shop("POST", P + "/redemptions/" + redemptions.get(1) + "/rollback", null), "rollback");
        // c-2 spent 100 of its points: refunding its whole order takes what is left and owes the rest (a debt)
        ok(api.shop("POST", P + "/refunds", "{\"customerId\": \"c-2\", \"orderId\": \"o-2\", \"amountMinor\": 12000}"), "refund");
        ok(api.shop("POST", P + "/earn", Api.orderPaid("c-2", "o-2b", 3000, api.clock.instant().toString())), "earn paying the debt");
        api.clock.advance(Duration.ofDays(40));
        new Jobs(api).expiry();
        ok(api.shop("POST", P + "/earn", Api.orderPaid("c-5", "o-late", 4200, api.clock.instant().toString())), "earn after expiry");

        records = read(table);
        ledger = new HashMap<>();
        balances = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = LocalDynamo.get().client().scan(b -> b.tableName(table).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = item.get("sk").s();
                if (!item.get("pk").s().startsWith("T#" + api.tenant + "#P#acme#C#")) {
                    continue;
                }
                if (sk.startsWith("E#")) {
                    ledger.merge(item.get("type").s(), Long.parseLong(item.get("points").n()), Long::sum);
                } else if (sk.equals("P")) {
                    balances += Long.parseLong(item.get("available").n()) + Long.parseLong(item.get("pending").n());
                }
            }
            start = page.lastEvaluatedKey().isEmpty() ? null : page.lastEvaluatedKey();
        } while (start != null);
        assertThat(ledger).containsKeys("earn", "redeem", "rollback", "refund", "expire");
    }

    private static void ok(Api.Reply r, String what) {
        assertThat(r.status()).as(what + ": " + r).isBetween(200, 201);
    }

    /** Every record of the table's stream, shard after shard, in order. */
    static List<Record> read(String table) {
        return StreamRecords.byShard(table).values().stream().flatMap(List::stream).toList();
    }

    /** Gives one batch to the stream function; asserts it applied it whole. */
    static void deliver(StreamHandler fn, String shard, List<Record> batch) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fn.handleRequest(new ByteArrayInputStream(LocalStreams.event(shard, batch)), out, null);
            JsonNode answer = Json.read(out.toString(StandardCharsets.UTF_8));
            assertThat(answer.path("batchItemFailures")).as(answer.toString()).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream function whose counters live on a fresh table (the commits' own table is only read). */
    private static StreamHandler freshCounters(Map<String, String> tableOut) {
        String counters = LocalDynamo.freshTable();
        tableOut.put("t", counters);
        // the program must be readable for the time zone: copy its definition item
        var def = LocalDynamo.get().client().getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("T#" + api.tenant + "#P#acme"),
                "sk", AttributeValue.fromS("DEF")))).item();
        LocalDynamo.get().client().putItem(b -> b.tableName(counters).item(def));
        return new StreamHandler(new Laurel(new dev.laurel.store.dynamodb.DynamoStore(LocalDynamo.get().client(), counters),
                api.clock, Duration.ofSeconds(5)));
    }

    private static JsonNode report(String counters) {
        Api reader = new Api(api.clock, Duration.ofMillis(200), counters, LocalDynamo.get().client(), api.tenant);
        Api.Reply r = reader.admin("GET", P + "/reports/summary?from=2026-11-01&to=2027-01-31", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private static void assertEqualsTheLedger(JsonNode report) {
        JsonNode t = report.path("totals");
        assertThat(t.path("pointsIssued").asLong()).isEqualTo(ledger.getOrDefault("earn", 0L));
        assertThat(t.path("pointsRedeemed").asLong()).isEqualTo(-ledger.getOrDefault("redeem", 0L));
        assertThat(t.path("pointsRolledBack").asLong()).isEqualTo(ledger.getOrDefault("rollback", 0L));
        assertThat(t.path("pointsExpired").asLong()).isEqualTo(-ledger.getOrDefault("expire", 0L));
        assertThat(t.path("pointsRefunded").asLong()).isEqualTo(-ledger.getOrDefault("refund", 0L) - ledger.getOrDefault("debt", 0L));
        assertThat(t.path("redemptions").asLong()).isEqualTo(4);
        assertThat(t.path("membersJoined").asLong()).isEqualTo(8);
        assertThat(t.path("discountMinor").asLong()).isEqualTo(4000);
        assertThat(t.path("attributedOrderMinor").asLong()).isEqualTo(5000 + 5001 + 5002 + 5003);
        assertThat(report.path("outstandingPoints").asLong()).isEqualTo(balances);
        assertThat(report.path("outstandingPoints").asLong()).isEqualTo(t.path("pointsIssued").asLong() - t.path("pointsRedeemed").asLong()
                + t.path("pointsRolledBack").asLong() - t.path("pointsExpired").asLong() - t.path("pointsRefunded").asLong());
        long daysIssued = 0;
        for (JsonNode d : report.path("days")) {
            daysIssued += d.path("pointsIssued").asLong();
        }
        assertThat(daysIssued).isEqualTo(t.path("pointsIssued").asLong());
        long rulePoints = 0;
        for (JsonNode r : report.path("rules")) {
            rulePoints += r.path("points").asLong();
        }
        assertThat(rulePoints).isEqualTo(t.path("pointsIssued").asLong());
    }

    @Test
    void onceInOrderTheReportEqualsTheLedger() {
        Map<String, String> t = new HashMap<>();
        StreamHandler fn = freshCounters(t);
        for (int i = 0; i < records.size(); i += 100) {
            deliver(fn, "shardId-a", records.subList(i, Math.min(records.size(), i + 100)));
        }
        assertEqualsTheLedger(report(t.get("t")));
    }

    @Test
    void duplicatedRedeliveredAndBisectedBatchesCountOnce() {
        Map<String, String> t = new HashMap<>();
        StreamHandler fn = freshCounters(t);
        int size = 7;
        for (int i = 0; i < records.size(); i += size) {
            List<Record> batch = records.subList(i, Math.min(records.size(), i + size));
            // bisected: the first half, then (the function "failed") the whole batch again
            deliver(fn, "shardId-a", batch.subList(0, batch.size() / 2 + 1));
            deliver(fn, "shardId-a", batch);
            deliver(fn, "shardId-a", batch); // duplicated
            // re-delivered from an earlier record, overlapping what was applied
            deliver(fn, "shardId-a", records.subList(Math.max(0, i - 3), Math.min(records.size(), i + size)));
        }
        deliver(fn, "shardId-a", records); // the whole stream once more
        assertEqualsTheLedger(report(t.get("t")));
    }

    @Test
    void theShardsOfASplitDeliveredChildFirstCountOnce() {
        Map<String, String> t = new HashMap<>();
        StreamHandler fn = freshCounters(t);
        int half = records.size() / 2;
        List<Record> parent = records.subList(0, half);
        List<Record> child = records.subList(half, records.size());
        for (int i = 0; i < child.size(); i += 10) {
            deliver(fn, "shardId-child", child.subList(i, Math.min(child.size(), i + 10)));
        }
        for (int i = 0; i < parent.size(); i += 10) {
            deliver(fn, "shardId-parent", parent.subList(i, Math.min(parent.size(), i + 10)));
            deliver(fn, "shardId-parent", parent.subList(0, Math.min(parent.size(), i + 10)));
        }
        deliver(fn, "shardId-child", child);
        assertEqualsTheLedger(report(t.get("t")));
    }

    /** The check can fail: counting a batch twice without its sequence (as another shard) breaks it. */
    @Test
    void aDuplicateUnderAnotherShardIsCountedTwice() {
        Map<String, String> t = new HashMap<>();
        StreamHandler fn = freshCounters(t);
        deliver(fn, "shardId-a", records);
        // the last records (the earn after expiry): the first ones are the setup's API keys (three items each)
        deliver(fn, "shardId-b", records.subList(records.size() - 5, records.size()));
        JsonNode r = report(t.get("t"));
        long issued = r.path("totals").path("pointsIssued").asLong();
        long joined = r.path("totals").path("membersJoined").asLong();
        assertThat(issued > ledger.get("earn") || joined > 8).isTrue();
    }
}
