package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.api.WebhookSetup;
import dev.laurel.app.Laurel;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.functions.webhooks.WebhookStreamHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Found by the reliability workload's report check (issue 10): HostileInputTest stores a member
 * attribute of {@code 1e100}, which DynamoDB keeps as a number; the stream image gives it back
 * written out (101 digits), and reading the image's attributes with a request's 40-digit number
 * limit failed the record, so both stream functions refused the batch forever (on AWS: retried,
 * bisected, then the record sent to the on-failure queue and its balance change lost from the
 * outstanding points). Both functions must take every number DynamoDB can store.
 */
class StreamNumbersTest {
    @Test
    void aMemberAttributeOf1e100PassesThroughBothStreamFunctions() throws Exception {
        String table = LocalDynamo.freshTableWithStream();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
        assertThat(api.admin("PUT", "/v1/programs/acme", StreamReplayTest.PROGRAM).status()).isEqualTo(201);
        for (String v : List.of("1e100", "-1e125", "1.25e-100")) {
            Api.Reply r = api.shop("PUT", "/v1/programs/acme/customers/c-1", "{\"email\": \"a@example.com\", \"attributes\": {\"x\": " + v + "}}");
            assertThat(r.status()).as(v + ": " + r).isBetween(200, 201);
        }
        assertThat(api.shop("POST", "/v1/programs/acme/earn", Api.orderPaid("c-1", "o-1", 5000, api.clock.instant().toString())).status())
                .isEqualTo(200);
        Map<String, List<Record>> shards = StreamRecords.byShard(table);
        Laurel laurel = new Laurel(new DynamoStore(LocalDynamo.get().client(), table), api.clock, Duration.ofSeconds(5));
        var reports = new StreamHandler(laurel);
        var webhooks = new WebhookStreamHandler(laurel, WebhookSetup.local());
        for (var shard : shards.entrySet()) {
            byte[] event = LocalStreams.event(shard.getKey(), shard.getValue());
            for (var fn : List.of(reports, webhooks)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                fn.handleRequest(new ByteArrayInputStream(event), out, null);
                JsonNode answer = Json.read(out.toString(StandardCharsets.UTF_8));
                assertThat(answer.path("batchItemFailures")).as(fn.getClass().getSimpleName() + ": " + answer).isEmpty();
            }
        }
        Api.Reply report = api.admin("GET", "/v1/programs/acme/reports/summary?from=2026-11-23&to=2026-11-23", null);
        assertThat(report.body().path("outstandingPoints").asLong()).as("50 for the order, 25 for joining: " + report).isEqualTo(75);
    }
}
