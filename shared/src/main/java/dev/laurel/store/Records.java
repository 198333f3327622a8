package dev.laurel.store;

import dev.laurel.domain.Budgets;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Lot;
import dev.laurel.domain.Referral;
import dev.laurel.domain.Spending;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values the store ports ({@link Store}) read and write, free of SDK types. */
public final class Records {
    private Records() {
    }

    /** A stored program; {@code createdAt} is null when it was stored before programs recorded it. */
    public record StoredProgram(String definition, long version, Instant createdAt) {
    }

    /**
     * A key as the authorizer reads it; {@code keyId} is null for a key stored before keys were
     * listed (still accepted, not listed), {@code lastUsedDay} (UTC) null until first used.
     */
    public record ApiKey(String tenant, String role, String name, String keyId, java.time.LocalDate lastUsedDay) {
    }

    /** The idempotency record a write creates: the answer a replay gets. */
    public record Idempotency(String scope, String key, String requestHash, int status, String body) {
    }

    /** {@code referral}: the member's referral state ({@link Referral#NONE} for a newcomer). */
    public record EarnRead(Customer customer, Map<String, Long> ruleBudgetUsed, Referral referral) {
        public EarnRead(Customer customer, Map<String, Long> ruleBudgetUsed) {
            this(customer, ruleBudgetUsed, Referral.NONE);
        }
    }

    /**
     * What an order already has: rewards stacked on it, per category, whether one is exclusive,
     * and the discounts redeemed on it.
     */
    public record OrderStack(Set<String> categories, boolean exclusive, long count, long discountMinor) {
        public static final OrderStack EMPTY = new OrderStack(Set.of(), false, 0, 0);
    }

    /** The profile, the order's stack and the named rewards' and rules' budgets used (absent: none used yet). */
    public record ValidateRead(Customer customer, OrderStack stack, Map<String, Budgets.Used> budgets,
                               Map<String, Long> ruleBudgetUsed,
                               // each reward budget's sub-counters as read (domain/SubCounters): what redeem charges
                               Map<String, List<dev.laurel.domain.SubCounters.Sub>> budgetSubs) {
    }

    /** A ledger entry to write: its id, type, signed points and what it refers to. */
    public record Entry(String entryId, String type, long points, Instant at, String ruleId, String rewardId,
                        String orderId, String redemptionId, String details) {
    }

    /** A ledger entry as listed. */
    public record LedgerEntry(String id, String type, long points, Instant at, String ruleId, String rewardId,
                              String orderId, String redemptionId, long programVersion, String details) {
    }

    public record LedgerPage(List<LedgerEntry> entries, String cursor) {
    }

    /**
     * Profile fields an upsert sets; null fields are left as they are. Attributes merge: plain values
     * (String, Boolean, Long, BigDecimal, List, Map) in the caller's order; a null value removes the attribute.
     */
    public record ProfileFields(String email, Map<String, Object> attributes, Boolean marketingConsent, String locale,
                                String referralCode) {
        public static final ProfileFields NONE = new ProfileFields(null, null, null, null, null);

        /** Fields without a referral code (imports set one; issue 12's referrals will too). */
        public ProfileFields(String email, Map<String, Object> attributes, Boolean marketingConsent, String locale) {
            this(email, attributes, marketingConsent, locale, null);
        }
    }

    /** An earned amount: the plan, its ledger entry and (when it gives points) its lot. */
    public record Earned(Earning.Plan plan, Entry entry, Lot lot, String orderId, Long orderTotalMinor) {
    }

