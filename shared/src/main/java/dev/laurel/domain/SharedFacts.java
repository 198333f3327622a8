package dev.laurel.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The facts of one customer and one order seen at one instant that conditions read under
 * {@code customer.*} and {@code order.*}, each built on first need and then shared by every
 * evaluation of one call: a validate's reward checks and its earn preview read the same customer
 * statistics and the same order's lines, so they are built once, not once for each. The
 * {@code event.*} facts are each evaluation's own ({@link #with}), and so is what a
 * {@link Condition.Facts} remembers of named segments (they may read the event).
 */
public final class SharedFacts {
    private final Program program;
    private final Customer customer;
    private final Order order;
    private final Instant at;
    private Map<String, Object> customerFacts;
    private Map<String, Object> orderFacts;
    private Map<String, Object> timeFacts;

    public SharedFacts(Program program, Customer customer, Order order, Instant at) {
        this.program = Objects.requireNonNull(program, "program");
        this.customer = Objects.requireNonNull(customer, "customer");
        this.order = order;
        this.at = Objects.requireNonNull(at, "at");
    }

    /**
     * These facts, checked to be those of {@code customer} and {@code order} at {@code at} in {@code program}.
     *
     * @throws IllegalArgumentException when they are another's
     */
    public SharedFacts of(Program program, Customer customer, Order order, Instant at) {
        if (this.program != program || this.customer != customer || this.order != order || !this.at.equals(at)) {
            throw new IllegalArgumentException("the shared facts are of another program, customer, order or instant");
        }
        return this;
    }

    /** {@code customer.*}: {@link Customer#facts(java.time.ZoneId, Instant)} in the program's zone, made once. */
    public Map<String, Object> customer() {
        if (customerFacts == null) {
            customerFacts = customer.facts(program.timezone(), at);
        }
        return customerFacts;
    }

    /** {@code order.*}: {@link Order#facts()}, made once (empty without an order). */
    public Map<String, Object> order() {
        if (orderFacts == null) {
            orderFacts = order == null ? Map.of() : order.facts();
        }
        return orderFacts;
    }

    /** The facts of one evaluation for {@code event}: its own event facts, these customer and order facts, the program's segments. */
    public Condition.Facts with(Event event) {
        Map<String, Object> eventFacts;
        if (event.occurredAt().equals(at)) { // the instant's facts, made once for every event at it
            if (timeFacts == null) {
                timeFacts = Event.timeFacts(at, program.timezone());
            }
            eventFacts = event.facts(timeFacts);
        } else {
            eventFacts = event.facts(program.timezone());
        }
        return new Condition.Facts(customer(), eventFacts, order()).segments(program::segment);
    }
}
