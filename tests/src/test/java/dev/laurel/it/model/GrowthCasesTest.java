package dev.laurel.it.model;

import static dev.laurel.it.model.Op.clock;
import static dev.laurel.it.model.Op.confirm;
import static dev.laurel.it.model.Op.earn;
import static dev.laurel.it.model.Op.expiry;
import static dev.laurel.it.model.Op.ledger;
import static dev.laurel.it.model.Op.likes;
import static dev.laurel.it.model.Op.program;
import static dev.laurel.it.model.Op.redeem;
import static dev.laurel.it.model.Op.refer;
import static dev.laurel.it.model.Op.refund;
import static dev.laurel.it.model.Op.reminders;
import static dev.laurel.it.model.Op.rollback;
import static dev.laurel.it.model.Op.upsert;
import static dev.laurel.it.model.Op.validate;
import static dev.laurel.it.model.Op.wallet;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the growth features in the model-based harness, on purpose (tier reviews and token
 * mix-ups are rare in random sequences), and the sequences {@link ModelGrowthTest} found and
 * shrank; each runs against the real handlers and the model ({@link Runner}) and must agree. The
 * comment above a found case says what the branch answered before its fix.
 */
class GrowthCasesTest {
    static final String T = "2026-11-23T09:00:00Z";

    static Spec spec(String zone, Integer pendingDays, String window, String downgrade, boolean doubleOptIn) {
        return new Spec(zone, null, pendingDays, true, false, 0, 1, Instant.parse(T))
                .withGrowth(new Spec.Growth(window, downgrade, doubleOptIn));
    }

    /**
     * Found (seed 2): under {@code calendar_year} the wallet's {@code tier.pointsToNext} counted
     * lifetime points: after the year end it said 239 to silver for a member with 61 points in the
     * old year and none in the new one (model: 300, the new window's points count).
     */
    @Test
    void pointsToNextCountsTheWindowsPoints() {
        ShrunkCasesTest.check(spec("Europe/Berlin", null, "calendar_year", "end_of_window", false),
                upsert("c1", "FR", false),
                earn("c1", "o1", 3600, T),
                wallet("c1"),
                clock("2027-01-01T08:00:01Z"),
                wallet("c1"));
    }

    /**
     * Found (seed 17, 150 steps): the {@code customer.confirmed} bonus of a member who owed points
     * (a refund could not collect them) did not pay the debt first: 40 available with 175 still owed
     * (model: 0 available, 135 owed, as for any earn).
     */
    @Test
    void theConfirmationBonusPaysTheDebtFirst() {
        ShrunkCasesTest.check(spec("UTC", null, "lifetime", "never", true),
                upsert("a", "FR", true),
                earn("a", "o1", 20000, T),
                redeem("a", "gift", "r1", "k1", null, 0, null),
                refund("a", "o1", 20000),
                wallet("a"),
                confirm("a", 0),
                wallet("a"),
                ledger("a"));
    }

    /**
     * Found (seed 30, shrunk from 69 steps): a harness error, not Laurel's: the runner's points
     * invariant counted the confirmation bonus as 40 where a gold member's tier multiplier doubles it.
     */
    @Test
    void aGoldMembersConfirmationBonusIsMultiplied() {
        ShrunkCasesTest.check(new Spec("America/Los_Angeles", 365, 3, true, true, 2, 3, Instant.parse("2026-03-07T21:11:38Z"))
                        .withGrowth(new Spec.Growth("lifetime", "never", true)),
                clock("2026-04-19T07:00:00Z"),
                upsert("c2", "FR", true),
                earn("c2", "o44", 150000, "2026-04-19T07:00:01Z"),
                confirm("c2", 0));
    }

    /**
     * Found (seed 39 of the long run, shrunk from 41 steps): a model error, not Laurel's: the model
     * answered a referee's upgrade by lifetime points (303: silver) where the earn backdated into 2026
     * and the award in 2027 count in different calendar years (258 and 45: bronze, as Laurel said).
     */
    @Test
    void aBackdatedQualifyingOrderAndItsAwardCountInTheirOwnYears() {
        ShrunkCasesTest.check(new Spec("America/Los_Angeles", 30, 1, true, false, 1, 2, Instant.parse("2026-11-23T09:18:44Z"))
                        .withGrowth(new Spec.Growth("calendar_year", "end_of_window", false)),
                clock("2027-02-01T07:59:59Z"),
                program("USD", "America/Los_Angeles", null, "trees", true, true, true, null),
                likes("c2", "l13", 6),
                refer("c3", "c2"),
                earn("c3", "o19", 12999, "2026-12-27T05:51:04Z", "USD"),
                wallet("c3"),
                wallet("c2"));
    }

