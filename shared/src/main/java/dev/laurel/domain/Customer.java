package dev.laurel.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the domain knows of one member when it decides: balances, tier, counters for caps and
 * per-customer reward limits, and (when loaded) the lots. {@code seq} is the optimistic version
 * of the member's state; every write to it is conditional on the value read. {@code notifications}
 * are the ids of the event reminders (welcome, tier_upgraded, reward_available) recorded for them.
 * {@code owed} is the points refunds could not take back ({@link Debt}): later credits pay it first.
 */
public record Customer(
        String customerId,
        boolean member,
        long seq,
        String email,
        Map<String, Object> attributes,
        boolean marketingConsent,
        String tierId,
        long available,
        long pending,
        long lifetimeEarned,
        Map<String, Long> ruleCounts,
        Map<String, Long> rulePoints,
        Map<String, Long> redemptions,
        List<Lot> lots,
        Instant joinedAt,
        Set<String> notifications,
        long owed,
        String locale,
        Consent consent) {
    /** The languages a member's wallet and reminders speak (API.md: the member's {@code locale}); the first is the default. */
    public static final List<String> LOCALES = List.of("en", "de", "tr", "ja");

    /** A customer in the default locale. */
    public Customer(String customerId, boolean member, long seq, String email, Map<String, Object> attributes,
                    boolean marketingConsent, String tierId, long available, long pending, long lifetimeEarned,
                    Map<String, Long> ruleCounts, Map<String, Long> rulePoints, Map<String, Long> redemptions, List<Lot> lots,
                    Instant joinedAt, Set<String> notifications, long owed) {
        this(customerId, member, seq, email, attributes, marketingConsent, tierId, available, pending, lifetimeEarned,
                ruleCounts, rulePoints, redemptions, lots, joinedAt, notifications, owed, null);
    }

    /** A customer without a double opt-in under way. */
    public Customer(String customerId, boolean member, long seq, String email, Map<String, Object> attributes,
                    boolean marketingConsent, String tierId, long available, long pending, long lifetimeEarned,
                    Map<String, Long> ruleCounts, Map<String, Long> rulePoints, Map<String, Long> redemptions, List<Lot> lots,
                    Instant joinedAt, Set<String> notifications, long owed, String locale) {
        this(customerId, member, seq, email, attributes, marketingConsent, tierId, available, pending, lifetimeEarned,
                ruleCounts, rulePoints, redemptions, lots, joinedAt, notifications, owed, locale, Consent.NONE);
    }

    public Customer {
        consent = consent == null ? Consent.NONE : consent;
        locale = locale == null || !LOCALES.contains(locale) ? LOCALES.get(0) : locale;
        attributes = Map.copyOf(attributes);
        ruleCounts = Map.copyOf(ruleCounts);
        rulePoints = Map.copyOf(rulePoints);
        redemptions = Map.copyOf(redemptions);
        lots = List.copyOf(lots);
        notifications = Set.copyOf(notifications);
        if (available < 0 || pending < 0 || lifetimeEarned < 0 || owed < 0) {
            throw new IllegalStateException("customer " + customerId + " has a negative balance");
        }
    }

    /** A customer not yet enrolled: the state an unknown id starts from. */
    public static Customer newcomer(String customerId) {
        return new Customer(customerId, false, 0, null, Map.of(), false, null, 0, 0, 0,
                Map.of(), Map.of(), Map.of(), List.of(), null, Set.of(), 0);
    }

    /**
     * This customer as a write leaves them: new balances, tier and counters. The lots are not
     * carried over (answers never show them; the next operation reads them again).
     */
    public Customer after(long seq, String tierId, long available, long lifetimeEarned, Map<String, Long> ruleCounts,
                          Map<String, Long> rulePoints, Map<String, Long> redemptions) {
        return new Customer(customerId, true, seq, email, attributes, marketingConsent, tierId, available, pending,
                lifetimeEarned, ruleCounts, rulePoints, redemptions, List.of(), joinedAt, notifications, owed, locale, consent);
    }

    /** This customer with other balances and lots (counters, tier and profile unchanged). */
    public Customer withLots(long available, long pending, long lifetimeEarned, List<Lot> lots) {
        return new Customer(customerId, member, seq, email, attributes, marketingConsent, tierId, available, pending,
                lifetimeEarned, ruleCounts, rulePoints, redemptions, lots, joinedAt, notifications, owed, locale, consent);
    }

    /** This customer owing {@code owed} (everything else unchanged). */
    public Customer withOwed(long owed) {
        return new Customer(customerId, member, seq, email, attributes, marketingConsent, tierId, available, pending,
                lifetimeEarned, ruleCounts, rulePoints, redemptions, lots, joinedAt, notifications, owed, locale, consent);
    }

    /** This customer after a credit that is available at once paid {@code p} of their debt (not yet added to available). */
    public Customer paid(Debt.Payment p) {
        if (p.owedBefore() != owed) {
            throw new IllegalArgumentException("customer " + customerId + " owes " + owed + ", not " + p.owedBefore());
        }
        return withOwed(p.owedAfter());
    }

    /**
     * This customer as of {@code now}: pending lots whose return window is over are available,
     * and pay what is owed first ({@link Debt#onRelease}).
     * Every read shows, and every write starts from, this settled state (the write persists it).
     */
    public Customer settled(Instant now) {
        long released = 0;
        List<Lot> out = new java.util.ArrayList<>(lots.size());
        for (Lot l : lots) {
            if (l.releasable(now)) {
                released = Arith.add(released, l.remaining());
                out.add(l.released());
            } else {
                out.add(l);
            }
        }
        if (released == 0 && out.equals(lots)) {
            return this;
        }
        List<Spending.Take> debt = Debt.onRelease(this, now).stream().map(Debt.LotPayment::take).toList();
        long paid = Spending.sum(debt);
        return withLots(Arith.add(available, released) - paid, pending - released, lifetimeEarned,
                debt.isEmpty() ? out : Spending.apply(out, debt)).withOwed(owed - paid);
    }

    /**
     * This customer as every answer and decision sees them at {@code now}: {@link #settled}, less
     * the lots whose expiry has come (they count nowhere from that instant; the daily run only
     * records it). The stored balances keep counting those lots until the run records them.
     */
    public Customer current(Instant now) {
        return settled(now).lessExpired(now);
    }

    /**
     * This customer as the last write left them, seen at {@code now}: the lots whose expiry has
     * come count nowhere, but pending lots whose return window is over are not released yet. What
     * a write's reminders are decided against ({@link Triggers}): a release is part of the write.
     */
    public Customer beforeRelease(Instant now) {
        return lessExpired(now);
    }

    private Customer lessExpired(Instant now) {
        long expiredAvailable = 0;
        long expiredPending = 0;
        List<Lot> kept = new java.util.ArrayList<>(lots.size());
        for (Lot l : lots) {
            if (!l.expired(now)) {
                kept.add(l);
            } else if (l.pending()) {
                expiredPending = Arith.add(expiredPending, l.remaining());
            } else {
                expiredAvailable = Arith.add(expiredAvailable, l.remaining());
            }
        }
        return kept.size() == lots.size() ? this
                : withLots(available - expiredAvailable, pending - expiredPending, lifetimeEarned, kept);
    }

    /** The lots released by {@link #settled} at {@code now} (as they are before the release). */
    public List<Lot> releasable(Instant now) {
        return lots.stream().filter(l -> l.releasable(now)).toList();
    }

    /** This customer with another marketing consent and double opt-in state (everything else unchanged). */
    public Customer withConsent(boolean marketing, Consent c) {
        return new Customer(customerId, member, seq, email, attributes, marketing, tierId, available, pending,
                lifetimeEarned, ruleCounts, rulePoints, redemptions, lots, joinedAt, notifications, owed, locale, c);
    }

    /**
     * {@link #facts()} with what depends on the day, seen at {@code at} in {@code zone}:
     * {@code stats} ({@link OrderStats}) and {@code daysSinceJoined}.
     */
    public Map<String, Object> facts(java.time.ZoneId zone, Instant at) {
        Map<String, Object> m = facts();
        m.put("stats", OrderStats.facts(ruleCounts, rulePoints, zone, at));
        m.put("daysSinceJoined", OrderStats.daysSinceJoined(joinedAt, zone, at));
        return m;
    }

    /** The facts conditions may read under {@code customer.*}. */
    public Map<String, Object> facts() {
        java.util.HashMap<String, Object> m = new java.util.HashMap<>();
        m.put("id", customerId);
        if (email != null) {
            m.put("email", email);
        }
        if (tierId != null) {
            m.put("tier", tierId);
        }
        m.put("attributes", attributes);
        m.put("available", available);
        m.put("lifetimeEarned", lifetimeEarned);
        m.put("consent", Map.of("marketing", marketingConsent));
        return m;
    }
}
