package dev.laurel.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A hot budget's sub-counters as stored, and how its limits are split over them (docs/ARCHITECTURE.md,
 * "Hot budgets: sub-counters"). Each split sub-counter carries its share of each limit ({@code cap}); a
 * re-split sets new shares that sum to the limit exactly and that are each at least the sub-counter's
 * use, so no sub-counter can ever stand above its share: the sum of the uses never passes the limit.
 * When a limit is already passed (shrunk below what is used), the split closes: no sub-counter takes
 * anything until the use is back under the limit and a re-split opens it again.
 */
public final class SubCounters {
    private SubCounters() {
    }

    /** One limit per dimension (null: no limit). */
    public record Caps(Long redemptions, Long valueMinor, Long orderMinor) {
    }

    /**
     * One sub-counter as read: its use; {@code split} when it belongs to a split; the split's
     * sequence number, the program version and the limits it was made for; its shares; closed.
     */
    public record Sub(Budgets.Used used, boolean split, long seq, long version, String limits, Caps caps,
                      boolean closed) {
        /** A sub-counter that was never written, or a budget item never split. */
        public static Sub unsplit(Budgets.Used used) {
            return new Sub(used, false, 0, 0, null, null, false);
        }
    }

    /** How the split's limits are recorded on its sub-counters: {@code R/V/O}, {@code -} for no limit. */
    public static String tag(Caps limits) {
        return part(limits.redemptions()) + "/" + part(limits.valueMinor()) + "/" + part(limits.orderMinor());
    }

    private static String part(Long l) {
        return l == null ? "-" : Long.toString(l);
    }

    /** The sum of the sub-counters' uses (overflow-checked). */
    public static Budgets.Used sum(List<Sub> subs) {
        Budgets.Used u = Budgets.Used.NONE;
        for (Sub s : subs) {
            u = u.plus(s.used());
        }
        return u;
    }

    /** True when {@code used + need} stays within every limit. */
    public static boolean takes(Caps limits, Budgets.Used used, Budgets.Used need) {
        return Budgets.fits(limits.redemptions(), used.redemptions(), need.redemptions())
                && Budgets.fits(limits.valueMinor(), used.valueMinor(), need.valueMinor())
                && Budgets.fits(limits.orderMinor(), used.orderMinor(), need.orderMinor());
    }

    /** True when a sub-counter as read belongs to an open split and its share still takes {@code need}. */
    public static boolean room(Sub s, Budgets.Used need) {
        return s.split() && !s.closed() && takes(s.caps(), s.used(), need);
    }

    /** True when the sub-counters are split (they are split and re-split together, all of them). */
    public static boolean split(List<Sub> subs) {
        return !subs.isEmpty() && subs.get(0).split();
    }

    /**
     * True when the sub-counters must be (re-)split before a charge: a budget the program splits
     * ({@code wanted > 1}) that never was; a split made for other limits by an older program version;
     * a closed split whose use is back within the limits.
     */
    public static boolean needsSplit(List<Sub> subs, Caps limits, long version, int wanted) {
        if (!split(subs)) {
            return wanted > 1;
        }
        Sub s = subs.get(0);
        if (s.version() < version && !tag(limits).equals(s.limits())) {
            return true;
        }
        return s.closed() && shares(subs, limits, -1, Budgets.Used.NONE) != null;
    }

    /**
     * The shares of a (re-)split, one per sub-counter, or null when some limit is already passed (the
     * split closes). Per limit: what is left ({@code limit} minus the sum of the uses) goes {@code need}
     * to sub-counter {@code k} (none when k < 0), the rest split evenly ({@link Budgets#subLimit}); each
     * share is its sub-counter's use plus its part, so the shares sum to the limit exactly.
     */
    public static List<Caps> shares(List<Sub> subs, Caps limits, int k, Budgets.Used need) {
        Objects.requireNonNull(need, "need");
        int n = subs.size();
        long[] r = dim(subs, limits.redemptions(), k, need.redemptions(), 0);
        long[] v = dim(subs, limits.valueMinor(), k, need.valueMinor(), 1);
        long[] o = dim(subs, limits.orderMinor(), k, need.orderMinor(), 2);
        if ((limits.redemptions() != null && r == null) || (limits.valueMinor() != null && v == null)
                || (limits.orderMinor() != null && o == null)) {
            return null;
        }
        List<Caps> caps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            caps.add(new Caps(r == null ? null : r[i], v == null ? null : v[i], o == null ? null : o[i]));
        }
        return caps;
    }

    private static long used(Sub s, int d) {
        return d == 0 ? s.used().redemptions() : d == 1 ? s.used().valueMinor() : s.used().orderMinor();
    }

    /** One limit's shares; null when there is no limit or it is passed. */
    private static long[] dim(List<Sub> subs, Long limit, int k, long need, int d) {
        if (limit == null) {
            return null;
        }
        long total = 0;
        for (Sub s : subs) {
            total = Arith.add(total, used(s, d));
        }
        long left = Arith.subtract(limit, total);
        if (left < 0) {
            return null;
        }
        long extra = k < 0 ? 0 : Math.max(0, Math.min(need, left));
        long rest = left - extra;
        int n = subs.size();
        long[] caps = new long[n];
        for (int i = 0; i < n; i++) {
            caps[i] = Arith.add(Arith.add(used(subs.get(i), d), Budgets.subLimit(rest, n, i)), i == k ? extra : 0);
        }
        return caps;
    }
}