    /**
     * Earn or upsert: the customer as read, the events applied (the join bonus first when the
     * customer is new), profile fields, and the idempotency record.
     */
    public record EarnWrite(String tenant, String programId, long programVersion, Customer before,
                            List<Earned> earned, ProfileFields profile, String tierAfter, Idempotency idempotency,
                            ProfileAfter after, Instant now, List<String> prunedCaps, ReferralWrite referral,
                            ConsentWrite consent, List<Spending.Take> takes) {
        public EarnWrite {
            prunedCaps = prunedCaps == null ? List.of() : List.copyOf(prunedCaps);
            takes = takes == null ? List.of() : List.copyOf(takes);
        }

        /**
         * A write that spends no lots ({@code takes}: what an import's {@code set} row that lowers the
         * balance spends).
         */
        public EarnWrite(String tenant, String programId, long programVersion, Customer before, List<Earned> earned,
                         ProfileFields profile, String tierAfter, Idempotency idempotency, ProfileAfter after, Instant now,
                         List<String> prunedCaps, ReferralWrite referral, ConsentWrite consent) {
            this(tenant, programId, programVersion, before, earned, profile, tierAfter, idempotency, after, now, prunedCaps,
                    referral, consent, List.of());
        }

        /** A write without a referral part that leaves the double opt-in as it is. */
        public EarnWrite(String tenant, String programId, long programVersion, Customer before, List<Earned> earned,
                         ProfileFields profile, String tierAfter, Idempotency idempotency, ProfileAfter after, Instant now,
                         List<String> prunedCaps) {
            this(tenant, programId, programVersion, before, earned, profile, tierAfter, idempotency, after, now, prunedCaps,
                    null, null, List.of());
        }

        /** A write that leaves the double opt-in as it is. */
        public EarnWrite(String tenant, String programId, long programVersion, Customer before, List<Earned> earned,
                         ProfileFields profile, String tierAfter, Idempotency idempotency, ProfileAfter after, Instant now,
                         List<String> prunedCaps, ReferralWrite referral) {
            this(tenant, programId, programVersion, before, earned, profile, tierAfter, idempotency, after, now, prunedCaps,
                    referral, null, List.of());
        }
    }

    /**
     * A write's referral part (issue 12): {@code newCode} is the member's new referral code (its code
     * item is put on {@code attribute_not_exists}: a clash cancels the write, which draws again);
     * {@code before}/{@code after} the member's referral state; {@code other} the other party's
     * side when this write moves points between the two (an award, or its cancellation), else null.
     */
    public record ReferralWrite(String newCode, Referral before, Referral after, OtherParty other) {
    }

    /**
     * The other party of a referral in the same transaction: the customer as read (their profile
     * write is conditional on that {@code seq}), their ledger entry, the lot it adds ({@code lot})
     * or the take that removes one ({@code take}), their profile and referral state after, the tier
     * after, and the most completed referrals they may have after the write ({@code maxReferred};
     * null: no limit), checked again by the write itself.
     */
    public record OtherParty(Customer before, Referral referralBefore, Referral referralAfter, Entry entry, Lot lot,
                             Spending.Take take, ProfileAfter after, String tierAfter, Long maxReferred,
                             Map<String, long[]> counters) {
        /** {@code counters}: deltas to the profile's point counters (a tier window's month, TierWindow). */
        public OtherParty {
            counters = counters == null ? Map.of() : Map.copyOf(counters);
        }
    }

    /**
     * A change of a member's double opt-in, written with the profile: {@code issue} a new
     * confirmation token (its hash, with its expiry; the token item is created, keyed by the hash),
     * {@code clear} the pending one (consent withdrawn), or {@code confirm} (the token item
     * {@code usedHash} is deleted, on the condition that it exists and has not expired).
     */
    public record ConsentWrite(String issueHash, Instant expiresAt, boolean clear, String usedHash) {
        public static ConsentWrite issue(String hash, Instant expiresAt) {
            return new ConsentWrite(hash, expiresAt, false, null);
        }

        public static final ConsentWrite CLEAR = new ConsentWrite(null, null, true, null);

        public static ConsentWrite confirm(String usedHash) {
            return new ConsentWrite(null, null, true, usedHash);
        }
    }

    /** A stored confirmation token (only its hash is stored): whose consent it confirms, and until when. */
    public record ConsentToken(String tokenHash, String tenant, String programId, String customerId, Instant expiresAt) {
    }

