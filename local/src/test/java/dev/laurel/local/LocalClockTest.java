package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalClockTest {
    static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void aFrozenClockMovesOnlyWhenTold() {
        LocalClock clock = LocalClock.frozenAt(T);
        assertThat(clock.frozen()).isTrue();
        assertThat(clock.instant()).isEqualTo(T);
        clock.advance(Duration.ofDays(1));
        assertThat(clock.instant()).isEqualTo(T.plus(Duration.ofDays(1)));
        clock.set(T.minusSeconds(5));
        assertThat(clock.instant()).isEqualTo(T.minusSeconds(5));
        assertThat(clock.frozen()).as("set keeps it frozen").isTrue();
    }

    @Test
    void aRunningClockRunsOnFromWhereItIsSet() {
        Clock system = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        LocalClock clock = new LocalClock(system);
        clock.set(T);
        assertThat(clock.frozen()).as("set keeps it running").isFalse();
        assertThat(clock.instant()).isEqualTo(T);
        clock.advance(Duration.ofHours(1));
        assertThat(clock.instant()).isEqualTo(T.plus(Duration.ofHours(1)));
        clock.reset();
        assertThat(clock.instant()).isEqualTo(system.instant());
    }
}
