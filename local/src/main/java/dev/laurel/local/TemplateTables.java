package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The tables of template.yaml ({@code AWS::DynamoDB::Table}) made real on any DynamoDB endpoint, so
 * the template stays the one truth: the local runner, the benchmarks and the tests all build
 * their tables here.
 */
public final class TemplateTables {
    private TemplateTables() {
    }

    /** The main table of the template {@code file} under {@code name} (tests and benchmarks: one table of their own). */
    public static void ensureMain(DynamoDbClient ddb, Path file, String name) {
        ensure(ddb, Template.read(file).mainTable(), name, true);
    }

    /**
     * As {@link #ensureMain(DynamoDbClient, Path, String)}; {@code stream} false leaves the template's
     * stream off (tests whose writes nothing reads from the stream: DynamoDB Local keeps every record
     * of a stream, and a table that thousands of tests share gets slower to write).
     */
    public static void ensureMain(DynamoDbClient ddb, Path file, String name, boolean stream) {
        ensure(ddb, Template.read(file).mainTable(), name, stream);
    }

    /** Creates a template table under {@code name}, or adds the indexes (and TTL, and stream) the template has gained since. */
    public static void ensure(DynamoDbClient ddb, Template.Table table, String name) {
        ensure(ddb, table, name, true);
    }

    private static void ensure(DynamoDbClient ddb, Template.Table table, String name, boolean withStream) {
        JsonNode p = table.properties();
        List<AttributeDefinition> attrs = new ArrayList<>();
        p.path("AttributeDefinitions").forEach(a -> attrs.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText())
                .attributeType(ScalarAttributeType.fromValue(a.path("AttributeType").asText())).build()));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        p.path("GlobalSecondaryIndexes").forEach(g -> gsis.add(GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keys(g.path("KeySchema")))
                .projection(projection(g.path("Projection"))).build()));
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        p.path("LocalSecondaryIndexes").forEach(l -> lsis.add(LocalSecondaryIndex.builder()
                .indexName(l.path("IndexName").asText())
                .keySchema(keys(l.path("KeySchema")))
                .projection(projection(l.path("Projection"))).build()));
        JsonNode streamView = p.path("StreamSpecification").path("StreamViewType");
        StreamSpecification stream = withStream && streamView.isTextual() ? StreamSpecification.builder().streamEnabled(true)
                .streamViewType(StreamViewType.fromValue(streamView.asText())).build() : null;
        TableDescription existing;
        try {
            existing = ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            existing = null;
        }
        if (existing == null) {
            CreateTableRequest.Builder req = CreateTableRequest.builder().tableName(name)
                    .attributeDefinitions(attrs).keySchema(keys(p.path("KeySchema")))
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                req.globalSecondaryIndexes(gsis);
            }
            if (!lsis.isEmpty()) {
                req.localSecondaryIndexes(lsis);
            }
            if (stream != null) {
                req.streamSpecification(stream);
            }
            ddb.createTable(req.build());
        } else {
            if (stream != null && (existing.streamSpecification() == null || !Boolean.TRUE.equals(existing.streamSpecification().streamEnabled()))) {
                // data from before the template had a stream: turn it on (the stream starts now)
                ddb.updateTable(b -> b.tableName(name).streamSpecification(stream));
            }
            Map<String, GlobalSecondaryIndexDescription> have = new HashMap<>();
            for (GlobalSecondaryIndexDescription d : existing.globalSecondaryIndexes()) {
                have.put(d.indexName(), d);
            }
            for (GlobalSecondaryIndex g : gsis) {
                GlobalSecondaryIndexDescription d = have.get(g.indexName());
                if (d != null && sameIndex(d, g)) {
                    continue;
                }
                if (d != null) {
                    // the template changed the index: rebuild it (DynamoDB Local backfills it from the table)
                    ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                            .delete(DeleteGlobalSecondaryIndexAction.builder().indexName(g.indexName()).build()).build()));
                    awaitIndex(ddb, name, g.indexName(), false);
                }
                ddb.updateTable(b -> b.tableName(name).attributeDefinitions(attrs)
                        .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                                .create(CreateGlobalSecondaryIndexAction.builder().indexName(g.indexName())
                                        .keySchema(g.keySchema()).projection(g.projection()).build()).build()));
                awaitIndex(ddb, name, g.indexName(), true);
            }
        }
        JsonNode ttl = p.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false) && ttl.hasNonNull("AttributeName")) {
            try {
                ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(TimeToLiveSpecification.builder()
                        .attributeName(ttl.path("AttributeName").asText()).enabled(true).build()));
            } catch (RuntimeException e) {
                // already enabled (persistent data): fine
            }
        }
    }

    /** Waits (up to 60 s) for an index to be gone, or to be active. */
    private static void awaitIndex(DynamoDbClient ddb, String table, String index, boolean active) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            var d = ddb.describeTable(b -> b.tableName(table)).table().globalSecondaryIndexes().stream()
                    .filter(i -> i.indexName().equals(index)).findFirst();
            if (active ? d.isPresent() && d.get().indexStatus() == IndexStatus.ACTIVE : d.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while index " + index + " was changing", e);
            }
        }
        throw new IllegalStateException("index " + index + " of " + table + " did not become " + (active ? "active" : "deleted"));
    }

    private static boolean sameIndex(GlobalSecondaryIndexDescription d, GlobalSecondaryIndex g) {
        Projection a = d.projection();
        Projection b = g.projection();
        return d.keySchema().equals(g.keySchema()) && a.projectionType() == b.projectionType()
                && new HashSet<>(a.nonKeyAttributes()).equals(new HashSet<>(b.nonKeyAttributes()));
    }

    private static Projection projection(JsonNode proj) {
        Projection.Builder pb = Projection.builder().projectionType(ProjectionType.fromValue(proj.path("ProjectionType").asText("ALL")));
        if (proj.has("NonKeyAttributes")) {
            List<String> names = new ArrayList<>();
            proj.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
            pb.nonKeyAttributes(names);
        }
        return pb.build();
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        schema.forEach(k -> out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(KeyType.fromValue(k.path("KeyType").asText())).build()));
        return out;
    }

}
