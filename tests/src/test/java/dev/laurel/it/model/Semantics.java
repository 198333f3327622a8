package dev.laurel.it.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The agreed semantics of issue 9 (COMMON.md S1-S7) that the model encodes, each behind a flag in
 * this one place. All are on by default. {@code -Dlaurel.model.legacy=DEBT,EXPIRY_AT_INSTANT} (or
 * {@code all}) switches some off: the model then emulates the behaviour main had before issue 9,
 * and the generator avoids the inputs whose old outcome was a crash (a 500, a failing run), so a
 * long run with every flag off agreeing with the old main proves the harness itself.
 */
enum Semantics {
    /** S1: a reward budget and the order's discount total refuse an over-limit charge on first use too. */
    BUDGET_FIRST_USE,
    /** S2: occurredAt no earlier than the program's creation minus 365 days (400), ancient years included. */
    TIME_BOUND,
    /** S3: a lot counts nowhere from its expiry instant on, whatever the daily run did. */
    EXPIRY_AT_INSTANT,
    /** S4: what a refund could not collect is owed; later credits pay it first ({@code balance.owed}, ledger {@code debt}). */
    DEBT,
    /** S5: the tier follows lifetimeEarned down after a refund. */
    TIER_FOLLOWS_REFUND,
    /** S6: a member may hold hundreds of lots (spends, rollbacks and runs of any size work). */
    BOUNDED_LOTS,
    /** S7: validate's earnPreview respects rule budgets already used. */
    EARN_PREVIEW_BUDGET,
    /** S8 (issue 16): a replay is the first answer, whatever changed in the program since. */
    REPLAY_FIRST_ANSWER,
    /** S9: a queued reminder of a type the program has turned off since is not sent; it goes through the current channel. */
    REMINDERS_FOLLOW_PROGRAM,
    /** S10: pending points are neither listed as expiring nor announced by points_expiring. */
    NO_EXPIRING_PENDING,
    /** S11: every write decides reward_available, on the balance before its release and after the whole write. */
    CROSSING_BEFORE_RELEASE;

    private static volatile Set<Semantics> off = parse(System.getProperty("laurel.model.legacy", ""));

    /** Switches exactly these off (tools that shrink one defect at a time); the property sets the default. */
    static void switchOff(Set<Semantics> set) {
        off = set.isEmpty() ? EnumSet.noneOf(Semantics.class) : EnumSet.copyOf(set);
    }

    static Set<Semantics> parse(String s) {
        Set<Semantics> off = EnumSet.noneOf(Semantics.class);
        for (String p : s.split(",")) {
            String name = p.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("ALL")) {
                off.addAll(EnumSet.allOf(Semantics.class));
            } else {
                off.add(Semantics.valueOf(name));
            }
        }
        return off;
    }

    /** True unless switched off with {@code -Dlaurel.model.legacy}. */
    boolean on() {
        return !off.contains(this);
    }

    static String describe() {
        return off.isEmpty() ? "agreed semantics (all flags on)" : "legacy (off): " + off;
    }
}
