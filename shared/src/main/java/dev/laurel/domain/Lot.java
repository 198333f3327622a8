package dev.laurel.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Points earned together that expire together. {@code remaining} is what is left to spend;
 * {@code expiresAt} is null when the program has no expiry.
 */
public record Lot(String lotId, long remaining, long earned, Instant earnedAt, Instant expiresAt, String orderId) {
    /** Spending order: soonest expiry first (never-expiring last), then oldest, then id. */
    public static final Comparator<Lot> SPEND_ORDER = Comparator
            .comparing(Lot::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Lot::earnedAt)
            .thenComparing(Lot::lotId);

    public Lot {
        Objects.requireNonNull(lotId, "lotId");
        Objects.requireNonNull(earnedAt, "earnedAt");
        if (remaining < 0 || earned < 0 || remaining > earned) {
            throw new IllegalArgumentException("lot " + lotId + " has remaining " + remaining + " of " + earned);
        }
    }
}
