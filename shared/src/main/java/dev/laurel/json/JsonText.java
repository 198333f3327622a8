package dev.laurel.json;

/**
 * JSON text appended to a {@link StringBuilder}, character for character what {@link Json#write}
 * writes for the same values, for answers written field by field (validate's list of rewards) without
 * a tree and a generator's copies. A string of printable ASCII needing no escape is appended as it is;
 * any other goes through {@link Json#write}, so every escape is the generator's own.
 */
public final class JsonText {
    private JsonText() {
    }

    /** {@code s} as a JSON string. */
    public static StringBuilder string(StringBuilder out, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return out.append(Json.write(s));
            }
        }
        return out.append('"').append(s).append('"');
    }
}
