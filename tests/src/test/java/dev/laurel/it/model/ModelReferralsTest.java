package dev.laurel.it.model;

import static dev.laurel.it.model.Op.clock;
import static dev.laurel.it.model.Op.earn;
import static dev.laurel.it.model.Op.expiry;
import static dev.laurel.it.model.Op.ledger;
import static dev.laurel.it.model.Op.refer;
import static dev.laurel.it.model.Op.refund;
import static dev.laurel.it.model.Op.upsert;
import static dev.laurel.it.model.Op.wallet;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: referrals in the model-based harness, on purpose (random sequences reach them rarely):
 * naming and its refusals, the award at the first qualifying order (pending with the order's
 * points), the referrer's limit (2 in every generated program), a refund in the window cancelling
 * both and freeing the slot, the release at the window's end; every answer, wallet and ledger
 * compared with the model after every step.
 */
class ModelReferralsTest {
    static final String T = "2026-11-23T09:00:00Z";

    @Test
    void namingAwardLimitAndCancellationAgreeWithTheModel() {
        ShrunkCasesTest.check(new Spec("Europe/Berlin", 30, 3, true, false, 0, 1, Instant.parse(T)),
                upsert("a", "DE", true),
                refer("b", "a"),
                earn("b", "o1", 1999, T),
                earn("b", "o2", 2500, T),
                refer("c", "a"),
                refer("d", "a"),
                earn("c", "o3", 5000, T),
                earn("d", "o4", 5000, T),
                refer("e", "a"),
                refer("a", "a"),
                refer("f", "nobody"),
                refund("b", "o2", 100),
                refer("e", "a"),
                earn("e", "o5", 3000, T),
                wallet("a"),
                wallet("b"),
                ledger("a"),
                ledger("b"),
                clock("2026-11-28T00:00:00Z"),
                expiry(),
                refund("e", "o5", 3000),
                wallet("a"),
                wallet("e"),
                ledger("e"));
    }

    @Test
    void withoutAReturnWindowTheAwardIsAvailableAtOnceAndARefundLeavesIt() {
        ShrunkCasesTest.check(new Spec("UTC", null, null, false, false, 0, 1, Instant.parse(T)),
                upsert("a", "FR", false),
                earn("a", "a1", 50000, T),
                refund("a", "a1", 50000),
                refer("b", "a"),
                earn("b", "o1", 2000, T),
                refund("b", "o1", 2000),
                wallet("a"),
                ledger("a"),
                wallet("b"),
                ledger("b"));
    }
}
