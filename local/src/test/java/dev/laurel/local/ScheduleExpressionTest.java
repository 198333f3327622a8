package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
    static final ZoneId UTC = ZoneId.of("UTC");
    static final Instant ANCHOR = Instant.parse("2026-11-23T09:15:00Z");

    static Instant next(String expr, String after) {
        return next(expr, after, UTC);
    }

    static Instant next(String expr, String after, ZoneId zone) {
        return ScheduleExpression.parse(expr, zone).next(Instant.parse(after), ANCHOR);
    }

    @Test
    void ratesCountFromTheScheduleCreation() {
        assertThat(next("rate(1 day)", "2026-11-23T09:15:00Z")).isEqualTo("2026-11-24T09:15:00Z");
        assertThat(next("rate(1 day)", "2026-11-30T10:00:00Z")).isEqualTo("2026-12-01T09:15:00Z");
        assertThat(next("rate(5 minutes)", "2026-11-23T09:16:00Z")).isEqualTo("2026-11-23T09:20:00Z");
        assertThat(next("rate(2 hours)", "2026-11-23T09:14:00Z")).isEqualTo("2026-11-23T11:15:00Z");
    }

    @Test
    void cronFieldsAsEventBridgeReadsThem() {
        assertThat(next("cron(0 3 * * ? *)", "2026-11-23T09:15:00Z")).isEqualTo("2026-11-24T03:00:00Z");
        assertThat(next("cron(0 3 * * ? *)", "2026-11-23T01:15:00Z")).isEqualTo("2026-11-23T03:00:00Z");
        assertThat(next("cron(0/15 * * * ? *)", "2026-11-23T09:15:00Z")).isEqualTo("2026-11-23T09:30:00Z");
        assertThat(next("cron(0 8 ? * MON-FRI *)", "2026-11-27T09:00:00Z")).isEqualTo("2026-11-30T08:00:00Z"); // Fri → Mon
        assertThat(next("cron(0 0 1 JAN,JUL ? *)", "2026-11-23T09:15:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("cron(0 12 L * ? *)", "2026-11-23T09:15:00Z")).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(next("cron(0 12 ? * 6L *)", "2026-11-01T00:00:00Z")).isEqualTo("2026-11-27T12:00:00Z"); // last Friday
        assertThat(next("cron(0 12 ? * 2#1 *)", "2026-11-23T09:15:00Z")).isEqualTo("2026-12-07T12:00:00Z"); // first Monday
        assertThat(next("cron(0 12 15W * ? *)", "2026-11-01T00:00:00Z")).isEqualTo("2026-11-16T12:00:00Z"); // 15th is a Sunday
        assertThat(next("cron(0 0 1 1 ? 2020)", "2026-11-23T09:15:00Z")).isNull();
    }

    @Test
    void cronRunsInTheSchedulesTimeZone() {
        assertThat(next("cron(0 3 * * ? *)", "2026-11-23T09:15:00Z", ZoneId.of("Europe/Berlin"))).isEqualTo("2026-11-24T02:00:00Z");
        assertThat(next("cron(0 3 * * ? *)", "2026-07-01T09:15:00Z", ZoneId.of("Europe/Berlin"))).isEqualTo("2026-07-02T01:00:00Z");
    }

    @Test
    void theLatestDueTimeOfAJumpIsExactEvenForMinutelySchedulesOverYears() {
        ScheduleExpression minutely = ScheduleExpression.parse("cron(* * * * ? *)", UTC);
        assertThat(minutely.latest(Instant.parse("2029-05-17T13:37:42Z"), ANCHOR)).isEqualTo("2029-05-17T13:37:00Z");
        ScheduleExpression rate = ScheduleExpression.parse("rate(1 minute)", UTC);
        assertThat(rate.latest(Instant.parse("2029-05-17T13:37:42Z"), ANCHOR)).isEqualTo("2029-05-17T13:37:00Z");
        assertThat(rate.latest(ANCHOR.plusSeconds(59), ANCHOR)).isNull();
        ScheduleExpression nightly = ScheduleExpression.parse("cron(0 3 * * ? *)", ZoneId.of("Europe/Berlin"));
        assertThat(nightly.latest(Instant.parse("2026-11-23T01:59:00Z"), ANCHOR)).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(nightly.latest(Instant.parse("2026-11-23T02:00:00Z"), ANCHOR)).isEqualTo("2026-11-23T02:00:00Z");
        ScheduleExpression lastFriday = ScheduleExpression.parse("cron(30 12 ? * 6L *)", UTC);
        assertThat(lastFriday.latest(Instant.parse("2026-12-01T00:00:00Z"), ANCHOR)).isEqualTo("2026-11-27T12:30:00Z");
    }

    @Test
    void atFiresOnce() {
        assertThat(next("at(2026-12-24T18:00:00)", "2026-11-23T09:15:00Z")).isEqualTo("2026-12-24T18:00:00Z");
        assertThat(next("at(2026-12-24T18:00:00)", "2026-12-24T18:00:00Z")).isNull();
    }

    @Test
    void whatEventBridgeWouldRefuseIsRefused() {
        assertThatThrownBy(() -> ScheduleExpression.parse("every day", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpression.parse("rate(0 minutes)", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 3 * * *)", UTC)).hasMessageContaining("six fields");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(0 3 * * * *)", UTC)).hasMessageContaining("'?'");
        assertThatThrownBy(() -> ScheduleExpression.parse("cron(61 3 * * ? *)", UTC)).hasMessageContaining("range");
    }
}
