package dev.laurel.domain;

import java.math.BigDecimal;
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

    /**
     * {@code {"segment": id}}: the member is in the program's named segment (API.md "segments"),
     * evaluated on the same facts, once per evaluation ({@link Facts#inSegment}).
     */
    record InSegment(String id) implements Condition {
        public boolean test(Facts f) {
            return f.inSegment(id);
        }
    }

    /** The segment ids {@code c} names, directly (not through the segments it names). */
    static void segmentsNamed(Condition c, Set<String> out) {
        if (c instanceof InSegment s) {
            out.add(s.id());
        } else if (c instanceof All a) {
            a.of().forEach(x -> segmentsNamed(x, out));
        } else if (c instanceof Any a) {
            a.of().forEach(x -> segmentsNamed(x, out));
        } else if (c instanceof Not n) {
            segmentsNamed(n.of(), out);
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

        private java.util.function.Function<String, Condition> segments = id -> null;
        private final Map<String, Boolean> inSegments = new java.util.HashMap<>();

        /** These facts reading named segments through {@code segments} (id to its condition; null: no such segment). */
        public Facts segments(java.util.function.Function<String, Condition> segments) {
            this.segments = segments;
            return this;
        }

        /** Whether the member is in segment {@code id}: false for an unknown one; each decided once (segments form no cycle). */
        public boolean inSegment(String id) {
            Boolean known = inSegments.get(id);
            if (known == null) {
                Condition when = segments.apply(id);
                known = when != null && when.test(this);
                inSegments.put(id, known);
            }
            return known;
        }

        public static boolean isKnownRoot(String attr) {
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
