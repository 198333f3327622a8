package dev.laurel.domain;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared test data: the minimal definition of API.md, customers, events and error helpers. */
final class Fixtures {
    private Fixtures() {
    }

    /** The minimal definition, verbatim from API.md (one file, shared with the integration tests). */
    static final String MINIMAL = read("api/examples/minimal-program.json");

    /** A file of the repository (tests run in the module's folder, one below the root). */
    static String read(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("..").resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A fresh, mutable copy of the minimal definition. */
    static ObjectNode minimal() {
        return (ObjectNode) Json.parse(MINIMAL);
    }

    static ObjectNode node(String json) {
        return (ObjectNode) Json.parse(json);
    }

    static Program program(JsonNode def) {
        return Program.parse("acme", 1, def);
    }

    static Program program(String json) {
        return program(Json.parse(json));
    }

    static Program minimalProgram() {
        return program(minimal());
    }

    /** Parses a definition that must be rejected and returns the error. */
    static ApiException rejected(JsonNode def) {
        return assertThrows(ApiException.class, () -> Program.parse("acme", 1, def),
                () -> "expected the definition to be rejected: " + def);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, String>> errors(ApiException e) {
        Object errors = e.details().get("errors");
        return errors == null ? List.of() : (List<Map<String, String>>) errors;
    }

    static List<String> fields(ApiException e) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> p : errors(e)) {
            out.add(p.get("field"));
        }
        return out;
    }

    static Customer customer(String id, Map<String, Object> attributes, long available, long lifetimeEarned) {
        return new Customer(id, true, 1, null, attributes, false, null, available, 0, lifetimeEarned,
                Map.of(), Map.of(), Map.of(), List.of(), Instant.parse("2026-01-01T00:00:00Z"), java.util.Set.of(), 0);
    }

    static Customer customer(long available, long lifetimeEarned) {
        return customer("c-1", Map.of(), available, lifetimeEarned);
    }

    static Customer withTier(Customer c, String tierId) {
        return new Customer(c.customerId(), c.member(), c.seq(), c.email(), c.attributes(), c.marketingConsent(), tierId,
                c.available(), c.pending(), c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), c.redemptions(), c.lots(),
                c.joinedAt(), c.notifications(), c.owed());
    }

    static Customer withCounters(Customer c, Map<String, Long> ruleCounts, Map<String, Long> rulePoints) {
        return new Customer(c.customerId(), c.member(), c.seq(), c.email(), c.attributes(), c.marketingConsent(), c.tierId(),
                c.available(), c.pending(), c.lifetimeEarned(), ruleCounts, rulePoints, c.redemptions(), c.lots(),
                c.joinedAt(), c.notifications(), c.owed());
    }

    static Customer withRedemptions(Customer c, Map<String, Long> redemptions) {
        return new Customer(c.customerId(), c.member(), c.seq(), c.email(), c.attributes(), c.marketingConsent(), c.tierId(),
                c.available(), c.pending(), c.lifetimeEarned(), c.ruleCounts(), c.rulePoints(), redemptions, c.lots(),
                c.joinedAt(), c.notifications(), c.owed());
    }

    static Order order(long totalMinor) {
        return new Order("order-1", totalMinor, "EUR", 0, List.of());
    }

    static Order order(long totalMinor, long shippingMinor) {
        return new Order("order-1", totalMinor, "EUR", shippingMinor, List.of());
    }

    static Event orderPaid(String at, long totalMinor) {
        return new Event(Event.ORDER_PAID, "order-1", Instant.parse(at), order(totalMinor), Map.of());
    }

    static Event event(String type, String at) {
        return new Event(type, "e-1", Instant.parse(at), null, Map.of());
    }
}
