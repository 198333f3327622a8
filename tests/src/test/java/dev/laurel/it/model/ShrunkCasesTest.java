package dev.laurel.it.model;

import static dev.laurel.it.model.Op.clock;
import static dev.laurel.it.model.Op.custom;
import static dev.laurel.it.model.Op.earn;
import static dev.laurel.it.model.Op.expiry;
import static dev.laurel.it.model.Op.ledger;
import static dev.laurel.it.model.Op.likes;
import static dev.laurel.it.model.Op.program;
import static dev.laurel.it.model.Op.redeem;
import static dev.laurel.it.model.Op.refund;
import static dev.laurel.it.model.Op.reminders;
import static dev.laurel.it.model.Op.rollback;
import static dev.laurel.it.model.Op.upsert;
import static dev.laurel.it.model.Op.validate;
import static dev.laurel.it.model.Op.wallet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sequences the model-based test found on the main of issue 9 (and, below, of issue 16) and shrank, one or more per defect:
 * each runs against the real handlers and the model ({@link Runner}) and must agree. The comment
 * above each says what the old main answered.
 */
class ShrunkCasesTest {
    static void check(Spec spec, Op... ops) {
        Runner.Failure f = Runner.run(spec, List.of(ops));
        assertThat(f).as(() -> f.message()).isNull();
    }

    @Test
    void anOrdinaryDayAgrees() {
        check(new Spec("Europe/Berlin", 30, 3, true, true, 0, 1, Instant.parse("2026-11-23T09:00:00Z")),
                upsert("c1", "DE", true),
                earn("c1", "o1", 12999, "2026-11-23T09:00:00Z"),
                custom("c1", "review.written", "e1", "2026-11-23T09:00:00Z"),
                validate("c1", 5000L, 495, "b1", null),
                redeem("c1", "trees", "r1", "k1", null, 0, null),
                rollback("r1", null),
                rollback("r1", null),
                clock("2026-11-27T00:00:00Z"),
                expiry(),
                wallet("c1"),
                ledger("c1"));
    }

    /** Defect 1: the reward's first redemption passed totalOrderMinor (9000) with a 50,000 order: 201, not budget_exhausted. */
    @Test
    void aBudgetRefusesAnOverLimitFirstUse() {
        check(new Spec("Europe/Berlin", 30, null, true, false, 2, 1, Instant.parse("2026-03-07T22:32:38Z")),
                earn("c2", "o0", 10000, "2026-03-07T22:32:38Z"),
                redeem("c2", "ten-off", "r3", "k4", 50000L, 0, null));
    }

    /** Defect 1: a 2000 gift card against a 1500 totalDiscountMinor on first use: the old main said 201. */
    @Test
    void aGiftCardBudgetRefusesAnOverLimitFirstUse() {
        check(new Spec("UTC", null, null, false, false, 2, 1, Instant.parse("2026-11-23T09:00:00Z")),
                earn("c1", "o1", 20000, "2026-11-23T09:00:00Z"),
                validate("c1", null, 0, null, "gift"),
                redeem("c1", "gift", "r1", "k1", null, 0, null));
    }

    /** Defect 1: free shipping of 6000 on a 2000 order, first redemption on that order: the old main took 6000 off a 2000 order (now at most the order total). */
    @Test
    void anOrdersDiscountsNeverPassItsTotalOnFirstUse() {
        check(new Spec("UTC", null, null, false, false, 2, 1, Instant.parse("2026-11-23T09:00:00Z")),
                earn("c1", "o1", 10000, "2026-11-23T09:00:00Z"),
                redeem("c1", "ship", "r1", "k1", 2000L, 6000, "b1"));
    }

    /**
     * Found by the model after the issue 9 fixes merged (seed 4): an order's points, released from their
     * return window, and a repeat of that order's earn (its lot merges into the released lot) wrote the
     * lot whole and removed its pending mark in one update expression: overlapping paths, a 500.
     */
    @Test
    void aRepeatedEarnOfAReleasedOrderIsAReplay() {
        check(new Spec("Europe/Berlin", 7, 3, true, false, 0, 2, Instant.parse("2027-03-27T22:41:45Z")),
                clock("2027-04-09T22:41:45Z"),
                earn("c3", "o13", 1000, "2027-04-09T16:29:45Z"),
                clock("2027-04-14T22:56:51Z"),
                earn("c3", "o13", 1000, "2027-04-09T16:29:45Z"));
    }

