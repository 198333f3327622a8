package dev.laurel.it.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Issue 12: the model-based test of the growth features ({@link ModelGrowth}). Each seed's
 * program has tiers and a {@code tierPolicy} (mostly a rolling or calendar-year window, mostly
 * {@code end_of_window}), named segments over order statistics (a multiplier rule and a reward use them) and, mostly, double opt-in with a
 * {@code customer.confirmed} bonus; the sequences interleave orders, refunds, redemptions and
 * rollbacks, moves of the clock onto month and year ends, daily runs and confirmations with current,
 * used, replaced and forged tokens; every answer and the wallet (tier, pointsToNext, segments,
 * consent) are compared with the model after every step ({@link Runner}). In {@code mvn verify} it runs
 * {@value #SEEDS_DEFAULT} seeds of {@value #OPS_DEFAULT} steps; {@code -Dlaurel.long=true} runs
 * {@value #SEEDS_LONG} of {@value #OPS_LONG} (or set {@code laurel.growth.seeds}, {@code .ops}, {@code .seed}).
 * A mismatch prints its seed and shrunk sequence, to keep as a named test in {@link GrowthCasesTest}.
 */
class ModelGrowthTest {
    static final int SEEDS_DEFAULT = 5;
    static final int OPS_DEFAULT = 50;
    static final int SEEDS_LONG = 40;
    static final int OPS_LONG = 200;
    static final boolean LONG = Boolean.getBoolean("laurel.long");
    static final int OPS = Integer.getInteger("laurel.growth.ops", LONG ? OPS_LONG : OPS_DEFAULT);
    static final int SEEDS = Integer.getInteger("laurel.growth.seeds", LONG ? SEEDS_LONG : SEEDS_DEFAULT);
    static final long SEED = Long.getLong("laurel.growth.seed", 1L);

    /** The generated program of {@code seed}: a random one of the model-based test, with tiers and growth features. */
    static Spec spec(long seed) {
        Random r = new Random(seed);
        Spec b = Spec.random(r);
        // always with tiers, so that most seeds have a tier window to review
        return new Spec(b.zone(), b.expiryDays(), b.pendingDays(), true, b.caps(), b.budgets(), b.likePoints(), b.start())
                .withGrowth(Spec.Growth.random(r));
    }

    @org.junit.jupiter.api.Test
    void randomGrowthSequencesAgreeWithTheModel() {
        List<String> reports = new ArrayList<>();
        Set<String> shrunk = new HashSet<>();
        long t0 = System.nanoTime();
        for (long seed = SEED; seed < SEED + SEEDS; seed++) {
            Spec spec = spec(seed);
            List<Op> ops = Gen.generate(spec, seed, OPS, 20);
            Runner.Failure f = Runner.run(spec, ops);
            if (f == null) {
                continue;
            }
            StringBuilder report = new StringBuilder("seed " + seed + " " + spec.growth() + ": " + f.signature() + "\n  " + f.message());
            if (ModelBasedTest.SHRINK && shrunk.add(f.signature())) {
                List<Op> small = Shrinker.shrink(spec, ops, f, Duration.ofSeconds(Long.getLong("laurel.model.shrinkSeconds", 120L)));
                Runner.Failure again = Runner.run(spec, small);
                report.append("\n  shrunk from ").append(f.step() + 1).append(" to ").append(small.size()).append(" steps")
                        .append(again == null ? "" : ": " + again.message()).append("\n").append(ModelBasedTest.java(spec, small));
            }
            System.out.println("GROWTH MODEL MISMATCH " + report);
            reports.add(report.toString());
        }
        System.out.printf("growth model-based test: %d seeds x %d steps from seed %d, %d s%n", SEEDS, OPS, SEED,
                (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(reports).as(() -> String.join("\n\n", reports)).isEmpty();
    }
}
