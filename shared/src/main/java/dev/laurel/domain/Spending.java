package dev.laurel.domain;

import java.util.ArrayList;
import java.util.List;

/** Which lots a spend or claw-back consumes: soonest-expiring first, then oldest. */
public final class Spending {
    private Spending() {
    }

    /** Points taken from one lot. */
    public record Take(Lot lot, long points) {
        public boolean empties() {
            return points == lot.remaining();
        }
    }

    /**
     * Takes up to {@code points} from {@code lots}: first from the lots in {@code first} (in spend
     * order), then from the rest in spend order. Returns fewer than asked when the lots hold less.
     */
    public static List<Take> take(List<Lot> lots, long points, java.util.function.Predicate<Lot> first) {
        if (points < 0) {
            throw new IllegalArgumentException("points must not be negative");
        }
        List<Lot> ordered = new ArrayList<>(lots);
        ordered.sort(Lot.SPEND_ORDER);
        List<Take> out = new ArrayList<>();
        long left = points;
        for (int pass = 0; pass < 2 && left > 0; pass++) {
            for (Lot lot : ordered) {
                if (left == 0) {
                    break;
                }
                boolean preferred = first != null && first.test(lot);
                if ((pass == 0) != preferred || lot.remaining() == 0) {
                    continue;
                }
                long n = Math.min(left, lot.remaining());
                out.add(new Take(lot, n));
                left -= n;
            }
        }
        return out;
    }

    /** The lots after {@code takes}: emptied lots are gone, the others hold what is left. */
    public static List<Lot> apply(List<Lot> lots, List<Take> takes) {
        java.util.Map<String, Long> taken = new java.util.HashMap<>();
        for (Take t : takes) {
            taken.merge(t.lot().lotId(), t.points(), Arith::add);
        }
        List<Lot> out = new ArrayList<>(lots.size());
        for (Lot l : lots) {
            long left = l.remaining() - taken.getOrDefault(l.lotId(), 0L);
            if (left < 0) {
                throw new IllegalArgumentException("lot " + l.lotId() + " holds less than is taken from it");
            }
            if (left > 0) {
                out.add(l.withRemaining(left));
            }
        }
        return out;
    }

    public static long sum(List<Take> takes) {
        long s = 0;
        for (Take t : takes) {
            s = Arith.add(s, t.points());
        }
        return s;
    }

    /**
     * Points a refund claws back: the share of the order's earned points that the refunded amount
     * represents, cumulative so that partial refunds never round away points (a full refund takes all).
     *
     * @return points to claw now, given what earlier refunds of the same order already clawed
     */
    public static long clawBack(long earnedOnOrder, long orderTotalMinor, long refundedBeforeMinor, long refundMinor,
                                long clawedBefore) {
        long refundedAfter = Arith.add(refundedBeforeMinor, refundMinor);
        long target = orderTotalMinor == 0 ? earnedOnOrder
                : Arith.mulDivFloor(earnedOnOrder, refundedAfter, orderTotalMinor);
        return Math.max(0, target - clawedBefore);
    }
}
