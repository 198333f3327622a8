package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.local.LocalClock;
import dev.laurel.store.dynamodb.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The expiry run reads in proportion to what is due, not to the customers: 20,000 customers in
 * the table, 200 of them with a lot due. The run reports the read units DynamoDB consumed
 * (ReturnConsumedCapacity on every query and batch read); a scan of the same table, for contrast,
 * reads all 20,000. By default it runs 5,000 customers, 50 of them due (the same two bounds: at most
 * 1.5 units per due customer plus the shards' pages, and a scan over five times that);
 * {@code -Dlaurel.long=true} runs the full 20,000 and 200 (README "Long runs").
 */
class ExpiryScaleTest {
    static final int CUSTOMERS = LongRuns.size(5_000, 20_000);
    static final int DUE = LongRuns.size(50, 200);

    @Test
    void twentyThousandCustomersTwoHundredDueReadsInProportionToTheTwoHundred() {
        String table = LocalDynamo.freshTable();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-01T10:00:00Z")), Duration.ofSeconds(5), table);
        assertThat(api.admin("PUT", "/v1/programs/p", ExpiryTest.PROGRAM).status()).isEqualTo(201);
        // 200 customers earn through the API on 1 November: their lots expire after 30 days
        for (int i = 0; i < DUE; i++) {
            Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("due-" + i, "o-" + i, 1000 + i, "2026-11-01T10:00:00Z"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        // one customer earns in March (a lot due in April); the others are copies of their profile item,
        // keyed in the due index like them, written in batches (a fast way to a big table)
        api.clock.set(Instant.parse("2027-03-01T10:00:00Z"));
        assertThat(api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("later-0", "o-later", 5000, "2027-03-01T10:00:00Z")).status())
                .isEqualTo(200);
        DynamoDbClient ddb = LocalDynamo.get().client();
        Map<String, AttributeValue> model = ddb.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS(Keys.customer(api.tenant, "p", "later-0")), "sk", AttributeValue.fromS(Keys.PROFILE)))).item();
        assertThat(model).containsKeys("dueShard", "dueAt");
        long t0 = System.nanoTime();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 1; i < CUSTOMERS - DUE; i++) {
            Map<String, AttributeValue> item = new HashMap<>(model);
            String pk = Keys.customer(api.tenant, "p", "later-" + i);
            item.put("pk", AttributeValue.fromS(pk));
            item.put("customerId", AttributeValue.fromS("later-" + i));
            item.put("dueShard", AttributeValue.fromS("D#" + String.format("%02d", Math.floorMod(pk.hashCode(), 16))));
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25 || i == CUSTOMERS - DUE - 1) {
                List<WriteRequest> chunk = List.copyOf(batch);
                var out = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, chunk)));
                assertThat(out.unprocessedItems()).isEmpty();
                batch.clear();
            }
        }
        long seedMs = (System.nanoTime() - t0) / 1_000_000;

        // the daily run on 2 December: exactly the 200 are due
        api.clock.set(Instant.parse("2026-12-02T00:15:00Z"));
        List<JsonNode> run = new Jobs(api).expiry();
        JsonNode r = run.get(0);
        assertThat(run).hasSize(1);
        assertThat(r.path("complete").asBoolean()).isTrue();
        assertThat(r.path("lotsExpired").asLong()).as(r.toString()).isEqualTo(DUE);
        assertThat(r.path("customers").asLong()).isEqualTo(DUE);
        double readUnits = r.path("readUnits").asDouble();
        long ms = r.path("ms").asLong();

        double scanUnits = 0;
        Map<String, AttributeValue> start = null;
        long scanned = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse s = ddb.scan(ScanRequest.builder().tableName(table).consistentRead(true).exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            scanUnits += s.consumedCapacity().capacityUnits();
            scanned += s.count();
            start = s.hasLastEvaluatedKey() && !s.lastEvaluatedKey().isEmpty() ? s.lastEvaluatedKey() : null;
        } while (start != null);
        System.out.printf("expiry scale: %d customers (%d seeded in %d ms), %d due: run read %.1f units in %d requests, "
                        + "%d ms, %.0f lots/s; a scan of the table reads %.1f units (%d items)%n",
                CUSTOMERS, CUSTOMERS - DUE, seedMs, DUE, readUnits, r.path("readRequests").asLong(), ms,
                DUE * 1000.0 / Math.max(1, ms), scanUnits, scanned);
        // each due customer costs one consistent read of their profile (1 unit for an item under 4 KB) plus a
        // share of the keys-only index pages; the others (19,800 at full size) cost nothing
        assertThat(readUnits).as("read units of the run").isLessThanOrEqualTo(DUE * 1.5 + 16);
        assertThat(readUnits).as("read units of the run").isGreaterThanOrEqualTo(DUE);
        // a scan packs small items into 4 KB units, so it costs "only" 1,700 units for 20,000 items,
        // and it grows with every customer added, where the run does not
        assertThat(scanUnits).as("a scan reads the whole table").isGreaterThan(readUnits * 5);
        // the next day nothing is due: one query per shard, and nothing of the others is read
        api.clock.set(Instant.parse("2026-12-03T00:15:00Z"));
        JsonNode idle = new Jobs(api).expiry().get(0);
        System.out.printf("expiry scale: the next day's run reads %.1f units in %d requests%n",
                idle.path("readUnits").asDouble(), idle.path("readRequests").asLong());
        assertThat(idle.path("readRequests").asLong()).isEqualTo(16);
        assertThat(idle.path("readUnits").asDouble()).isLessThanOrEqualTo(16 * 0.5);
        // and what was read was exact: every due customer is at zero with one expire entry
        for (int i = 0; i < DUE; i += 20) {
            Invariants.Snapshot s = Invariants.check(api, "p", "due-" + i);
            assertThat(s.available()).isZero();
            assertThat(s.ofType("expire")).hasSize(1);
        }
    }
}
