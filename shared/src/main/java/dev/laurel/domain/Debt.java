package dev.laurel.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a member owes: the points refunds could not take back because they were already spent
 * ({@code uncollectedPoints}, accumulated). Later credits that become available (earns, rollbacks,
 * pending points when released) pay the debt first; each payment is a {@code debt} ledger entry
 * of minus what it paid, so that no sequence of calls creates points that no rule gave.
 */
public final class Debt {
    /** The order in which pending lots released together pay: soonest released, then spend order. */
    static final Comparator<Lot> RELEASE_ORDER = Comparator.comparing(Lot::pendingUntil).thenComparing(Lot.SPEND_ORDER);

    private Debt() {
    }

    /** One payment of the debt by a credit: the points it paid, and the debt before and after. */
    public record Payment(long points, long owedBefore, long owedAfter) {
        public Payment {
            if (points < 0 || owedAfter < 0 || owedBefore != Arith.add(points, owedAfter)) {
                throw new IllegalArgumentException("a debt payment of " + points + " from " + owedBefore + " to " + owedAfter);
            }
        }
    }

    /** What a credit of {@code points} pays of a debt of {@code owed} (all of it, or all of the debt). */
    public static Payment pay(long owed, long points) {
        if (owed < 0 || points < 0) {
            throw new IllegalArgumentException("owed and points must not be negative");
        }
        long paid = Math.min(owed, points);
        return new Payment(paid, owed, owed - paid);
    }

    /** A payment from one lot's points: the lot (as it was before paying) and the payment. */
    public record LotPayment(Lot lot, Payment payment) {
        public Spending.Take take() {
            return new Spending.Take(lot, payment.points());
        }
    }

    /**
     * What the pending lots of {@code customer} released at {@code now} pay of their debt, one
     * payment per lot that pays something, in release order (deterministic, so a repeated run
     * derives the same payments).
     */
    public static List<LotPayment> onRelease(Customer customer, java.time.Instant now) {
        List<LotPayment> out = new ArrayList<>();
        long owed = customer.owed();
        if (owed == 0) {
            return out;
        }
        List<Lot> released = new ArrayList<>(customer.releasable(now));
        released.sort(RELEASE_ORDER);
        for (Lot lot : released) {
            if (owed == 0) {
                break;
            }
            Payment p = pay(owed, lot.remaining());
            if (p.points() > 0) {
                out.add(new LotPayment(lot, p));
                owed = p.owedAfter();
            }
        }
        return out;
    }

    /** {@code lots} after paying {@code paid} from them in spend order (emptied lots are gone). */
    public static List<Lot> payFrom(List<Lot> lots, long paid) {
        List<Spending.Take> takes = Spending.take(lots, paid, null);
        if (Spending.sum(takes) != paid) {
            throw new IllegalArgumentException("the lots hold less than the " + paid + " points paid from them");
        }
        return Spending.apply(lots, takes);
    }
}
