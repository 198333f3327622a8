package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Condition;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code when} condition tree strictly, recording problems with their JSON paths. */
public final class ConditionReader {
    private ConditionReader() {
    }

    /** Parses and validates a condition tree, recording problems with their JSON paths. */
    public static Condition read(Obj o) {
        int[] nodes = {0};
        return parse(o, 1, nodes);
    }

    private static Condition parse(Obj o, int depth, int[] nodes) {
        if (++nodes[0] > Condition.MAX_NODES) {
            o.problems().add(o.path(), "condition has more than " + Condition.MAX_NODES + " nodes");
            return null;
        }
        if (depth > Condition.MAX_DEPTH) {
            o.problems().add(o.path(), "condition is nested deeper than " + Condition.MAX_DEPTH);
            return null;
        }
        Condition result;
        if (o.has("all") || o.has("any")) {
            String key = o.has("all") ? "all" : "any";
            List<Obj> parts = o.objects(key, true, Condition.MAX_NODES);
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
            result = key.equals("all") ? new Condition.All(List.copyOf(children)) : new Condition.Any(List.copyOf(children));
        } else if (o.has("not")) {
            Obj inner = o.obj("not", true);
            Condition c = inner == null ? null : parse(inner, depth + 1, nodes);
            result = c == null ? null : new Condition.Not(c);
        } else if (o.has("segment")) {
            String id = o.id("segment", true);
            result = id == null ? null : new Condition.InSegment(id);
        } else {
            result = parseLeaf(o);
        }
        o.end();
        return result;
    }

    private static Condition parseLeaf(Obj o) {
        Problems problems = o.problems();
        String attr = o.string("attr", true, 200);
        if (attr != null && !Condition.Facts.isKnownRoot(attr)) {
            problems.add(o.path("attr"), "must start with customer., event. or order.");
            attr = null;
        }
        String op = o.oneOf("op", true, Condition.OPS);
        JsonNode raw = o.raw("value", op != null && !op.equals("exists"));
        Object value = null;
        if (op != null && raw != null) {
            String at = o.path("value");
            if (op.equals("in") || op.equals("nin")) {
                if (!raw.isArray() || raw.size() == 0 || raw.size() > Condition.MAX_LIST) {
                    problems.add(at, "must be a non-empty array of at most " + Condition.MAX_LIST + " values");
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
        return new Condition.Leaf(attr, op, value);
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

}
