package dev.laurel.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON paths as the API's {@code details.field} names them ({@code a.b[0].c}; the root is ""):
 * every node of a document with its path, the node at a path, and a document with the node at a
 * path replaced or removed. For the tests that take a valid body apart (BadInputTest,
 * HostileInputTest).
 */
public final class JsonPaths {
    private static final Pattern TOKEN = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private JsonPaths() {
    }

    /** Every node of a document with its path, in document order, the root first (as ""). */
    public static List<Map.Entry<String, JsonNode>> nodes(JsonNode root) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(JsonNode n, String path, List<Map.Entry<String, JsonNode>> out) {
        out.add(Map.entry(path, n));
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /** The steps of a path: field names (String) and array indexes (Integer). */
    static List<Object> tokens(String path) {
        List<Object> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(path);
        while (m.find()) {
            tokens.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        return tokens;
    }

    /** The node at {@code path}, or null when there is none. */
    public static JsonNode at(JsonNode root, String path) {
        return at(root, tokens(path));
    }

    private static JsonNode at(JsonNode root, List<Object> tokens) {
        JsonNode n = root;
        for (Object t : tokens) {
            if (n == null) {
                return null;
            }
            n = t instanceof Integer i ? n.get(i) : n.get((String) t);
        }
        return n;
    }

    /**
     * Sets the node at {@code path} (not the root) in {@code root} to {@code value}, or removes it
     * when {@code value} is null. The path's parent must be there, an object or an array.
     */
    public static void set(JsonNode root, String path, JsonNode value) {
        List<Object> tokens = tokens(path);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("not a path below the root: \"" + path + "\"");
        }
        JsonNode parent = at(root, tokens.subList(0, tokens.size() - 1));
        Object last = tokens.get(tokens.size() - 1);
        if (parent instanceof ObjectNode o && last instanceof String name) {
            if (value == null) {
                o.remove(name);
            } else {
                o.set(name, value);
            }
        } else if (parent instanceof ArrayNode a && last instanceof Integer i) {
            if (value == null) {
                a.remove(i);
            } else {
                a.set(i, value);
            }
        } else {
            throw new IllegalArgumentException("no " + path + " in " + root);
        }
    }
}
