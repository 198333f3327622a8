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
        serve(in, out, ingest, null);
    }

    /** As above, with Lambda's request id for the batch's log line (operation {@code stream reports}). */
    public static void serve(InputStream in, OutputStream out, StreamIngest ingest, String requestId) throws IOException {
        serve(in, out, "stream reports", requestId, (shard, changes) -> ingest.apply(shard, changes).retryFrom());
    }

    /** A consumer of one shard's changes, in order: answers the first record to deliver again (null: none). */
    @FunctionalInterface
    public interface Consumer {
        String apply(String shard, List<Change> changes);
    }

    /** One invocation for any consumer of the stream (the report counters, outbound webhooks). */
    public static void serve(InputStream in, OutputStream out, Consumer consumer) throws IOException {
        serve(in, out, "stream webhooks", null, consumer);
    }

    /**
     * One invocation, logged as one line ({@link RequestLog}, kind {@code stream}): the records and
     * changes of the batch, the record delivered again if any ({@code error: partial_batch}), its
     * DynamoDB calls; a batch that throws logs status 500 and fails the invocation (Lambda retries it).
     */
    public static void serve(InputStream in, OutputStream out, String operation, String requestId, Consumer consumer) throws IOException {
        long startedAtMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        JsonNode event = Json.read(in);
        String retryFrom = null;
        int status = 500;
        try (dev.laurel.store.Meter meter = dev.laurel.store.Meter.start()) {
            try {
                retryFrom = batch(event, out, consumer);
                status = 200;
            } finally {
                String figures = "{\"records\":" + event.path("Records").size() + (retryFrom != null
                        ? ",\"retryFrom\":\"" + retryFrom.replaceAll("[^0-9A-Za-z._-]", "") + "\"}" : "}");
                String id = requestId != null ? requestId : event.path("Records").path(0).path("eventID").asText(null);
                System.out.println(RequestLog.line("stream", id, null, null, null, operation, status,
                        status == 500 ? "internal" : retryFrom != null ? "partial_batch" : null, startedAtMs,
                        (System.nanoTime() - t0) / 1_000_000, meter, figures));
            }
        }
    }

    /** Applies one batch and writes the answer; returns the record to deliver again (null: none). */
    private static String batch(JsonNode event, OutputStream out, Consumer consumer) throws IOException {
        Change.Reader reader = Wiring.streamItems();
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
        String failed = consumer.apply(shard, changes);
        retryFrom = failed != null ? failed : unreadable;
        ObjectNode answer = Json.object();
        var failures = answer.putArray("batchItemFailures");
        if (retryFrom != null) {
            failures.addObject().put("itemIdentifier", retryFrom);
        }
        answer.putObject("state");
        out.write(Json.write(answer).getBytes(StandardCharsets.UTF_8));
        return retryFrom;
    }

    /** One stream record as a change (null when it is not one the derivations use). */
    public static Change change(Change.Reader reader, String shard, JsonNode record) {
        JsonNode d = record.path("dynamodb");
        String sequence = d.path("SequenceNumber").asText(null);
        Instant streamedAt = Instant.ofEpochSecond(d.path("ApproximateCreationDateTime").asLong(0));
        return reader.change(shard, sequence, streamedAt, record.path("eventName").asText(), image(d.path("Keys")),
                image(d.path("NewImage")), image(d.path("OldImage")));
    }

    /**
     * An image's attributes as text: S and N as they are, BOOL as {@code true}/{@code false}, maps and
     * lists as plain JSON text ({@link #plain}); sets, binaries and nulls are left out.
     */
    private static Map<String, String> image(JsonNode image) {
        Map<String, String> m = new HashMap<>();
        image.fields().forEachRemaining(a -> {
            JsonNode v = a.getValue();
            if (v.has("S")) {
                m.put(a.getKey(), v.get("S").asText());
            } else if (v.has("N")) {
                m.put(a.getKey(), v.get("N").asText());
            } else if (v.has("BOOL")) {
                m.put(a.getKey(), Boolean.toString(v.get("BOOL").asBoolean()));
            } else if (v.has("M") || v.has("L")) {
                m.put(a.getKey(), Json.write(plain(v)));
            }
        });
        return m;
    }

    /** A DynamoDB-typed value ({"S": ..}, {"M": {..}}, ...) as plain JSON; numbers stay exact. */
    static JsonNode plain(JsonNode v) {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (v.has("S")) {
            return f.textNode(v.get("S").asText());
        }
        if (v.has("N")) {
            String n = v.get("N").asText();
            return n.matches("-?\\d{1,18}") ? f.numberNode(Long.parseLong(n)) : f.numberNode(new java.math.BigDecimal(n));
        }
        if (v.has("BOOL")) {
            return f.booleanNode(v.get("BOOL").asBoolean());
        }
        if (v.has("M")) {
            ObjectNode o = f.objectNode();
            v.get("M").fields().forEachRemaining(e -> o.set(e.getKey(), plain(e.getValue())));
            return o;
        }
        if (v.has("L") || v.has("SS") || v.has("NS")) {
            var a = f.arrayNode();
            for (JsonNode x : v.has("L") ? v.get("L") : v.has("SS") ? v.get("SS") : v.get("NS")) {
                a.add(v.has("L") ? plain(x) : x);
            }
            return a;
        }
        return f.nullNode();
    }
}
