package dev.laurel.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Creates the tables declared in template.yaml ({@code AWS::DynamoDB::Table}), so the template stays the one truth. */
public final class TemplateTables {
    private TemplateTables() {
    }

    /** Creates the template's (single) table under {@code tableName}. */
    public static void create(DynamoDbClient ddb, Path template, String tableName) throws IOException {
        JsonNode resources = new ObjectMapper(new YAMLFactory()).readTree(template.toFile()).path("Resources");
        int created = 0;
        for (var it = resources.fields(); it.hasNext(); ) {
            JsonNode r = it.next().getValue();
            if (!"AWS::DynamoDB::Table".equals(r.path("Type").asText())) {
                continue;
            }
            JsonNode p = r.path("Properties");
            List<AttributeDefinition> attrs = new ArrayList<>();
            p.path("AttributeDefinitions").forEach(a -> attrs.add(AttributeDefinition.builder()
                    .attributeName(a.path("AttributeName").asText())
                    .attributeType(ScalarAttributeType.fromValue(a.path("AttributeType").asText())).build()));
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            p.path("GlobalSecondaryIndexes").forEach(g -> {
                JsonNode proj = g.path("Projection");
                Projection.Builder pb = Projection.builder().projectionType(ProjectionType.fromValue(proj.path("ProjectionType").asText()));
                if (proj.has("NonKeyAttributes")) {
                    List<String> names = new ArrayList<>();
                    proj.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
                    pb.nonKeyAttributes(names);
                }
                gsis.add(GlobalSecondaryIndex.builder().indexName(g.path("IndexName").asText())
                        .keySchema(keys(g.path("KeySchema"))).projection(pb.build()).build());
            });
            CreateTableRequest.Builder req = CreateTableRequest.builder().tableName(tableName)
                    .attributeDefinitions(attrs).keySchema(keys(p.path("KeySchema")))
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                req.globalSecondaryIndexes(gsis);
            }
            try {
                ddb.createTable(req.build());
            } catch (ResourceInUseException e) {
                // already there (persistent local data): keep it
            }
            created++;
        }
        if (created != 1) {
            throw new IllegalStateException("template.yaml declares " + created + " tables; Laurel expects one");
        }
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> out = new ArrayList<>();
        schema.forEach(k -> out.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(KeyType.fromValue(k.path("KeyType").asText())).build()));
        return out;
    }
}
