package dev.laurel.it.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the model says one call answers: the status, the error code (null on success) and fields
 * by path ({@code balance.available}); list fields ({@code expiring}, {@code breakdown}...) are
 * compared as the one-line renderings of {@link Compare#render}. The value {@link #ABSENT} means
 * the field must be missing; a path ending in {@code ?} may be missing when its value is 0.
 */
final class Expect {
    static final String ABSENT = "<absent>";

    final int status;
    final String code;
    final Map<String, String> fields = new LinkedHashMap<>();

    Expect(int status, String code) {
        this.status = status;
        this.code = code;
    }

    static Expect ok(int status) {
        return new Expect(status, null);
    }

    static Expect error(int status, String code) {
        return new Expect(status, code);
    }

    Expect put(String path, Object value) {
        fields.put(path, value == null ? "null" : String.valueOf(value));
        return this;
    }

    @Override
    public String toString() {
        return status + (code == null ? "" : " " + code) + " " + fields;
    }
}
