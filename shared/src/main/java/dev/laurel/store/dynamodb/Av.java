package dev.laurel.store.dynamodb;

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

    /** An item's key. */
    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> k = new HashMap<>();
        k.put("pk", s(pk));
        k.put("sk", s(sk));
        return k;
    }

    /** A plain value (String, Boolean, Number, List, Map, null) as a DynamoDB value (for free-form customer attributes). */
    static AttributeValue fromPlain(Object v) {
        if (v == null) {
            return AttributeValue.fromNul(true);
        }
        if (v instanceof String t) {
            return s(t);
        }
        if (v instanceof Boolean b) {
            return bool(b);
        }
        if (v instanceof BigDecimal d) {
            return AttributeValue.fromN(d.toPlainString());
        }
        if (v instanceof Number n) {
            return AttributeValue.fromN(new BigDecimal(n.toString()).toPlainString());
        }
        if (v instanceof List<?> list) {
            List<AttributeValue> l = new ArrayList<>();
            list.forEach(e -> l.add(fromPlain(e)));
            return AttributeValue.fromL(l);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            map.forEach((k, e) -> m.put(String.valueOf(k), fromPlain(e)));
            return AttributeValue.fromM(m);
        }
        throw new IllegalArgumentException("not a plain value: " + v.getClass().getName());
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
