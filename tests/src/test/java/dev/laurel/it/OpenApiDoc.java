package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAPI document (api/openapi.yaml, or a test's own): its operations, examples and schemas,
 * and the check that every example validates against its schema ({@link OpenApiSchemas}).
 */
final class OpenApiDoc {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");
    static final String JSON_TYPE = "application/json";
    private static OpenApiDoc api;

    final JsonNode root;
    final Map<String, Op> ops = new LinkedHashMap<>();
    final OpenApiSchemas schemas;

    record Op(String method, String path, JsonNode pathItem, JsonNode node) {
        String id() {
            return node.path("operationId").asText();
        }

        String route() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        boolean localOnly() {
            return node.path("x-laurel-local-only").asBoolean(false);
        }

        List<String> roles() {
            List<String> out = new ArrayList<>();
            node.path("x-laurel-roles").forEach(r -> out.add(r.asText()));
            return out;
        }

        @Override
        public String toString() {
            return id() + " (" + route() + ")";
        }
    }

    OpenApiDoc(JsonNode root) {
        this.root = root;
        this.schemas = new OpenApiSchemas(root);
        root.path("paths").fields().forEachRemaining(p -> {
            for (String m : METHODS) {
                if (p.getValue().has(m)) {
                    Op op = new Op(m, p.getKey(), p.getValue(), p.getValue().get(m));
                    assertThat(ops.put(op.id(), op)).as("duplicate operationId " + op.id()).isNull();
                }
            }
        });
    }

    static OpenApiDoc read(Path file) {
        try {
            return new OpenApiDoc(YAML.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** api/openapi.yaml, read once per test JVM. */
    static synchronized OpenApiDoc api() {
        if (api == null) {
            api = read(LocalDynamo.root().resolve("api").resolve("openapi.yaml"));
        }
        return api;
    }

    Op op(String id) {
        return ops.get(id);
    }

    JsonNode deref(JsonNode node) {
        int hops = 0;
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            node = root.at(ref.substring(1));
            assertThat(node.isMissingNode()).as("dangling " + ref).isFalse();
            assertThat(++hops).isLessThan(10);
        }
        return node;
    }

    List<JsonNode> parameters(Op op) {
        List<JsonNode> out = new ArrayList<>();
        op.pathItem().path("parameters").forEach(p -> out.add(deref(p)));
        op.node().path("parameters").forEach(p -> out.add(deref(p)));
        return out;
    }

    /** The examples of a media type, parameter or header, by name ({@code example} is named "example"). */
    Map<String, JsonNode> examples(JsonNode holder) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (holder.has("example")) {
            out.put("example", holder.get("example"));
        }
        holder.path("examples").fields().forEachRemaining(e -> {
            JsonNode ex = deref(e.getValue());
            assertThat(ex.has("value")).as("example " + e.getKey() + " has a value").isTrue();
            out.put(e.getKey(), ex.get("value"));
        });
        return out;
    }

    Map<String, JsonNode> requestExamples(Op op) {
        JsonNode body = deref(op.node().path("requestBody"));
        if (body.isMissingNode()) {
            return Map.of();
        }
        JsonNode csv = body.at("/content/text~1csv");
        return examples(csv.isMissingNode() ? body.at("/content/application~1json") : csv);
    }

    /** Operations whose body is CSV (import rows): their examples are strings sent as text/csv. */
    boolean takesCsv(Op op) {
        return !deref(op.node().path("requestBody")).at("/content/text~1csv").isMissingNode();
    }

    Map<String, JsonNode> responseExamples(Op op, String status) {
        JsonNode r = deref(op.node().path("responses").path(status));
        return r.isMissingNode() ? Map.of() : examples(r.at("/content/application~1json"));
    }

    JsonNode responseSchema(Op op, String status) {
        return deref(op.node().path("responses").path(status)).at("/content/application~1json/schema");
    }

    /** Validates {@code value} against {@code schema} (a schema of this document), adding each problem to {@code failures}. */
    void check(String where, JsonNode schema, JsonNode value, List<String> failures) {
        if (schema == null || schema.isMissingNode()) {
            failures.add(where + ": no schema");
            return;
        }
        for (String error : schemas.validate(schema, value)) {
            failures.add(where + ": " + error);
        }
    }

    /**
     * Every parameter, request body, response and response header of every operation has an
     * example, and each example validates against its schema: the problems found, and how many
     * examples were checked.
     */
    List<String> exampleFailures(int[] count) {
        List<String> failures = new ArrayList<>();
        for (Op op : ops.values()) {
            for (JsonNode p : parameters(op)) {
                String where = op + " parameter " + p.path("name").asText();
                Map<String, JsonNode> ex = examples(p);
                if (ex.isEmpty()) {
                    failures.add(where + ": no example");
                }
                ex.forEach((name, v) -> {
                    count[0]++;
                    check(where + " example " + name, p.get("schema"), v, failures);
                });
            }
            JsonNode body = deref(op.node().path("requestBody"));
            if (!body.isMissingNode()) {
                media(op + " request", body, failures, count);
            }
            op.node().path("responses").fields().forEachRemaining(r -> {
                JsonNode response = deref(r.getValue());
                String where = op + " response " + r.getKey();
                media(where, response, failures, count);
                response.path("headers").fields().forEachRemaining(h -> {
                    JsonNode header = deref(h.getValue());
                    Map<String, JsonNode> ex = examples(header);
                    if (ex.isEmpty()) {
                        failures.add(where + " header " + h.getKey() + ": no example");
                    }
                    ex.forEach((name, v) -> {
                        count[0]++;
                        check(where + " header " + h.getKey(), header.get("schema"), v, failures);
                    });
                });
            });
        }
        return failures;
    }

    private void media(String where, JsonNode holder, List<String> failures, int[] count) {
        JsonNode content = holder.path("content");
        if (content.isEmpty()) {
            failures.add(where + ": no content");
        }
        content.fields().forEachRemaining(c -> {
            if (!c.getKey().equals(JSON_TYPE) && !c.getKey().equals("image/svg+xml") // a reward code's QR code
                    && !(c.getKey().equals("text/csv") && where.endsWith("request"))) {
                failures.add(where + ": " + c.getKey() + " is not " + JSON_TYPE);
            }
            Map<String, JsonNode> ex = examples(c.getValue());
            if (ex.isEmpty()) {
                failures.add(where + ": no example");
            }
            ex.forEach((name, v) -> {
                count[0]++;
                check(where + " example " + name, c.getValue().get("schema"), v, failures);
            });
        });
    }

    /** Compiles every component and parameter schema whole: a schema with an unknown keyword fails here. */
    void compileAllSchemas() {
        root.at("/components/schemas").forEach(schemas::schema);
        for (Op op : ops.values()) {
            for (JsonNode p : parameters(op)) {
                schemas.schema(p.get("schema"));
            }
        }
    }
}
