package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The table's change stream, locally: reads DynamoDB Local's stream with the real Streams API
 * (DescribeStream, GetShardIterator, GetRecords) and invokes each function the template gives the
 * stream to (every event source mapping reads the stream on its own: reports and webhooks) with
 * Lambda's DynamoDB event (batches of up to 100 records of one shard, the tumbling-window fields
 * naming the shard), as the event source mapping does: a batch that answers
 * {@code batchItemFailures} is delivered again from the failed record. {@link #drain()} returns
 * when every change committed before it is processed; a background poll does the same every
 * {@value #POLL_MS} ms. After a restart on persisted data the stream is read again from its
 * start: the counters' sequences make that exact, and a webhook delivery is created once per (event, webhook).
 */
public final class LocalStreams implements AutoCloseable {
    static final int POLL_MS = 500;
    static final int BATCH = 100;
    private static final int ATTEMPTS = 5;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final List<Mapping> mappings = new ArrayList<>();
    private final PrintStream log;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread poller;
    private volatile boolean closed;

    /** One event source mapping: a function and its own position in every shard (as each Lambda mapping reads on its own). */
    private static final class Mapping {
        final Functions.Fn function;
        /** Per shard: the iterator to read on with (absent: not started), or null once the shard is closed and read. */
        final Map<String, String> iterators = new HashMap<>();
        final Map<String, Boolean> finished = new HashMap<>();

        Mapping(Functions.Fn function) {
            this.function = function;
        }
    }

    public LocalStreams(DynamoDbStreamsClient streams, String streamArn, Functions.Fn function, PrintStream log) {
        this(streams, streamArn, List.of(function), log);
    }

    /** The stream feeding each of {@code functions} (DynamoDB Streams allows two readers per shard, as here). */
    public LocalStreams(DynamoDbStreamsClient streams, String streamArn, List<Functions.Fn> functions, PrintStream log) {
        this.streams = streams;
        this.streamArn = streamArn;
        functions.forEach(fn -> mappings.add(new Mapping(fn)));
        this.log = log;
    }

    /** A Streams client on DynamoDB Local's endpoint. */
    public static DynamoDbStreamsClient client(URI endpoint) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(LocalDynamo.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Polls in the background until closed. */
    public LocalStreams start() {
        poller = new Thread(() -> {
            while (!closed) {
                try {
                    drain();
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!closed) {
                        log.println("warning: the change stream: " + e);
                    }
                }
            }
        }, "laurel-local-stream");
        poller.setDaemon(true);
        poller.start();
        return this;
    }

    /** What a drain did: records delivered and function invocations. */
    public record Drained(int records, int invocations) {
    }

    /** Reads every shard to its end for every mapping and delivers what it finds; returns when a pass finds nothing new. */
    public Drained drain() {
        lock.lock();
        try {
            int records = 0;
            int invocations = 0;
            for (Mapping m : mappings) {
                Drained d = drain(m);
                records += d.records();
                invocations += d.invocations();
            }
            return new Drained(records, invocations);
        } finally {
            lock.unlock();
        }
    }

    private Drained drain(Mapping m) {
        Map<String, String> iterators = m.iterators;
        Map<String, Boolean> finished = m.finished;
        {
            int records = 0;
            int invocations = 0;
            while (true) {
                int found = 0;
                for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
                    String id = shard.shardId();
                    if (finished.getOrDefault(id, false) || (shard.parentShardId() != null && iterators.containsKey(shard.parentShardId())
                            && !finished.getOrDefault(shard.parentShardId(), false))) {
                        continue; // read; or its parent is not read to its end yet
                    }
                    String it = iterators.computeIfAbsent(id, k -> streams.getShardIterator(b -> b.streamArn(streamArn).shardId(k)
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
                    while (it != null) {
                        String current = it;
                        var page = streams.getRecords(b -> b.shardIterator(current).limit(BATCH));
                        if (!page.records().isEmpty()) {
                            invocations += deliver(m.function, id, page.records());
                            found += page.records().size();
                        }
                        it = page.nextShardIterator();
                        iterators.put(id, it);
                        if (page.records().isEmpty()) {
                            break;
                        }
                    }
                    if (it == null) {
                        finished.put(id, true);
                    }
                }
                records += found;
                if (found == 0) {
                    return new Drained(records, invocations);
                }
            }
        }
    }

    /** Invokes the function on one batch; on batchItemFailures again from the failed record (boundedly). */
    private int deliver(Functions.Fn function, String shard, List<Record> batch) {
        List<Record> todo = batch;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            JsonNode answer;
            try {
                answer = Json.read(new String(function.invoke(event(shard, todo), null), StandardCharsets.UTF_8));
            } catch (Functions.FunctionError e) {
                log.println("warning: " + e.getMessage() + " (batch of " + todo.size() + " records of " + shard + ")");
                continue;
            }
            JsonNode failures = answer.path("batchItemFailures");
            if (failures.isEmpty()) {
                return attempt;
            }
            String from = failures.get(0).path("itemIdentifier").asText();
            List<Record> rest = new ArrayList<>();
            boolean on = false;
            for (Record r : todo) {
                on |= r.dynamodb().sequenceNumber().equals(from);
                if (on) {
                    rest.add(r);
                }
            }
            todo = rest.isEmpty() ? todo : rest;
        }
        log.println("warning: " + function.logicalId() + " kept failing on " + todo.size() + " records of " + shard
                + " from " + todo.get(0).dynamodb().sequenceNumber() + "; passed over (on AWS: the on-failure queue)");
        return ATTEMPTS;
    }

    /** Lambda's DynamoDB Streams event for one shard's batch, with the tumbling-window fields that name the shard. */
    public static byte[] event(String shard, List<Record> records) {
        ObjectNode e = Json.object();
        ArrayNode list = e.putArray("Records");
        String arn = "arn:aws:dynamodb:" + LocalDynamo.REGION.id() + ":" + HttpApi.ACCOUNT + ":table/" + LocalDynamo.TABLE + "/stream/local";
        for (Record r : records) {
            ObjectNode o = list.addObject();
            o.put("eventID", r.eventID());
            o.put("eventName", r.eventNameAsString());
            o.put("eventVersion", "1.1");
            o.put("eventSource", "aws:dynamodb");
            o.put("awsRegion", LocalDynamo.REGION.id());
            ObjectNode d = o.putObject("dynamodb");
            Instant created = r.dynamodb().approximateCreationDateTime();
            d.put("ApproximateCreationDateTime", created == null ? Instant.now().getEpochSecond() : created.getEpochSecond());
            d.set("Keys", image(r.dynamodb().keys()));
            if (r.dynamodb().hasNewImage()) {
                d.set("NewImage", image(r.dynamodb().newImage()));
            }
            if (r.dynamodb().hasOldImage()) {
                d.set("OldImage", image(r.dynamodb().oldImage()));
            }
            d.put("SequenceNumber", r.dynamodb().sequenceNumber());
            d.put("SizeBytes", r.dynamodb().sizeBytes() == null ? 0 : r.dynamodb().sizeBytes());
            d.put("StreamViewType", r.dynamodb().streamViewTypeAsString());
            o.put("eventSourceARN", arn);
        }
        Instant now = Instant.now();
        e.putObject("window").put("start", now.toString()).put("end", now.plusSeconds(60).toString());
        e.putObject("state");
        e.put("shardId", shard);
        e.put("eventSourceARN", arn);
        e.put("isFinalInvokeForWindow", false);
        e.put("isWindowTerminatedEarly", false);
        return Json.write(e).getBytes(StandardCharsets.UTF_8);
    }

    /** An item image in DynamoDB's JSON ({"S": ...}, {"N": ...}, ...), as Lambda passes it. */
    static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode o = Json.object();
        new LinkedHashMap<>(item).forEach((k, v) -> o.set(k, value(v)));
        return o;
    }

    private static ObjectNode value(AttributeValue v) {
        ObjectNode o = Json.object();
        switch (v.type()) {
            case S -> o.put("S", v.s());
            case N -> o.put("N", v.n());
            case BOOL -> o.put("BOOL", v.bool());
            case NUL -> o.put("NULL", true);
            case B -> o.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case SS -> v.ss().forEach(o.putArray("SS")::add);
            case NS -> v.ns().forEach(o.putArray("NS")::add);
            case BS -> v.bs().forEach(b -> o.withArray("BS").add(Base64.getEncoder().encodeToString(b.asByteArray())));
            case M -> o.set("M", image(v.m()));
            case L -> {
                ArrayNode l = o.putArray("L");
                v.l().forEach(x -> l.add(value(x)));
            }
            default -> {
            }
        }
        return o;
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
        streams.close();
    }
}
