package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.minimal;
import static dev.laurel.domain.Fixtures.node;
import static dev.laurel.domain.Fixtures.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedFactsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T23:30:00Z"); // already Saturday the 5th in Berlin
    private static final List<String> PATHS = List.of("customer.id", "customer.available", "customer.attributes.country",
            "customer.stats.ordersCount", "customer.stats.ordersLast30Days", "customer.daysSinceJoined",
            "customer.consent.marketing", "event.type", "event.id", "event.occurredAt", "event.dayOfWeek", "event.hour",
            "event.date", "event.attributes", "order.id", "order.totalMinor", "order.itemCount", "order.skus",
            "order.categories", "order.items", "order.nothing", "event.nothing");

    private final Program program = program(berlinWithSegment());
    private final Customer customer = Fixtures.customer("c-1", Map.of("country", "DE"), 300, 1_000);
    private final Order order = new Order("o-1", 5_000, "EUR", 495, List.of(new Order.Line("A", "shoes", 2, 1_000),
            new Order.Line("B", "bags", 1, 3_000), new Order.Line("C", "shoes", 1, 0)));

    private static ObjectNode berlinWithSegment() {
        ObjectNode def = minimal().put("timezone", "Europe/Berlin");
        def.set("segments", node("{\"s\": [{\"id\": \"paid\", \"when\": {\"attr\": \"event.type\", \"op\": \"eq\","
                + " \"value\": \"order.paid\"}}]}").get("s"));
        return def;
    }

    /** The facts as each evaluation built them on its own before. */
    private Condition.Facts own(Event event) {
        return new Condition.Facts(customer.facts(program.timezone(), event.occurredAt()), event.facts(program.timezone()),
                event.order() == null ? Map.of() : event.order().facts()).segments(program::segment);
    }

    @Test
    void everyEvaluationReadsWhatItsOwnFactsSaid() {
        SharedFacts shared = new SharedFacts(program, customer, order, NOW);
        Event check = new Event("reward.check", "-", NOW, order, Map.of());
        Event paid = new Event(Event.ORDER_PAID, "o-1", NOW, order, Map.of("channel", "web"));
        for (Event e : List.of(check, paid)) {
            Condition.Facts got = shared.with(e);
            Condition.Facts want = own(e);
            for (String path : PATHS) {
                assertThat(got.get(path)).as(e.type() + " " + path).isEqualTo(want.get(path));
            }
        }
        assertThat(shared.with(paid).get("event.date")).isEqualTo("2026-12-05");
        assertThat(shared.with(paid).get("event.dayOfWeek")).isEqualTo("SATURDAY");
    }

    @Test
    void theCustomerAndOrderFactsAreBuiltOnceAndTheEventsAreEachTheirOwn() {
        SharedFacts shared = new SharedFacts(program, customer, order, NOW);
        assertThat(shared.customer()).isSameAs(shared.customer()).isEqualTo(customer.facts(program.timezone(), NOW));
        assertThat(shared.order()).isSameAs(shared.order()).isEqualTo(order.facts());
        Condition.Facts check = shared.with(new Event("reward.check", "-", NOW, order, Map.of()));
        Condition.Facts paid = shared.with(new Event(Event.ORDER_PAID, "o-1", NOW, order, Map.of()));
        assertThat(check.get("event.type")).isEqualTo("reward.check");
        assertThat(paid.get("event.type")).isEqualTo(Event.ORDER_PAID);
        // a named segment reads the event: each evaluation decides it for its own
        assertThat(check.inSegment("paid")).isFalse();
        assertThat(paid.inSegment("paid")).isTrue();
        assertThat(new SharedFacts(program, customer, null, NOW).order()).isEmpty();
    }

    @Test
    void anEventAtAnotherInstantHasItsOwnTime() {
        SharedFacts shared = new SharedFacts(program, customer, order, NOW);
        Event earlier = new Event(Event.ORDER_PAID, "o-1", NOW.minusSeconds(3_600), order, Map.of());
        assertThat(shared.with(earlier).get("event.hour")).isEqualTo(own(earlier).get("event.hour")).isEqualTo(23L);
        assertThat(shared.with(earlier).get("event.date")).isEqualTo("2026-12-04");
    }

    @Test
    void theFactsOfAnotherCustomerOrderOrInstantAreRefused() {
        SharedFacts shared = new SharedFacts(program, customer, order, NOW);
        assertThat(shared.of(program, customer, order, Instant.parse("2026-12-04T23:30:00Z"))).isSameAs(shared);
        Customer other = Fixtures.customer("c-2", Map.of(), 300, 1_000);
        assertThatThrownBy(() -> shared.of(program, other, order, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shared.of(program, customer, null, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shared.of(program, customer, order, NOW.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Earning.plan(program, other, new Event(Event.ORDER_PAID, "o-1", NOW, order, Map.of()),
                Map.of(), NOW, shared)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Eligibility.checkEach(program, customer, program.rewards(), order, NOW.plusSeconds(1), shared))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValidateSharingItsFactsDecidesAsChecksAndAnEarnOnTheirOwn() {
        Event paid = new Event(Event.ORDER_PAID, "o-1", NOW, order, Map.of());
        SharedFacts shared = new SharedFacts(program, customer, order, NOW);
        assertThat(Eligibility.checkEach(program, customer, program.rewards(), order, NOW, shared))
                .isEqualTo(Eligibility.checkEach(program, customer, program.rewards(), order, NOW));
        assertThat(Earning.plan(program, customer, paid, Map.of(), NOW, shared))
                .usingRecursiveComparison().isEqualTo(Earning.plan(program, customer, paid, Map.of(), NOW));
    }
}
