package dev.laurel.it.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The model-based test of issues 9 and 16: seeded random sequences (program changes, replays, reminder runs included) run against the real handlers on
 * DynamoDB Local and against {@link Model} side by side (see {@link Runner}). In {@code mvn verify}
 * it runs 8 seeds of 50 steps; a long run:
 * {@code mvn -B -ntp -o verify -pl tests -am -Dtest=ModelBasedTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlaurel.model.ops=2000 -Dlaurel.model.seeds=20 -Dlaurel.model.seed=1000}.
 * {@code -Dlaurel.model.legacy=all} (or a list of {@link Semantics}) switches the agreed semantics
 * off to check the harness against the old behaviour. A mismatch prints the seed and the shortest
 * sequence it shrinks to, as Java to paste into a named test like the ones in {@link ShrunkCasesTest}.
 */
class ModelBasedTest {
    static final int OPS = Integer.getInteger("laurel.model.ops", 50);
    static final int SEEDS = Integer.getInteger("laurel.model.seeds", 8);
    static final long SEED = Long.getLong("laurel.model.seed", 1L);
    static final int BURST = Integer.getInteger("laurel.model.burst", OPS >= 300 ? 300 : 40);
    static final boolean SHRINK = Boolean.parseBoolean(System.getProperty("laurel.model.shrink", "true"));
    static final Duration SHRINK_BUDGET = Duration.ofSeconds(Long.getLong("laurel.model.shrinkSeconds", 180L));

    @Test
    void randomSequencesAgreeWithTheModel() {
        List<String> reports = new ArrayList<>();
        Set<String> shrunk = new HashSet<>();
        long t0 = System.nanoTime();
        for (long seed = SEED; seed < SEED + SEEDS; seed++) {
            Spec spec = Spec.random(new Random(seed));
            List<Op> ops = Gen.generate(spec, seed, OPS, BURST);
            Runner.Failure f = Runner.run(spec, ops);
            if (f == null) {
                continue;
            }
            StringBuilder report = new StringBuilder("seed " + seed + " (" + Semantics.describe() + "): " + f.signature()
                    + "\n  " + f.message());
            if (SHRINK && shrunk.add(f.signature())) {
                List<Op> small = Shrinker.shrink(spec, ops, f, SHRINK_BUDGET);
                Runner.Failure again = Runner.run(spec, small);
                report.append("\n  shrunk from ").append(f.step() + 1).append(" to ").append(small.size()).append(" steps")
                        .append(again == null ? "" : ": " + again.message()).append("\n").append(java(spec, small));
            }
            System.out.println("MODEL MISMATCH " + report);
            reports.add(report.toString());
        }
        System.out.printf("model-based test: %d seeds x %d steps from seed %d, %s, %d s%n", SEEDS, OPS, SEED,
                Semantics.describe(), (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(reports).as(() -> String.join("\n\n", reports)).isEmpty();
    }

    /** A shrunk sequence as a named test's body. */
    static String java(Spec spec, List<Op> ops) {
        return "    @Test\n    void shrunkCase() {\n        check(" + spec.toJava() + ",\n"
                + ops.stream().map(o -> "                " + o).collect(Collectors.joining(",\n")) + ");\n    }";
    }
}
