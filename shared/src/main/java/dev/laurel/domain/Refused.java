package dev.laurel.domain;

import java.util.Map;
import java.util.Objects;

/**
 * A {@link Refusal} raised where it cannot be returned: a definition's validation deep in a
 * parse, an overflow in arithmetic, a request's reader. The API layer answers it like a returned
 * refusal; it never means a bug (that is any other exception, a 500).
 */
public final class Refused extends RuntimeException {
    private final Refusal refusal;

    public Refused(Refusal refusal) {
        super(Objects.requireNonNull(refusal, "refusal").message(), null, false, false);
        this.refusal = refusal;
    }

    public Refused(Refusal.Code code, String message) {
        this(new Refusal(code, message));
    }

    public Refused(Refusal.Code code, String message, Map<String, ?> details) {
        this(new Refusal(code, message, Map.copyOf(details)));
    }

    public Refusal refusal() {
        return refusal;
    }

    public Refusal.Code code() {
        return refusal.code();
    }

    public Map<String, Object> details() {
        return refusal.details();
    }

    public static Refused notFound(String what) {
        return new Refused(Refusal.notFound(what));
    }

    public static Refused invalid(String field, String message) {
        return new Refused(Refusal.invalid(field, message));
    }
}
