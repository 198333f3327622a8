package dev.laurel.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When the scheduled functions next have work for a customer, from their lots: the expiry
 * function when a lot holding points expires or a return window ends, the reminders function
 * when a lot's {@code points_expiring} reminder is due. The store keys a customer under these
 * instants in sparse indexes, so neither function ever scans.
 */
public final class Due {
    private Due() {
    }

    /** The soonest expiry of a lot holding points, or end of a return window; null when there is none. */
    public static Instant next(List<Lot> lots) {
        Instant best = null;
        for (Lot l : lots) {
            if (l.remaining() > 0 && l.expiresAt() != null) {
                best = min(best, l.expiresAt());
            }
            if (l.pendingUntil() != null) {
                best = min(best, l.pendingUntil());
            }
        }
        return best;
    }

    /**
     * When a lot's reminder is due: {@code daysBefore} calendar days before its expiry, in the
     * program's zone, and not before its points are available: pending points (an order's return
     * window, which a refund may still cancel) are never announced as expiring; a lot released
     * after its reminder day is reminded at its release.
     */
    public static Instant reminderAt(Lot lot, int daysBefore, ZoneId zone) {
        Instant at = lot.expiresAt().atZone(zone).minusDays(daysBefore).toInstant();
        return lot.pending() && lot.pendingUntil().isAfter(at) ? lot.pendingUntil() : at;
    }

    /** Lots that hold points, have not expired at {@code now}, and have no reminder yet. */
    private static boolean awaitsReminder(Lot l, Instant now) {
        return l.remaining() > 0 && l.expiresAt() != null && !l.reminded() && l.expiresAt().isAfter(now);
    }

    /**
     * When the next {@code points_expiring} reminder is due (possibly already, at or before
     * {@code now}); null when reminders are off ({@code daysBefore} null), the customer has not
     * consented, or no lot awaits one.
     */
    public static Instant nextReminder(List<Lot> lots, Integer daysBefore, boolean consent, ZoneId zone, Instant now) {
        if (daysBefore == null || !consent) {
            return null;
        }
        Instant best = null;
        for (Lot l : lots) {
            if (awaitsReminder(l, now)) {
                best = min(best, reminderAt(l, daysBefore, zone));
            }
        }
        return best;
    }

    /**
     * The lots whose reminder is due at {@code now}, soonest expiry first: available ones only
     * ({@code lots} as settled at {@code now}: a lot whose return window is over is available).
     */
    public static List<Lot> remindable(List<Lot> lots, int daysBefore, ZoneId zone, Instant now) {
        List<Lot> out = new ArrayList<>();
        for (Lot l : lots) {
            if (!l.pending() && awaitsReminder(l, now) && !reminderAt(l, daysBefore, zone).isAfter(now)) {
                out.add(l);
            }
        }
        out.sort(Lot.SPEND_ORDER);
        return out;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
