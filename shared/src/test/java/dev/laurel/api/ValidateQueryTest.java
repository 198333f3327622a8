package dev.laurel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.app.Validate;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import dev.laurel.json.ValidateBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Validate's body read in one pass ({@link ValidateBody}, through {@link ValidateQuery}) answers what the
 * strict reader ({@link Readers#validate}) answers, on seeded random bodies: well-formed ones (which
 * the one pass must accept itself, else it is no quicker) and ones broken in every way the strict
 * reader reports (a missing, null, unknown or repeated field, a wrong type, a number out of range or
 * past 64 bits, a fraction, a bad id, another currency, too many lines, trailing text, no object). For
 * each: the same query, or the same refusal (code, message and every problem with its path).
 */
class ValidateQueryTest {
    private static final Program PROGRAM = ProgramReader.read("p-1", 3, Json.read("""
            {"name": "P", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "r-1", "trigger": "order.paid", "points": {"fixed": 10}}],
             "rewards": [{"id": "reward-a", "type": "discount_amount", "cost": 100, "valueMinor": 500},
                         {"id": "reward-b", "type": "free_shipping", "cost": 50},
                         {"id": "reward.c", "type": "product", "cost": 75}]}"""));

    private static final String[] BREAKS = {"drop", "null", "unknown", "repeat", "type", "range", "fraction", "big", "id",
        "empty", "long"};

    private static Request request(String body) {
        return new Request("POST /v1/programs/{programId}/validate", "POST", "/v1/programs/p-1/validate",
                Map.of("programId", "p-1"), Map.of(), Map.of("content-type", "application/json"), body, "t-1", Request.SHOP);
    }

    /** What a reader answers: its query, or its refusal as the API writes it. */
    private static Object answer(java.util.function.Supplier<Validate.Query> reader) {
        try {
            return reader.get();
        } catch (Refused e) {
            return Response.error(e.refusal()).body();
        }
    }

    /** A JSON field list; {@code broken} names the one field (by its index) to break, and how. */
    private static final class Body {
        final Random rnd;
        final List<String> fields = new ArrayList<>();

        Body(Random rnd) {
            this.rnd = rnd;
        }

        String ws() {
            return switch (rnd.nextInt(6)) {
                case 0 -> " ";
                case 1 -> "\n  ";
                default -> "";
            };
        }

        void add(String name, String value) {
            fields.add(ws() + Json.write(name) + ws() + ":" + ws() + value);
        }

        String object() {
            java.util.Collections.shuffle(fields, rnd);
            return "{" + String.join(",", fields) + ws() + "}";
        }
    }

    private static String id(Random rnd) {
        String[] ids = {"c-1", "ada@example.com", "x:y.z_9", "A"};
        return Json.write(ids[rnd.nextInt(ids.length)]);
    }

    private static String number(Random rnd, long min, long max) {
        return Long.toString(min + (long) (rnd.nextDouble() * Math.min(max - min, 1_000_000_000L)));
    }

    /** A field's value broken one way (else null: that way does not apply). */
    private static String broken(Random rnd, String how, String kind) {
        return switch (how) {
            case "null" -> "null";
            case "type" -> kind.equals("string") || kind.equals("id") ? "12" : kind.equals("array") ? "{}" : "\"7\"";
            case "range" -> kind.equals("int") ? (rnd.nextBoolean() ? "-1" : "10000000000001") : null;
            case "fraction" -> kind.equals("int") ? "5.0" : null;
            case "big" -> kind.equals("int") ? "18446744073709551616" : null;
            case "id" -> kind.equals("id") ? "\"bad id!\"" : null;
            case "empty" -> kind.equals("string") || kind.equals("id") ? "\"\"" : kind.equals("array") ? "[1]" : null;
            case "long" -> kind.equals("string") || kind.equals("id") ? Json.write("x".repeat(129)) : null;
            default -> null;
        };
    }

    /** One object's fields: name, kind, a good value; one of them maybe broken, dropped, repeated, or an unknown one added. */
    private static String object(Random rnd, String[][] spec, boolean breakHere) {
        Body b = new Body(rnd);
        int target = breakHere ? rnd.nextInt(spec.length) : -1;
        String how = breakHere ? BREAKS[rnd.nextInt(BREAKS.length)] : null;
        for (int i = 0; i < spec.length; i++) {
            String name = spec[i][0];
            String value = spec[i][2];
            boolean optional = spec[i][1].startsWith("?");
            String kind = spec[i][1].replace("?", "");
            if (i == target && how.equals("drop")) {
                continue;
            }
            if (i != target && optional && value != null && rnd.nextInt(3) == 0) {
                continue;
            }
            if (i == target) {
                String bad = broken(rnd, how, kind);
                if (bad != null) {
                    value = bad;
                }
                if (how.equals("repeat")) {
                    b.add(name, value);
                }
                if (how.equals("unknown")) {
                    b.add(name + "X", value);
                }
            }
            if (value != null) {
                b.add(name, value);
            }
        }
        return b.object();
    }

    private static String body(Random rnd, boolean breakIt) {
        int where = breakIt ? rnd.nextInt(4) : -1; // 0 root, 1 order, 2 a line, 3 whole text
        String order = null;
        if (rnd.nextInt(5) > 0) {
            int n = rnd.nextInt(20) == 0 ? Program.MAX_REWARDS + 1 : rnd.nextInt(8);
            int broken = where == 2 && n > 0 ? rnd.nextInt(n) : -1;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add(object(rnd, new String[][] {
                    {"sku", "string", Json.write("SKU-" + rnd.nextInt(30))},
                    {"category", "?string", rnd.nextBoolean() ? Json.write("cat" + rnd.nextInt(4)) : null},
                    {"quantity", "int", number(rnd, 1, 1_000_000)},
                    {"unitPriceMinor", "?int", rnd.nextBoolean() ? number(rnd, 0, 10_000_000_000_000L) : null}}, i == broken));
            }
            String currency = rnd.nextInt(15) == 0 ? "\"USD\"" : "\"EUR\"";
            order = object(rnd, new String[][] {
                {"id", "?id", rnd.nextBoolean() ? id(rnd) : null},
                {"totalMinor", "int", number(rnd, 0, 10_000_000_000_000L)},
                {"currency", "string", currency},
                {"shippingMinor", "?int", rnd.nextBoolean() ? number(rnd, 0, 10_000) : null},
                {"items", "?array", rnd.nextBoolean() || n > 0 ? "[" + String.join(",", lines) + "]" : null}}, where == 1);
        }
        String rewards = null;
        if (rnd.nextBoolean()) {
            String[] ids = {"reward-a", "reward-b", "reward.c", rnd.nextInt(6) == 0 ? "reward-zz" : "reward-a"};
            List<String> named = new ArrayList<>();
            for (int i = rnd.nextInt(4); i > 0; i--) {
                named.add(Json.write(ids[rnd.nextInt(ids.length)]));
            }
            rewards = "[" + String.join(",", named) + "]";
        }
        String root = object(rnd, new String[][] {{"customerId", "id", id(rnd)}, {"order", "?object", order},
            {"rewards", "?array", rewards}}, where == 0);
        if (where == 3) {
            return switch (rnd.nextInt(6)) {
                case 0 -> root + " {}";
                case 1 -> "[" + root + "]";
                case 2 -> root.substring(0, root.length() / 2);
                case 3 -> "  ";
                case 4 -> "\"text\"";
                default -> root + "x";
            };
        }
        return root;
    }

    @Test
    void answersWhatTheStrictReaderAnswers() {
        long seed = 1414;
        Random rnd = new Random(seed);
        int quick = 0;
        int refused = 0;
        for (int i = 0; i < 6000; i++) {
            String body = body(rnd, i % 3 != 0);
            Request req = request(body);
            Object strict = answer(() -> Readers.validate(req, PROGRAM));
            Object got = answer(() -> ValidateQuery.of(req, PROGRAM));
            assertThat(got).as("seed %d case %d: %s", seed, i, body).isEqualTo(strict);
            boolean accepted = ValidateBody.read(body, PROGRAM.currency()) != null;
            if (strict instanceof String) {
                refused++;
            } else if (accepted) {
                quick++;
            }
            if (i % 3 == 0 && strict instanceof Validate.Query) {
                assertThat(accepted).as("seed %d case %d: a well-formed body is read in one pass: %s", seed, i, body).isTrue();
            }
        }
        assertThat(quick).as("bodies read in one pass").isGreaterThan(1500);
        assertThat(refused).as("bodies refused").isGreaterThan(1800);
    }

    @Test
    void theBenchmarksBodyIsReadInOnePass() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(i).append("\",\"category\":\"shoes\",\"quantity\":2,"
                    + "\"unitPriceMinor\":1999}");
        }
        String body = "{\"customerId\":\"c-1\",\"order\":{\"id\":\"o-1\",\"items\":[" + items
                + "],\"totalMinor\":199900,\"currency\":\"EUR\",\"shippingMinor\":495}}";
        ValidateBody.Read read = ValidateBody.read(body, "EUR");
        assertThat(read).isNotNull();
        assertThat(read.order().items()).hasSize(50);
        assertThat(ValidateQuery.of(request(body), PROGRAM)).isEqualTo(Readers.validate(request(body), PROGRAM));
    }
}
