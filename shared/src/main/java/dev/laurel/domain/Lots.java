package dev.laurel.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /** Lots that merge: the same expiry instant, order and return window. */
    public static boolean sameKind(Lot a, Lot b) {
        return Objects.equals(a.expiresAt(), b.expiresAt()) && Objects.equals(a.orderId(), b.orderId())
                && Objects.equals(a.pendingUntil(), b.pendingUntil());
    }

    /**
     * Adds {@code lot} to {@code lots}: into the lot of the same kind ({@link #sameKind}) that still
     * counts at {@code now} when there is one (its id, the older earnedAt, the sums), else as a new
     * lot. Returns the lot as it is now stored.
     */
    public static Lot add(List<Lot> lots, Lot lot, Instant now) {
        for (int i = 0; i < lots.size(); i++) {
            Lot l = lots.get(i);
            if (l.remaining() > 0 && !l.expired(now) && sameKind(l, lot)) {
                Lot merged = new Lot(l.lotId(), Arith.add(l.remaining(), lot.remaining()), Arith.add(l.earned(), lot.earned()),
                        l.earnedAt().isAfter(lot.earnedAt()) ? lot.earnedAt() : l.earnedAt(), l.expiresAt(), l.orderId(),
                        l.pendingUntil(), l.reminded());
                lots.set(i, merged);
                return merged;
            }
        }
        lots.add(lot);
        return lot;
    }

    /**
     * What a redemption keeps of the lots it took, to give them back on rollback: one lot per
     * expiry and order ({@code remaining} = the points taken), in spend order; past {@code max}
     * of those, one per expiry; past {@code max} again, runs of neighbours in spend order merged
     * under the soonest expiry of the run (given back, they never outlive the points taken).
     */
    public static List<Lot> taken(List<Spending.Take> takes, int max) {
        List<Lot> lots = new ArrayList<>();
        for (Spending.Take t : takes) {
            Lot l = t.lot();
            lots.add(new Lot(l.lotId(), t.points(), l.earned(), l.earnedAt(), l.expiresAt(), l.orderId()));
        }
        lots.sort(Lot.SPEND_ORDER);
        List<Lot> out = group(lots, true);
        if (out.size() > max) {
            out = group(lots, false);
        }
        if (out.size() > max) {
            int per = (out.size() + max - 1) / max;
            List<Lot> runs = new ArrayList<>();
            for (int from = 0; from < out.size(); from += per) {
                Lot merged = null;
                for (Lot l : out.subList(from, Math.min(out.size(), from + per))) {
                    merged = merged == null ? new Lot(l.lotId(), l.remaining(), l.earned(), l.earnedAt(), l.expiresAt(), null)
                            : new Lot(merged.lotId(), Arith.add(merged.remaining(), l.remaining()), Arith.add(merged.earned(), l.earned()),
                                    merged.earnedAt().isAfter(l.earnedAt()) ? l.earnedAt() : merged.earnedAt(), merged.expiresAt(), null);
                }
                runs.add(merged);
            }
            out = runs;
        }
        return out;
    }

    private static List<Lot> group(List<Lot> lots, boolean byOrder) {
        Map<List<Object>, Lot> groups = new LinkedHashMap<>();
        for (Lot l : lots) {
            List<Object> key = java.util.Arrays.asList(l.expiresAt(), byOrder ? l.orderId() : null);
            Lot g = groups.get(key);
            groups.put(key, g == null ? new Lot(l.lotId(), l.remaining(), l.earned(), l.earnedAt(), l.expiresAt(), byOrder ? l.orderId() : null)
                    : new Lot(g.lotId(), Arith.add(g.remaining(), l.remaining()), Arith.add(g.earned(), l.earned()),
                            g.earnedAt().isAfter(l.earnedAt()) ? l.earnedAt() : g.earnedAt(), g.expiresAt(), g.orderId()));
        }
        return new ArrayList<>(groups.values());
    }
}
