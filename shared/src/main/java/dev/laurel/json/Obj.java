package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict reader over one JSON object. Each accessor checks type and range, records a problem
 * with the field's JSON path instead of throwing, and marks the field as known; {@link #end()}
 * reports every field nobody asked for, so a typo never silently does nothing.
 */
public final class Obj {
    /** Caller-chosen ids (API.md). */
    public static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    private final ObjectNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new HashSet<>();

    private Obj(ObjectNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The request body's root object; a non-object body is a problem and yields an empty reader. */
    public static Obj root(JsonNode body, Problems problems) {
        return of(body, "", problems);
    }

    private static Obj of(JsonNode node, String path, Problems problems) {
        if (node instanceof ObjectNode o) {
            return new Obj(o, path, problems);
        }
        problems.add(path, "must be a JSON object");
        // an empty stand-in whose own findings ("is required" for every field) are not reported:
        // the one problem above already says what is wrong here
        return new Obj(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), path, new Problems());
    }

    public Problems problems() {
        return problems;
    }

    public String path() {
        return path;
    }

    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    private JsonNode take(String name, boolean required) {
        known.add(name);
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(path(name), "is required");
            }
            return null;
        }
        return v;
    }

    public String string(String name, boolean required, int maxLength) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problems.add(path(name), "must be a string");
            return null;
        }
        String s = v.textValue();
        if (s.isEmpty() || s.length() > maxLength) {
            problems.add(path(name), "must be 1 to " + maxLength + " characters");
            return null;
        }
        return s;
    }

    public String id(String name, boolean required) {
        String s = string(name, required, 128);
        if (s != null && !ID.matcher(s).matches()) {
            problems.add(path(name), "must match " + ID.pattern());
            return null;
        }
        return s;
    }

    public String oneOf(String name, boolean required, Set<String> allowed) {
        String s = string(name, required, 64);
        if (s != null && !allowed.contains(s)) {
            problems.add(path(name), "must be one of " + new java.util.TreeSet<>(allowed));
            return null;
        }
        return s;
    }

    /** An integer in [min, max]; a fraction, a string or a number beyond 64 bits is a problem. */
    public Long integer(String name, boolean required, long min, long max) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        return checkInteger(v, path(name), min, max, problems);
    }

    static Long checkInteger(JsonNode v, String at, long min, long max, Problems problems) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.add(at, v.isNumber() && !v.isIntegralNumber() ? "must be a whole number" : "must be an integer between " + min + " and " + max);
            return null;
        }
        long n = v.longValue();
        if (n < min || n > max) {
            problems.add(at, "must be between " + min + " and " + max);
            return null;
        }
        return n;
    }

    /** An exact decimal in (0, max] with at most {@code maxScale} decimal places. */
    public BigDecimal decimal(String name, boolean required, BigDecimal min, BigDecimal max, int maxScale) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            problems.add(path(name), "must be a number");
            return null;
        }
        BigDecimal d = v.decimalValue().stripTrailingZeros();
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0 || Math.max(d.scale(), 0) > maxScale) {
            problems.add(path(name), "must be between " + min.toPlainString() + " and " + max.toPlainString()
                    + " with at most " + maxScale + " decimal places");
            return null;
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    public Boolean bool(String name, boolean required) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            problems.add(path(name), "must be true or false");
            return null;
        }
        return v.booleanValue();
    }

    public Instant instant(String name, boolean required) {
        String s = string(name, required, 64);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            problems.add(path(name), "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z");
            return null;
        }
    }

    public Obj obj(String name, boolean required) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            problems.add(path(name), "must be a JSON object");
            return null;
        }
        return new Obj((ObjectNode) v, path(name), problems);
    }

    /** The raw value of a field (for free-form data such as customer attributes). */
    public JsonNode raw(String name, boolean required) {
        return take(name, required);
    }

    /** Elements of an array field, each as an object reader whose path is {@code name[i]}. */
    public List<Obj> objects(String name, boolean required, int maxItems) {
        List<JsonNode> items = array(name, required, maxItems);
        if (items == null) {
            return null;
        }
        List<Obj> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(of(items.get(i), path(name) + "[" + i + "]", problems));
        }
        return out;
    }

    /** An array of caller ids (or any strings matching {@code pattern}). */
    public List<String> strings(String name, boolean required, int maxItems, Pattern pattern) {
        List<JsonNode> items = array(name, required, maxItems);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode v = items.get(i);
            String at = path(name) + "[" + i + "]";
            if (!v.isTextual()) {
                problems.add(at, "must be a string");
            } else if (pattern != null && !pattern.matcher(v.textValue()).matches()) {
                problems.add(at, "must match " + pattern.pattern());
            } else {
                out.add(v.textValue());
            }
        }
        return out;
    }

    public List<JsonNode> array(String name, boolean required, int maxItems) {
        JsonNode v = take(name, required);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            problems.add(path(name), "must be an array");
            return null;
        }
        if (v.size() > maxItems) {
            problems.add(path(name), "must have at most " + maxItems + " items");
            return null;
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** Reports every field of this object that no accessor asked for. */
    public void end() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                problems.add(path(n), "is not a known field");
            }
        }
    }
}
