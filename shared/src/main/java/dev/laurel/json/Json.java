package dev.laurel.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.ApiException;
import dev.laurel.domain.ErrorCode;
import java.util.Map;

/**
 * The one configured Jackson mapper, for events and bodies alike. Parsing is strict: duplicate keys, trailing tokens and
 * absurd nesting are rejected, and decimals are kept exact (never {@code double}).
 */
public final class Json {
    /** Bodies larger than this answer 413 (API.md). */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    public static final ObjectMapper MAPPER = JsonMapper.builder(
                    new com.fasterxml.jackson.core.JsonFactoryBuilder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(32)
                                    .maxNumberLength(40)
                                    // whole Lambda events carry the body as one string (API Gateway
                                    // allows 10 MB); the 256 KiB body limit is checked on the body
                                    // itself, after authentication, before it is parsed
                                    .maxStringLength(16 * 1024 * 1024)
                                    .build())
                            .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    /** Parses a request body; anything that is not one well-formed JSON value answers 400. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "request body is required",
                    Map.of("field", ""));
        }
        try {
            return MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "request body exceeds a parser limit: " + e.getOriginalMessage(),
                    Map.of("field", ""));
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "malformed JSON: " + e.getOriginalMessage(),
                    Map.of("field", "", "line", e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                            "column", e.getLocation() == null ? 0 : e.getLocation().getColumnNr()));
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    public static JsonNode read(String stored) {
        try {
            return MAPPER.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }
}
