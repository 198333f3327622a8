package dev.laurel.store;

import dev.laurel.domain.Customer;
import dev.laurel.store.Records.EarnRead;
import dev.laurel.store.Records.EarnWrite;
import dev.laurel.store.Records.LedgerPage;
import dev.laurel.store.Records.RedeemWrite;
import dev.laurel.store.Records.Redemption;
import dev.laurel.store.Records.RefundRead;
import dev.laurel.store.Records.RefundWrite;
import dev.laurel.store.Records.RollbackWrite;
import dev.laurel.store.Records.ValidateRead;
import java.util.Collection;
import java.util.Optional;

/** A customer's partition: profile with lots, orders, ledger; redemptions, idempotency records, budgets. */
public interface CustomerStore {
    /** The profile and the named rules' total budgets. */
    EarnRead readForEarn(String tenant, String programId, String customerId, Collection<String> budgetRuleIds);

    /**
     * The profile, what is stacked on the order, and the named rewards' and rules' budgets. Of
     * {@code budgetRewardIds}, {@code splitRewardIds} are those the program splits: all their
     * sub-counters are read at once; of the others only the budget item, and the rest of its
     * sub-counters only when it turns out split (under an older limit or threshold).
     */
    ValidateRead readForValidate(String tenant, String programId, String customerId, String orderId,
                                 Collection<String> budgetRewardIds, Collection<String> splitRewardIds,
                                 Collection<String> budgetRuleIds);

    /** The customer with their lots (a newcomer when there is no profile). */
    Customer readWithLots(String tenant, String programId, String customerId);

    /** The customer with their lots, and the order's record. */
    RefundRead readForRefund(String tenant, String programId, String customerId, String orderId);

    Optional<Redemption> redemption(String tenant, String programId, String redemptionId);

    /** A stored idempotency record as a replay (read only on refusal paths, to answer a retry exactly). */
    Optional<Commit.Replay> idempotency(String tenant, String programId, String scope, String key);

    /** Ledger entries newest first; empty when {@code cursor} is not one this store returned. */
    Optional<LedgerPage> ledger(String tenant, String programId, String customerId, int limit, String cursor);

    /** The member a referral code belongs to, if any (issue 12). */
    Optional<String> referralCodeOwner(String tenant, String programId, String code);

    /** The member's referral state ({@link dev.laurel.domain.Referral#NONE} when none). */
    dev.laurel.domain.Referral referral(String tenant, String programId, String customerId);

    /**
     * Gives a member stored without a referral code the code {@code code} (its code item on
     * {@code attribute_not_exists}, the profile conditional on {@code seq}): {@link Commit.Retry}
     * when the code is taken or the profile changed.
     */
    Commit giveReferralCode(String tenant, String programId, String customerId, long seq, String code,
                            java.time.Instant now);

    Commit earn(EarnWrite w);

    /** The confirmation token stored under this hash (double opt-in), if any. */
    Optional<Records.ConsentToken> consentToken(String tokenHash);

    Commit redeem(RedeemWrite w);

    Commit rollback(RollbackWrite w);

    Commit donate(Records.DonateWrite w);

    Commit refund(RefundWrite w);
}