    /** Defect 2: an event about 530 days before the program was created earned (200), outside the backdating window. */
    @Test
    void anEventBeforeTheBackdatingWindowIsRefused() {
        check(new Spec("UTC", 30, null, false, false, 1, 2, Instant.parse("2026-10-31T22:44:14Z")),
                earn("c2", "o8", 0, "2025-05-19T22:44:14Z"));
    }

    /** Defect 2: the year -300000000 earned (200) and left a lot no expiry run could handle. */
    @Test
    void anAncientEventIsRefusedAndTheRunGoesOn() {
        check(new Spec("Europe/Berlin", 7, 3, true, false, 0, 2, Instant.parse("2027-03-27T22:41:45Z")),
                earn("c2", "o0", 100, "-300000000-01-01T00:00:00Z"),
                earn("c1", "o1", 1000, "2027-03-27T22:41:45Z"),
                clock("2027-04-30T00:00:00Z"),
                expiry(),
                wallet("c1"),
                ledger("c1"));
    }

    /** Defect 2: the smallest Instant answered 500. */
    @Test
    void theSmallestInstantIsRefused() {
        check(new Spec("Europe/Berlin", 7, null, true, true, 0, 1, Instant.parse("2026-10-24T21:47:34Z")),
                earn("c2", "o0", 1000, "-1000000000-01-01T00:00:00Z"));
    }

    /** Defect 3: a backdated order whose points expired two days after it: the old main counted them as available. */
    @Test
    void pointsAlreadyExpiredWhenEarnedCountNowhere() {
        check(new Spec("America/Los_Angeles", 2, null, true, false, 1, 1, Instant.parse("2026-10-31T23:02:30Z")),
                earn("c1", "o0", 1000, "2026-09-26T02:54:14Z"));
    }

    /** Defect 3: months later, before any expiry run, the old main still showed the signup points as available. */
    @Test
    void pointsPastTheirExpiryCountNowhereBeforeTheRun() {
        check(new Spec("America/Los_Angeles", 2, 1, false, true, 2, 1, Instant.parse("2026-10-31T23:20:05Z")),
                upsert("c2", "FR", true),
                clock("2027-01-24T23:20:05Z"));
    }

    /** Defect 4: a full refund after spending: uncollectedPoints 125, but no balance.owed. */
    @Test
    void whatARefundCannotCollectIsOwed() {
        check(new Spec("America/Los_Angeles", 365, null, true, false, 1, 3, Instant.parse("2026-03-28T20:01:50Z")),
                clock("2026-03-28T20:30:50Z"),
                earn("c1", "o3", 150000, "2026-03-28T20:30:50Z"),
                redeem("c1", "pct", "r5", "k6", 100L, 1500, null),
                refund("c1", "o3", 150000));
    }

    /** Defect 4 (the sequence): earn, spend on a gift card, refund, roll back: the old main minted 175 points. */
    @Test
    void refundThenRollbackMintsNothing() {
        check(new Spec("Europe/Berlin", 365, null, false, false, 0, 1, Instant.parse("2026-11-23T09:00:00Z")),
                earn("c1", "o1", 20000, "2026-11-23T09:00:00Z"),
                redeem("c1", "gift", "r1", "k1", null, 0, null),
                refund("c1", "o1", 20000),
                rollback("r1", null),
                earn("c1", "o2", 5000, "2026-11-23T09:00:00Z"),
                wallet("c1"),
                ledger("c1"));
    }

    /** Defect 5: buying to silver and returning everything kept silver. */
    @Test
    void theTierFollowsAFullRefundDown() {
        check(new Spec("Europe/Berlin", 7, null, true, true, 0, 1, Instant.parse("2026-10-24T21:47:34Z")),
                earn("c1", "o5", 50000, "2026-10-19T06:30:49Z"),
                refund("c1", "o5", 50000));
    }

