package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The tables follow template.yaml, also when the template changes under kept data. */
class LocalDynamoTest {
    @TempDir
    Path dir;

    @Test
    void createsTheTemplatesTableAndFollowsItsIndexChanges() throws Exception {
        String original = Files.readString(Path.of(LocalDynamoTest.class.getResource("/test-template.yaml").toURI()));
        Path v1 = dir.resolve("v1.yaml");
        Files.writeString(v1, original);
        try (LocalDynamo db = LocalDynamo.start(Template.read(v1), null)) {
            TableDescription t = db.client().describeTable(b -> b.tableName(db.tableName())).table();
            assertThat(t.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName).containsExactly("byG");
            assertThat(t.globalSecondaryIndexes().get(0).projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
            db.client().putItem(b -> b.tableName(db.tableName()).item(Map.of("pk", s("a"), "sk", s("1"), "g", s("x"), "h", s("y"),
                    "other", s("kept"))));

            Path v2 = dir.resolve("v2.yaml");
            Files.writeString(v2, original
                    .replace("Projection: {ProjectionType: KEYS_ONLY}", "Projection: {ProjectionType: ALL}\n"
                            + "        - IndexName: byH\n"
                            + "          KeySchema:\n"
                            + "            - {AttributeName: h, KeyType: HASH}\n"
                            + "          Projection: {ProjectionType: KEYS_ONLY}")
                    .replace("        - {AttributeName: g, AttributeType: S}",
                            "        - {AttributeName: g, AttributeType: S}\n        - {AttributeName: h, AttributeType: S}"));
            LocalDynamo.ensureTables(db.client(), Template.read(v2));
            TableDescription changed = db.client().describeTable(b -> b.tableName(db.tableName())).table();
            assertThat(changed.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                    .containsExactlyInAnyOrder("byG", "byH");
            GlobalSecondaryIndexDescription byG = changed.globalSecondaryIndexes().stream()
                    .filter(g -> g.indexName().equals("byG")).findFirst().orElseThrow();
            assertThat(byG.projection().projectionType()).isEqualTo(ProjectionType.ALL);
            var found = db.client().query(b -> b.tableName(db.tableName()).indexName("byG")
                    .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", s("x"))));
            assertThat(found.items()).hasSize(1);
            assertThat(found.items().get(0).get("other").s()).isEqualTo("kept");
            // a second look changes nothing
            LocalDynamo.ensureTables(db.client(), Template.read(v2));
        }
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
