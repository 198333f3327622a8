package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.store.CustomerStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A member's own session (API.md "The customer's own session"): a token valid 15 minutes for one
 * tenant, program and member, {@code v1.<kid>.<payload>.<signature>} where the payload is
 * base64url of {@code tenant|program|customer|expiry epoch seconds} and the signature base64url
 * of HMAC-SHA256 over {@code v1.<kid>.<payload>} with the tenant's key: HMAC-SHA256 of the
 * {@link SessionKeys} secret named by {@code kid} over {@code laurel-session/<tenant>}, so no
 * tenant's token verifies as another's. Verification bounds the token before reading it, checks
 * the signature in constant time before decoding the payload, then the expiry.
 */
public final class Sessions {
    /** How long a session lasts. */
    public static final Duration VALID = Duration.ofMinutes(15);
    /** Tokens longer than this are refused unread. */
    public static final int MAX_TOKEN_CHARS = 1024;
    private static final String VERSION = "v1";
    private static final Pattern B64URL = Pattern.compile("^[A-Za-z0-9_-]{1,700}$");
    private static final Pattern FIELD = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    /** What a verified token says: for whom, until when. */
    public record Claims(String tenant, String programId, String customerId, Instant expiresAt) {
    }

    /** A new session's token and expiry. */
    public record Session(String token, Instant expiresAt) {
    }

    private final SessionKeys keys;
    private final Clock clock;

    public Sessions(SessionKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A session for a member of the program (404 for a customer who is not one). */
    public Outcome<Session> mint(CustomerStore store, String tenant, String programId, String customerId) {
        if (!store.readWithLots(tenant, programId, customerId).member()) {
            return Outcome.declined(Refusal.notFound("customer " + customerId));
        }
        Instant expiresAt = clock.instant().plus(VALID);
        return Outcome.done(new Session(sign(keys.current(), new Claims(tenant, programId, customerId, expiresAt)), expiresAt));
    }

    /** The token of these claims, signed with {@code key} (also for tests that forge or age tokens). */
    public static String sign(SessionKeys.Key key, Claims c) {
        for (String f : new String[] {c.tenant(), c.programId(), c.customerId()}) {
            if (!FIELD.matcher(f).matches()) {
                throw new IllegalArgumentException("not an id: " + f);
            }
        }
        String payload = b64(c.tenant() + "|" + c.programId() + "|" + c.customerId() + "|" + c.expiresAt().getEpochSecond());
        String signed = VERSION + "." + key.kid() + "." + payload;
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, c.tenant(), signed));
    }

    /** Whether this looks like a session token (not an API key): the authorizer's first question. */
    public static boolean isToken(String bearer) {
        return bearer != null && bearer.startsWith(VERSION + ".");
    }

    /** The claims of a valid, unexpired token; empty for anything else (malformed, forged, unknown key, expired). */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", 5);
        if (parts.length != 4 || !parts[0].equals(VERSION) || !SessionKeys.KID.matcher(parts[1]).matches()
                || !B64URL.matcher(parts[2]).matches() || !B64URL.matcher(parts[3]).matches()) {
            return Optional.empty();
        }
        Optional<SessionKeys.Key> key = keys.byId(parts[1]);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String text;
        byte[] given;
        try {
            text = new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8);
            given = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String[] f = text.split("\\|", 5);
        if (f.length != 4 || !FIELD.matcher(f[0]).matches()) {
            return Optional.empty();
        }
        byte[] expected = mac(key.get(), f[0], parts[0] + "." + parts[1] + "." + parts[2]);
        if (!MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        if (!FIELD.matcher(f[1]).matches() || !FIELD.matcher(f[2]).matches() || !f[3].matches("^[0-9]{1,12}$")) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(f[3]));
        if (!clock.instant().isBefore(expiresAt)) {
            return Optional.empty();
        }
        return Optional.of(new Claims(f[0], f[1], f[2], expiresAt));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 over {@code signed} with the tenant's key derived from {@code key}. */
    private static byte[] mac(SessionKeys.Key key, String tenant, String signed) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            byte[] tenantKey = derive.doFinal(("laurel-session/" + tenant).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tenantKey, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
