package dev.laurel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the scheduled functions have work: the points_expiring reminder of available points only (issue 16). */
class DueTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant EARNED = Instant.parse("2026-11-23T09:00:00Z");
    /** The end of 2026-12-23 in Berlin. */
    static final Instant EXPIRES = Instant.parse("2026-12-23T23:00:00Z");
    static final Instant WINDOW_ENDS = Instant.parse("2026-12-07T23:00:00Z");

    static Lot available(long points) {
        return new Lot("a", points, points, EARNED, EXPIRES, null);
    }

    static Lot pending(long points, Instant until) {
        return new Lot("p", points, points, EARNED, EXPIRES, "o-1", until, false);
    }

    @Test
    void anAvailableLotIsRemindedDaysBeforeItsExpiryInTheProgramsZone() {
        assertThat(Due.reminderAt(available(10), 20, BERLIN)).isEqualTo(Instant.parse("2026-12-03T23:00:00Z"));
        assertThat(Due.nextReminder(List.of(available(10)), 20, true, BERLIN, EARNED))
                .isEqualTo(Instant.parse("2026-12-03T23:00:00Z"));
    }

    @Test
    void aPendingLotIsNotRemindedBeforeItsPointsAreAvailable() {
        Lot p = pending(200, WINDOW_ENDS);
        assertThat(Due.reminderAt(p, 20, BERLIN)).isEqualTo(WINDOW_ENDS);
        assertThat(Due.nextReminder(List.of(p), 20, true, BERLIN, EARNED)).isEqualTo(WINDOW_ENDS);
        // its reminder day has come, but it is still pending: nothing to remind
        assertThat(Due.remindable(List.of(p), 20, BERLIN, Instant.parse("2026-12-05T00:00:00Z"))).isEmpty();
        // released (as a settled customer holds it), it is remindable at once
        assertThat(Due.remindable(List.of(p.released()), 20, BERLIN, WINDOW_ENDS)).containsExactly(p.released());
    }

    @Test
    void aPendingLotWhoseWindowEndsBeforeItsReminderDayKeepsThatDay() {
        Lot p = pending(200, Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(Due.reminderAt(p, 20, BERLIN)).isEqualTo(Instant.parse("2026-12-03T23:00:00Z"));
    }

    @Test
    void theBalanceBeforeAReleaseKeepsPendingPointsPendingAndDropsExpiredOnes() {
        Customer c = Customer.newcomer("c-1").withLots(10, 200, 210, List.of(available(10), pending(200, WINDOW_ENDS)));
        Instant after = WINDOW_ENDS.plusSeconds(60);
        assertThat(c.beforeRelease(after).available()).isEqualTo(10);
        assertThat(c.beforeRelease(after).pending()).isEqualTo(200);
        assertThat(c.current(after).available()).isEqualTo(210);
        assertThat(c.beforeRelease(EXPIRES).available()).isZero();
        assertThat(c.beforeRelease(EXPIRES).pending()).isZero();
    }
}
