package dev.laurel.domain;

import java.time.Instant;
import java.util.List;

/** Sums and changes over a customer's lots. */
public final class Lots {
    private Lots() {
    }

    /** Points in the lots whose expiry has come at {@code now}: {available, pending}. */
    public static long[] expired(List<Lot> lots, Instant now) {
        long available = 0;
        long pending = 0;
        for (Lot l : lots) {
            if (!l.expired(now)) {
                continue;
            }
            if (l.pending()) {
                pending = Arith.add(pending, l.remaining());
            } else {
                available = Arith.add(available, l.remaining());
            }
        }
        return new long[] {available, pending};
    }

    /** {@code c} without the points of {@code added} lots that are expired at {@code now} (an old event's, a rollback's). */
    public static Customer lessExpired(Customer c, List<Lot> added, Instant now) {
        long[] x = expired(added, now);
        return x[0] == 0 && x[1] == 0 ? c
                : c.withLots(c.available() - x[0], c.pending() - x[1], c.lifetimeEarned(), c.lots());
    }
}