    /** Defect 7: twelve orders use up the order bonus's rule budget (60); validate's earnPreview still counted it (15, not 10). */
    @Test
    void earnPreviewRespectsUsedRuleBudgets() {
        List<Op> ops = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            ops.add(earn("c1", "o" + i, 1000, "2026-11-23T09:00:00Z"));
        }
        ops.add(validate("c1", 1000L, 0, null, null));
        check(new Spec("Europe/Berlin", null, null, true, true, 0, 1, Instant.parse("2026-11-23T09:00:00Z")),
                ops.toArray(Op[]::new));
    }

    /** Defect 6: the gift card is paid from 176 lots; the old main could not roll it back, nor remind 300 lots in one run. */
    @Test
    void hundredsOfLotsCanBeSpentRolledBackRemindedAndExpired() {
        check(new Spec("Europe/Berlin", 7, null, false, false, 0, 1, Instant.parse("2026-11-23T09:00:00Z")),
                upsert("c1", "FR", true),
                likes("c1", "l", 300),
                redeem("c1", "gift", "r1", "k1", null, 0, null),
                rollback("r1", null),
                clock("2026-11-30T00:00:00Z"),
                reminders(),
                clock("2026-12-01T00:00:00Z"),
                expiry(),
                wallet("c1"),
                ledger("c1"));
    }

    // ------------------------------------------------------------------ issue 16: found by the extended model on the old main

    /** Issue 16 item 1 (S8): a redeem replayed after the program's currency changed: the old main answered 400. */
    @Test
    void aRedeemReplayedAfterTheCurrencyChangedIsTheFirstAnswer() {
        check(new Spec("America/Los_Angeles", 1, null, false, false, 2, 3, Instant.parse("2027-03-27T22:24:11Z")),
                likes("c2", "l9", 16),
                redeem("c2", "cash", "r26", "k27", 7500L, 0, "b2"),
                program("USD", "America/Los_Angeles", null, "ship", true, true, true, "b"),
                redeem("c2", "cash", "r26", "k27", 7500L, 0, "b2"));
    }

    /** Issue 16 item 1 (S8): an earn replayed after the currency changed (and a reward removed): the old main answered 400. */
    @Test
    void anEarnReplayedAfterTheCurrencyChangedIsTheFirstAnswer() {
        check(new Spec("America/Los_Angeles", null, 1, true, false, 1, 1, Instant.parse("2026-06-15T12:35:49Z")),
                earn("c2", "o34", 99, "2025-06-28T17:30:00Z"),
                program("USD", "America/Los_Angeles", "pct", null, true, false, true, null),
                earn("c2", "o34", 99, "2025-06-28T17:30:00Z"));
    }

    /** Issue 16 item 2 (S9): reward_available queued at joining, then turned off: the old main still sent it. */
    @Test
    void aQueuedReminderOfATypeTurnedOffIsNotSent() {
        check(new Spec("Europe/Berlin", null, 3, true, true, 1, 2, Instant.parse("2026-03-28T19:26:42Z")),
                upsert("c3", "FR", true),
                program("EUR", "Europe/Berlin", null, null, true, false, true, "b"),
                reminders());
    }

    /** Issue 16 item 3 (S10): the points of an order still in its return window: the old main listed them as expiring. */
    @Test
    void pendingPointsAreNotListedAsExpiring() {
        check(new Spec("Europe/Berlin", 7, 3, true, false, 0, 2, Instant.parse("2027-03-27T22:41:45Z")),
                earn("c1", "o2", 1000, "2027-03-26T23:00:00Z"));
    }

    /**
     * Issue 16 item 4's class (S11, found with S9 and S10 emulating the old main): a backdated order's lot expires,
     * a reprice makes trees (30) the cheapest reward, later orders earn; the model says reward_available:trees goes
     * out at the last run, the old main's run sent nothing.
     */
    @Test
    void rewardAvailableIsSentOnceTheRepricedCheapestRewardIsReached() {
        check(new Spec("America/Los_Angeles", 365, 3, true, true, 2, 3, Instant.parse("2026-03-07T21:11:38Z")),
                earn("c1", "o0", 10000, "2025-04-17T21:11:38Z"),
                upsert("c1", "FR", true),
                program("EUR", "America/Los_Angeles", null, "trees", true, true, true, null),
                clock("2026-04-18T10:38:02Z"),
                earn("c1", "o26", 0, "2026-04-18T10:38:02Z"),
                clock("2026-04-23T03:59:59Z"),
                earn("c1", "o41", 1000, "2026-04-23T03:59:59Z"),
                reminders());
    }

    /**
     * Found by the model-based test when order statistics landed (seed 7): a back-dated order's month
     * bucket ({@code ~stats:month@2025-12}) also reads as an expired monthly rule cap, so the next
     * write's pruning named the same path twice in one update expression and DynamoDB refused it (500).
     */
    @Test
    void anUpsertAMonthAfterAnOldOrderPrunesItsStatsBucketOnce() {
        check(new Spec("Europe/Berlin", 7, null, true, true, 0, 1, Instant.parse("2026-10-24T21:47:34Z")),
                earn("c2", "o2", 10000, "2025-12-21T21:47:34Z"),
                clock("2027-02-09T23:00:00Z"),
                upsert("c2", "FR", false));
    }
}
