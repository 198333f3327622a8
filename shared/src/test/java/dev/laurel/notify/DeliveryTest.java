package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The retry loop's own rules, with a scripted channel (an implementation of the interface, not a mock of a real
 * part: the webhook and email tests run the same loop against real servers).
 */
class DeliveryTest {
    /** Fails with the scripted exceptions, in order, then delivers. */
    private static final class Scripted implements Channel {
        final Deque<RuntimeException> runtime = new ArrayDeque<>();
        final Deque<DeliveryException> failures = new ArrayDeque<>();
        int calls;

        Scripted fail(boolean retryable, int times) {
            for (int i = 0; i < times; i++) {
                failures.add(new DeliveryException("failure " + (failures.size() + 1), retryable));
            }
            return this;
        }

        @Override
        public String kind() {
            return "scripted";
        }

        @Override
        public void send(Notification n) throws DeliveryException {
            calls++;
            if (!runtime.isEmpty()) {
                throw runtime.poll();
            }
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
        }
    }

    private final List<Duration> pauses = new ArrayList<>();

    @Test
    void deliveredAtOnceMakesOneTryAndNoPause() {
        Scripted c = new Scripted();
        assertThat(Delivery.deliver(c, Samples.welcome(), 3, Duration.ofSeconds(1), pauses::add))
                .isEqualTo(new Delivery.Outcome(true, 1, false, null));
        assertThat(c.calls).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void retryableFailuresAreTriedUpToTheLimit() {
        Scripted c = new Scripted().fail(true, 10);
        Delivery.Outcome o = Delivery.deliver(c, Samples.welcome(), 4, Duration.ofSeconds(1), pauses::add);
        assertThat(o).isEqualTo(new Delivery.Outcome(false, 4, true, "failure 4"));
        assertThat(c.calls).isEqualTo(4);
        assertThat(pauses).hasSize(3);
        for (int i = 0; i < 3; i++) {
            long nominal = 1000L << i;
            assertThat(pauses.get(i).toMillis()).as("pause %d", i + 1).isBetween(nominal * 8 / 10, nominal * 12 / 10);
        }
    }

    @Test
    void aPermanentFailureStopsAtOnce() {
        Scripted c = new Scripted().fail(true, 1).fail(false, 1).fail(true, 5);
        Delivery.Outcome o = Delivery.deliver(c, Samples.welcome(), 5, Duration.ofMillis(5), pauses::add);
        assertThat(o).isEqualTo(new Delivery.Outcome(false, 2, false, "failure 2"));
        assertThat(c.calls).isEqualTo(2);
        assertThat(pauses).hasSize(1);
    }

    @Test
    void aChannelBugIsAFailedSendNotAnException() {
        Scripted c = new Scripted();
        c.runtime.add(new IllegalStateException("boom"));
        Delivery.Outcome o = Delivery.deliver(c, Samples.welcome(), 3, Duration.ofMillis(5), pauses::add);
        assertThat(o.delivered()).isFalse();
        assertThat(o.retryable()).isFalse();
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(o.lastError()).contains("boom").contains("scripted");
    }

    @Test
    void anInterruptedPauseEndsTheDeliveryAndKeepsTheInterrupt() {
        Scripted c = new Scripted().fail(true, 3);
        try {
            Delivery.Outcome o = Delivery.deliver(c, Samples.welcome(), 3, Duration.ofMillis(5), d -> {
                throw new InterruptedException();
            });
            assertThat(o.delivered()).isFalse();
            assertThat(o.retryable()).isTrue();
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theRealSleeperSleeps() {
        Scripted c = new Scripted().fail(true, 2);
        long start = System.nanoTime();
        Delivery.Outcome o = Delivery.deliver(c, Samples.welcome(), 3, Duration.ofMillis(50), Delivery.Sleeper.REAL);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(o.delivered()).isTrue();
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(elapsedMs).as("about 50 + 100 ms of pauses").isGreaterThanOrEqualTo(120);
    }

    @Test
    void pausesGrowWithinTheirJitterAndAreCapped() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try {
            for (int run = 0; run < 200; run++) {
                Duration first = Duration.ofMillis(1 + random.nextInt(2_000));
                Duration previous = Duration.ZERO;
                for (int i = 1; i <= Delivery.MAX_ATTEMPTS; i++) {
                    Duration p = Delivery.pause(first, i);
                    long nominal = Math.min(first.toNanos() * (1L << (i - 1)), Delivery.MAX_PAUSE.toNanos());
                    assertThat(p.toNanos()).isBetween(nominal - nominal / 5, Math.min(nominal + nominal / 5,
                            Delivery.MAX_PAUSE.toNanos()));
                    if (first.toNanos() * (1L << (i - 1)) <= Delivery.MAX_PAUSE.toNanos()) { // not capped yet
                        assertThat(p).isGreaterThan(previous);
                    }
                    previous = p;
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
        assertThat(Delivery.pause(Duration.ofDays(365_000), 20)).isLessThanOrEqualTo(Delivery.MAX_PAUSE);
        assertThat(Delivery.pause(Duration.ZERO, 3)).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesNonsenseArguments() {
        Scripted c = new Scripted();
        assertThatThrownBy(() -> Delivery.deliver(c, Samples.welcome(), 0, Duration.ZERO, pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delivery.deliver(c, Samples.welcome(), Delivery.MAX_ATTEMPTS + 1, Duration.ZERO,
                pauses::add)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delivery.deliver(c, Samples.welcome(), 1, Duration.ofMillis(-1), pauses::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(c.calls).isZero();
    }
}