    /** A tier reached in a calendar year is kept through the next by that year's points, then reviewed one tier down. */
    @Test
    void aCalendarYearTierIsKeptByItsYearAndThenGoesDownOneTierAtATime() {
        ShrunkCasesTest.check(spec("Europe/Berlin", null, "calendar_year", "end_of_window", true),
                upsert("a", "FR", false),
                earn("a", "o1", 150000, T),
                wallet("a"),
                clock("2026-12-31T22:59:59Z"),
                expiry(),
                wallet("a"),
                clock("2027-01-01T00:00:01Z"),
                expiry(),
                wallet("a"),
                earn("a", "o2", 10000, "2027-01-02T10:00:00Z"),
                clock("2028-01-01T00:00:00Z"),
                expiry(),
                expiry(),
                wallet("a"),
                validate("a", 5000L, 0, null, null),
                clock("2029-01-01T00:00:00Z"),
                expiry(),
                wallet("a"),
                ledger("a"));
    }

    /** A rolling window is reviewed at each month end; a refund takes its points out of the month they counted in. */
    @Test
    void aRollingWindowFollowsRefundsAndMonthEnds() {
        ShrunkCasesTest.check(spec("America/Los_Angeles", null, "rolling_365_days", "end_of_window", false),
                upsert("a", "DE", true),
                earn("a", "o1", 20000, "2026-10-20T10:00:00Z"),
                earn("a", "o2", 2000, T),
                wallet("a"),
                refund("a", "o1", 10000),
                wallet("a"),
                earn("a", "o3", 40000, T),
                clock("2026-12-01T08:00:00Z"),
                expiry(),
                wallet("a"),
                clock("2027-11-01T07:00:00Z"),
                expiry(),
                wallet("a"),
                clock("2027-12-01T08:00:00Z"),
                expiry(),
                wallet("a"),
                ledger("a"));
    }

    /** Order statistics net of refunds, and the segments they put a member in (a multiplier rule, a reward, the wallet). */
    @Test
    void statisticsAndSegmentsFollowOrdersAndRefunds() {
        ShrunkCasesTest.check(spec("UTC", null, "lifetime", "never", false),
                upsert("a", "FR", false),
                earn("a", "o1", 3000, T),
                earn("a", "o2", 2500, T),
                wallet("a"),
                validate("a", 1000L, 0, null, "spenders"),
                redeem("a", "spenders", "r1", "k1", null, 0, null),
                earn("a", "o3", 1000, T),
                refund("a", "o1", 3000),
                wallet("a"),
                redeem("a", "spenders", "r2", "k2", null, 0, null),
                rollback("r1", null),
                clock("2027-01-10T00:00:00Z"),
                wallet("a"),
                earn("a", "o4", 100, "2027-01-10T00:00:00Z"),
                wallet("a"));
    }

    /** Double opt-in: pending until confirmed, the bonus once, used and replaced tokens refused, reminders only once confirmed. */
    @Test
    void doubleOptInConfirmsOnceAndOnlyWithTheCurrentToken() {
        ShrunkCasesTest.check(spec("Europe/Berlin", 3, "lifetime", "never", true),
                upsert("a", "FR", true),
                wallet("a"),
                upsert("a", "FR", true),
                earn("a", "o1", 5000, T),
                reminders(),
                confirm("a", 0),
                confirm("a", 0),
                wallet("a"),
                reminders(),
                upsert("a", "FR", false),
                wallet("a"),
                upsert("a", "FR", true),
                clock("2026-11-23T10:30:00Z"),
                upsert("a", "FR", true),
                confirm("a", 1),
                confirm("a", 0),
                wallet("a"),
                ledger("a"),
                upsert("b", "DE", true),
                clock("2026-12-01T10:30:00Z"),
                confirm("b", 0),
                confirm("nobody", 0),
                wallet("b"));
    }

    /**
     * A referral award counts in the window; its cancellation by a refund inside the return window
     * takes it out again. Written by hand (random sequences seldom cancel a referral under a window):
     * before its fix the cancelled 20 points stayed in the referee's window (pointsToNext 255, model
     * 275) and the referrer's 30 in theirs.
     */
    @Test
    void aCancelledReferralLeavesTheWindow() {
        ShrunkCasesTest.check(spec("Europe/Berlin", 3, "calendar_year", "end_of_window", false),
                upsert("a", "FR", false),
                earn("a", "a1", 28000, T),
                refer("b", "a"),
                earn("b", "o1", 2800, T),
                wallet("a"),
                wallet("b"),
                refund("b", "o1", 2800),
                wallet("a"),
                wallet("b"),
                clock("2027-01-01T00:00:00Z"),
                expiry(),
                wallet("a"),
                ledger("a"));
    }
}
