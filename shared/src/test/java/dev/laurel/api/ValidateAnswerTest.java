package dev.laurel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Validate;
import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Validate's answer written field by field ({@link Views#validate}) is, byte for byte, the answer the
 * tree and {@link Json#write} made before (kept here as {@link #before}), on seeded random results:
 * reward ids and reasons with quotes, backslashes, control characters, non-ASCII and surrogates, any
 * long, empty lists.
 */
class ValidateAnswerTest {
    /** The view before issue 14's change, as it was. */
    static Response before(Validate.Result v) {
        ArrayNode list = Json.array();
        for (Validate.Line line : v.rewards()) {
            ObjectNode ro = list.addObject().put("rewardId", line.reward().id()).put("valid", line.valid());
            ArrayNode why = ro.putArray("reasons");
            line.reasons().forEach(why::add);
            ro.put("discountMinor", line.discountMinor()).put("cost", line.reward().cost());
        }
        ObjectNode out = Json.object().put("valid", v.valid());
        out.set("rewards", list);
        out.putObject("earnPreview").put("points", v.earnPreview());
        return Response.json(200, out);
    }

    private static final String[] ODD = {"", "a\"b", "back\\slash", "tab\there", "nl\nx", "cr\rx", "\u0000\u001f\u007f",
        "é ü ß", "日本", "\ud83d\ude00", "\ud800", "</script>", "a/b", "\u2028\u2029", "x'y", "budget_exhausted", "stacking"};

    private static String text(Random rnd) {
        if (rnd.nextInt(3) == 0) {
            return ODD[rnd.nextInt(ODD.length)] + (rnd.nextBoolean() ? "" : ODD[rnd.nextInt(ODD.length)]);
        }
        StringBuilder s = new StringBuilder();
        for (int i = rnd.nextInt(20); i > 0; i--) {
            s.append((char) (rnd.nextInt(5) == 0 ? rnd.nextInt(0x3000) : 0x20 + rnd.nextInt(0x5f)));
        }
        return s.toString();
    }

    private static long anyLong(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> rnd.nextInt(1000);
            case 3 -> -rnd.nextInt(1000);
            default -> rnd.nextLong();
        };
    }

    @Test
    void answersExactlyWhatTheTreeAnswered() {
        long seed = 14;
        Random rnd = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            List<Validate.Line> lines = new ArrayList<>();
            for (int n = rnd.nextInt(i % 50 == 0 ? 120 : 6); n > 0; n--) {
                Program.Reward reward = new Program.Reward(text(rnd), "name", Program.RewardType.DISCOUNT_AMOUNT,
                        Program.Status.ACTIVE, anyLong(rnd), null, null, null, null, List.of(), null, null, null, null, null, null);
                List<String> reasons = new ArrayList<>();
                for (int r = rnd.nextInt(4); r > 0; r--) {
                    reasons.add(text(rnd));
                }
                lines.add(new Validate.Line(reward, reasons.isEmpty(), List.copyOf(reasons), anyLong(rnd)));
            }
            Validate.Result result = new Validate.Result(rnd.nextBoolean(), lines, anyLong(rnd));
            Response expected = before(result);
            Response got = Views.validate(result);
            assertThat(got.body()).as("seed %d case %d", seed, i).isEqualTo(expected.body());
            assertThat(got.status()).isEqualTo(expected.status());
            assertThat(got.headers()).isEqualTo(expected.headers());
        }
    }

    /** A program of {@code n} rewards, each costing {@code cost} + its index. */
    private static Program program(int n, long cost) {
        ObjectNode def = Json.object().put("name", "p").put("currency", "EUR").put("timezone", "UTC");
        def.putArray("earningRules");
        ArrayNode rewards = def.putArray("rewards");
        for (int i = 0; i < n; i++) {
            rewards.addObject().put("id", "r-" + i).put("type", "product").put("cost", cost + i);
        }
        return ProgramReader.read("p", cost, def);
    }

    @Test
    void aProgramsOwnRewardTextIsWhatTheTreeAnswered() {
        Random rnd = new Random(14);
        Program first = program(30, 100);
        Program second = program(30, 7_000); // another version of the same program id: its own costs in its answers
        Program.Reward foreign = new Program.Reward("el\"se", "n", Program.RewardType.PRODUCT, Program.Status.ACTIVE, 5,
                null, null, null, null, List.of(), null, null, null, null, null, null);
        for (int i = 0; i < 300; i++) {
            Program program = i % 3 == 0 ? second : first;
            List<Validate.Line> lines = new ArrayList<>();
            for (int n = rnd.nextInt(40); n > 0; n--) {
                Program.Reward reward = rnd.nextInt(10) == 0 ? foreign : program.rewards().get(rnd.nextInt(30));
                List<String> reasons = rnd.nextBoolean() ? List.of() : List.of(text(rnd), "stacking");
                lines.add(new Validate.Line(reward, reasons.isEmpty(), reasons, anyLong(rnd)));
            }
            Validate.Result result = new Validate.Result(rnd.nextBoolean(), lines, anyLong(rnd));
            assertThat(Views.validate(program, result).body()).as("case %d", i).isEqualTo(before(result).body());
        }
    }

    @Test
    void aPlainAnswerIsTheDocumentedShape() {
        Program.Reward reward = new Program.Reward("reward-1", "n", Program.RewardType.DISCOUNT_AMOUNT, Program.Status.ACTIVE,
                250, 500L, null, null, null, List.of(), null, null, null, null, null, null);
        Validate.Result result = new Validate.Result(false, List.of(new Validate.Line(reward, false, List.of("tier", "stacking"), 500),
                new Validate.Line(reward, true, List.of(), 0)), 42);
        assertThat(Views.validate(result).body()).isEqualTo("{\"valid\":false,\"rewards\":["
                + "{\"rewardId\":\"reward-1\",\"valid\":false,\"reasons\":[\"tier\",\"stacking\"],\"discountMinor\":500,\"cost\":250},"
                + "{\"rewardId\":\"reward-1\",\"valid\":true,\"reasons\":[],\"discountMinor\":0,\"cost\":250}],"
                + "\"earnPreview\":{\"points\":42}}");
        assertThat(Views.validate(new Validate.Result(false, List.of(), 0)).body())
                .isEqualTo("{\"valid\":false,\"rewards\":[],\"earnPreview\":{\"points\":0}}");
    }
}
