package dev.laurel.domain;

import static dev.laurel.domain.Fixtures.customer;
import static dev.laurel.domain.Fixtures.event;
import static dev.laurel.domain.Fixtures.minimal;
import static dev.laurel.domain.Fixtures.minimalProgram;
import static dev.laurel.domain.Fixtures.orderPaid;
import static dev.laurel.domain.Fixtures.program;
import static dev.laurel.domain.Fixtures.withCounters;
import static dev.laurel.domain.Fixtures.withTier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.domain.Earning.Line;
import dev.laurel.domain.Earning.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EarningTest {
    private static final String TUESDAY = "2026-11-24T09:00:00Z";
    private static final String MONDAY = "2026-11-23T09:00:00Z";
    /** Sunday 23:30 in UTC, Monday 00:30 in Berlin. */
    private static final String MONDAY_IN_BERLIN_ONLY = "2026-11-22T23:30:00Z";
    /** Monday 23:30 in UTC, Tuesday 00:30 in Berlin. */
    private static final String MONDAY_IN_UTC_ONLY = "2026-11-23T23:30:00Z";

    private static final Program MINIMAL = minimalProgram();
    private static final Customer DE = customer("c-de", Map.of("country", "DE"), 0, 0);
    private static final Customer FR = customer("c-fr", Map.of("country", "FR"), 0, 0);

    private static Plan plan(Program p, Customer c, Event e) {
        return Earning.plan(p, c, e, Map.of());
    }

    private static Program programWith(String zone, String rulesJson, String extra) {
        return program("{\"name\": \"t\", \"currency\": \"EUR\", \"timezone\": \"" + zone + "\", \"earningRules\": "
                + rulesJson + (extra == null ? "" : ", " + extra) + "}");
    }

    private static Line line(Plan plan, String ruleId) {
        return plan.breakdown().stream().filter(l -> ruleId.equals(l.ruleId())).findFirst()
                .orElseThrow(() -> new AssertionError("no breakdown line for " + ruleId + " in " + plan.breakdown()));
    }

    // ---------------------------------------------------------------- base points

    @Test
    void perAmountIsFloored() {
        assertThat(plan(MINIMAL, FR, orderPaid(TUESDAY, 12999)).points()).isEqualTo(129);
        assertThat(plan(MINIMAL, FR, orderPaid(TUESDAY, 12900)).points()).isEqualTo(129);
        assertThat(plan(MINIMAL, FR, orderPaid(TUESDAY, 199)).points()).isEqualTo(1);
        assertThat(plan(MINIMAL, FR, orderPaid(TUESDAY, 99)).points()).isEqualTo(0);
        assertThat(plan(MINIMAL, FR, orderPaid(TUESDAY, 0)).points()).isEqualTo(0);
        Plan p = plan(MINIMAL, FR, orderPaid(TUESDAY, 12999));
        assertThat(line(p, "purchase").points()).isEqualTo(129);
        assertThat(line(p, "purchase").capped()).isNull();
    }

    @Test
    void perAmountWithSeveralPointsPerStep() {
        Program p = programWith("UTC", """
                [{"id": "r", "trigger": "order.paid", "points": {"perAmount": {"points": 3, "amountMinor": 250}}}]""", null);
        assertThat(plan(p, FR, orderPaid(TUESDAY, 999)).points()).isEqualTo(9);   // floor(999/250)=3, x3
        assertThat(plan(p, FR, orderPaid(TUESDAY, 1000)).points()).isEqualTo(12);
    }

    @Test
    void fixedPointsForNonOrderEvents() {
        Plan p = plan(MINIMAL, FR, event("newsletter.subscribed", TUESDAY));
        assertThat(p.points()).isEqualTo(50);
        assertThat(p.breakdown()).extracting(Line::ruleId).containsExactly("newsletter");
        assertThat(plan(MINIMAL, FR, event("social.liked", TUESDAY)).points()).isEqualTo(10);
    }

    @Test
    void onlyRulesOfTheEventsTriggerApply() {
        assertThat(plan(MINIMAL, FR, event("unknown.thing", TUESDAY)).points()).isZero();
        assertThat(plan(MINIMAL, FR, event("unknown.thing", TUESDAY)).breakdown()).isEmpty();
        // a perAmount rule on an event without an order gives nothing
        assertThat(plan(MINIMAL, FR, event("order.paid", TUESDAY)).points()).isZero();
    }

    // ---------------------------------------------------------------- multipliers

    @Test
    void multiplierOnlyRuleMultipliesBasePointsWhenItsConditionHolds() {
        Plan p = plan(MINIMAL, DE, orderPaid(MONDAY, 12999));
        assertThat(p.points()).isEqualTo(258);
        assertThat(line(p, "purchase").points()).isEqualTo(258);
        assertThat(line(p, "de-monday").points()).isZero();
        assertThat(line(p, "de-monday").multiplier()).isEqualByComparingTo("2");

        assertThat(plan(MINIMAL, FR, orderPaid(MONDAY, 12999)).points()).as("not DE").isEqualTo(129);
        assertThat(plan(MINIMAL, DE, orderPaid(TUESDAY, 12999)).points()).as("not Monday").isEqualTo(129);
        assertThat(plan(MINIMAL, FR, orderPaid(MONDAY, 12999)).breakdown()).extracting(Line::ruleId)
                .containsExactly("purchase");
    }

    @Test
    void multiplierDoesNotApplyToOtherTriggers() {
        assertThat(plan(MINIMAL, DE, event("newsletter.subscribed", MONDAY)).points()).isEqualTo(50);
    }

    @Test
    void dayOfWeekIsEvaluatedInTheProgramTimezone() {
        assertThat(plan(MINIMAL, DE, orderPaid(MONDAY_IN_BERLIN_ONLY, 12999)).points())
                .as("Sunday in UTC but Monday in Berlin").isEqualTo(258);
        assertThat(plan(MINIMAL, DE, orderPaid(MONDAY_IN_UTC_ONLY, 12999)).points())
                .as("Monday in UTC but Tuesday in Berlin").isEqualTo(129);
    }

    @Test
    void hourIsEvaluatedInTheProgramTimezoneAcrossDst() {
        Program p = programWith("America/New_York", """
                [{"id": "r", "trigger": "order.paid", "points": {"fixed": 10}},
                 {"id": "happy", "trigger": "order.paid", "multiplier": 3,
                  "when": {"all": [{"attr": "event.hour", "op": "gte", "value": 17},
                                   {"attr": "event.hour", "op": "lt", "value": 19}]}}]""", null);
        // winter, UTC-5
        assertThat(plan(p, FR, orderPaid("2026-11-24T22:30:00Z", 0)).points()).as("17:30 EST").isEqualTo(30);
        assertThat(plan(p, FR, orderPaid("2026-11-24T21:59:59Z", 0)).points()).as("16:59 EST").isEqualTo(10);
        assertThat(plan(p, FR, orderPaid("2026-11-25T00:00:00Z", 0)).points()).as("19:00 EST").isEqualTo(10);
        // summer, UTC-4
        assertThat(plan(p, FR, orderPaid("2026-07-14T21:00:00Z", 0)).points()).as("17:00 EDT").isEqualTo(30);
        assertThat(plan(p, FR, orderPaid("2026-07-14T22:59:00Z", 0)).points()).as("18:59 EDT").isEqualTo(30);
        assertThat(plan(p, FR, orderPaid("2026-07-14T23:00:00Z", 0)).points()).as("19:00 EDT").isEqualTo(10);
    }

    @Test
    void severalMultipliersMultiplyTogether() {
        ObjectNode def = minimal();
        def.withArray("earningRules").add(Fixtures.node("""
                {"id": "app", "trigger": "order.paid", "multiplier": 1.5,
                 "when": {"attr": "event.attributes.channel", "op": "eq", "value": "app"}}"""));
        Program p = program(def);
        Event appMonday = new Event("order.paid", "o", Instant.parse(MONDAY), Fixtures.order(12999), Map.of("channel", "app"));
        assertThat(plan(p, DE, appMonday).points()).isEqualTo(387); // 129 x 2 x 1.5
        assertThat(plan(p, FR, appMonday).points()).isEqualTo(193); // 129 x 1.5, floored
    }

    @Test
    void aRuleWithPointsAndMultiplierMultipliesOnlyItsOwnPoints() {
        Program p = programWith("UTC", """
                [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                 {"id": "promo", "trigger": "order.paid", "points": {"fixed": 10}, "multiplier": 3}]""", null);
        Plan plan = plan(p, FR, orderPaid(TUESDAY, 12999));
        assertThat(line(plan, "purchase").points()).isEqualTo(129);
        assertThat(line(plan, "promo").points()).isEqualTo(30);
        assertThat(plan.points()).isEqualTo(159);
    }

    @Test
    void disabledRulesAreIgnored() {
        ObjectNode def = minimal();
        ((ObjectNode) def.withArray("earningRules").get(3)).put("status", "disabled");
        assertThat(plan(program(def), DE, orderPaid(MONDAY, 12999)).points()).as("disabled multiplier").isEqualTo(129);

        def = minimal();
        ((ObjectNode) def.withArray("earningRules").get(0)).put("status", "disabled");
        Plan p = plan(program(def), DE, orderPaid(MONDAY, 12999));
        assertThat(p.points()).isZero();
        assertThat(p.breakdown()).extracting(Line::ruleId).doesNotContain("purchase");

        def = minimal();
        ((ObjectNode) def.withArray("earningRules").get(1)).put("status", "disabled");
        assertThat(plan(program(def), FR, event("newsletter.subscribed", TUESDAY)).points()).isZero();
    }

    @Test
    void activeWindowIsHalfOpen() {
        Program p = programWith("UTC", """
                [{"id": "xmas", "trigger": "order.paid", "points": {"fixed": 7},
                  "activeFrom": "2026-12-01T00:00:00Z", "activeUntil": "2026-12-25T00:00:00Z"}]""", null);
        assertThat(plan(p, FR, orderPaid("2026-11-30T23:59:59Z", 100)).points()).isZero();
        assertThat(plan(p, FR, orderPaid("2026-12-01T00:00:00Z", 100)).points()).isEqualTo(7);
        assertThat(plan(p, FR, orderPaid("2026-12-24T23:59:59Z", 100)).points()).isEqualTo(7);
        assertThat(plan(p, FR, orderPaid("2026-12-25T00:00:00Z", 100)).points()).isZero();
    }

    // ---------------------------------------------------------------- tiers

    @Test
    void tierMultiplierAppliesLastAndIsFloored() {
        Customer silver = customer("c-s", Map.of("country", "FR"), 0, 600);
        Plan p = plan(MINIMAL, silver, orderPaid(TUESDAY, 12999));
        assertThat(p.points()).as("1.5 x 129 = 193.5, floored").isEqualTo(193);
        assertThat(p.breakdown()).anySatisfy(l -> {
            assertThat(l.tierId()).isEqualTo("silver");
            assertThat(l.multiplier()).isEqualByComparingTo("1.5");
        });
        assertThat(p.tierBefore().id()).isEqualTo("silver");

        Customer gold = customer("c-g", Map.of("country", "FR"), 0, 2500);
        assertThat(plan(MINIMAL, gold, orderPaid(TUESDAY, 12999)).points()).isEqualTo(258);

        Customer silverDe = customer("c-sd", Map.of("country", "DE"), 0, 600);
        assertThat(plan(MINIMAL, silverDe, orderPaid(MONDAY, 12999)).points()).as("129 x 2 x 1.5").isEqualTo(387);
        assertThat(plan(MINIMAL, silver, event("newsletter.subscribed", TUESDAY)).points()).isEqualTo(75);
    }

    @Test
    void bronzeHasNoTierLine() {
        Plan p = plan(MINIMAL, FR, orderPaid(TUESDAY, 12999));
        assertThat(p.breakdown()).allSatisfy(l -> assertThat(l.tierId()).isNull());
    }

    @Test
    void storedTierCountsWhenHigherThanPoints() {
        Customer storedGold = withTier(customer(0, 0), "gold");
        assertThat(plan(MINIMAL, storedGold, orderPaid(TUESDAY, 12999)).points()).isEqualTo(258);
        Customer storedUnknown = withTier(customer(0, 600), "platinum");
        assertThat(plan(MINIMAL, storedUnknown, orderPaid(TUESDAY, 12999)).points()).isEqualTo(193);
        Customer storedLower = withTier(customer(0, 2500), "bronze");
        assertThat(plan(MINIMAL, storedLower, orderPaid(TUESDAY, 12999)).points()).isEqualTo(258);
    }

    @Test
    void tierUpgradesAtTheEarnThatCrossesTheThreshold() {
        Plan crossing = plan(MINIMAL, customer(0, 400), orderPaid(TUESDAY, 12999));
        assertThat(crossing.points()).as("earned at the old tier's rate").isEqualTo(129);
        assertThat(crossing.lifetimeAfter()).isEqualTo(529);
        assertThat(crossing.tierBefore().id()).isEqualTo("bronze");
        assertThat(crossing.tierAfter().id()).isEqualTo("silver");
        assertThat(crossing.tierChanged()).isTrue();

        Plan exact = plan(MINIMAL, customer(0, 371), orderPaid(TUESDAY, 12999));
        assertThat(exact.lifetimeAfter()).isEqualTo(500);
        assertThat(exact.tierAfter().id()).as("threshold is inclusive").isEqualTo("silver");

        Plan below = plan(MINIMAL, customer(0, 370), orderPaid(TUESDAY, 12999));
        assertThat(below.tierAfter().id()).isEqualTo("bronze");
        assertThat(below.tierChanged()).isFalse();

        Plan skip = plan(MINIMAL, customer(0, 450), orderPaid(TUESDAY, 200_000));
        assertThat(skip.points()).isEqualTo(2000);
        assertThat(skip.tierAfter().id()).as("bronze straight to gold").isEqualTo("gold");

        Plan zero = plan(MINIMAL, customer(0, 499), orderPaid(TUESDAY, 50));
        assertThat(zero.tierChanged()).isFalse();
    }

    @Test
    void tierNeverDropsOnAnEarn() {
        Plan p = plan(MINIMAL, withTier(customer(0, 0), "gold"), orderPaid(TUESDAY, 100));
        assertThat(p.tierAfter().id()).isEqualTo("gold");
        assertThat(p.tierChanged()).isFalse();
    }

    @Test
    void programsWithoutTiersHaveNoTier() {
        Program p = programWith("UTC", "[{\"id\": \"r\", \"trigger\": \"order.paid\", \"points\": {\"fixed\": 5}}]", null);
        Plan plan = plan(p, FR, orderPaid(TUESDAY, 100));
        assertThat(plan.tierBefore()).isNull();
        assertThat(plan.tierAfter()).isNull();
        assertThat(plan.tierChanged()).isFalse();
        assertThat(plan.expiresAt()).as("no expiry configured").isNull();
    }

    // ---------------------------------------------------------------- caps

    @Test
    void perCustomerCountCap() {
        Plan first = plan(MINIMAL, FR, event("newsletter.subscribed", TUESDAY));
        assertThat(first.points()).isEqualTo(50);
        assertThat(first.capKeys()).containsOnlyKeys("newsletter");
        assertThat(first.capKeys().get("newsletter")).containsExactly(1, 50);

        Customer already = withCounters(FR, Map.of("newsletter", 1L), Map.of("newsletter", 50L));
        Plan second = plan(MINIMAL, already, event("newsletter.subscribed", TUESDAY));
        assertThat(second.points()).isZero();
        assertThat(line(second, "newsletter").points()).isZero();
        assertThat(line(second, "newsletter").capped()).isEqualTo("perCustomer.count");
        assertThat(second.capKeys()).as("nothing to count when nothing is earned").isEmpty();
    }

    @Test
    void perCustomerPointsCapEarnsWhatStillFits() {
        Customer at95 = withCounters(FR, Map.of("social", 10L), Map.of("social", 95L));
        Plan p = plan(MINIMAL, at95, event("social.liked", TUESDAY));
        assertThat(p.points()).isEqualTo(5);
        assertThat(line(p, "social").capped()).isEqualTo("perCustomer.points");
        assertThat(p.capKeys().get("social")).containsExactly(1, 5);
        assertThat(p.ruleBudgets()).containsEntry("social", 5L);

        Customer at100 = withCounters(FR, Map.of("social", 10L), Map.of("social", 100L));
        Plan full = plan(MINIMAL, at100, event("social.liked", TUESDAY));
        assertThat(full.points()).isZero();
        assertThat(line(full, "social").capped()).isEqualTo("perCustomer.points");
        assertThat(full.capKeys()).isEmpty();
        assertThat(full.ruleBudgets()).isEmpty();

        Customer at90 = withCounters(FR, Map.of("social", 9L), Map.of("social", 90L));
        Plan exact = plan(MINIMAL, at90, event("social.liked", TUESDAY));
        assertThat(exact.points()).isEqualTo(10);
        assertThat(line(exact, "social").capped()).as("fits exactly, not capped").isNull();
    }

    @Test
    void totalBudgetCap() {
        Plan p = Earning.plan(MINIMAL, FR, event("social.liked", TUESDAY), Map.of("social", 99_995L));
        assertThat(p.points()).isEqualTo(5);
        assertThat(line(p, "social").capped()).isEqualTo("total.points");
        assertThat(p.ruleBudgets()).containsExactly(Map.entry("social", 5L));
        assertThat(p.ruleLimits()).containsExactly(Map.entry("social", 100_000L));

        Plan empty = Earning.plan(MINIMAL, FR, event("social.liked", TUESDAY), Map.of("social", 100_000L));
        assertThat(empty.points()).isZero();
        assertThat(line(empty, "social").capped()).isEqualTo("total.points");
        assertThat(empty.ruleBudgets()).isEmpty();

        Plan fresh = plan(MINIMAL, FR, event("social.liked", TUESDAY));
        assertThat(fresh.ruleBudgets()).containsExactly(Map.entry("social", 10L));
        assertThat(line(fresh, "social").capped()).isNull();
    }

    @Test
    void capsApplyAfterTheTierMultiplier() {
        Customer silverAt90 = withCounters(customer(0, 600), Map.of("social", 9L), Map.of("social", 90L));
        Plan p = plan(MINIMAL, silverAt90, event("social.liked", TUESDAY));
        assertThat(p.points()).as("15 wanted, 10 fit").isEqualTo(10);
        assertThat(line(p, "social").capped()).isEqualTo("perCustomer.points");
    }

    @Test
    void periodCapsCountPerCalendarDayInTheProgramZone() {
        Program p = programWith("Europe/Berlin", """
                [{"id": "checkin", "trigger": "store.visited", "points": {"fixed": 10},
                  "limits": {"perCustomer": {"count": 1, "period": "day"}}}]""", null);
        // Monday 00:30 in Berlin; the Monday counter is full
        String mondayKey = Earning.capKey("checkin", Program.Period.DAY, LocalDate.of(2026, 11, 23));
        String tuesdayKey = Earning.capKey("checkin", Program.Period.DAY, LocalDate.of(2026, 11, 24));
        assertThat(mondayKey).isNotEqualTo(tuesdayKey);
        Customer c = withCounters(FR, Map.of(mondayKey, 1L), Map.of(mondayKey, 10L));
        Plan monday = plan(p, c, event("store.visited", MONDAY_IN_BERLIN_ONLY));
        assertThat(monday.points()).isZero();
        assertThat(line(monday, "checkin").capped()).isEqualTo("perCustomer.count");
        Plan tuesday = plan(p, c, event("store.visited", MONDAY_IN_UTC_ONLY));
        assertThat(tuesday.points()).as("a new day in Berlin").isEqualTo(10);
        assertThat(tuesday.capKeys()).containsOnlyKeys(tuesdayKey);
    }

    @Test
    void capKeysSeparatePeriods() {
        LocalDate d = LocalDate.of(2026, 12, 31);
        assertThat(Earning.capKey("r", null, d)).isEqualTo("r");
        assertThat(Earning.capKey("r", Program.Period.WEEK, d))
                .as("2026-12-31 is in ISO week 53 of 2026")
                .isEqualTo(Earning.capKey("r", Program.Period.WEEK, LocalDate.of(2027, 1, 3)))
                .isNotEqualTo(Earning.capKey("r", Program.Period.WEEK, LocalDate.of(2027, 1, 4)));
        assertThat(Earning.capKey("r", Program.Period.MONTH, d))
                .isEqualTo(Earning.capKey("r", Program.Period.MONTH, LocalDate.of(2026, 12, 1)))
                .isNotEqualTo(Earning.capKey("r", Program.Period.MONTH, LocalDate.of(2027, 1, 31)));
        assertThat(Earning.capKey("r", Program.Period.YEAR, d))
                .isEqualTo(Earning.capKey("r", Program.Period.YEAR, LocalDate.of(2026, 1, 1)))
                .isNotEqualTo(Earning.capKey("r", Program.Period.YEAR, LocalDate.of(2027, 1, 1)));
    }

    @Test
    void overflowIsAClearInvalidRequest() {
        Program p = programWith("UTC", """
                [{"id": "big", "trigger": "order.paid", "points": {"fixed": 10000000000000}},
                 {"id": "x", "trigger": "order.paid", "multiplier": 100}]""", null);
        Refused e = assertThrows(Refused.class, () -> plan(p, FR, orderPaid(TUESDAY, 0)));
        assertThat(e.code()).isEqualTo(Refusal.Code.INVALID_REQUEST);
    }

    // ---------------------------------------------------------------- lot expiry

    @Test
    void lotExpiresAtTheEndOfTheLastValidDayInTheProgramZone() {
        // earned Monday 23 Nov in Berlin (still Sunday in UTC); one day later is Tuesday 24; it ends at midnight Berlin time
        Program oneDay = programWith("Europe/Berlin", "[{\"id\": \"r\", \"trigger\": \"order.paid\", \"points\": {\"fixed\": 1}}]",
                "\"expiry\": {\"afterDays\": 1}");
        assertThat(plan(oneDay, FR, orderPaid(MONDAY_IN_BERLIN_ONLY, 0)).expiresAt())
                .isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
    }

    @Test
    void lotExpiryIsDstSafeInBerlin() {
        Program p = programWith("Europe/Berlin", "[{\"id\": \"r\", \"trigger\": \"order.paid\", \"points\": {\"fixed\": 1}}]",
                "\"expiry\": {\"afterDays\": 30}");
        // earned in CET (+01:00), expires in CEST (+02:00): the end of 31 March is 22:00 UTC, not 23:00
        assertThat(plan(p, FR, orderPaid("2026-03-01T12:00:00Z", 0)).expiresAt())
                .isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        // earned in CEST, expires in CET: the end of 31 October is 23:00 UTC
        assertThat(plan(p, FR, orderPaid("2026-10-01T10:00:00Z", 0)).expiresAt())
                .isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
    }

    @Test
    void lotExpiryWhereMidnightDoesNotExist() {
        // Chile starts DST at 24:00: 6 Sep 2026 begins at 01:00 -03:00, i.e. 04:00 UTC
        Program p = programWith("America/Santiago", "[{\"id\": \"r\", \"trigger\": \"order.paid\", \"points\": {\"fixed\": 1}}]",
                "\"expiry\": {\"afterDays\": 1}");
        assertThat(plan(p, FR, orderPaid("2026-09-04T15:00:00Z", 0)).expiresAt())
                .isEqualTo(Instant.parse("2026-09-06T04:00:00Z"));
    }

    @Test
    void tierExpiryDaysOverrideTheProgramsExpiry() {
        Instant at = Instant.parse(TUESDAY);
        Plan bronze = plan(MINIMAL, FR, orderPaid(TUESDAY, 12999));
        Plan gold = plan(MINIMAL, customer(0, 2500), orderPaid(TUESDAY, 12999));
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(bronze.expiresAt()).isEqualTo(LocalDate.of(2027, 11, 25).atStartOfDay(berlin).toInstant());
        assertThat(gold.expiresAt()).isEqualTo(LocalDate.of(2028, 11, 24).atStartOfDay(berlin).toInstant());
        assertThat(Duration.between(at, gold.expiresAt()).toDays()).isEqualTo(730);
    }

    @Test
    void lotExpiryProperty() {
        long seed = 20261122L;
        Random rnd = new Random(seed);
        List<String> zones = List.of("Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Asia/Kolkata", "UTC");
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 600; i++) {
            String zone = zones.get(rnd.nextInt(zones.size()));
            int days = 1 + rnd.nextInt(800);
            Instant at = base.plusSeconds((long) (rnd.nextDouble() * 5 * 365 * 86400));
            Program p = programWith(zone, "[{\"id\": \"r\", \"trigger\": \"order.paid\", \"points\": {\"fixed\": 1}}]",
                    "\"expiry\": {\"afterDays\": " + days + "}");
            Instant exp = plan(p, FR, new Event("order.paid", "o", at, null, Map.of())).expiresAt();
            String ctx = "seed " + seed + " case " + i + ": zone " + zone + ", earned " + at + ", afterDays " + days + " -> " + exp;
            ZoneId z = ZoneId.of(zone);
            LocalDate earnedDay = at.atZone(z).toLocalDate();
            // the instant is the first moment of the day after the last valid day, in the program zone
            assertThat(exp.atZone(z).toLocalDate()).as(ctx).isEqualTo(earnedDay.plusDays(days + 1L));
            assertThat(exp.atZone(z).toLocalTime()).as(ctx).isBeforeOrEqualTo(LocalTime.of(1, 0));
            assertThat(exp.minusSeconds(1).atZone(z).toLocalDate()).as(ctx).isEqualTo(earnedDay.plusDays(days));
            // at least `days` full days after the earn, and less than a day more
            assertThat(Duration.between(at, exp)).as(ctx)
                    .isGreaterThan(Duration.ofDays(days).minusHours(2))
                    .isLessThanOrEqualTo(Duration.ofDays(days + 1L).plusHours(2));
        }
    }
}
