package dev.laurel.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/** Request fingerprints: SHA-256 over JSON with sorted keys, so key order never makes a "different" request. */
public final class Canonical {
    private Canonical() {
    }

    public static String hash(JsonNode body) {
        return sha256(Json.write(sorted(body)));
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> m = new TreeMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = Json.object();
            m.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            var a = Json.array();
            n.forEach(e -> a.add(sorted(e)));
            return a;
        }
        return n;
    }
}
