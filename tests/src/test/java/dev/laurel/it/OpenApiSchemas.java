package dev.laurel.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.keyword.TypeValidator;
import com.networknt.schema.path.NodePath;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates values against the schemas of api/openapi.yaml with com.networknt:json-schema-validator,
 * in the OpenAPI 3.1 dialect (JSON Schema 2020-12 plus the OpenAPI vocabulary), as strictly as
 * the API reads JSON:
 * <ul>
 *   <li>an unknown keyword anywhere in a schema is an error (never silently ignored); {@code x-}
 *       extensions are allowed and checked by nobody;</li>
 *   <li>formats are assertions ({@code date-time}, {@code date}, {@code uri}), an unknown format
 *       is an error; {@code int64} / {@code int32} mean an integral number in that range, and
 *       {@code date-time} is what the API reads (java.time: an upper-case {@code T}, an offset);</li>
 *   <li>{@code integer} means an integral JSON number: {@code 500.0} is a fraction on the wire,
 *       as the API reads it (JSON Schema itself counts it as an integer).</li>
 * </ul>
 * The document is registered whole under {@link #BASE}; a schema is named by its JSON pointer in
 * it, so every {@code #/components/...} reference resolves in the document.
 */
final class OpenApiSchemas {
    static final String BASE = "https://laurel.dev/api/openapi.json";

    private final SchemaRegistry registry;
    /** Where each schema object of the document is (by identity), as a JSON pointer. */
    private final Map<JsonNode, String> pointers = new IdentityHashMap<>();

    OpenApiSchemas(JsonNode doc) {
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31())
                .unknownKeywordFactory((keyword, context) -> keyword.startsWith("x-") ? new NonValidationKeyword(keyword)
                        : DisallowUnknownKeywordFactory.getInstance().getKeyword(keyword, context))
                .format(new IntegerFormat("int64", Long.MIN_VALUE, Long.MAX_VALUE))
                .format(new IntegerFormat("int32", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .format(new InstantFormat())
                .keyword(new IntegralType(Dialects.getOpenApi31().getKeywords().get("type")))
                .build();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                .strict("format", true) // an unknown format is an error, not silently unchecked
                .build();
        registry = SchemaRegistry.withDefaultDialect(dialect, b -> b.schemaRegistryConfig(config)
                .schemas(Map.of(BASE, doc.toString())));
        index(doc, "");
    }

    private void index(JsonNode node, String pointer) {
        if (node.isObject()) {
            pointers.put(node, pointer);
            node.fields().forEachRemaining(e -> index(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1")));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                index(node.get(i), pointer + "/" + i);
            }
        }
    }

    /**
     * The compiled schema: {@code schema} is a schema object of the document, or a lone
     * {@code {"$ref": "#/..."}} into it.
     */
    Schema schema(JsonNode schema) {
        String pointer = pointers.get(schema);
        if (pointer == null && schema.size() == 1 && schema.path("$ref").asText().startsWith("#/")) {
            pointer = schema.get("$ref").asText().substring(1);
        }
        if (pointer == null) {
            throw new IllegalArgumentException("not a schema of the document: " + schema);
        }
        Schema s = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
        s.initializeValidators(); // compiles it whole: an unknown keyword fails here, used or not
        return s;
    }

    /** The problems found; empty when {@code instance} is valid. */
    List<String> validate(JsonNode schema, JsonNode instance) {
        return schema(schema).validate(instance.toString(), InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** {@code int64}, {@code int32}: an integral number within the range (other types are not its business). */
    private record IntegerFormat(String name, long min, long max) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext context, SchemaContext schemaContext, tools.jackson.databind.JsonNode value) {
            return !value.isNumber() || (value.isIntegralNumber() && value.canConvertToLong()
                    && value.longValue() >= min && value.longValue() <= max);
        }
    }

    /** {@code date-time} as the API reads it: RFC 3339 as java.time parses it (so {@code 2026-11-23t09:00:00z} is not one). */
    private record InstantFormat() implements Format {
        @Override
        public String getName() {
            return "date-time";
        }

        @Override
        public String getMessageKey() {
            return "format.date-time";
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            if (!value.matches("^\\d{4}-\\d{2}-\\d{2}T.*")) {
                return false;
            }
            try {
                OffsetDateTime.parse(value);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }

    /** {@code type}, where {@code integer} also refuses a number written with a fraction ({@code 500.0}). */
    private record IntegralType(Keyword standard) implements Keyword {
        IntegralType {
            Objects.requireNonNull(standard, "the dialect's type keyword");
        }

        @Override
        public String getValue() {
            return "type";
        }

        @Override
        public KeywordValidator newValidator(SchemaLocation location, tools.jackson.databind.JsonNode schemaNode, Schema parent,
                                             SchemaContext context) throws Exception {
            if (!"integer".equals(schemaNode.asString(""))) {
                return standard.newValidator(location, schemaNode, parent, context);
            }
            return new TypeValidator(location, schemaNode, parent, context) {
                @Override
                public void validate(ExecutionContext ctx, tools.jackson.databind.JsonNode node, tools.jackson.databind.JsonNode root,
                                     NodePath at) {
                    if (node.isNumber() && !node.isIntegralNumber()) {
                        ctx.addError(Error.builder().keyword("type").instanceLocation(at).evaluationPath(ctx.getEvaluationPath())
                                .schemaLocation(location).instanceNode(node).schemaNode(schemaNode)
                                .message(node + " is a number with a fraction, not an integer").build());
                        return;
                    }
                    super.validate(ctx, node, root, at);
                }
            };
        }
    }
}
