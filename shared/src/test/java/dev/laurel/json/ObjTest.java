package dev.laurel.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.laurel.domain.Refused;
import dev.laurel.domain.Refusal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ObjTest {

    /** Reads {@code {"v": <valueJson>}} with the accessor and returns the problems found. */
    private static <T> Result<T> read(String valueJson, Function<Obj, T> accessor) {
        Problems problems = new Problems();
        Obj o = Obj.root(Json.parse("{\"v\": " + valueJson + "}"), problems);
        T value = accessor.apply(o);
        o.end();
        return new Result<>(value, problems);
    }

    private record Result<T>(T value, Problems problems) {
        List<Map<String, String>> errors() {
            try {
                problems.throwIfAny();
                return List.of();
            } catch (Refused e) {
                @SuppressWarnings("unchecked")
                List<Map<String, String>> l = (List<Map<String, String>>) e.details().get("errors");
                return l;
            }
        }

        Result<T> ok(T expected) {
            assertThat(problems.isEmpty()).as("problems: %s", errors()).isTrue();
            assertThat(value).isEqualTo(expected);
            return this;
        }

        Result<T> rejected(String messagePart) {
            assertThat(value).isNull();
            assertThat(errors()).hasSize(1);
            assertThat(errors().get(0).get("field")).isEqualTo("v");
            assertThat(errors().get(0).get("message")).contains(messagePart);
            return this;
        }
    }

    private static Long integer(String json) {
        return read(json, o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).value();
    }

    // ---------------------------------------------------------------- integers

    @Test
    void integersAreExactWithin64Bits() {
        read("9223372036854775807", o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).ok(Long.MAX_VALUE);
        read("-9223372036854775808", o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).ok(Long.MIN_VALUE);
        read("0", o -> o.integer("v", true, 0, 10)).ok(0L);
        read("-0", o -> o.integer("v", true, 0, 10)).ok(0L);
    }

    @Test
    void integersBeyond64BitsAreRejected() {
        read("9223372036854775808", o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).rejected("integer");
        read("-9223372036854775809", o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).rejected("integer");
        read("1180591620717411303424", o -> o.integer("v", true, Long.MIN_VALUE, Long.MAX_VALUE)).rejected("integer"); // 2^70
        assertThat(integer("18446744073709551617")).as("2^64 + 1 must not wrap to 1").isNull();
    }

    @Test
    void fractionsAreRejectedWhereAnIntegerBelongs() {
        read("1.5", o -> o.integer("v", true, 0, 10)).rejected("whole number");
        read("1.0", o -> o.integer("v", true, 0, 10)).rejected("whole number");
        read("1e2", o -> o.integer("v", true, 0, 1000)).rejected("whole number");
        read("1E0", o -> o.integer("v", true, 0, 1000)).rejected("whole number");
    }

    @Test
    void nonNumbersAreRejectedWhereAnIntegerBelongs() {
        read("\"5\"", o -> o.integer("v", true, 0, 10)).rejected("integer");
        read("true", o -> o.integer("v", true, 0, 10)).rejected("integer");
        read("[5]", o -> o.integer("v", true, 0, 10)).rejected("integer");
        read("{\"n\": 5}", o -> o.integer("v", true, 0, 10)).rejected("integer");
    }

    @Test
    void integerRange() {
        read("10", o -> o.integer("v", true, 0, 10)).ok(10L);
        read("11", o -> o.integer("v", true, 0, 10)).rejected("between 0 and 10");
        read("-1", o -> o.integer("v", true, 0, 10)).rejected("between 0 and 10");
    }

    @Test
    void requiredAndNull() {
        Result<Long> missing = read("null", o -> o.integer("w", true, 0, 10));
        // "w" is missing; "v" (null) was never asked for, and an unknown field is reported even when null
        assertThat(missing.errors()).extracting(m -> m.get("field")).containsExactly("w", "v");
        assertThat(missing.errors().get(0).get("message")).contains("required");
        assertThat(missing.errors().get(1).get("message")).contains("not a known field");
        read("null", o -> o.integer("v", true, 0, 10)).rejected("required");
        read("null", o -> o.integer("v", false, 0, 10)).ok(null);
    }

    // ---------------------------------------------------------------- decimals

    @Test
    void decimalsAreExactAndBounded() {
        BigDecimal min = new BigDecimal("0.0001");
        BigDecimal max = BigDecimal.valueOf(100);
        assertThat(read("1.5", o -> o.decimal("v", true, min, max, 4)).value()).isEqualByComparingTo("1.5");
        assertThat(read("0.1", o -> o.decimal("v", true, min, max, 4)).value()).isEqualTo(new BigDecimal("0.1"));
        assertThat(read("2", o -> o.decimal("v", true, min, max, 4)).value()).isEqualByComparingTo("2");
        assertThat(read("1.23450", o -> o.decimal("v", true, min, max, 4)).value()).isEqualByComparingTo("1.2345");
        assertThat(read("1e1", o -> o.decimal("v", true, min, max, 4)).value()).isEqualByComparingTo("10");
        assertThat(read("1e1", o -> o.decimal("v", true, min, max, 4)).value().scale()).isGreaterThanOrEqualTo(0);
        read("1.23456", o -> o.decimal("v", true, min, max, 4)).rejected("4 decimal places");
        read("0", o -> o.decimal("v", true, min, max, 4)).rejected("between");
        read("100.0001", o -> o.decimal("v", true, min, max, 4)).rejected("between");
        read("\"1.5\"", o -> o.decimal("v", true, min, max, 4)).rejected("number");
        read("1e400", o -> o.decimal("v", true, min, max, 4)).rejected("between");
    }

    // ---------------------------------------------------------------- strings, ids, booleans, instants

    @Test
    void strings() {
        read("\"abc\"", o -> o.string("v", true, 3)).ok("abc");
        read("\"abcd\"", o -> o.string("v", true, 3)).rejected("1 to 3");
        read("\"\"", o -> o.string("v", true, 3)).rejected("1 to 3");
        read("12", o -> o.string("v", true, 3)).rejected("string");
        read("\"b\"", o -> o.oneOf("v", true, Set.of("a", "b"))).ok("b");
        read("\"c\"", o -> o.oneOf("v", true, Set.of("a", "b"))).rejected("one of");
    }

    @Test
    void idPattern() {
        for (String good : List.of("c-1", "order_1001", "a.b:c@d-e", "A", "9".repeat(128))) {
            read("\"" + good + "\"", o -> o.id("v", true)).ok(good);
            assertThat(Obj.ID.matcher(good).matches()).isTrue();
        }
        for (String bad : List.of("", "9".repeat(129), "has space", "ümlaut", "a/b", "a#b", "a\\nb", "a\\n", "\\tx", "a+b", "<x>")) {
            Result<String> r = read("\"" + bad + "\"", o -> o.id("v", true));
            assertThat(r.value()).as("id %s", bad).isNull();
            assertThat(r.errors()).as("id %s", bad).hasSize(1);
        }
        read("42", o -> o.id("v", true)).rejected("string");
    }

    @Test
    void booleans() {
        read("true", o -> o.bool("v", true)).ok(true);
        read("false", o -> o.bool("v", true)).ok(false);
        read("\"true\"", o -> o.bool("v", true)).rejected("true or false");
        read("1", o -> o.bool("v", true)).rejected("true or false");
    }

    @Test
    void instants() {
        read("\"2026-11-22T10:15:30Z\"", o -> o.instant("v", true)).ok(Instant.parse("2026-11-22T10:15:30Z"));
        read("\"2026-11-22\"", o -> o.instant("v", true)).rejected("ISO-8601");
        read("\"yesterday\"", o -> o.instant("v", true)).rejected("ISO-8601");
        read("1763806530", o -> o.instant("v", true)).rejected("string");
    }

    // ---------------------------------------------------------------- objects and arrays

    @Test
    void nestedPathsAndUnknownFields() {
        Problems problems = new Problems();
        Obj root = Obj.root(Json.parse("""
                {"order": {"totalMinor": "12", "extra": 1, "items": [{"sku": "a"}, 3, {"sku": 5, "qty": 1}]},
                 "typo": true}"""), problems);
        Obj order = root.obj("order", true);
        assertThat(order.path()).isEqualTo("order");
        order.integer("totalMinor", true, 0, 100);
        List<Obj> items = order.objects("items", false, 10);
        assertThat(items).hasSize(3);
        for (Obj item : items) {
            item.string("sku", true, 10);
            item.end();
        }
        order.end();
        root.end();
        Refused e = assertThrows(Refused.class, problems::throwIfAny);
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) e.details().get("errors");
        assertThat(errors).extracting(m -> m.get("field")).containsExactlyInAnyOrder(
                "order.totalMinor", "order.items[1]",
                "order.items[2].sku", "order.items[2].qty", "order.extra", "typo");
    }

    @Test
    void fieldsAskedForAreKnownEvenWhenAbsentOrNull() {
        Problems problems = new Problems();
        Obj o = Obj.root(Json.parse("{\"a\": null}"), problems);
        o.string("a", false, 5);
        o.string("b", false, 5);
        o.end();
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void unknownFieldsAreNamed() {
        Problems problems = new Problems();
        Obj o = Obj.root(Json.parse("{\"name\": \"x\", \"nmae\": \"y\"}"), problems);
        o.string("name", true, 10);
        o.end();
        assertThat(problems.count()).isEqualTo(1);
        Refused e = assertThrows(Refused.class, problems::throwIfAny);
        assertThat(e.details().get("field")).isEqualTo("nmae");
        assertThat(e.getMessage()).isEqualTo("nmae: is not a known field");
    }

    @Test
    void arraysAndStringLists() {
        read("[\"a\", \"b\"]", o -> o.strings("v", true, 5, Obj.ID)).ok(List.of("a", "b"));
        Result<List<String>> bad = read("[\"a\", 1, \"b c\"]", o -> o.strings("v", true, 5, Obj.ID));
        assertThat(bad.errors()).extracting(m -> m.get("field")).containsExactly("v[1]", "v[2]");
        read("[1, 2, 3]", o -> o.array("v", true, 2)).rejected("at most 2");
        read("{}", o -> o.array("v", true, 2)).rejected("array");
        read("[]", o -> o.obj("v", true)).rejected("JSON object");
        Result<List<Obj>> notObjects = read("[{}, 1]", o -> o.objects("v", true, 5));
        assertThat(notObjects.errors()).extracting(m -> m.get("field")).containsExactly("v[1]");
    }

    @Test
    void nonObjectRootIsAProblem() {
        Problems problems = new Problems();
        Obj.root(Json.parse("[1]"), problems);
        assertThat(problems.count()).isEqualTo(1);
        Refused e = assertThrows(Refused.class, problems::throwIfAny);
        assertThat(e.details().get("field")).isEqualTo("");
    }

    // ---------------------------------------------------------------- Problems

    @Test
    void problemsListEverythingUpToACap() {
        Problems p = new Problems();
        p.throwIfAny(); // nothing to throw
        p.add("a", "is wrong");
        p.add("b.c[1]", "is bad");
        Refused e = assertThrows(Refused.class, p::throwIfAny);
        assertThat(e.code()).isEqualTo(Refusal.Code.INVALID_REQUEST);
        assertThat(e.getMessage()).isEqualTo("a: is wrong (and 1 more problem)");
        assertThat(e.details()).containsEntry("field", "a");
        assertThat(e.details().get("errors")).isEqualTo(List.of(
                Map.of("field", "a", "message", "is wrong"), Map.of("field", "b.c[1]", "message", "is bad")));

        Problems many = new Problems();
        for (int i = 0; i < 250; i++) {
            many.add("f" + i, "x");
        }
        assertThat(many.count()).isEqualTo(250);
        Refused big = assertThrows(Refused.class, many::throwIfAny);
        assertThat((List<?>) big.details().get("errors")).hasSize(100);
        assertThat(big.getMessage()).endsWith("(and 249 more problems)");
    }

    // ---------------------------------------------------------------- Json.parse

    private static Refused badJson(String body) {
        Refused e = assertThrows(Refused.class, () -> Json.parse(body), () -> "accepted: " + body);
        assertThat(e.code()).isEqualTo(Refusal.Code.INVALID_REQUEST);
        return e;
    }

    @Test
    void jsonParsingIsStrict() {
        badJson(null);
        badJson("   ");
        badJson("{\"a\": 1, \"a\": 2}");
        badJson("{\"a\": 1} {\"b\": 2}");
        badJson("{\"a\": 1} x");
        badJson("{\"a\": 1");
        badJson("{'a': 1}");
        badJson("{\"a\": NaN}");
        badJson("{\"a\": 1" + "0".repeat(60) + "}");
        badJson("[".repeat(40) + "]".repeat(40));
        assertThat(Json.parse("[".repeat(20) + "]".repeat(20)).isArray()).isTrue();
    }

    @Test
    void decimalsAreNeverDoubles() {
        var node = Json.parse("{\"a\": 0.1, \"b\": 12345678901234567890.123456789}");
        assertThat(node.get("a").isBigDecimal()).isTrue();
        assertThat(node.get("a").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(node.get("b").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
    }

    @Test
    void malformedJsonSaysWhere() {
        Refused e = badJson("{\n  \"a\": 1,\n  oops\n}");
        assertThat(e.getMessage()).startsWith("malformed JSON");
        assertThat(e.details()).containsEntry("field", "").containsEntry("line", 3);
    }
}
