package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.customer;
import static dev.laurel.domain.Fixtures.event;
import static dev.laurel.domain.Fixtures.fields;
import static dev.laurel.domain.Fixtures.node;
import static dev.laurel.domain.Fixtures.orderPaid;
import static dev.laurel.domain.Fixtures.program;
import static dev.laurel.domain.Fixtures.rejected;
import static dev.laurel.domain.Fixtures.withCounters;
import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.domain.Earning.Plan;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The program's {@code velocity} limits and {@code endsAt} in the earning arithmetic (API.md Part 2). */
class VelocityTest {
    static final String NOW = "2026-11-24T09:10:00Z"; // 10:10 in Berlin
    static final Instant ARRIVAL = Instant.parse(NOW);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static Program withVelocity(String velocity, String extra) {
        return program("""
                {"name": "v", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                                  {"id": "budgeted", "trigger": "order.paid", "points": {"fixed": 10}, "limits": {"total": {"points": 1000}}},
                                  {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 500}},
                                  {"id": "confirmed", "trigger": "customer.confirmed", "points": {"fixed": 500}}]
                 %s %s}""".formatted(velocity == null ? "" : ", \"velocity\": " + velocity, extra == null ? "" : ", " + extra));
    }

    static Customer counted(long eventsThisHour, long pointsToday) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> points = new HashMap<>();
        counts.put(Velocity.hourKey(ARRIVAL, BERLIN), eventsThisHour);
        points.put(Velocity.hourKey(ARRIVAL, BERLIN), 0L);
        counts.put(Velocity.dayKey(ARRIVAL, BERLIN), eventsThisHour);
        points.put(Velocity.dayKey(ARRIVAL, BERLIN), pointsToday);
        return withCounters(customer(0, 0), counts, points);
    }

    static Earning.Line line(Plan p, String ruleId) {
        return p.breakdown().stream().filter(l -> ruleId.equals(l.ruleId())).findFirst().orElseThrow();
    }

    @Test
    void belowTheLimitsAnEventEarnsInFullAndIsCounted() {
        Program p = withVelocity("{\"eventsPerCustomerPerHour\": 3, \"pointsPerCustomerPerDay\": 1000}", null);
        Plan plan = Earning.plan(p, counted(2, 100), orderPaid(NOW, 10000), Map.of(), ARRIVAL);
        assertThat(plan.points()).isEqualTo(110);
        assertThat(plan.breakdown()).allMatch(l -> l.capped() == null);
        assertThat(plan.capKeys().get("~velocity:hour@2026-11-24T10:00+01:00")).containsExactly(1, 110);
        assertThat(plan.capKeys().get("~velocity:day@2026-11-24")).containsExactly(1, 110);
    }

    @Test
    void theHoursEventsUsedUpTheCallEarnsNothingButIsCounted() {
        Program p = withVelocity("{\"eventsPerCustomerPerHour\": 3}", null);
        Plan plan = Earning.plan(p, counted(3, 0), orderPaid(NOW, 10000), Map.of(), ARRIVAL);
        assertThat(plan.points()).isZero();
        assertThat(line(plan, "purchase").capped()).isEqualTo("velocity");
        assertThat(line(plan, "budgeted").capped()).isEqualTo("velocity");
        assertThat(plan.ruleBudgets()).as("a budget is charged only what was given").isEmpty();
        assertThat(plan.capKeys().get(Velocity.hourKey(ARRIVAL, BERLIN))).containsExactly(1, 0);
    }

    @Test
    void theDaysPointsEarnOnlyWhatStillFitsRuleByRule() {
        Program p = withVelocity("{\"pointsPerCustomerPerDay\": 1000}", null);
        Plan plan = Earning.plan(p, counted(0, 895), orderPaid(NOW, 10000), Map.of(), ARRIVAL); // 100 + 10 asked, 105 fit
        assertThat(plan.points()).isEqualTo(105);
        assertThat(line(plan, "purchase").points()).isEqualTo(100);
        assertThat(line(plan, "purchase").capped()).isNull();
        assertThat(line(plan, "budgeted").points()).isEqualTo(5);
        assertThat(line(plan, "budgeted").capped()).isEqualTo("velocity");
        assertThat(plan.ruleBudgets()).containsEntry("budgeted", 5L);
        assertThat(plan.lifetimeAfter()).isEqualTo(105);
        Plan full = Earning.plan(p, counted(0, 1000), orderPaid(NOW, 10000), Map.of(), ARRIVAL);
        assertThat(full.points()).isZero();
    }

    @Test
    void joiningAndConfirmingNeitherCountNorAreCapped() {
        Program p = withVelocity("{\"eventsPerCustomerPerHour\": 1, \"pointsPerCustomerPerDay\": 1}", null);
        for (String type : List.of("customer.joined", "customer.confirmed")) {
            Plan plan = Earning.plan(p, counted(5, 5), event(type, NOW), Map.of(), ARRIVAL);
            assertThat(plan.points()).as(type).isEqualTo(500);
            assertThat(plan.capKeys()).as(type).isEmpty();
        }
    }

    @Test
    void withoutAnArrivalOrALimitNothingIsCountedOrCapped() {
        Program none = withVelocity(null, null);
        assertThat(Earning.plan(none, counted(99, 99), orderPaid(NOW, 10000), Map.of(), ARRIVAL).capKeys().keySet())
                .allMatch(k -> k.startsWith("~stats:")); // only the order statistics (OrderStats) count
        Program p = withVelocity("{\"eventsPerCustomerPerHour\": 1}", null);
        assertThat(Earning.plan(p, counted(99, 99), orderPaid(NOW, 10000), Map.of()).points()).isEqualTo(110);
    }

    @Test
    void theRepeatedHourOfADstChangeIsTwoBucketsAndOnlyTheCurrentOnesAreKept() {
        // 2026-10-25: 02:30 in Berlin happens twice, at 00:30Z (+02:00) and at 01:30Z (+01:00)
        String first = Velocity.hourKey(Instant.parse("2026-10-25T00:30:00Z"), BERLIN);
        String second = Velocity.hourKey(Instant.parse("2026-10-25T01:30:00Z"), BERLIN);
        assertThat(first).isEqualTo("~velocity:hour@2026-10-25T02:00+02:00");
        assertThat(second).isEqualTo("~velocity:hour@2026-10-25T02:00+01:00");
        String day = Velocity.dayKey(Instant.parse("2026-10-25T01:30:00Z"), BERLIN);
        assertThat(Velocity.staleKeys(List.of(first, second, day, "~velocity:day@2026-10-24", "purchase@2026-10-24"), BERLIN,
                Instant.parse("2026-10-25T01:59:59Z"))).containsExactly(first, "~velocity:day@2026-10-24");
    }

    @Test
    void velocityIsValidatedWithItsPaths() {
        var empty = node(withVelocity(null, null).definition());
        empty.putObject("velocity");
        assertThat(fields(rejected(empty))).containsExactly("velocity");
        assertThat(fields(rejected(node(withVelocity(null, null).definition()).put("velocity", 3)))).containsExactly("velocity");
        var bad = node(withVelocity(null, null).definition());
        bad.putObject("velocity").put("eventsPerCustomerPerHour", 0).put("pointsPerCustomerPerDay", 1.5).put("perWeek", 1);
        assertThat(fields(rejected(bad))).containsExactlyInAnyOrder("velocity.eventsPerCustomerPerHour",
                "velocity.pointsPerCustomerPerDay", "velocity.perWeek");
        var big = node(withVelocity(null, null).definition());
        big.putObject("velocity").put("pointsPerCustomerPerDay", Long.MAX_VALUE);
        assertThat(fields(rejected(big))).containsExactly("velocity.pointsPerCustomerPerDay");
    }

    // ---------------------------------------------------------------- endsAt

    @Test
    void fromTheProgramsEndAtTheInstantItselfNoRuleGivesAnything() {
        Program p = withVelocity(null, "\"endsAt\": \"2026-11-24T09:00:00Z\"");
        Plan before = Earning.plan(p, customer(0, 0), orderPaid("2026-11-24T08:59:59.999Z", 10000), Map.of());
        assertThat(before.points()).isEqualTo(110);
        Plan at = Earning.plan(p, customer(0, 0), orderPaid("2026-11-24T09:00:00Z", 10000), Map.of());
        assertThat(at.points()).isZero();
        assertThat(at.breakdown()).isEmpty();
        assertThat(at.capKeys()).isEmpty();
        assertThat(at.ruleBudgets()).isEmpty();
        assertThat(Earning.plan(p, Customer.newcomer("c-2"), event("customer.joined", "2026-11-24T09:00:00Z"), Map.of()).points())
                .as("nor a signup bonus").isZero();
    }

    @Test
    void endsAtMustBeAnInstant() {
        var bad = node(withVelocity(null, null).definition()).put("endsAt", "2026-11-24");
        assertThat(fields(rejected(bad))).containsExactly("endsAt");
        assertThat(fields(rejected(node(withVelocity(null, null).definition()).put("endsAt", 5)))).containsExactly("endsAt");
    }
}
