package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.api.LoyaltyApi;
import dev.laurel.api.Request;
import dev.laurel.app.Laurel;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.Event;
import dev.laurel.domain.Order;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import dev.laurel.json.Obj;
import dev.laurel.json.OrderReader;
import dev.laurel.json.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rule engine (issue 5, item 7): validate for a program of 50 earning rules and 100 rewards on
 * a 50-line order, without its one DynamoDB read. {@code validate} is everything the validate
 * operation computes: parse and check the request body, judge every reward (qualification, as
 * when the request names none), the earn preview over the 50 rules, and the answer's JSON.
 * {@code rules} is the domain part alone (eligibility of 100 rewards + the earning plan);
 * {@code earnPlan} the earning plan alone; {@code parseRequest} the body's parsing and strict reading alone.
 * {@code rulesWith20Segments} is {@code rules} for the same program with 20 named segments (on the
 * member's order statistics and attributes, ten of them naming others), every reward restricted to one
 * of them, plus the wallet's list of the member's segments.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleEngineBench {
    private Program program;
    private Customer customer;
    private Order order;
    private String body;
    private Instant now;
    private Program segmented;
    private Customer ordering;
    private LoyaltyApi api;
    private Request request;

    @Setup
    public void setup() {
        program = ProgramReader.read("large", 1, LargeProgram.definition());
        if (program.earningRules().size() != LargeProgram.RULES || program.rewards().size() != LargeProgram.REWARDS) {
            throw new IllegalStateException("the program is not 50 rules and 100 rewards");
        }
        customer = new Customer("c-1", true, 7, "ada@example.com", Map.of("country", "DE", "segment", "vip"), true,
                "silver", 12_000, 0, 1_500, Map.of(), Map.of(), Map.of("reward-3", 1L), List.of(),
                Instant.parse("2026-01-05T10:00:00Z"), java.util.Set.of(), 0);
        body = LargeProgram.validateBody("c-1");
        now = Instant.parse("2026-11-23T09:00:00Z");
        Problems problems = new Problems();
        order = OrderReader.read(Obj.root(Json.parse(body), problems).obj("order", true), "EUR");
        problems.throwIfAny();
        if (order.items().size() != LargeProgram.LINES) {
            throw new IllegalStateException("the order is not 50 lines");
        }
        api = new LoyaltyApi(new Laurel(ReadOnly.store(Json.write(LargeProgram.definition()), customer),
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(1)));
        request = new Request("POST /v1/programs/{programId}/validate", "POST", "/v1/programs/large/validate",
                Map.of("programId", "large"), Map.of(), Map.of("content-type", "application/json"), body, "t-bench", Request.SHOP);
        if (!validate().startsWith("{\"valid\":true,\"rewards\":[{")) {
            throw new IllegalStateException("validate did not answer: " + validate());
        }
        ObjectNode def = LargeProgram.definition();
        ArrayNode segments = def.putArray("segments");
        String[] attrs = {"customer.stats.ordersLast90Days", "customer.stats.spentMinorLast365Days", "customer.stats.ordersCount",
            "customer.stats.daysSinceLastOrder", "customer.daysSinceJoined"};
        for (int i = 0; i < 20; i++) {
            ObjectNode leaf = Json.object().put("attr", attrs[i % attrs.length]).put("op", "gte").put("value", i * 3);
            ObjectNode when = i < 10 ? leaf : Json.object();
            if (i >= 10) {
                when.putArray("all").add(Json.object().put("segment", "seg-" + (i - 10))).add(leaf);
            }
            segments.addObject().put("id", "seg-" + i).set("when", when);
        }
        int r = 0;
        for (JsonNode reward : def.get("rewards")) {
            ((ObjectNode) reward).putArray("segments").add("seg-" + (r++ % 20));
        }
        segmented = ProgramReader.read("segmented", 1, def);
        Map<String, Long> counts = new java.util.HashMap<>(Map.of("~stats:total", 40L, "~stats:last", now.getEpochSecond() - 86_400 * 9));
        Map<String, Long> spent = new java.util.HashMap<>(Map.of("~stats:total", 400_000L));
        for (int m = 0; m < 13; m++) {
            String k = "~stats:month@" + java.time.YearMonth.of(2026, 11).minusMonths(m);
            counts.put(k, 3L);
            spent.put(k, 30_000L);
        }
        ordering = new Customer("c-1", true, 7, "ada@example.com", Map.of("country", "DE", "segment", "vip"), true,
                "silver", 12_000, 0, 1_500, counts, spent, Map.of("reward-3", 1L), List.of(),
                Instant.parse("2026-01-05T10:00:00Z"), java.util.Set.of(), 0);
    }

    /** {@link #rules} with 20 named segments restricting every reward, and the wallet's segment list. */
    @Benchmark
    public Object rulesWith20Segments() {
        List<Eligibility.Check> checks = Eligibility.checkEach(segmented, ordering, segmented.rewards(), order, now);
        Earning.Plan preview = Earning.plan(segmented, ordering,
                new Event(Event.ORDER_PAID, order.orderId(), now, order, Map.of()), Map.of());
        return checks.size() + preview.points() + dev.laurel.domain.Segments.of(segmented, ordering, now).size();
    }

    @Benchmark
    public Object earnPlan() {
        return Earning.plan(program, customer, new Event(Event.ORDER_PAID, "order-large-1", now, order, Map.of()), Map.of());
    }

    @Benchmark
    public Object rules() {
        List<Eligibility.Check> checks = Eligibility.checkEach(program, customer, program.rewards(), order, now);
        Earning.Plan preview = Earning.plan(program, customer,
                new Event(Event.ORDER_PAID, order.orderId(), now, order, Map.of()), Map.of());
        return checks.size() + preview.points();
    }

    /** The request part of validate alone: parse the body and read it strictly (the order's 50 lines). */
    @Benchmark
    public Object parseRequest() {
        Problems problems = new Problems();
        Obj o = Obj.root(Json.parse(body), problems);
        String customerId = o.id("customerId", true);
        Order order = OrderReader.read(o.obj("order", false), program.currency());
        o.strings("rewards", false, Program.MAX_REWARDS, Obj.ID);
        o.end();
        problems.throwIfAny();
        return customerId.length() + order.items().size();
    }

    /**
     * Validate as the function serves it, less its one read: the route ({@code LoyaltyApi.validate}: the
     * program from the per-container cache, the body read strictly, the use case, the answer's JSON)
     * on a store that answers the read with the given customer (no stack, no budgets used).
     */
    @Benchmark
    public String validate() {
        return api.validate(request).body();
    }
}
