package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.laurel.domain.Budgets.Used;
import dev.laurel.domain.SubCounters.Caps;
import dev.laurel.domain.SubCounters.Sub;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The split of a hot budget's limits over its sub-counters (pure; DynamoDB's side: HotBudgetLimitChangeTest). */
class SubCountersTest {
    private static final int N = Budgets.SUB_COUNTERS;

    private static List<Sub> unsplit(long... redemptions) {
        List<Sub> subs = new ArrayList<>();
        for (long r : redemptions) {
            subs.add(Sub.unsplit(new Used(r, r * 100, r * 1000)));
        }
        return subs;
    }

    private static List<Sub> split(Caps limits, long version, boolean closed, long... redemptions) {
        List<Sub> subs = new ArrayList<>();
        for (long r : redemptions) {
            subs.add(new Sub(new Used(r, 0, 0), true, 1, version, SubCounters.tag(limits), null, closed));
        }
        return subs;
    }

    @Test
    void theFirstSplitOfABudgetUsedUnsplitGivesTheUsedSubCounterItsUseAndSplitsTheRestEvenly() {
        // 600 used on sub-counter 0 (the budget item) before the budget reached the threshold
        List<Sub> subs = unsplit(600, 0, 0, 0, 0, 0, 0, 0);
        List<Caps> caps = SubCounters.shares(subs, new Caps(1000L, null, null), -1, Used.NONE);
        assertThat(caps).extracting(Caps::redemptions).containsExactly(650L, 50L, 50L, 50L, 50L, 50L, 50L, 50L);
        assertThat(caps).allSatisfy(c -> assertThat(c.valueMinor()).isNull());
    }

    @Test
    void sharesSumToTheLimitExactlyAndNeverFallBelowAUse() {
        Random random = new Random(14);
        for (int round = 0; round < 2_000; round++) {
            long[] uses = new long[N];
            long total = 0;
            for (int i = 0; i < N; i++) {
                uses[i] = random.nextInt(300);
                total += uses[i];
            }
            long limit = total + random.nextInt(5_000);
            int k = random.nextInt(N + 1) - 1;
            long need = random.nextInt(50);
            List<Caps> caps = SubCounters.shares(unsplit(uses), new Caps(limit, null, null), k, new Used(need, 0, 0));
            assertThat(caps).as("round %d", round).isNotNull();
            long sum = 0;
            for (int i = 0; i < N; i++) {
                long share = caps.get(i).redemptions();
                assertThat(share).as("round %d sub-counter %d", round, i).isGreaterThanOrEqualTo(uses[i]);
                sum += share;
            }
            assertThat(sum).as("round %d", round).isEqualTo(limit);
            if (k >= 0) {
                assertThat(caps.get(k).redemptions() - uses[k]).as("round %d: the charge's need on %d", round, k)
                        .isGreaterThanOrEqualTo(Math.min(need, limit - total));
            }
        }
    }

    @Test
    void aNeedLargerThanWhatIsLeftGetsOnlyWhatIsLeft() {
        List<Caps> caps = SubCounters.shares(unsplit(10, 10, 10, 10, 10, 10, 10, 10), new Caps(null, 8_500L, null), 3,
                new Used(0, 1_000, 0));
        // 8,000 of value used, 500 left: all of it to sub-counter 3, nothing to split
        assertThat(caps).extracting(Caps::valueMinor).containsExactly(1_000L, 1_000L, 1_000L, 1_500L, 1_000L, 1_000L, 1_000L, 1_000L);
    }

    @Test
    void aLimitAlreadyPassedClosesTheSplit() {
        assertThat(SubCounters.shares(unsplit(200, 200, 200, 200, 200, 200, 0, 0), new Caps(1_100L, null, null), -1, Used.NONE))
                .isNull();
        // a limit that still fits and one that is passed: closed all the same
        assertThat(SubCounters.shares(unsplit(1, 0, 0, 0, 0, 0, 0, 0), new Caps(5L, 50L, null), -1, Used.NONE)).isNull();
    }

