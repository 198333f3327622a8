package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.laurel.it.JsonPaths;
import dev.laurel.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile values and bodies: ids no id pattern admits, numbers beyond any
 * parser limit, nesting past the depth limit, wrong types, duplicate keys, truncations, invalid
 * base64 and UTF-8, and oversized bodies of several shapes. Everything it makes is reproducible
 * from its seed.
 */
final class Hostile {
    private final Random rnd;

    Hostile(long seed) {
        this.rnd = new Random(seed);
    }

    int nextInt(int bound) {
        return rnd.nextInt(bound);
    }

    <T> T pick(List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** Strings that are never ids ({@code ^[A-Za-z0-9._:@-]{1,128}$}). */
    String badId() {
        String base = "c" + rnd.nextInt(1000);
        // (".." and "." are ids: the pattern admits dots, and DynamoDB keys are opaque strings)
        return switch (rnd.nextInt(22)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> base + "\u0000";
            case 3 -> base + "#P#other";
            case 4 -> "T#t-other#P#acme#C#c-1";
            case 5 -> "../" + base;
            case 6 -> "../..";
            case 7 -> base + "/" + base;
            case 8 -> "a".repeat(129 + rnd.nextInt(2000));
            case 9 -> "é" + base;
            case 10 -> base + "\u202e";
            case 11 -> "\ud83d\ude00";
            case 12 -> base + "\n";
            case 13 -> "\t" + base;
            case 14 -> "' OR '1'='1";
            case 15 -> "${jndi:ldap://127.0.0.1/a}";
            case 16 -> "<script>alert(1)</script>";
            case 17 -> base + "\u200b";
            case 18 -> "%2e%2e%2f" + base;
            case 19 -> base + "*";
            case 20 -> base + "?x=1";
            default -> "c\ud800" + base; // a lone surrogate
        };
    }

    /** A number no integer field takes: over 40 digits (the parser's limit), out of range, or a fraction. */
    String badNumber() {
        return switch (rnd.nextInt(8)) {
            case 0 -> "9".repeat(41 + rnd.nextInt(3000));
            case 1 -> "-" + "1".repeat(41 + rnd.nextInt(200));
            case 2 -> "1e" + (309 + rnd.nextInt(1_000_000));
            case 3 -> "-1e" + (400 + rnd.nextInt(1000));
            case 4 -> "1e-" + (400 + rnd.nextInt(1000));
            case 5 -> "9223372036854775808";
            case 6 -> "-9223372036854775809";
            default -> rnd.nextInt(1000) + "." + (1 + rnd.nextInt(9));
        };
    }

    /** A JSON value of another type than {@code v}. */
    String otherType(JsonNode v) {
        List<String> options = new ArrayList<>(List.of("null", "true", "[]", "{}", "\"x\"", "7", "[1, \"a\", null]",
                "{\"nested\": {\"deeper\": []}}"));
        if (v.isTextual()) {
            options.removeIf(o -> o.startsWith("\""));
            options.remove("null");
        } else if (v.isNumber()) {
            options.removeIf(o -> o.equals("7"));
            options.remove("null");
        } else if (v.isBoolean()) {
            options.remove("true");
            options.remove("null");
        } else if (v.isObject()) {
            options.removeIf(o -> o.startsWith("{"));
            options.remove("null");
        } else if (v.isArray()) {
            options.removeIf(o -> o.startsWith("["));
            options.remove("null");
        }
        return pick(options);
    }

    /** Arrays and objects nested past the parser's depth limit of 32. */
    String deep() {
        int depth = 33 + rnd.nextInt(rnd.nextBoolean() ? 100 : 20_000);
        StringBuilder sb = new StringBuilder();
        boolean objects = rnd.nextBoolean();
        for (int i = 0; i < depth; i++) {
            sb.append(objects ? "{\"a\":" : "[");
        }
        sb.append("1");
        for (int i = 0; i < depth; i++) {
            sb.append(objects ? "}" : "]");
        }
        return sb.toString();
    }

    /** Field names no request declares. */
    String badFieldName() {
        return pick(List.of("__proto__", "constructor", "", " ", "$where", "a".repeat(300), "é", "\u0000", "customerid", "CustomerId",
                "event ", "prototype", "toString"));
    }

    /** A body larger than 256 KiB (in UTF-8 bytes), of one of several shapes, still valid JSON. */
    String oversized(String valid) {
        int target = 256 * 1024 + 1 + rnd.nextInt(3 * 1024 * 1024);
        String head = valid.trim();
        head = head.substring(0, head.length() - 1);
        return switch (rnd.nextInt(4)) {
            case 0 -> head + ", \"pad\": \"" + "x".repeat(target) + "\"}";
            case 1 -> {
                StringBuilder sb = new StringBuilder(head).append(", \"pad\": [");
                while (sb.length() < target) {
                    sb.append("1234567,");
                }
                yield sb.append("0]}").toString();
            }
            case 2 -> {
                StringBuilder sb = new StringBuilder(head);
                for (int i = 0; sb.length() < target; i++) {
                    sb.append(", \"k").append(i).append("\": ").append(i);
                }
                yield sb.append("}").toString();
            }
            default -> valid + " ".repeat(target);
        };
    }

    /** Strings flagged base64 that are not base64. */
    String badBase64() {
        return pick(List.of("%%%", "abc", "ab=c", "====", "eyJh\nYiI6MX0=", "eyJhYiI6MX0", "-_-_", "eyJ hYiI6MX0=", "\u00e9\u00e9\u00e9\u00e9",
                "e30=e30="));
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** {@code json} with one id replaced by bytes that are not UTF-8, base64-encoded as API Gateway sends binary bodies. */
    String invalidUtf8(String json, String id) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        String marker = "\"" + id + "\"";
        int at = json.indexOf(marker);
        byte[] before = json.substring(0, at + 1).getBytes(StandardCharsets.UTF_8);
        byte[] after = json.substring(at + 1).getBytes(StandardCharsets.UTF_8);
        byte[] mid = bad[rnd.nextInt(bad.length)];
        byte[] all = new byte[before.length + mid.length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(mid, 0, all, before.length, mid.length);
        System.arraycopy(after, 0, all, before.length + mid.length, after.length);
        return base64(all);
    }

    /** {@code json} with its first key repeated inside the object at {@code path}. */
    static String duplicateKeyAt(String json, String path) {
        JsonNode node = JsonPaths.at(Json.read(json), path);
        var first = node.fields().next();
        String inner = Json.write(node);
        String dup = "{" + Json.write(first.getKey()) + ": " + Json.write(first.getValue()) + ", " + inner.substring(1);
        String whole = Json.write(Json.read(json));
        int i = whole.indexOf(inner);
        return whole.substring(0, i) + dup + whole.substring(i + inner.length());
    }

    // ------------------------------------------------------------------ JSON paths

    /** Inside free-form data (attribute values, condition values) any value may be legal. */
    static boolean freeForm(String path) {
        return path.matches("(^|.*\\.)attributes(\\..*)?") || path.matches(".*\\.value(\\[\\d+])?$") || path.endsWith("reason")
                || path.endsWith("name") || path.endsWith("email");
    }

    /** A string that must be an id. */
    static boolean idField(String path, JsonNode v) {
        return v.isTextual() && (path.endsWith("Id") || path.endsWith(".id") || path.equals("id") || path.matches("rewards\\[\\d+]")
                || path.endsWith("stacking.category"));
    }

    /** {@code json} with the node at {@code path} replaced by raw JSON text (which may be anything, even invalid). */
    static String withRaw(String json, String path, String raw) {
        JsonNode root = Json.read(json);
        JsonPaths.set(root, path, TextNode.valueOf("@@HOSTILE@@"));
        return Json.write(root).replace("\"@@HOSTILE@@\"", raw);
    }
}
