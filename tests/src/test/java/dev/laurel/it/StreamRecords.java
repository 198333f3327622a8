package dev.laurel.it;

import dev.laurel.local.LocalStreams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** A table's change stream as the tests read it: every record, per shard in the shard's order, with the real Streams API. */
public final class StreamRecords {
    private StreamRecords() {
    }

    /** Every record of {@code table}'s stream from each shard's start, by shard id (shards in the order DescribeStream lists them). */
    public static Map<String, List<Record>> byShard(String table) {
        String arn = LocalDynamo.get().client().describeTable(b -> b.tableName(table)).table().latestStreamArn();
        Map<String, List<Record>> out = new LinkedHashMap<>();
        try (DynamoDbStreamsClient streams = LocalStreams.client(LocalDynamo.get().endpoint())) {
            for (Shard s : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                List<Record> records = out.computeIfAbsent(s.shardId(), k -> new ArrayList<>());
                String it = streams.getShardIterator(b -> b.streamArn(arn).shardId(s.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (it != null) {
                    String current = it;
                    var page = streams.getRecords(b -> b.shardIterator(current).limit(100));
                    records.addAll(page.records());
                    it = page.records().isEmpty() ? null : page.nextShardIterator();
                }
            }
        }
        return out;
    }
}
