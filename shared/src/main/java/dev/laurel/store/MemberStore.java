package dev.laurel.store;

import dev.laurel.domain.Customer;
import java.time.Instant;
import java.util.List;

/**
 * A program's members in customer id order, a page at a time, read through the sparse
 * {@code members} index (never a scan): one Query of the page's keys and one BatchGetItem of
 * their profiles per 100 members, plus one more BatchGetItem of the few whose stored balances
 * may be out of date.
 */
public interface MemberStore {
    /**
     * At most {@code limit} members whose customer id sorts after {@code afterId} (null: from the
     * first). Each customer comes without lots, unless their profile says the scheduled functions
     * have work for them at or before {@code now} (a lot expired or a return window ended since
     * the last write): those are read whole, so that {@link Customer#current} settles them exactly.
     */
    MemberPage members(String tenant, String programId, int limit, String afterId, Instant now);

    /** A listed member: the profile's fields, and the referral code when the member has one. */
    record ListedMember(Customer customer, String referralCode) {
    }

    /** {@code more}: members follow the last one listed; {@code readUnits}: what the reads consumed. */
    record MemberPage(List<ListedMember> members, boolean more, double readUnits) {
        public MemberPage {
            members = List.copyOf(members);
        }
    }
}