    /**
     * The profile as a write leaves it: exact balances (every profile write is conditional on the
     * {@code seq} read), the pending lots it releases, and when the scheduled functions next have
     * work for the customer ({@code dueAt}: expiry or release; {@code remindAt}: a points_expiring
     * reminder); null = never. {@code lots}: every lot the profile holds after the write (written
     * whole when a write changes many). {@code owed} is the debt it leaves; {@code debts} are the
     * debt payments it records (by the released lots, and by the write's own credit).
     * {@code notifications} are the event reminders the write records (welcome, tier_upgraded,
     * reward_available): every profile write queues them in its transaction and adds their ids to
     * the profile's {@code notified} set.
     */
    public record ProfileAfter(long available, long pending, long lifetimeEarned, List<Lot> released, Instant dueAt,
                               Instant remindAt, List<Lot> lots, long owed, List<DebtEntry> debts,
                               List<NotificationRecord> notifications) {
        public ProfileAfter {
            released = List.copyOf(released);
            lots = List.copyOf(lots);
            debts = List.copyOf(debts);
            notifications = List.copyOf(notifications);
            if (available < 0 || pending < 0 || lifetimeEarned < 0 || owed < 0) {
                throw new IllegalStateException("a write would leave a negative balance");
            }
        }
    }

    /**
     * A {@code debt} ledger entry a write records: what a credit paid of the debt. {@code take} is
     * what a released lot paid from its points (null when the credit's own lot was made smaller).
     */
    public record DebtEntry(Entry entry, Spending.Take take, long programVersion) {
    }

    /**
     * A reminder recorded with the write that caused it, queued for the reminders function: its
     * deterministic id ({@code type} or {@code type:subject}), so it is recorded at most once per
     * customer, type and subject.
     */
    public record NotificationRecord(String id, String type, String payloadJson, Instant at) {
    }

    /**
     * A reward budget charge: the amounts and the limits they must stay within (null = no limit), on
     * {@code subCounters} sub-counters (1: not split; see {@link dev.laurel.domain.Budgets#subCounters}).
     */
    public record BudgetCharge(String rewardId, long redemptions, long valueMinor, long orderMinor,
                               Long maxRedemptions, Long maxValueMinor, Long maxOrderMinor, int subCounters,
                               List<dev.laurel.domain.SubCounters.Sub> subs) {
    }

    /**
     * A donation (API.md Donations): the ledger entry (type {@code donation}, minus the points; its id
     * is the donation's id), the lots it takes, the idempotency record and the profile after.
     */
    public record DonateWrite(String tenant, String programId, long programVersion, Customer before,
                              List<Spending.Take> takes, Entry entry, Idempotency idempotency, ProfileAfter after,
                              Instant now) {
    }

    public record RedeemWrite(String tenant, String programId, long programVersion, Customer before,
                              String redemptionId, String rewardId, long cost, Long perCustomerLimit,
                              List<Spending.Take> takes, BudgetCharge budget, String orderId, String stackCategory,
                              boolean exclusive, long discountMinor, long orderTotalMinor, String code, Entry entry,
                              Idempotency idempotency, ProfileAfter after, Instant now, Instant codeExpiresAt) {
    }

    /** A redemption as stored, with the lots it consumed (to give them back on rollback). */
    public record Redemption(String redemptionId, String customerId, String rewardId, long cost, long valueMinor,
                             long orderMinor, long discountMinor, String orderId, String stackCategory, boolean exclusive,
                             boolean budgeted, String status, List<Lot> lotsTaken, Instant at, String code,
                             boolean codeItem, int budgetSubCounter) {
        /** Rolled back, or its code expired and gave its points back: nothing is left to give back. */
        public boolean rolledBack() {
            return !"redeemed".equals(status);
        }
    }

    /** {@code codeExpired}: the daily run gives back the redemption of a code past its validity (else a rollback). */
    public record RollbackWrite(String tenant, String programId, long programVersion, Redemption redemption,
                                Customer before, List<Lot> restored, Entry entry, Idempotency idempotency,
                                ProfileAfter after, Instant now, boolean codeExpired) {
    }

    /** What an order earned and how much of it was refunded and clawed back so far. */
    public record OrderRecord(String orderId, long totalMinor, long earned, long refundedMinor, long clawed,
                              String statsMonth) {
        /** An order without its statistics month (earned before statistics, or too old for a month bucket). */
        public OrderRecord(String orderId, long totalMinor, long earned, long refundedMinor, long clawed) {
            this(orderId, totalMinor, earned, refundedMinor, clawed, null);
        }
    }

    /** What a refund reads in one round trip: the customer with their lots, and the order's record. */
    public record RefundRead(Customer customer, java.util.Optional<OrderRecord> order, Referral referral) {
        public RefundRead(Customer customer, java.util.Optional<OrderRecord> order) {
            this(customer, order, Referral.NONE);
        }
    }