    @Test
    void exactlyAtTheLimitEverySubCounterIsFullButTheSplitStaysOpen() {
        List<Caps> caps = SubCounters.shares(unsplit(125, 125, 125, 125, 125, 125, 125, 125), new Caps(1_000L, null, null), -1,
                Used.NONE);
        assertThat(caps).extracting(Caps::redemptions).containsOnly(125L);
    }

    @Test
    void aSplitIsRedoneOnlyForNewLimitsOrWhenAClosedSplitFitsAgain() {
        Caps limits = new Caps(1_000L, null, null);
        assertThat(SubCounters.needsSplit(unsplit(0, 0, 0, 0, 0, 0, 0, 0), limits, 1, N)).as("first split").isTrue();
        assertThat(SubCounters.needsSplit(unsplit(0, 0, 0, 0, 0, 0, 0, 0), limits, 1, 1)).as("below the threshold").isFalse();
        List<Sub> current = split(limits, 3, false, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(SubCounters.needsSplit(current, limits, 3, N)).as("same version").isFalse();
        assertThat(SubCounters.needsSplit(current, limits, 4, N)).as("a newer version, same limits").isFalse();
        assertThat(SubCounters.needsSplit(current, new Caps(1_200L, null, null), 4, N)).as("grown").isTrue();
        assertThat(SubCounters.needsSplit(current, new Caps(1_200L, null, null), 2, N)).as("an older program's limits")
                .isFalse();
        assertThat(SubCounters.needsSplit(current, limits, 3, 1)).as("stays split below the threshold").isFalse();
        assertThat(SubCounters.needsSplit(split(limits, 3, true, 200, 200, 200, 200, 200, 0, 0, 0), limits, 3, N))
                .as("closed, back within the limit").isTrue();
        assertThat(SubCounters.needsSplit(split(limits, 3, true, 200, 200, 200, 200, 200, 200, 0, 0), limits, 3, N))
                .as("closed, still past the limit").isFalse();
    }

    @Test
    void usesThatOverflowAreRefusedNotWrapped() {
        List<Sub> subs = unsplit(0, 0, 0, 0, 0, 0, 0, 0);
        subs.set(0, Sub.unsplit(new Used(Long.MAX_VALUE, 0, 0)));
        subs.set(1, Sub.unsplit(new Used(1, 0, 0)));
        assertThrows(Refused.class, () -> SubCounters.shares(subs, new Caps(Long.MAX_VALUE, null, null), -1, Used.NONE));
        assertThrows(Refused.class, () -> SubCounters.sum(subs));
    }

    @Test
    void theLargestLimitSplitsWithoutOverflow() {
        List<Caps> caps = SubCounters.shares(unsplit(0, 0, 0, 0, 0, 0, 0, 0), new Caps(Long.MAX_VALUE, null, null), -1, Used.NONE);
        long sum = 0;
        for (Caps c : caps) {
            sum = Arith.add(sum, c.redemptions());
        }
        assertThat(sum).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSubCounterHasRoomOnlyInAnOpenSplitAndUnderItsShare() {
        Used one = new Used(1, 100, 0);
        Caps share = new Caps(10L, 1000L, null);
        assertThat(SubCounters.room(new Sub(new Used(9, 900, 5), true, 1, 1, "-", share, false), one)).isTrue();
        assertThat(SubCounters.room(new Sub(new Used(10, 900, 5), true, 1, 1, "-", share, false), one)).as("share used").isFalse();
        assertThat(SubCounters.room(new Sub(new Used(9, 901, 5), true, 1, 1, "-", share, false), one)).as("value").isFalse();
        assertThat(SubCounters.room(new Sub(new Used(0, 0, 0), true, 1, 1, "-", share, true), one)).as("closed").isFalse();
        assertThat(SubCounters.room(Sub.unsplit(Used.NONE), one)).as("never split: no share").isFalse();
        assertThat(SubCounters.room(new Sub(new Used(5, 5, 5), true, 1, 1, "-", new Caps(null, null, null), false), one))
                .as("no limits").isTrue();
    }
}
