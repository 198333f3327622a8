package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.errors;
import static dev.laurel.domain.Fixtures.fields;
import static dev.laurel.domain.Fixtures.minimal;
import static dev.laurel.domain.Fixtures.node;
import static dev.laurel.domain.Fixtures.program;
import static dev.laurel.domain.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final String SEGMENTS = """
            [{"id": "regular", "when": {"attr": "customer.stats.ordersLast90Days", "op": "gte", "value": 3}},
             {"id": "big", "when": {"attr": "customer.stats.spentMinor", "op": "gte", "value": 100000}},
             {"id": "vip", "when": {"all": [{"segment": "regular"}, {"segment": "big"}]}},
             {"id": "lapsed", "when": {"not": {"attr": "customer.stats.daysSinceLastOrder", "op": "lte", "value": 60}}}]""";

    private static Program withSegments(String segments, String rewardExtra) {
        ObjectNode def = minimal();
        def.set("segments", node("{\"s\": " + segments + "}").get("s"));
        if (rewardExtra != null) {
            ((ObjectNode) def.get("rewards").get(0)).setAll(node(rewardExtra));
        }
        return program(def);
    }

    private static Customer member(long orders, long spent, Instant lastOrder) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> points = new HashMap<>();
        if (orders > 0) {
            counts.put(OrderStats.TOTAL, orders);
            points.put(OrderStats.TOTAL, spent);
            counts.put(OrderStats.MONTH + "2026-11", orders);
            points.put(OrderStats.MONTH + "2026-11", spent);
            counts.put(OrderStats.LAST, lastOrder.getEpochSecond());
        }
        return new Customer("c1", true, 3, null, Map.of(), false, "bronze", 50, 0, 50, counts, points, Map.of(), List.of(),
                Instant.parse("2026-01-01T00:00:00Z"), Set.of(), 0);
    }

    @Test
    void aMemberIsInTheSegmentsWhoseConditionHoldsInTheProgramsOrder() {
        Program p = withSegments(SEGMENTS, null);
        assertThat(Segments.of(p, member(3, 150000, Instant.parse("2026-11-20T10:00:00Z")), NOW)).containsExactly("regular", "big", "vip");
        assertThat(Segments.of(p, member(1, 150000, Instant.parse("2026-11-20T10:00:00Z")), NOW)).containsExactly("big");
    }

    @Test
    void aMemberWhoNeverOrderedIsNotInASegmentOnDaysSinceLastOrderUnlessNegated() {
        Program p = withSegments(SEGMENTS, null);
        // daysSinceLastOrder is absent: the leaf is false, its negation true
        assertThat(Segments.of(p, member(0, 0, null), NOW)).containsExactly("lapsed");
    }

    @Test
    void aRewardRestrictedToSegmentsFailsWithReasonSegmentOutsideThem() {
        Program p = withSegments(SEGMENTS, "{\"segments\": [\"vip\"], \"minOrderMinor\": null}");
        Program.Reward r = p.rewards().get(0);
        Eligibility.Check out = Eligibility.checkEach(p, member(1, 100, NOW), List.of(r), null, NOW).get(0);
        Eligibility.Check in = Eligibility.checkEach(p, member(3, 150000, NOW), List.of(r), null, NOW).get(0);
        assertThat(out.reasons()).contains(Eligibility.SEGMENT);
        assertThat(in.reasons()).doesNotContain(Eligibility.SEGMENT);
    }

    @Test
    void aSegmentLeafWorksInAnEarningRulesWhen() {
        ObjectNode def = minimal();
        def.set("segments", node("{\"s\": " + SEGMENTS + "}").get("s"));
        ((ObjectNode) def.get("earningRules").get(0)).set("when", node("{\"segment\": \"vip\"}"));
        Program p = program(def);
        Event order = new Event(Event.ORDER_PAID, "o1", NOW, new Order("o1", 10000, "EUR", 0, List.of()), Map.of());
        assertThat(Earning.plan(p, member(3, 150000, NOW), order, Map.of()).points()).isEqualTo(100);
        assertThat(Earning.plan(p, member(1, 100, NOW), order, Map.of()).points()).isZero();
    }

    @Test
    void segmentIdsAreUniqueAndEveryNamedSegmentIsDefined() {
        ObjectNode def = minimal();
        def.set("segments", node("""
                {"s": [{"id": "a", "when": {"segment": "nope"}}, {"id": "a", "when": {"attr": "customer.tier", "op": "eq", "value": "gold"}}]}""")
                .get("s"));
        ((ObjectNode) def.get("rewards").get(0)).set("segments", node("{\"s\": [\"ghost\"]}").get("s"));
        ((ObjectNode) def.get("earningRules").get(0)).set("when", node("{\"segment\": \"ghost\"}"));
        assertThat(fields(rejected(def))).contains("segments[1].id", "segments[0].when", "rewards[0].segments[0]",
                "earningRules[0].when");
    }

    @Test
    void noSegmentNamesItselfThroughAnyChain() {
        ObjectNode def = minimal();
        def.set("segments", node("""
                {"s": [{"id": "a", "when": {"segment": "b"}}, {"id": "b", "when": {"any": [{"segment": "c"}]}},
                       {"id": "c", "when": {"not": {"segment": "a"}}}]}""").get("s"));
        List<Map<String, String>> errs = errors(rejected(def));
        assertThat(errs).anySatisfy(e -> {
            assertThat(e.get("field")).isEqualTo("segments[0].when");
            assertThat(e.get("message")).contains("a -> b -> c -> a");
        });
        ObjectNode self = minimal();
        self.set("segments", node("{\"s\": [{\"id\": \"me\", \"when\": {\"segment\": \"me\"}}]}").get("s"));
        assertThat(fields(rejected(self))).containsExactly("segments[0].when");
    }

    @Test
    void aSegmentNeedsACondition() {
        ObjectNode def = minimal();
        def.set("segments", node("{\"s\": [{\"id\": \"a\"}]}").get("s"));
        assertThat(fields(rejected(def))).containsExactly("segments[0].when");
    }
}
