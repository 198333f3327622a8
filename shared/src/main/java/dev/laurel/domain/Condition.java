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
            for (int i = 0, n = of.size(); i < n; i++) { // no iterator: a condition is tested for every reward and rule
                if (!of.get(i).test(f)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Any(List<Condition> of) implements Condition {
        public boolean test(Facts f) {
            for (int i = 0, n = of.size(); i < n; i++) {
                if (of.get(i).test(f)) {
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

    /**
     * One comparison. {@code value} is a String, BigDecimal, Boolean or a List of those. Compiled
     * when made (once per program version, as programs are parsed once and cached): the path split
     * into keys, the operator decided, an integral number held as a long, lists as arrays; its
     * test allocates nothing. Same accessors, equality and text as the record it was.
     */
    final class Leaf implements Condition {
        private static final int EXISTS = 0, EQ = 1, NE = 2, IN = 3, NIN = 4, CONTAINS = 5, GT = 6, GTE = 7, LT = 8,
                LTE = 9, OTHER = 10;
        private final String attr;
        private final String op;
        private final Object value;
        private final String[] keys;
        private final int code;
        private final boolean existsWanted;
        private final Object[] values;

        public Leaf(String attr, String op, Object value) {
            this.attr = attr;
            this.op = op;
            this.value = value;
            this.keys = attr.split("\\.", -1);
            for (int i = 0; i < keys.length; i++) {
                keys[i] = keys[i].intern(); // the facts' own names are literals: a lookup then matches by identity
            }
            this.code = switch (op) {
                case "exists" -> EXISTS;
                case "eq" -> EQ;
                case "ne" -> NE;
                case "in" -> IN;
                case "nin" -> NIN;
                case "contains" -> CONTAINS;
                case "gt" -> GT;
                case "gte" -> GTE;
                case "lt" -> LT;
                case "lte" -> LTE;
                default -> OTHER;
            };
            this.existsWanted = !Boolean.FALSE.equals(value);
            this.values = value instanceof List<?> l ? l.toArray() : null;
        }

        public String attr() {
            return attr;
        }

        public String op() {
            return op;
        }

        public Object value() {
            return value;
        }

        public boolean test(Facts f) {
            Object actual = f.get(keys);
            switch (code) {
                case EXISTS:
                    return (actual != null) == existsWanted;
                case EQ:
                    return actual != null && same(actual, value);
                case NE:
                    return actual == null || !same(actual, value);
                case IN:
                    return actual != null && in(actual, (List<?>) value, values);
                case NIN:
                    return actual == null || !in(actual, (List<?>) value, values);
                case CONTAINS:
                    if (actual instanceof List<?> list) {
                        for (int i = 0, n = list.size(); i < n; i++) {
                            if (same(list.get(i), value)) {
                                return true;
                            }
                        }
                        return false;
                    }
                    return actual instanceof String s && value instanceof String v && s.contains(v);
                case GT, GTE, LT, LTE:
                    if (!comparable(actual, value)) {
                        return false;
                    }
                    int cmp = compare(actual, value);
                    return switch (code) {
                        case GT -> cmp > 0;
                        case GTE -> cmp >= 0;
                        case LT -> cmp < 0;
                        default -> cmp <= 0;
                    };
                default:
                    if (!comparable(actual, value)) {
                        return false;
                    }
                    throw new IllegalStateException("unknown op " + op);
            }
        }

        private static boolean in(Object actual, List<?> list, Object[] values) {
            Object[] vs = values == null ? list.toArray() : values; // a cast failure of a non-list stays the caller's
            if (actual instanceof List<?> as) {
                for (int i = 0, n = as.size(); i < n; i++) {
                    Object a = as.get(i);
                    for (Object v : vs) {
                        if (same(a, v)) {
                            return true;
                        }
                    }
                }
                return false;
            }
            for (Object v : vs) {
                if (same(actual, v)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return compareNumbers(x, y) == 0;
            }
            return Objects.equals(a, b);
        }

        private static boolean comparable(Object a, Object b) {
            return (a instanceof Number && b instanceof Number) || (a instanceof String && b instanceof String);
        }

        private static int compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return compareNumbers(x, y);
            }
            return ((String) a).compareTo((String) b);
        }

        /** Exactly BigDecimal's order of the two numbers (longs compared as longs, without making decimals). */
        private static int compareNumbers(Number x, Number y) {
            boolean dx = x instanceof BigDecimal;
            boolean dy = y instanceof BigDecimal;
            if (!dx && !dy) {
                return Long.compare(x.longValue(), y.longValue());
            }
            if (!dx) {
                BigDecimal d = (BigDecimal) y;
                if (d.scale() == 0 && d.precision() < 19) { // an integral decimal well inside a long
                    return Long.compare(x.longValue(), d.longValue());
                }
            }
            return decimal(x).compareTo(decimal(y));
        }

        private static BigDecimal decimal(Number n) {
            return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Leaf l && attr.equals(l.attr) && op.equals(l.op) && Objects.equals(value, l.value);
        }

        @Override
        public int hashCode() {
            return (31 * attr.hashCode() + op.hashCode()) * 31 + Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return "Leaf[attr=" + attr + ", op=" + op + ", value=" + value + "]";
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

        /** The value at a path split into its keys ({@link Leaf}'s compiled path), or null where any step is missing. */
        Object get(String[] keys) {
            Object cur = roots;
            for (String key : keys) {
                if (!(cur instanceof Map<?, ?> map)) {
                    return null;
                }
                cur = map.get(key);
            }
            return cur;
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
