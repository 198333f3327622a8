package dev.laurel.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Double opt-in confirmation tokens: 32 random bytes from a secure source, base64url without
 * padding (43 characters). Only {@link #hash} of a token is stored (SHA-256, base64url): a leaked
 * table confirms no one. {@link #wellFormed} bounds what a caller may send before anything is hashed.
 */
public final class ConsentTokens {
    public static final int BYTES = 32;
    /** The length of every token this class makes. */
    public static final int LENGTH = 43;
    private static final SecureRandom RANDOM = dev.laurel.domain.Entropy.secure();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ConsentTokens() {
    }

    public static String newToken() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    /** Exactly {@link #LENGTH} characters of the base64url alphabet (checked without regex, in bounded time). */
    public static boolean wellFormed(String token) {
        if (token == null || token.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String hash(String token) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of two hashes (null never matches). */
    public static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
