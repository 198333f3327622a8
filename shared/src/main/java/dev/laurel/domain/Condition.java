package dev.laurel.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code when} condition tree: {@code all} / {@code any} / {@code not} over leaves
 * {@code {attr, op, value}}. Attributes are dotted paths into the facts of one evaluation
 * ({@code customer.*}, {@code event.*}, {@code order.*}); see {@link Facts}.
 */
public sealed interface Condition {
    int MAX_DEPTH = 8;
    int MAX_NODES = 64;
    int MAX_LIST = 100;
    Set<String> OPS = Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "exists");

    boolean test(Facts facts);

    record All(List<Condition> of) implements Condition {
        public boolean test(Facts f) {
            for (Condition c : of) {
                if (!c.test(f)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Any(List<Condition> of) implements Condition {
        public boolean test(Facts f) {
            for (Condition c : of) {
                if (c.test(f)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Condition of) implements Condition {
        public boolean test(Facts f) {
            return !of.test(f);
        }
    }

    /** One comparison. {@code value} is a String, BigDecimal, Boolean or a List of those. */
    record Leaf(String attr, String op, Object value) implements Condition {
        public boolean test(Facts f) {
            Object actual = f.get(attr);
            switch (op) {
                case "exists":
                    return (actual != null) == !Boolean.FALSE.equals(value);
                case "eq":
                    return actual != null && same(actual, value);
                case "ne":
                    return actual == null || !same(actual, value);
                case "in":
                    return actual != null && in(actual, (List<?>) value);
                case "nin":
                    return actual == null || !in(actual, (List<?>) value);
                case "contains":
                    if (actual instanceof List<?> list) {
                        return list.stream().anyMatch(e -> same(e, value));
                    }
                    return actual instanceof String s && value instanceof String v && s.contains(v);
                default:
                    Integer cmp = compare(actual, value);
                    if (cmp == null) {
                        return false;
                    }
                    return switch (op) {
                        case "gt" -> cmp > 0;
                        case "gte" -> cmp >= 0;
                        case "lt" -> cmp < 0;
                        case "lte" -> cmp <= 0;
                        default -> throw new IllegalStateException("unknown op " + op);
                    };
            }
        }

        private static boolean in(Object actual, List<?> values) {
            if (actual instanceof List<?> list) {
                return list.stream().anyMatch(a -> values.stream().anyMatch(v -> same(a, v)));
            }
            return values.stream().anyMatch(v -> same(actual, v));
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y)) == 0;
            }
            return Objects.equals(a, b);
        }

        private static Integer compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y));
            }
            if (a instanceof String x && b instanceof String y) {
                return x.compareTo(y);
            }
            return null;
        }

        private static BigDecimal decimal(Number n) {
            return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
        }
    }

    /** Parses and validates a condition tree, recording problems with their JSON paths. */
    static Condition parse(Obj o) {
        int[] nodes = {0};
        return parse(o, 1, nodes);
    }

    private static Condition parse(Obj o, int depth, int[] nodes) {
        if (++nodes[0] > MAX_NODES) {
            o.problems().add(o.path(), "condition has more than " + MAX_NODES + " nodes");
            return null;
        }
        if (depth > MAX_DEPTH) {
            o.problems().add(o.path(), "condition is nested deeper than " + MAX_DEPTH);
            return null;
        }
        Condition result;
        if (o.has("all") || o.has("any")) {
            String key = o.has("all") ? "all" : "any";
            List<Obj> parts = o.objects(key, true, MAX_NODES);
            List<Condition> children = new ArrayList<>();
            if (parts != null) {
                if (parts.isEmpty()) {
                    o.problems().add(o.path(key), "must not be empty");
                }
                for (Obj p : parts) {
                    Condition c = parse(p, depth + 1, nodes);
                    if (c != null) {
                        children.add(c);
                    }
                }
            }
            result = key.equals("all") ? new All(List.copyOf(children)) : new Any(List.copyOf(children));
        } else if (o.has("not")) {
            Obj inner = o.obj("not", true);
            Condition c = inner == null ? null : parse(inner, depth + 1, nodes);
            result = c == null ? null : new Not(c);
        } else {
            result = parseLeaf(o);
        }
        o.end();
        return result;
    }

    private static Condition parseLeaf(Obj o) {
        Problems problems = o.problems();
        String attr = o.string("attr", true, 200);
        if (attr != null && !Facts.isKnownRoot(attr)) {
            problems.add(o.path("attr"), "must start with customer., event. or order.");
            attr = null;
        }
        String op = o.oneOf("op", true, OPS);
        JsonNode raw = o.raw("value", op != null && !op.equals("exists"));
        Object value = null;
        if (op != null && raw != null) {
            String at = o.path("value");
            if (op.equals("in") || op.equals("nin")) {
                if (!raw.isArray() || raw.size() == 0 || raw.size() > MAX_LIST) {
                    problems.add(at, "must be a non-empty array of at most " + MAX_LIST + " values");
                } else {
                    List<Object> values = new ArrayList<>();
                    for (int i = 0; i < raw.size(); i++) {
                        Object v = scalar(raw.get(i), at + "[" + i + "]", problems);
                        if (v != null) {
                            values.add(v);
                        }
                    }
                    value = List.copyOf(values);
                }
            } else if (op.equals("exists")) {
                if (!raw.isBoolean()) {
                    problems.add(at, "must be true or false");
                } else {
                    value = raw.booleanValue();
                }
            } else {
                value = scalar(raw, at, problems);
                if (value instanceof Boolean && !op.equals("eq") && !op.equals("ne") && !op.equals("contains")) {
                    problems.add(at, "a boolean can only be compared with eq or ne");
                }
            }
        }
        if (attr == null || op == null || (value == null && !op.equals("exists"))) {
            return null;
        }
        return new Leaf(attr, op, value);
    }

    private static Object scalar(JsonNode v, String at, Problems problems) {
        if (v.isTextual() && v.textValue().length() <= 1024) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        problems.add(at, "must be a string (up to 1024 characters), number or boolean");
        return null;
    }

    /** The facts a condition reads: {@code customer}, {@code event} and {@code order} maps. */
    final class Facts {
        private final Map<String, ?> roots;

        public Facts(Map<String, ?> customer, Map<String, ?> event, Map<String, ?> order) {
            java.util.HashMap<String, Object> m = new java.util.HashMap<>();
            m.put("customer", customer);
            m.put("event", event);
            m.put("order", order);
            this.roots = m;
        }

        static boolean isKnownRoot(String attr) {
            return attr.startsWith("customer.") || attr.startsWith("event.") || attr.startsWith("order.");
        }

        /** The value at a dotted path, or null where any step is missing. */
        public Object get(String path) {
            Object cur = roots;
            int start = 0;
            while (cur != null) {
                int dot = path.indexOf('.', start);
                String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
                if (!(cur instanceof Map<?, ?> map)) {
                    return null;
                }
                cur = map.get(key);
                if (dot < 0) {
                    return cur;
                }
                start = dot + 1;
            }
            return null;
        }
    }
}
