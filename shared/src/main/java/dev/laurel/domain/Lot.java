package dev.laurel.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Points earned together that expire together. {@code remaining} is what is left to spend;
 * {@code expiresAt} is null when the program has no expiry. A lot with {@code pendingUntil} is
 * pending (the order's return window): it counts in the pending balance, cannot be spent, and
 * becomes available at that instant. {@code reminded} says its {@code points_expiring} reminder
 * has been recorded.
 */
public record Lot(String lotId, long remaining, long earned, Instant earnedAt, Instant expiresAt, String orderId,
                  Instant pendingUntil, boolean reminded) {
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

    /** An available lot (not pending, not reminded). */
    public Lot(String lotId, long remaining, long earned, Instant earnedAt, Instant expiresAt, String orderId) {
        this(lotId, remaining, earned, earnedAt, expiresAt, orderId, null, false);
    }

    public boolean pending() {
        return pendingUntil != null;
    }

    /** Pending, and its return window is over at {@code now}. */
    public boolean releasable(Instant now) {
        return pendingUntil != null && !pendingUntil.isAfter(now);
    }

    /** Holds points and its expiry has come at {@code now}. */
    public boolean expired(Instant now) {
        return remaining > 0 && expiresAt != null && !expiresAt.isAfter(now);
    }

    public Lot released() {
        return new Lot(lotId, remaining, earned, earnedAt, expiresAt, orderId, null, reminded);
    }

    public Lot withRemaining(long r) {
        return new Lot(lotId, r, earned, earnedAt, expiresAt, orderId, pendingUntil, reminded);
    }

    public Lot markedReminded() {
        return new Lot(lotId, remaining, earned, earnedAt, expiresAt, orderId, pendingUntil, true);
    }
}
