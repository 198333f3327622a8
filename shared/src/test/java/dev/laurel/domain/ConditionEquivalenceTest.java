package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@link Condition.Leaf} (issue 14: keys split once, operator decided once, longs
 * compared without decimals, no streams) and {@link Order#facts()} (line facts made when read)
 * against the interpretation they replaced, kept here as {@link Reference}: many seeded random
 * condition trees on random customers, events and orders must give the same verdict, or the same
 * exception, as before.
 */
class ConditionEquivalenceTest {
    private static final String[] ATTRS = {"order.totalMinor", "order.itemCount", "order.skus", "order.categories",
        "order.items", "order.currency", "order.id", "order.shippingMinor", "customer.available", "customer.tier",
        "customer.lifetimeEarned", "customer.email", "customer.id", "customer.consent.marketing",
        "customer.attributes.country", "customer.attributes.n", "customer.attributes.d", "customer.attributes.flag",
        "customer.attributes.tags", "customer.attributes.big", "customer.stats.ordersCount",
        "customer.stats.ordersLast90Days", "customer.stats.spentMinorLast365Days", "customer.daysSinceJoined",
        "event.type", "event.hour", "event.dayOfWeek", "event.date", "event.attributes.channel", "order", "customer",
        "order.totalMinor.x", "order..totalMinor", "customer.attributes.", "nothing.here", "order.items.sku", ""};
    private static final String[] OPS = {"eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "exists", "bogus"};
    private static final String[] WORDS = {"DE", "FR", "vip", "gold", "silver", "sku-1", "sku-2", "books", "toys", "EUR",
        "MONDAY", "web", "", "a"};

    @Test
    void compiledLeavesDecideAsTheInterpretationBefore() {
        Random rnd = new Random(20261204L);
        int compared = 0;
        int exceptions = 0;
        int trues = 0;
        for (int round = 0; round < 400; round++) {
            Order order = order(rnd);
            Customer customer = customer(rnd);
            ZoneId zone = ZoneId.of(rnd.nextBoolean() ? "UTC" : "Europe/Berlin");
            Instant now = Instant.parse("2026-11-23T09:00:00Z").plusSeconds(rnd.nextInt(86_400 * 30));
            Event event = new Event(Event.ORDER_PAID, "e-" + round, now, order, Map.of("channel", WORDS[rnd.nextInt(WORDS.length)]));
            Map<String, Object> customerFacts = customer.facts(zone, now);
            Map<String, Object> eventFacts = event.facts(zone);
            Condition.Facts compiled = new Condition.Facts(customerFacts, eventFacts, order == null ? Map.of() : order.facts());
            Reference reference = new Reference(customerFacts, eventFacts, order == null ? Map.of() : Reference.orderFacts(order));
            for (int k = 0; k < 100; k++) {
                Condition c = tree(rnd, 0);
                String expected = outcome(() -> reference.test(c));
                String actual = outcome(() -> c.test(compiled));
                assertThat(actual).as("%s on round %d", c, round).isEqualTo(expected);
                compared++;
                exceptions += expected.startsWith("threw") ? 1 : 0;
                trues += expected.equals("true") ? 1 : 0;
            }
        }
        assertThat(compared).isEqualTo(40_000);
        assertThat(trues).as("verdicts true").isBetween(4_000, 36_000);
        assertThat(exceptions).as("exceptions (in/nin on a non-list, unknown operator)").isPositive();
    }

    @Test
    void orderFactsEqualTheMapsMadeBefore() {
        Random rnd = new Random(7L);
        for (int i = 0; i < 500; i++) {
            Order order = order(rnd);
            if (order != null) {
                Map<String, Object> now = order.facts();
                Map<String, Object> before = Reference.orderFacts(order);
                assertThat(now).isEqualTo(before);
                assertThat(before).isEqualTo(now);
                assertThat(now.get("items").hashCode()).isEqualTo(before.get("items").hashCode());
            }
        }
    }

    @Test
    void leavesKeepTheRecordsAccessorsEqualityAndText() {
        Condition.Leaf a = new Condition.Leaf("order.totalMinor", "gte", new BigDecimal("100"));
        Condition.Leaf b = new Condition.Leaf("order.totalMinor", "gte", new BigDecimal("100"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(new Condition.Leaf("order.totalMinor", "gt", new BigDecimal("100")));
        assertThat(a.attr()).isEqualTo("order.totalMinor");
        assertThat(a.op()).isEqualTo("gte");
        assertThat(a.value()).isEqualTo(new BigDecimal("100"));
        assertThat(a).hasToString("Leaf[attr=order.totalMinor, op=gte, value=100]");
    }

    private static String outcome(java.util.function.BooleanSupplier s) {
        try {
            return Boolean.toString(s.getAsBoolean());
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName();
        }
    }

    private static Condition tree(Random rnd, int depth) {
        int kind = depth >= 3 ? 9 : rnd.nextInt(10);
        int n = 1 + rnd.nextInt(3);
        List<Condition> of = new ArrayList<>();
        switch (kind) {
            case 0, 1:
                for (int i = 0; i < n; i++) {
                    of.add(tree(rnd, depth + 1));
                }
                return kind == 0 ? new Condition.All(of) : new Condition.Any(of);
            case 2:
                return new Condition.Not(tree(rnd, depth + 1));
            default:
                String op = OPS[rnd.nextInt(OPS.length)];
                boolean list = (op.equals("in") || op.equals("nin")) ? rnd.nextInt(20) != 0 : rnd.nextInt(8) == 0;
                Object value = op.equals("exists") && rnd.nextInt(4) != 0 ? rnd.nextBoolean() : list ? list(rnd) : scalar(rnd);
                return new Condition.Leaf(ATTRS[rnd.nextInt(ATTRS.length)], op, value);
        }
    }

    private static List<Object> list(Random rnd) {
        List<Object> out = new ArrayList<>();
        for (int i = rnd.nextInt(4); i >= 0; i--) {
            out.add(scalar(rnd));
        }
        return List.copyOf(out);
    }

    private static Object scalar(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> BigDecimal.valueOf(rnd.nextInt(3) == 0 ? rnd.nextInt(10) : rnd.nextInt(200_000) - 1_000);
            case 3 -> decimalEdge(rnd);
            case 4 -> rnd.nextBoolean();
            default -> WORDS[rnd.nextInt(WORDS.length)];
        };
    }

    private static BigDecimal decimalEdge(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> new BigDecimal("100.0");
            case 1 -> new BigDecimal("1E+3");
            case 2 -> new BigDecimal("0.5");
            case 3 -> new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.TEN));
            case 4 -> BigDecimal.valueOf(Long.MIN_VALUE);
            case 5 -> new BigDecimal("999999999999999999");
            case 6 -> new BigDecimal("-12.75");
            default -> new BigDecimal("9223372036854775807");
        };
    }

    private static Order order(Random rnd) {
        if (rnd.nextInt(10) == 0) {
            return null;
        }
        List<Order.Line> lines = new ArrayList<>();
        long total = 0;
        for (int i = rnd.nextInt(6); i > 0; i--) {
            long q = 1 + rnd.nextInt(3);
            long price = rnd.nextInt(5_000);
            lines.add(new Order.Line(WORDS[rnd.nextInt(WORDS.length)], rnd.nextBoolean() ? null : WORDS[rnd.nextInt(WORDS.length)], q, price));
            total += q * price;
        }
        return new Order(rnd.nextBoolean() ? null : "o-" + rnd.nextInt(100), rnd.nextBoolean() ? total : rnd.nextInt(10) == 0 ? Long.MAX_VALUE : 5_000,
                "EUR", rnd.nextInt(1_000), List.copyOf(lines));
    }

    private static Customer customer(Random rnd) {
        Map<String, Object> attrs = new HashMap<>();
        if (rnd.nextBoolean()) {
            attrs.put("country", WORDS[rnd.nextInt(WORDS.length)]);
        }
        attrs.put("n", (long) rnd.nextInt(200) - 50);
        attrs.put("d", rnd.nextBoolean() ? new BigDecimal("99.5") : new BigDecimal("100"));
        attrs.put("flag", rnd.nextBoolean());
        attrs.put("tags", List.of(WORDS[rnd.nextInt(WORDS.length)], WORDS[rnd.nextInt(WORDS.length)]));
        attrs.put("big", rnd.nextBoolean() ? Long.MAX_VALUE : Integer.valueOf(rnd.nextInt(10)));
        Map<String, Long> counts = new HashMap<>(Map.of("~stats:total", (long) rnd.nextInt(50)));
        return new Customer("c-" + rnd.nextInt(9), true, 1, rnd.nextBoolean() ? null : "a@example.com", attrs, rnd.nextBoolean(),
                rnd.nextBoolean() ? null : WORDS[rnd.nextInt(WORDS.length)], rnd.nextInt(100_000) - 100, 0, rnd.nextInt(100_000),
                counts, Map.of(), Map.of(), List.of(), Instant.parse("2026-01-05T10:00:00Z"), Set.of(), 0);
    }

    /** The interpretation before issue 14, as it was: path split per read, operator by name, decimals, streams. */
    static final class Reference {
        private final Map<String, ?> roots;

        Reference(Map<String, ?> customer, Map<String, ?> event, Map<String, ?> order) {
            HashMap<String, Object> m = new HashMap<>();
            m.put("customer", customer);
            m.put("event", event);
            m.put("order", order);
            this.roots = m;
        }

        boolean test(Condition c) {
            if (c instanceof Condition.All a) {
                for (Condition x : a.of()) {
                    if (!test(x)) {
                        return false;
                    }
                }
                return true;
            }
            if (c instanceof Condition.Any a) {
                for (Condition x : a.of()) {
                    if (test(x)) {
                        return true;
                    }
                }
                return false;
            }
            if (c instanceof Condition.Not n) {
                return !test(n.of());
            }
            Condition.Leaf l = (Condition.Leaf) c;
            return leaf(l.attr(), l.op(), l.value());
        }

        private boolean leaf(String attr, String op, Object value) {
            Object actual = get(attr);
            switch (op) {
                case "exists":
                    return (actual != null) == !Boolean.FALSE.equals(value);
                case "eq":
                    return actual != null && same(actual, value);
                case "ne":
                    return actual == null || !same(actual, value);
                case "in":
                    return actual != null && in(actual, (List<?>) value);
                case "nin":
                    return actual == null || !in(actual, (List<?>) value);
                case "contains":
                    if (actual instanceof List<?> list) {
                        return list.stream().anyMatch(e -> same(e, value));
                    }
                    return actual instanceof String s && value instanceof String v && s.contains(v);
                default:
                    Integer cmp = compare(actual, value);
                    if (cmp == null) {
                        return false;
                    }
                    return switch (op) {
                        case "gt" -> cmp > 0;
                        case "gte" -> cmp >= 0;
                        case "lt" -> cmp < 0;
                        case "lte" -> cmp <= 0;
                        default -> throw new IllegalStateException("unknown op " + op);
                    };
            }
        }

        private static boolean in(Object actual, List<?> values) {
            if (actual instanceof List<?> list) {
                return list.stream().anyMatch(a -> values.stream().anyMatch(v -> same(a, v)));
            }
            return values.stream().anyMatch(v -> same(actual, v));
        }

        private static boolean same(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y)) == 0;
            }
            return Objects.equals(a, b);
        }

        private static Integer compare(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return decimal(x).compareTo(decimal(y));
            }
            if (a instanceof String x && b instanceof String y) {
                return x.compareTo(y);
            }
            return null;
        }

        private static BigDecimal decimal(Number n) {
            return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
        }

        private Object get(String path) {
            Object cur = roots;
            int start = 0;
            while (cur != null) {
                int dot = path.indexOf('.', start);
                String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
                if (!(cur instanceof Map<?, ?> map)) {
                    return null;
                }
                cur = map.get(key);
                if (dot < 0) {
                    return cur;
                }
                start = dot + 1;
            }
            return null;
        }

        /** Order.facts() before: every line's map made at once. */
        static Map<String, Object> orderFacts(Order o) {
            HashMap<String, Object> m = new HashMap<>();
            if (o.orderId() != null) {
                m.put("id", o.orderId());
            }
            m.put("totalMinor", o.totalMinor());
            m.put("currency", o.currency());
            m.put("shippingMinor", o.shippingMinor());
            long count = 0;
            LinkedHashSet<String> skus = new LinkedHashSet<>();
            LinkedHashSet<String> categories = new LinkedHashSet<>();
            List<Map<String, Object>> lines = new ArrayList<>();
            for (Order.Line l : o.items()) {
                count = Arith.add(count, l.quantity());
                skus.add(l.sku());
                if (l.category() != null) {
                    categories.add(l.category());
                }
                HashMap<String, Object> line = new HashMap<>();
                line.put("sku", l.sku());
                if (l.category() != null) {
                    line.put("category", l.category());
                }
                line.put("quantity", l.quantity());
                line.put("unitPriceMinor", l.unitPriceMinor());
                lines.add(line);
            }
            m.put("itemCount", count);
            m.put("skus", List.copyOf(skus));
            m.put("categories", List.copyOf(categories));
            m.put("items", lines);
            return m;
        }
    }
}
