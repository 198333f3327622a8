package dev.laurel.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A member's double opt-in (API.md Part 2 "Consent: double opt-in"): the hash of the confirmation
 * token now in force ({@code tokenHash}, null when none is pending), when it was requested, and
 * when the member first confirmed (the {@code customer.confirmed} trigger fires then only).
 * The marketing consent itself is {@link Customer#marketingConsent()}: true once confirmed.
 */
public record Consent(String tokenHash, Instant requestedAt, Instant confirmedAt) {
    public static final Consent NONE = new Consent(null, null, null);
    /** How long a confirmation token is valid. */
    public static final Duration TOKEN_VALIDITY = Duration.ofDays(7);
    /** A repeated {@code marketing: true} while pending sends a new confirmation only this long after the last one. */
    public static final Duration RESEND_AFTER = Duration.ofHours(1);

    public static final String STATE_NONE = "none";
    public static final String STATE_PENDING = "pending";
    public static final String STATE_CONFIRMED = "confirmed";

    public boolean pending() {
        return tokenHash != null;
    }

    /** The wallet's {@code consent.marketing}: confirmed (or {@code true} without double opt-in), pending, or none. */
    public static String state(boolean marketingConsent, Consent c) {
        return marketingConsent ? STATE_CONFIRMED : c != null && c.pending() ? STATE_PENDING : STATE_NONE;
    }

    /** Whether a repeated request at {@code now} may send a new confirmation (none pending, or the last one is old enough). */
    public boolean mayResend(Instant now) {
        return !pending() || requestedAt == null || !now.isBefore(requestedAt.plus(RESEND_AFTER));
    }
}
