package dev.laurel.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the domain knows of one member when it decides: balances, tier, counters for caps and
 * per-customer reward limits, and (when loaded) the lots. {@code seq} is the optimistic version
 * of the member's state; every write to it is conditional on the value read.
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
        Instant joinedAt) {

    public Customer {
        attributes = Map.copyOf(attributes);
        ruleCounts = Map.copyOf(ruleCounts);
        rulePoints = Map.copyOf(rulePoints);
        redemptions = Map.copyOf(redemptions);
        lots = List.copyOf(lots);
        if (available < 0 || pending < 0 || lifetimeEarned < 0) {
            throw new IllegalStateException("customer " + customerId + " has a negative balance");
        }
    }

    /** A customer not yet enrolled: the state an unknown id starts from. */
    public static Customer newcomer(String customerId) {
        return new Customer(customerId, false, 0, null, Map.of(), false, null, 0, 0, 0,
                Map.of(), Map.of(), Map.of(), List.of(), null);
    }

    /**
     * This customer as a write leaves them: new balances, tier and counters. The lots are not
     * carried over (answers never show them; the next operation reads them again).
     */
    public Customer after(long seq, String tierId, long available, long lifetimeEarned, Map<String, Long> ruleCounts,
                          Map<String, Long> rulePoints, Map<String, Long> redemptions) {
        return new Customer(customerId, true, seq, email, attributes, marketingConsent, tierId, available, pending,
                lifetimeEarned, ruleCounts, rulePoints, redemptions, List.of(), joinedAt);
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
