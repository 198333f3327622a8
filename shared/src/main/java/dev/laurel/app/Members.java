package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.store.MemberStore;
import dev.laurel.store.MemberStore.ListedMember;
import dev.laurel.store.MemberStore.MemberPage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The member listing: every member of a program in customer id order, a page at a time, each as
 * the wallet would show them now (lots past their expiry count nowhere, ended return windows are
 * released). Ordered by customer id, a listing paged from start to end sees every member that
 * existed when it started exactly once, whatever joins meanwhile (a newcomer shows up when their
 * id sorts after the page being read).
 */
public final class Members {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** {@code afterId}: the last customer id of the previous page (null for the first page). */
    public record Query(String tenant, Program program, int limit, String afterId) {
        public Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit " + limit + " is outside 1.." + MAX_LIMIT);
            }
        }
    }

    /** The members, settled at the listing's instant {@code asOf}; {@code more}: members follow the last one. */
    public record Page(List<ListedMember> members, boolean more, double readUnits, Instant asOf) {
    }

    private final MemberStore store;
    private final Clock clock;

    public Members(MemberStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Page> run(Query q) {
        Instant now = clock.instant();
        MemberPage page = store.members(q.tenant(), q.program().programId(), q.limit(), q.afterId(), now);
        List<ListedMember> members = new ArrayList<>(page.members().size());
        for (ListedMember m : page.members()) {
            members.add(new ListedMember(m.customer().current(now), m.referralCode()));
        }
        return Outcome.done(new Page(members, page.more(), page.readUnits(), now));
    }
}
