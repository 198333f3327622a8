package dev.laurel.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe-style webhook signatures. The header is
 * {@code Laurel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}: the secret's and the
 * signed text's UTF-8 bytes, lowercase hex. A receiver may see several {@code v1} values while a secret is being
 * rotated; one matching value is enough.
 */
public final class Signature {
    /** The HTTP header that carries the signature. */
    public static final String HEADER = "Laurel-Signature";
    /** A receiver's usual tolerance for the timestamp, as Stripe's: five minutes either way. */
    public static final long DEFAULT_TOLERANCE_SECONDS = 300;

    /** Limits on what {@link #verify} reads from a header, so a hostile one costs nothing. */
    static final int MAX_HEADER_CHARS = 4096;
    static final int MAX_PARTS = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_CHARS = 64;
    private static final HexFormat HEX = HexFormat.of(); // lowercase out; parses ASCII hex digits of either case

    private Signature() {
    }

    /** The header value for {@code body} signed with {@code secret} at {@code timestampSeconds}. */
    public static String header(String secret, long timestampSeconds, String body) {
        Objects.requireNonNull(body, "body");
        return "t=" + timestampSeconds + ",v1=" + hex(mac(secret, timestampSeconds, body));
    }

    /**
     * True when the header is well-formed (comma-separated {@code key=value} items, exactly one {@code t} of decimal
     * seconds, at least one {@code v1} of 64 hex digits; other keys such as a future {@code v2} are ignored), a
     * {@code v1} value equals the expected signature (compared in constant time), and
     * {@code |nowSeconds - t| <= toleranceSeconds}. Never throws for a bad header: it is simply not verified.
     *
     * @throws IllegalArgumentException when {@code toleranceSeconds} is negative or the secret is empty
     */
    public static boolean verify(String secret, String header, String body, long nowSeconds, long toleranceSeconds) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        if (toleranceSeconds < 0) {
            throw new IllegalArgumentException("toleranceSeconds must not be negative: " + toleranceSeconds);
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (header == null || header.isEmpty() || header.length() > MAX_HEADER_CHARS) {
            return false;
        }
        String[] parts = header.split(",", -1);
        if (parts.length > MAX_PARTS) {
            return false;
        }
        Long timestamp = null;
        List<byte[]> candidates = new ArrayList<>(2);
        for (String raw : parts) {
            String part = raw.strip();
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (key.equals("t")) {
                if (timestamp != null) {
                    return false;
                }
                timestamp = seconds(value);
                if (timestamp == null) {
                    return false;
                }
            } else if (key.equals("v1")) {
                byte[] sig = unhex(value);
                if (sig == null) {
                    return false;
                }
                candidates.add(sig);
            }
        }
        if (timestamp == null || candidates.isEmpty()) {
            return false;
        }
        byte[] expected = mac(secret, timestamp, body);
        boolean match = false;
        for (byte[] candidate : candidates) {
            // no early exit: every candidate is compared, each in constant time
            match |= MessageDigest.isEqual(expected, candidate);
        }
        return match && withinTolerance(nowSeconds, timestamp, toleranceSeconds);
    }

    private static boolean withinTolerance(long nowSeconds, long t, long toleranceSeconds) {
        try {
            return Math.absExact(Math.subtractExact(nowSeconds, t)) <= toleranceSeconds;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static byte[] mac(String secret, long timestampSeconds, String body) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Decimal seconds, at most 19 digits, no sign; null otherwise. */
    private static Long seconds(String value) {
        if (value.isEmpty() || value.length() > 19) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** 64 hex digits (ASCII, either case) as 32 bytes; null otherwise. */
    private static byte[] unhex(String value) {
        if (value.length() != HEX_CHARS) {
            return null;
        }
        try {
            return HEX.parseHex(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
