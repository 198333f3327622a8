package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.api.Scheduled;
import dev.laurel.app.Laurel;
import dev.laurel.functions.webhooks.DeliveriesHandler;
import dev.laurel.functions.webhooks.WebhookStreamHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import dev.laurel.api.WebhookSetup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The outbound webhooks' functions on a table with a stream, as Lambda runs them: the API through
 * {@link Api}, the stream consumer given the table's real stream records (read with GetRecords)
 * in Lambda's DynamoDB event, and the deliveries run given its scheduled event. Requests time out
 * after {@link #TIMEOUT}, so the tests of slow receivers stay short.
 */
final class Hooks {
    static final Duration TIMEOUT = Duration.ofMillis(700);

    final String table = LocalDynamo.freshTableWithStream();
    final Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
    final Laurel laurel = new Laurel(api.store, api.clock, Duration.ZERO);
    final WebhookStreamHandler stream = new WebhookStreamHandler(laurel, WebhookSetup.local(TIMEOUT));
    final DeliveriesHandler deliveries = new DeliveriesHandler(laurel, WebhookSetup.local(TIMEOUT), Scheduled.Continuation.NONE);
    private int consumed;

    /** Every stream record not yet given to the consumer, in batches of up to 100; the number of records. */
    int drain() {
        List<Record> all = StreamReplayTest.read(table);
        List<Record> fresh = all.subList(consumed, all.size());
        for (int i = 0; i < fresh.size(); i += 100) {
            deliver(fresh.subList(i, Math.min(fresh.size(), i + 100)));
        }
        consumed = all.size();
        return fresh.size();
    }

    /** Every record of the stream so far (delivered or not). */
    List<Record> records() {
        return StreamReplayTest.read(table);
    }

    /** One batch to the consumer, as Lambda gives it; asserts it was applied whole. */
    JsonNode deliver(List<Record> batch) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(LocalStreams.event("shardId-hooks", batch)), out, null);
            JsonNode answer = Json.read(out.toString(StandardCharsets.UTF_8));
            assertThat(answer.path("batchItemFailures")).as(answer.toString()).isEmpty();
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One run of the deliveries function (its scheduled event); its answer. */
    JsonNode run() {
        return Jobs.invoke(deliveries, Json.write(Api.event("webhooks.json")), Jobs.Budget.unlimited());
    }

    Api.Reply putHook(String id, String body) {
        return api.admin("PUT", "/v1/webhooks/" + id, body);
    }

    static String hook(String url, String secret, String events, String extra) {
        return "{\"url\": \"" + url + "\", \"secret\": \"" + secret + "\", \"events\": " + events + (extra == null ? "" : ", " + extra) + "}";
    }
}
