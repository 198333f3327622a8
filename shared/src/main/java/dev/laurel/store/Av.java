package dev.laurel.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small conversions between Java values and DynamoDB attribute values. */
final class Av {
    private Av() {
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }

    static AttributeValue longMap(Map<String, Long> m) {
        Map<String, AttributeValue> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, n(v)));
        return AttributeValue.fromM(out);
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static Long numOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    static Map<String, Long> longs(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        Map<String, Long> out = new HashMap<>();
        if (v != null && v.hasM()) {
            v.m().forEach((k, x) -> out.put(k, Long.parseLong(x.n())));
        }
        return out;
    }

    static java.util.Set<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasSs() ? java.util.Set.of() : java.util.Set.copyOf(v.ss());
    }

    /** A JSON value as a DynamoDB value (for free-form customer attributes). */
    static AttributeValue fromJson(JsonNode v) {
        if (v == null || v.isNull()) {
            return AttributeValue.fromNul(true);
        }
        if (v.isTextual()) {
            return s(v.textValue());
        }
        if (v.isBoolean()) {
            return bool(v.booleanValue());
        }
        if (v.isNumber()) {
            return AttributeValue.fromN(v.decimalValue().toPlainString());
        }
        if (v.isArray()) {
            List<AttributeValue> l = new ArrayList<>();
            v.forEach(e -> l.add(fromJson(e)));
            return AttributeValue.fromL(l);
        }
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> m.put(e.getKey(), fromJson(e.getValue())));
        return AttributeValue.fromM(m);
    }

    /** A DynamoDB value as a plain Java value: String, Long, BigDecimal, Boolean, List or Map. */
    static Object plain(AttributeValue v) {
        if (v == null || Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            BigDecimal d = new BigDecimal(v.n());
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return d;
            }
        }
        if (v.bool() != null) {
            return v.bool();
        }
        if (v.hasL()) {
            List<Object> l = new ArrayList<>();
            v.l().forEach(e -> l.add(plain(e)));
            return l;
        }
        if (v.hasM()) {
            Map<String, Object> m = new LinkedHashMap<>();
            v.m().forEach((k, e) -> m.put(k, plain(e)));
            return m;
        }
        return null;
    }
}
