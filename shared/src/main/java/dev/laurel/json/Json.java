package dev.laurel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Refused;
import dev.laurel.domain.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON for events, bodies and stored documents, on jackson-core's streaming parser and
 * generator with Jackson's tree nodes. Parsing is strict: duplicate keys, trailing tokens and
 * absurd nesting are rejected, and decimals are kept exact (never {@code double}).
 *
 * <p>No {@code ObjectMapper} is built on a function's path: building one (databind's
 * configuration, introspection, its date format and the locale data that pulls in) was the
 * largest part of a cold start's own cost (docs/BENCHMARKS.md). Trees are read and written here
 * directly; a node's own {@code toString()} would build a hidden mapper, so answers go through
 * {@link #write}. {@link #mapper()} is there, built on first use, for tools and tests.
 */
public final class Json {
    /** Bodies larger than this answer 413 (API.md). */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxNumberLength(40)
                    // whole Lambda events carry the body as one string (API Gateway allows 10 MB);
                    // the 256 KiB body limit is checked on the body itself, after authentication,
                    // before it is parsed
                    .maxStringLength(16 * 1024 * 1024)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * For JSON this code wrote from stored items: numbers as long as DynamoDB's (38 significant
     * digits, exponents to ±125 and -130: up to about 170 characters written out plainly, as DynamoDB
     * Local answers them), which a request's 40 characters would refuse (a stream image's
     * attribute of 1e100 stopped the change stream).
     */
    static final JsonFactory STORED = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(200)
                    .maxStringLength(16 * 1024 * 1024)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Nodes as databind's tree reader makes them (decimals with trailing zeros stripped). */
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** A configured ObjectMapper for tools and tests (never on a function's path), built on first use. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder(FACTORY.copy())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** Parses a request body; anything that is not one well-formed JSON value answers 400. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new Refused(Refusal.Code.INVALID_REQUEST, "request body is required",
                    Map.of("field", ""));
        }
        try (JsonParser p = FACTORY.createParser(body)) {
            return tree(p);
        } catch (StreamConstraintsException e) {
            throw new Refused(Refusal.Code.INVALID_REQUEST, "request body exceeds a parser limit: " + e.getOriginalMessage(),
                    Map.of("field", ""));
        } catch (JsonProcessingException e) {
            throw new Refused(Refusal.Code.INVALID_REQUEST, "malformed JSON: " + e.getOriginalMessage(),
                    Map.of("field", "", "line", e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                            "column", e.getLocation() == null ? 0 : e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one JSON document (an invocation's event). */
    public static JsonNode read(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return tree(p);
        }
    }

    /** Reads JSON this code wrote (stored definitions, answers, details). */
    public static JsonNode read(String stored) {
        try (JsonParser p = STORED.createParser(stored)) {
            return tree(p);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** JSON text of a tree node, or of plain values: maps, lists, strings, numbers, booleans, null. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value instanceof JsonNode n ? n : tree(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        return out.toString();
    }

    /** A plain value (map, list, string, number, boolean, null, or a node) as a tree node. */
    public static JsonNode tree(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (v instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (v instanceof Number n) {
            return NODES.numberNode(new BigDecimal(n.toString()));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), tree(x)));
            return o;
        }
        if (v instanceof Iterable<?> it) {
            ArrayNode a = NODES.arrayNode();
            it.forEach(x -> a.add(tree(x)));
            return a;
        }
        if (v instanceof Enum<?> e) {
            return NODES.textNode(e.name());
        }
        return NODES.textNode(v.toString());
    }

    /** One whole document: a value and nothing after it. */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new JsonParseException(p, "no content: a JSON value is expected");
        }
        JsonNode root = value(p, t);
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new JsonParseException(p, "trailing token (" + trailing + ") after the JSON value");
        }
        return root;
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    a.add(value(p, v));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                for (var it = n.fields(); it.hasNext(); ) {
                    var e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
                return;
            }
            case ARRAY: {
                g.writeStartArray();
                for (JsonNode e : n) {
                    write(g, e);
                }
                g.writeEndArray();
                return;
            }
            case STRING:
                g.writeString(n.textValue());
                return;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                return;
            case NUMBER:
                switch (n.numberType()) {
                    case INT:
                        g.writeNumber(n.intValue());
                        return;
                    case LONG:
                        g.writeNumber(n.longValue());
                        return;
                    case BIG_INTEGER:
                        g.writeNumber(n.bigIntegerValue());
                        return;
                    case BIG_DECIMAL:
                        g.writeNumber(n.decimalValue());
                        return;
                    default:
                        g.writeNumber(n.doubleValue());
                        return;
                }
            case NULL:
            case MISSING:
                g.writeNull();
                return;
            default:
                throw new IllegalStateException("cannot write a " + n.getNodeType() + " node");
        }
    }

    /** A stored JSON text (written by this code) as plain values ({@link #plain(JsonNode)}), for callers without Jackson. */
    public static Object plain(String stored) {
        return plain(read(stored));
    }

    /** Free-form JSON (attributes) as plain Java values: String, Boolean, Long, BigDecimal, List, Map (null stays null). */
    public static Object plain(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isArray()) {
            java.util.List<Object> l = new java.util.ArrayList<>();
            v.forEach(e -> l.add(plain(e)));
            return l;
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        v.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
        return m;
    }

    /** Stored JSON text as {@link #plain} values, for the rooms that know no Jackson types (null stays null). */
    public static Object plainOf(String stored) {
        return stored == null ? null : plain(read(stored));
    }
}
