package dev.laurel.it;

import static dev.laurel.it.OpenApiCalls.DOC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The shapes of api/openapi.yaml that common tools read well (issue 15; `.ci/api` runs Redocly and Prism
 * themselves): a schema whose shape depends on a field is a {@code oneOf} of schemas with a
 * {@code discriminator} on that field, never {@code if}/{@code then}/{@code else}, and each
 * discriminator's {@code mapping} names exactly the values its branches declare, each to the branch
 * that declares it (generators build tagged unions from it; a wrong mapping sends a value to the wrong type).
 */
class OpenApiUnionsTest {

    /** An {@code if} on a field's value (Tiers' {@code if: minItems} is about the array, not a field, and stays). */
    @Test
    void noSchemaDependsOnAFieldThroughIfThenElse() {
        List<String> found = new ArrayList<>();
        walk(DOC.root.path("components"), "#/components", found);
        walk(DOC.root.path("paths"), "#/paths", found);
        assertThat(found).as("if on a field in the document (use a oneOf with a discriminator)").isEmpty();
    }

    private static void walk(JsonNode node, String at, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                boolean data = e.getKey().equals("example") || e.getKey().equals("examples") || e.getKey().equals("value");
                if (!data && !at.endsWith("/properties") && e.getKey().equals("if")
                        && (e.getValue().has("properties") || e.getValue().has("required"))) {
                    found.add(at + "/" + e.getKey());
                }
                if (!data) {
                    walk(e.getValue(), at + "/" + e.getKey(), found);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), at + "/" + i, found);
            }
        }
    }

    @Test
    void everyDiscriminatorMapsExactlyTheValuesItsBranchesDeclare() {
        int unions = 0;
        for (Map.Entry<String, JsonNode> s : iterable(DOC.root.path("components").path("schemas"))) {
            JsonNode d = s.getValue().path("discriminator");
            if (d.isMissingNode()) {
                continue;
            }
            unions++;
            String name = s.getKey();
            String property = d.path("propertyName").asText();
            Map<String, String> declared = new TreeMap<>();
            for (JsonNode branch : s.getValue().path("oneOf")) {
                String ref = branch.path("$ref").asText();
                assertThat(ref).as(name + ": each branch is a $ref (mapping names it)").startsWith("#/components/schemas/");
                List<String> values = values(DOC.deref(branch), property);
                assertThat(values).as(name + ": " + ref + " declares " + property + " (const or enum)").isNotEmpty();
                assertThat(required(DOC.deref(branch))).as(name + ": " + ref + " requires " + property).contains(property);
                for (String v : values) {
                    assertThat(declared.put(v, ref)).as(name + ": " + v + " declared by two branches").isNull();
                }
            }
            Map<String, String> mapping = new TreeMap<>();
            d.path("mapping").fields().forEachRemaining(e -> mapping.put(e.getKey(), e.getValue().asText()));
            assertThat(mapping).as(name + "'s discriminator mapping").isEqualTo(declared);
        }
        assertThat(unions).as("discriminated unions in the document").isGreaterThanOrEqualTo(4);
    }

    /** The values a schema (or the allOf it is made of) gives {@code property}: its const or enum. */
    private static List<String> values(JsonNode schema, String property) {
        List<String> out = new ArrayList<>();
        JsonNode p = DOC.deref(schema.path("properties").path(property));
        if (p.has("const")) {
            out.add(p.get("const").asText());
        } else if (p.has("enum")) {
            p.get("enum").forEach(v -> out.add(v.asText()));
        }
        if (out.isEmpty()) {
            // a branch made of a base and its narrowing: the narrowing's value wins over the base's enum
            List<JsonNode> parts = new ArrayList<>();
            schema.path("allOf").forEach(parts::add);
            for (int i = parts.size() - 1; i >= 0 && out.isEmpty(); i--) {
                out.addAll(values(DOC.deref(parts.get(i)), property));
            }
        }
        return out;
    }

    private static List<String> required(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.path("required").forEach(r -> out.add(r.asText()));
        schema.path("allOf").forEach(part -> out.addAll(required(DOC.deref(part))));
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
