package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.StreamIngest;
import dev.laurel.json.Json;
import dev.laurel.store.Change;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda's DynamoDB Streams event (with a tumbling window, so it names its {@code shardId}) in,
 * the stream's {@link Change}s to {@link StreamIngest}, and the partial-batch answer out:
 * {@code {"batchItemFailures": [{"itemIdentifier": "<sequence>"}], "state": {}}}. Lambda then
 * delivers the batch again from that record (ReportBatchItemFailures); the counters' sequences
 * make the records already applied count once.
 */
public final class StreamEvents {
    /** The shard when an event does not name one (an event source mapping without a tumbling window). */
    public static final String UNNAMED_SHARD = "unnamed";

    private StreamEvents() {
    }

    /** One invocation: the event's records applied; a record that cannot be read is reported as the batch's failure. */
    public static void serve(InputStream in, OutputStream out, StreamIngest ingest) throws IOException {
        Change.Reader reader = Wiring.streamItems();
        JsonNode event = Json.read(in);
        String shard = event.path("shardId").asText(UNNAMED_SHARD);
        String retryFrom;
        List<Change> changes = new ArrayList<>();
        String unreadable = null;
        for (JsonNode r : event.path("Records")) {
            try {
                Change c = change(reader, shard, r);
                if (c != null) {
                    changes.add(c);
                }
            } catch (RuntimeException e) {
                // a record this code cannot read: stop here, so the records before it count and it goes to the
                // on-failure destination after the mapping's retries
                unreadable = r.path("dynamodb").path("SequenceNumber").asText();
                System.err.println("ERROR stream record " + unreadable + " of shard " + shard + ": " + e);
                break;
            }
        }
        StreamIngest.Result result = ingest.apply(shard, changes);
        retryFrom = result.retryFrom() != null ? result.retryFrom() : unreadable;
        ObjectNode answer = Json.object();
        var failures = answer.putArray("batchItemFailures");
        if (retryFrom != null) {
            failures.addObject().put("itemIdentifier", retryFrom);
        }
        answer.putObject("state");
        out.write(Json.write(answer).getBytes(StandardCharsets.UTF_8));
    }

    /** One stream record as a change (null when it is not one the derivations use). */
    public static Change change(Change.Reader reader, String shard, JsonNode record) {
        JsonNode d = record.path("dynamodb");
        String sequence = d.path("SequenceNumber").asText(null);
        Instant streamedAt = Instant.ofEpochSecond(d.path("ApproximateCreationDateTime").asLong(0));
        return reader.change(shard, sequence, streamedAt, record.path("eventName").asText(), image(d.path("Keys")),
                image(d.path("NewImage")), image(d.path("OldImage")));
    }

    /** An image's scalar attributes as text (S and N); maps, lists, sets and binaries are left out. */
    private static Map<String, String> image(JsonNode image) {
        Map<String, String> m = new HashMap<>();
        image.fields().forEachRemaining(a -> {
            JsonNode v = a.getValue();
            if (v.has("S")) {
                m.put(a.getKey(), v.get("S").asText());
            } else if (v.has("N")) {
                m.put(a.getKey(), v.get("N").asText());
            }
        });
        return m;
    }
}
