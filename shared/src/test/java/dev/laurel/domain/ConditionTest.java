package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.laurel.json.ConditionReader;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static Condition parse(String json) {
        Problems problems = new Problems();
        Condition c = ConditionReader.read(Obj.root(Json.parse(json), problems));
        problems.throwIfAny();
        assertThat(c).isNotNull();
        return c;
    }

    private static Refused rejected(String json) {
        return assertThrows(Refused.class, () -> {
            Problems problems = new Problems();
            ConditionReader.read(Obj.root(Json.parse(json), problems));
            problems.throwIfAny();
        }, () -> "expected the condition to be rejected: " + json);
    }

    private static String leaf(String attr, String op, String valueJson) {
        return "{\"attr\": \"" + attr + "\", \"op\": \"" + op + "\"" + (valueJson == null ? "" : ", \"value\": " + valueJson) + "}";
    }

    /** Facts with customer attributes as given (values as Event.plain produces them: Long, BigDecimal, String, Boolean, List). */
    private static Condition.Facts attrs(Map<String, Object> attributes) {
        return new Condition.Facts(Map.of("id", "c-1", "attributes", attributes), Map.of(), Map.of());
    }

    private static Condition.Facts attr(String name, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(name, value);
        return attrs(m);
    }

    private static final Condition.Facts NONE = attrs(Map.of());

    private static boolean test(String attrName, String op, String valueJson, Condition.Facts facts) {
        return parse(leaf("customer.attributes." + attrName, op, valueJson)).test(facts);
    }

    // ---------------------------------------------------------------- eq / ne

    @Test
    void eqOnStrings() {
        assertThat(test("country", "eq", "\"DE\"", attr("country", "DE"))).isTrue();
        assertThat(test("country", "eq", "\"DE\"", attr("country", "de"))).isFalse();
        assertThat(test("country", "eq", "\"DE\"", attr("country", "AT"))).isFalse();
        assertThat(test("country", "eq", "\"DE\"", NONE)).as("missing attribute").isFalse();
    }

    @Test
    void eqOnNumbersComparesValuesNotRepresentations() {
        assertThat(test("visits", "eq", "2", attr("visits", 2L))).isTrue();
        assertThat(test("visits", "eq", "2.0", attr("visits", 2L))).as("2.0 == 2").isTrue();
        assertThat(test("visits", "eq", "2", attr("visits", new BigDecimal("2.00")))).as("2 == 2.00").isTrue();
        assertThat(test("visits", "eq", "2.5", attr("visits", 2L))).isFalse();
        assertThat(test("visits", "eq", "2", attr("visits", new BigDecimal("2.5")))).isFalse();
        assertThat(test("visits", "eq", "2", attr("visits", "2"))).as("the string \"2\" is not the number 2").isFalse();
        assertThat(test("visits", "eq", "\"2\"", attr("visits", 2L))).as("the number 2 is not the string \"2\"").isFalse();
        assertThat(test("visits", "eq", "9007199254740993", attr("visits", 9007199254740993L)))
                .as("exact beyond double precision").isTrue();
        assertThat(test("visits", "eq", "9007199254740993", attr("visits", 9007199254740992L))).isFalse();
    }

    @Test
    void eqOnBooleans() {
        assertThat(test("vip", "eq", "true", attr("vip", true))).isTrue();
        assertThat(test("vip", "eq", "true", attr("vip", false))).isFalse();
        assertThat(test("vip", "eq", "false", attr("vip", false))).isTrue();
        assertThat(test("vip", "eq", "true", attr("vip", "true"))).as("string is not boolean").isFalse();
        assertThat(test("vip", "eq", "false", NONE)).as("missing is not false").isFalse();
    }

    @Test
    void neIsTheNegationOfEqIncludingMissing() {
        assertThat(test("country", "ne", "\"DE\"", attr("country", "AT"))).isTrue();
        assertThat(test("country", "ne", "\"DE\"", attr("country", "DE"))).isFalse();
        assertThat(test("country", "ne", "\"DE\"", NONE)).isTrue();
        assertThat(test("visits", "ne", "2.0", attr("visits", 2L))).isFalse();
        assertThat(test("visits", "ne", "3", attr("visits", 2L))).isTrue();
        assertThat(test("vip", "ne", "true", attr("vip", false))).isTrue();
    }

    // ---------------------------------------------------------------- ordering

    @Test
    void orderingOpsOnNumbersWithBoundaries() {
        Condition.Facts two = attr("n", 2L);
        assertThat(test("n", "gt", "1", two)).isTrue();
        assertThat(test("n", "gt", "2", two)).isFalse();
        assertThat(test("n", "gt", "1.999", two)).isTrue();
        assertThat(test("n", "gte", "2", two)).isTrue();
        assertThat(test("n", "gte", "2.0", two)).isTrue();
        assertThat(test("n", "gte", "2.001", two)).isFalse();
        assertThat(test("n", "lt", "2", two)).isFalse();
        assertThat(test("n", "lt", "2.001", two)).isTrue();
        assertThat(test("n", "lte", "2", two)).isTrue();
        assertThat(test("n", "lte", "1.999", two)).isFalse();
        Condition.Facts dec = attr("n", new BigDecimal("10.5"));
        assertThat(test("n", "gt", "10", dec)).isTrue();
        assertThat(test("n", "lt", "11", dec)).isTrue();
        assertThat(test("n", "gte", "-3", attr("n", -3L))).isTrue();
        assertThat(test("n", "gt", "-3", attr("n", -3L))).isFalse();
    }

    @Test
    void orderingOpsAreFalseOnMissingOrMismatchedTypes() {
        for (String op : List.of("gt", "gte", "lt", "lte")) {
            assertThat(test("n", op, "2", NONE)).as("%s on missing", op).isFalse();
            assertThat(test("n", op, "2", attr("n", "2"))).as("%s string vs number", op).isFalse();
            assertThat(test("n", op, "\"2\"", attr("n", 2L))).as("%s number vs string", op).isFalse();
            assertThat(test("n", op, "2", attr("n", List.of(2L)))).as("%s list vs number", op).isFalse();
        }
    }

    @Test
    void orderingOnStringsIsLexicographic() {
        assertThat(test("since", "gte", "\"2026-01-01\"", attr("since", "2026-03-04"))).isTrue();
        assertThat(test("since", "lt", "\"2026-01-01\"", attr("since", "2025-12-31"))).isTrue();
        assertThat(test("since", "gt", "\"2026-01-01\"", attr("since", "2026-01-01"))).isFalse();
    }

    // ---------------------------------------------------------------- in / nin

    @Test
    void inMatchesAnyListedValue() {
        assertThat(test("country", "in", "[\"DE\", \"AT\"]", attr("country", "AT"))).isTrue();
        assertThat(test("country", "in", "[\"DE\", \"AT\"]", attr("country", "FR"))).isFalse();
        assertThat(test("country", "in", "[\"DE\", \"AT\"]", NONE)).isFalse();
        assertThat(test("n", "in", "[1, 2.0]", attr("n", 2L))).as("2 in [1, 2.0]").isTrue();
        assertThat(test("n", "in", "[1, 3]", attr("n", 2L))).isFalse();
        assertThat(test("n", "in", "[\"2\"]", attr("n", 2L))).isFalse();
        assertThat(test("flag", "in", "[true]", attr("flag", true))).isTrue();
    }

    @Test
    void inWithAListAttributeMatchesOnAnyCommonElement() {
        Condition.Facts cats = attr("cats", List.of("shoes", "hats"));
        assertThat(test("cats", "in", "[\"hats\", \"socks\"]", cats)).isTrue();
        assertThat(test("cats", "in", "[\"socks\"]", cats)).isFalse();
        assertThat(test("cats", "nin", "[\"socks\"]", cats)).isTrue();
        assertThat(test("cats", "nin", "[\"shoes\"]", cats)).isFalse();
    }

    @Test
    void ninIsTheNegationOfInIncludingMissing() {
        assertThat(test("country", "nin", "[\"DE\", \"AT\"]", attr("country", "FR"))).isTrue();
        assertThat(test("country", "nin", "[\"DE\", \"AT\"]", attr("country", "DE"))).isFalse();
        assertThat(test("country", "nin", "[\"DE\", \"AT\"]", NONE)).isTrue();
        assertThat(test("n", "nin", "[2.00]", attr("n", 2L))).isFalse();
    }

    // ---------------------------------------------------------------- contains / exists

    @Test
    void containsOnListsAndStrings() {
        assertThat(test("tags", "contains", "\"vip\"", attr("tags", List.of("new", "vip")))).isTrue();
        assertThat(test("tags", "contains", "\"vi\"", attr("tags", List.of("new", "vip")))).as("element, not substring").isFalse();
        assertThat(test("nums", "contains", "3", attr("nums", List.of(1L, 3L)))).isTrue();
        assertThat(test("nums", "contains", "3.0", attr("nums", List.of(1L, 3L)))).isTrue();
        assertThat(test("nums", "contains", "2", attr("nums", List.of(1L, 3L)))).isFalse();
        assertThat(test("email", "contains", "\"@example.com\"", attr("email", "ann@example.com"))).isTrue();
        assertThat(test("email", "contains", "\"@example.org\"", attr("email", "ann@example.com"))).isFalse();
        assertThat(test("email", "contains", "3", attr("email", "a3"))).as("number in a string").isFalse();
        assertThat(test("email", "contains", "\"x\"", NONE)).isFalse();
        assertThat(test("flags", "contains", "true", attr("flags", List.of(false, true)))).isTrue();
    }

    @Test
    void existsTrueAndFalse() {
        assertThat(test("country", "exists", "true", attr("country", "DE"))).isTrue();
        assertThat(test("country", "exists", "true", NONE)).isFalse();
        assertThat(test("country", "exists", "false", NONE)).isTrue();
        assertThat(test("country", "exists", "false", attr("country", "DE"))).isFalse();
        assertThat(test("country", "exists", null, attr("country", "DE"))).as("exists without value means true").isTrue();
        assertThat(test("country", "exists", null, NONE)).isFalse();
        assertThat(test("vip", "exists", "true", attr("vip", false))).as("false is a value").isTrue();
        // a path through a non-object is missing
        assertThat(test("country.code", "exists", "true", attr("country", "DE"))).isFalse();
    }

    @Test
    void orderAndEventFactsAreReachable() {
        Order order = new Order("o-1", 12999, "EUR", 495,
                List.of(new Order.Line("A-1", "shoes", 2, 5000), new Order.Line("B-2", "hats", 1, 2999)));
        Event event = new Event("order.paid", "o-1", Instant.parse("2026-11-22T23:30:00Z"), order, Map.of("channel", "pos"));
        Condition.Facts facts = new Condition.Facts(Map.of(), event.facts(ZoneId.of("Europe/Berlin")), order.facts());
        assertThat(parse(leaf("order.totalMinor", "gte", "12999")).test(facts)).isTrue();
        assertThat(parse(leaf("order.itemCount", "eq", "3")).test(facts)).isTrue();
        assertThat(parse(leaf("order.categories", "contains", "\"hats\"")).test(facts)).isTrue();
        assertThat(parse(leaf("order.skus", "in", "[\"B-2\"]")).test(facts)).isTrue();
        assertThat(parse(leaf("event.attributes.channel", "eq", "\"pos\"")).test(facts)).isTrue();
        // 23:30 UTC on Sunday is 00:30 on Monday in Berlin
        assertThat(parse(leaf("event.dayOfWeek", "eq", "\"MONDAY\"")).test(facts)).isTrue();
        assertThat(parse(leaf("event.hour", "eq", "0")).test(facts)).isTrue();
        assertThat(parse(leaf("event.date", "eq", "\"2026-11-23\"")).test(facts)).isTrue();
    }

    // ---------------------------------------------------------------- nesting

    @Test
    void allAnyNotCombine() {
        String deOrAt = "{\"any\": [" + leaf("customer.attributes.country", "eq", "\"DE\"") + ", "
                + leaf("customer.attributes.country", "eq", "\"AT\"") + "]}";
        String notVip = "{\"not\": " + leaf("customer.attributes.vip", "eq", "true") + "}";
        Condition c = parse("{\"all\": [" + deOrAt + ", " + notVip + "]}");
        assertThat(c.test(attrs(Map.of("country", "DE", "vip", false)))).isTrue();
        assertThat(c.test(attrs(Map.of("country", "AT")))).isTrue();
        assertThat(c.test(attrs(Map.of("country", "AT", "vip", true)))).isFalse();
        assertThat(c.test(attrs(Map.of("country", "FR")))).isFalse();
        assertThat(parse("{\"not\": " + deOrAt + "}").test(attrs(Map.of("country", "FR")))).isTrue();
        assertThat(parse("{\"not\": {\"not\": " + deOrAt + "}}").test(attrs(Map.of("country", "FR")))).isFalse();
    }

    @Test
    void allIsAndAnyIsOr() {
        String a = leaf("customer.attributes.a", "eq", "true");
        String b = leaf("customer.attributes.b", "eq", "true");
        Condition all = parse("{\"all\": [" + a + ", " + b + "]}");
        Condition any = parse("{\"any\": [" + a + ", " + b + "]}");
        for (boolean x : new boolean[] {false, true}) {
            for (boolean y : new boolean[] {false, true}) {
                Condition.Facts f = attrs(Map.of("a", x, "b", y));
                assertThat(all.test(f)).as("%s and %s", x, y).isEqualTo(x && y);
                assertThat(any.test(f)).as("%s or %s", x, y).isEqualTo(x || y);
            }
        }
    }

    private static String nested(int depth) {
        String c = leaf("customer.attributes.a", "exists", "true");
        for (int i = 1; i < depth; i++) {
            c = (i % 2 == 0 ? "{\"not\": " + c + "}" : "{\"all\": [" + c + "]}");
        }
        return c;
    }

    @Test
    void depthLimit() {
        assertThat(Condition.MAX_DEPTH).isEqualTo(8);
        Condition ok = parse(nested(8));
        // all, not, all, not, all, not, all around "a exists": three negations
        assertThat(ok.test(attr("a", 1L))).isFalse();
        assertThat(ok.test(NONE)).isTrue();
        Refused e = rejected(nested(9));
        assertThat(e.code()).isEqualTo(Refusal.Code.INVALID_REQUEST);
        assertThat(Fixtures.errors(e)).anySatisfy(p -> assertThat(p.get("message")).contains("deeper"));
    }

    private static String wide(int leaves) {
        StringBuilder sb = new StringBuilder("{\"any\": [");
        for (int i = 0; i < leaves; i++) {
            sb.append(i == 0 ? "" : ", ").append(leaf("customer.attributes.a", "eq", Integer.toString(i)));
        }
        return sb.append("]}").toString();
    }

    @Test
    void nodeLimit() {
        assertThat(Condition.MAX_NODES).isEqualTo(64);
        Condition ok = parse(wide(63)); // 1 + 63 = 64 nodes
        assertThat(ok.test(attr("a", 62L))).isTrue();
        assertThat(ok.test(attr("a", 63L))).isFalse();
        Refused e = rejected(wide(64)); // 65 nodes
        assertThat(Fixtures.errors(e)).anySatisfy(p -> assertThat(p.get("message")).contains("nodes"));
    }

    @Test
    void depthAndNodeLimitsAreEnforcedInsideAProgram() {
        var def = Fixtures.minimal();
        ((com.fasterxml.jackson.databind.node.ObjectNode) def.withArray("earningRules").get(3))
                .set("when", Json.parse(nested(9)));
        Refused e = Fixtures.rejected(def);
        assertThat(fields(e)).allSatisfy(f -> assertThat(f).startsWith("earningRules[3].when"));
        def = Fixtures.minimal();
        ((com.fasterxml.jackson.databind.node.ObjectNode) def.withArray("earningRules").get(3))
                .set("when", Json.parse(wide(64)));
        e = Fixtures.rejected(def);
        assertThat(fields(e)).allSatisfy(f -> assertThat(f).startsWith("earningRules[3].when"));
    }

    // ---------------------------------------------------------------- validation

    @Test
    void malformedLeavesAreRejectedWithPaths() {
        assertThat(fields(rejected(leaf("customer.x", "gt", "true")))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "in", "\"DE\"")))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "in", "[]")))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "nin", "[\"a\", {\"b\": 1}]")))).containsExactly("value[1]");
        assertThat(fields(rejected(leaf("customer.x", "eq", "{\"a\": 1}")))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "eq", "[1]")))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "eq", null)))).containsExactly("value");
        assertThat(fields(rejected(leaf("customer.x", "exists", "\"yes\"")))).containsExactly("value");
        assertThat(fields(rejected(leaf("profile.x", "eq", "1")))).containsExactly("attr");
        assertThat(fields(rejected(leaf("customer.x", "like", "1")))).containsExactly("op");
        assertThat(fields(rejected(leaf("customer.x", "eq", "\"" + "x".repeat(1025) + "\"")))).containsExactly("value");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= Condition.MAX_LIST; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        assertThat(fields(rejected(leaf("customer.x", "in", many + "]")))).containsExactly("value");
    }

    @Test
    void malformedTreesAreRejected() {
        assertThat(fields(rejected("{\"all\": []}"))).containsExactly("all");
        assertThat(fields(rejected("{\"any\": []}"))).containsExactly("any");
        assertThat(fields(rejected("{\"all\": {}}"))).containsExactly("all");
        assertThat(fields(rejected("{\"not\": [" + leaf("customer.x", "exists", "true") + "]}"))).containsExactly("not");
        assertThat(fields(rejected("{\"all\": [" + leaf("customer.x", "exists", "true") + "], \"any\": ["
                + leaf("customer.x", "exists", "true") + "]}"))).containsExactly("any");
        assertThat(fields(rejected("{\"all\": [" + leaf("customer.x", "eq", "1") + ", " + leaf("customer.x", "eq", "true").replace("\"op\"", "\"opp\"")
                + "]}"))).contains("all[1].opp", "all[1].op");
    }
}