    /** A refund; {@code tierAfter} is the tier it leaves (it follows the points that count down; null = no tiers). */
    public record RefundWrite(String tenant, String programId, long programVersion, Customer before,
                              OrderRecord order, long refundMinor, long clawTarget, List<Spending.Take> takes,
                              Entry entry, Idempotency idempotency, ProfileAfter after, Instant now, String tierAfter,
                              List<Entry> extraEntries, ReferralWrite referral, Map<String, long[]> stats) {
        public RefundWrite {
            stats = stats == null ? Map.of() : Map.copyOf(stats);
        }

        /** A refund that cancels no referral. */
        public RefundWrite(String tenant, String programId, long programVersion, Customer before, OrderRecord order,
                           long refundMinor, long clawTarget, List<Spending.Take> takes, Entry entry, Idempotency idempotency,
                           ProfileAfter after, Instant now, String tierAfter) {
            this(tenant, programId, programVersion, before, order, refundMinor, clawTarget, takes, entry, idempotency, after,
                    now, tierAfter, List.of(), null, Map.of());
        }
    }

    /** Expiry of a customer's due lots: one {@code expire} entry per lot (deterministic ids, so a retry is exact). */
    public record ExpireWrite(String tenant, String programId, long programVersion, Customer before, List<Lot> expired,
                              List<Entry> entries, ProfileAfter after, Instant now, TierReview tier) {
        public ExpireWrite(String tenant, String programId, long programVersion, Customer before, List<Lot> expired,
                           List<Entry> entries, ProfileAfter after, Instant now) {
            this(tenant, programId, programVersion, before, expired, entries, after, now, null);
        }
    }

    /**
     * A tier review the expiry run records with its write ({@code TierWindow}): the tier after it
     * ({@code tierId}, the same when the window kept it) and the start of the window it stands from
     * ({@code sinceDelta}: added to the profile's {@code ~tier:since} counter).
     */
    public record TierReview(String tierId, long sinceDelta) {
    }

    /**
     * Recording the points_expiring reminders of lots: the lots are marked and the notifications
     * queued at once ({@code notifications}: these reminders only; the write's event reminders
     * are in {@code after}).
     */
    public record RemindWrite(String tenant, String programId, Customer before, List<Lot> reminded,
                              List<NotificationRecord> notifications, ProfileAfter after, Instant now) {
    }

    /** A profile as a scheduled run reads it: the customer, and the instants it is keyed under in the indexes. */
    public record DueProfile(Customer customer, Instant dueAt, Instant remindAt) {
    }

    /** Where an item lives: its table keys, and which tenant, program and customer they name. */
    public record ItemKey(String pk, String sk, String tenant, String programId, String customerId) {
    }

    /** One page of an index query: the items due, and where to continue (null: the page was the last). */
    public record DuePage(List<ItemKey> items, Cursor next) {
    }

    /** Where an index query continues: the last item's table keys and index sort key. */
    public record Cursor(String pk, String sk, long at) {
    }

    /** A stored notification, as the reminders function reads it. */
    public record StoredNotification(ItemKey key, String id, String type, String payloadJson, String status, long attempts,
                                     Instant createdAt, Instant remindAt, String lastError) {
        public static final String QUEUED = "queued";
        public static final String SENDING = "sending";
        public static final String SENT = "sent";
        public static final String SKIPPED = "skipped";
        public static final String DEAD = "dead";
    }

    /** A notification that could not be delivered, kept per tenant for an operator to see and replay. */
    public record DeadLetter(String programId, String customerId, String notificationId, String type, long attempts,
                             String error, Instant at) {
    }

    /**
     * What a page of keys points to: the profiles by partition key, and the notifications; items
     * that could not be read are kept with their failure, so that only their customer fails.
     */
    public record Items(Map<String, DueProfile> profiles, List<StoredNotification> notifications,
                        Map<String, RuntimeException> unreadableProfiles, Map<ItemKey, RuntimeException> unreadableNotifications) {
        /** The profile in the partition {@code pk}, or null; throws what reading it threw. */
        public DueProfile profile(String pk) {
            RuntimeException e = unreadableProfiles.get(pk);
            if (e != null) {
                throw e;
            }
            return profiles.get(pk);
        }
    }
}
