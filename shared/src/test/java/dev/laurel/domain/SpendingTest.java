package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.laurel.domain.Spending.Take;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SpendingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Lot lot(String id, long remaining, int earnedDay, Integer expiresDay) {
        return lot(id, remaining, earnedDay, expiresDay, null);
    }

    private static Lot lot(String id, long remaining, int earnedDay, Integer expiresDay, String orderId) {
        return new Lot(id, remaining, remaining + 5, T0.plusSeconds(86_400L * earnedDay),
                expiresDay == null ? null : T0.plusSeconds(86_400L * expiresDay), orderId);
    }

    private static List<String> ids(List<Take> takes) {
        return takes.stream().map(t -> t.lot().lotId() + ":" + t.points()).toList();
    }

    // ---------------------------------------------------------------- examples

    @Test
    void soonestExpiringFirstNeverExpiringLast() {
        Lot never = lot("never", 10, 0, null);
        Lot late = lot("late", 10, 1, 400);
        Lot soon = lot("soon", 10, 5, 100);
        assertThat(ids(Spending.take(List.of(never, late, soon), 25, null)))
                .containsExactly("soon:10", "late:10", "never:5");
    }

    @Test
    void aLongLivedTierLotIsNotBurnedBeforeAShortLivedOne() {
        Lot goldOld = lot("gold-old", 100, 0, 730);   // earned first, lives long
        Lot bronzeNew = lot("bronze-new", 100, 10, 375);
        assertThat(ids(Spending.take(List.of(goldOld, bronzeNew), 100, null))).containsExactly("bronze-new:100");
    }

    @Test
    void sameExpiryThenOldestFirstThenId() {
        Lot b = lot("b", 10, 3, 100);
        Lot a = lot("a", 10, 3, 100);
        Lot older = lot("z", 10, 1, 100);
        assertThat(ids(Spending.take(List.of(b, a, older), 30, null))).containsExactly("z:10", "a:10", "b:10");
        Lot neverNew = lot("n2", 10, 9, null);
        Lot neverOld = lot("n1", 10, 2, null);
        assertThat(ids(Spending.take(List.of(neverNew, neverOld), 15, null))).containsExactly("n1:10", "n2:5");
    }

    @Test
    void preferredLotsComeFirst() {
        Lot soon = lot("soon", 10, 0, 10);
        Lot orderLate = lot("order-late", 10, 0, 500, "o-1");
        Lot orderNever = lot("order-never", 10, 0, null, "o-1");
        Predicate<Lot> ofOrder = l -> "o-1".equals(l.orderId());
        assertThat(ids(Spending.take(List.of(soon, orderNever, orderLate), 15, ofOrder)))
                .containsExactly("order-late:10", "order-never:5");
        assertThat(ids(Spending.take(List.of(soon, orderNever, orderLate), 25, ofOrder)))
                .containsExactly("order-late:10", "order-never:10", "soon:5");
    }

    @Test
    void neverTakesMoreThanAskedOrThanALotHolds() {
        Lot big = lot("big", 100, 0, 10);
        List<Take> t = Spending.take(List.of(big), 30, null);
        assertThat(ids(t)).containsExactly("big:30");
        assertThat(t.get(0).empties()).isFalse();
        List<Take> all = Spending.take(List.of(big, lot("x", 5, 0, 20)), 1000, null);
        assertThat(ids(all)).containsExactly("big:100", "x:5");
        assertThat(all.get(0).empties()).isTrue();
        assertThat(Spending.sum(all)).isEqualTo(105);
    }

    @Test
    void emptyLotsAndZeroAmountsTakeNothing() {
        Lot empty = lot("empty", 0, 0, 1);
        Lot full = lot("full", 10, 0, 2);
        assertThat(ids(Spending.take(List.of(empty, full), 4, null))).containsExactly("full:4");
        assertThat(Spending.take(List.of(full), 0, null)).isEmpty();
        assertThat(Spending.take(List.of(), 10, null)).isEmpty();
        assertThrows(IllegalArgumentException.class, () -> Spending.take(List.of(full), -1, null));
    }

    @Test
    void lotRejectsImpossibleStates() {
        assertThrows(IllegalArgumentException.class, () -> new Lot("l", 6, 5, T0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Lot("l", -1, 5, T0, null, null));
        assertThrows(NullPointerException.class, () -> new Lot("l", 1, 5, null, null, null));
    }

    // ---------------------------------------------------------------- take, as a property

    /** Spend order written out independently of Lot.SPEND_ORDER: expiry (none last), earned, id. */
    private static int spendsBefore(Lot a, Lot b) {
        if (a.expiresAt() == null && b.expiresAt() != null) {
            return 1;
        }
        if (a.expiresAt() != null && b.expiresAt() == null) {
            return -1;
        }
        if (a.expiresAt() != null) {
            int c = a.expiresAt().compareTo(b.expiresAt());
            if (c != 0) {
                return c;
            }
        }
        int c = a.earnedAt().compareTo(b.earnedAt());
        return c != 0 ? c : a.lotId().compareTo(b.lotId());
    }

    @Test
    void takeProperty() {
        long seed = 0x5EED_7A4EL;
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            int n = rnd.nextInt(9);
            List<Lot> lots = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                long remaining = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(50);
                // few distinct days so that ties on expiry and on earnedAt happen often
                Integer exp = rnd.nextInt(4) == 0 ? null : 100 + rnd.nextInt(4);
                lots.add(lot("l" + rnd.nextInt(1000) + "-" + k, remaining, rnd.nextInt(3), exp,
                        rnd.nextInt(3) == 0 ? "o-1" : null));
            }
            Collections.shuffle(lots, rnd);
            long amount = rnd.nextInt(250);
            boolean usePreferred = rnd.nextBoolean();
            Predicate<Lot> preferred = usePreferred ? l -> "o-1".equals(l.orderId()) : null;
            String ctx = "seed " + seed + " case " + i + ": amount " + amount + ", preferred " + usePreferred + ", lots " + lots;

            List<Take> takes = Spending.take(lots, amount, preferred);

            long available = lots.stream().mapToLong(Lot::remaining).sum();
            assertThat(Spending.sum(takes)).as(ctx).isEqualTo(Math.min(amount, available));
            Map<String, Long> taken = new HashMap<>();
            for (Take t : takes) {
                assertThat(t.points()).as(ctx).isPositive();
                assertThat(lots).as(ctx).contains(t.lot());
                if (taken.put(t.lot().lotId(), t.points()) != null) {
                    fail(ctx + ": lot taken twice " + t.lot().lotId());
                }
                assertThat(t.points()).as(ctx + " lot " + t.lot().lotId()).isLessThanOrEqualTo(t.lot().remaining());
            }
            boolean anyPreferredLeft = false;
            for (Lot l : lots) {
                if (preferred != null && preferred.test(l) && taken.getOrDefault(l.lotId(), 0L) < l.remaining()) {
                    anyPreferredLeft = true;
                }
            }
            for (Take t : takes) {
                boolean isPreferred = preferred != null && preferred.test(t.lot());
                if (!isPreferred) {
                    assertThat(anyPreferredLeft).as(ctx + ": non-preferred lot " + t.lot().lotId()
                            + " touched while a preferred lot still holds points").isFalse();
                }
                // within its group, every lot that spends before this one is exhausted
                for (Lot other : lots) {
                    boolean otherPreferred = preferred != null && preferred.test(other);
                    if (otherPreferred == isPreferred && spendsBefore(other, t.lot()) < 0) {
                        assertThat(taken.getOrDefault(other.lotId(), 0L)).as(ctx + ": lot " + t.lot().lotId()
                                + " touched before " + other.lotId() + " was exhausted").isEqualTo(other.remaining());
                    }
                }
            }
            // at most one lot is left partly taken
            long partial = takes.stream().filter(t -> t.points() < t.lot().remaining()).count();
            assertThat(partial).as(ctx).isLessThanOrEqualTo(1);
            assertThat(takes.stream().filter(t -> t.empties()).count()).as(ctx).isEqualTo(takes.size() - partial);
        }
    }

    // ---------------------------------------------------------------- claw-back

    @Test
    void clawBackExamples() {
        // 129 points on a 129.99 order; half refunded, then the rest
        long first = Spending.clawBack(129, 12999, 0, 6500, 0);
        assertThat(first).isEqualTo(64); // floor(129 * 6500 / 12999) = 64.5 -> 64
        long second = Spending.clawBack(129, 12999, 6500, 6499, first);
        assertThat(first + second).isEqualTo(129);
        assertThat(Spending.clawBack(129, 12999, 0, 12999, 0)).isEqualTo(129);
        assertThat(Spending.clawBack(129, 12999, 0, 1, 0)).isZero();
        assertThat(Spending.clawBack(50, 0, 0, 0, 0)).as("free order: a refund takes all").isEqualTo(50);
        assertThat(Spending.clawBack(0, 10000, 0, 10000, 0)).isZero();
    }

    @Test
    void clawBackDoesNotRoundAwayPointsOverManySmallRefunds() {
        // 100 refunds of 1 cent on a 100-cent order that earned 99 points: each alone is < 1 point
        long clawed = 0;
        for (int i = 0; i < 100; i++) {
            clawed += Spending.clawBack(99, 100, i, 1, clawed);
        }
        assertThat(clawed).isEqualTo(99);
    }

    @Test
    void clawBackProperty() {
        long seed = 0xC1A3L;
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            long earned = rnd.nextInt(5) == 0 ? rnd.nextLong(Arith.MAX_POINTS) : rnd.nextInt(10_000);
            long total = rnd.nextInt(10) == 0 ? 0 : 1 + (rnd.nextInt(5) == 0 ? rnd.nextLong(Arith.MAX_MINOR) : rnd.nextInt(1_000_000));
            boolean full = rnd.nextBoolean();
            List<Long> refunds = new ArrayList<>();
            long left = total;
            int steps = 1 + rnd.nextInt(8);
            for (int s = 0; s < steps && left > 0; s++) {
                long r = s == steps - 1 && full ? left : (long) (rnd.nextDouble() * (left + 1));
                r = Math.min(r, left);
                refunds.add(r);
                left -= r;
            }
            if (full && left > 0) {
                refunds.add(left);
                left = 0;
            }
            String ctx = "seed " + seed + " case " + i + ": earned " + earned + ", total " + total + ", refunds " + refunds;
            long refunded = 0;
            long clawed = 0;
            for (long r : refunds) {
                long step = Spending.clawBack(earned, total, refunded, r, clawed);
                assertThat(step).as(ctx + " step").isGreaterThanOrEqualTo(0);
                refunded += r;
                clawed += step;
                assertThat(clawed).as(ctx + " cumulative").isLessThanOrEqualTo(earned);
                if (total > 0) {
                    // proportional: never more than the refunded share, less by under one point
                    java.math.BigInteger lhs = java.math.BigInteger.valueOf(clawed).multiply(java.math.BigInteger.valueOf(total));
                    java.math.BigInteger share = java.math.BigInteger.valueOf(earned).multiply(java.math.BigInteger.valueOf(refunded));
                    assertThat(lhs).as(ctx + " share").isLessThanOrEqualTo(share);
                    assertThat(lhs.add(java.math.BigInteger.valueOf(total))).as(ctx + " share").isGreaterThan(share);
                }
            }
            if (refunded == total && !refunds.isEmpty()) {
                assertThat(clawed).as(ctx + " full refund").isEqualTo(earned);
            }
        }
    }
}
