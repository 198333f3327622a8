package dev.laurel.app;

import dev.laurel.domain.Program;
import dev.laurel.json.Json;
import dev.laurel.store.CodeStore;
import dev.laurel.store.CodeStore.RewardCode;
import dev.laurel.store.Commit;
import dev.laurel.store.CustomerStore;
import dev.laurel.store.Records;
import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The daily run's part for reward codes (API.md: "an unused code expires then and its points and
 * budget come back, by the daily run, exactly once"): an issued code past its reward's
 * {@code codeValidDays} gives its redemption back as a rollback does, in one transaction, with a
 * {@code code_expired} ledger entry whose id derives from the redemption ({@code cexp-<id>}), the
 * redemption marked {@code expired} and the code {@code expired}, each conditional: a repeated or
 * overlapping run, or a till using the code at the same moment, can never give it back twice.
 */
public final class ExpireCode {
    /** The ledger entry type of a code's points coming back. */
    public static final String ENTRY_TYPE = "code_expired";

    private final CodeStore codes;
    private final CustomerStore customers;

    public ExpireCode(CodeStore codes, CustomerStore customers) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.customers = Objects.requireNonNull(customers, "customers");
    }

    /** Expires the code if it is issued and lapsed at {@code upTo}: the points it gave back (0 when there was nothing to do). */
    public long run(String tenant, Program program, String code, Instant upTo) {
        return Optimistic.retrying(attempt -> {
            Optional<RewardCode> found = codes.rewardCode(tenant, program.programId(), code);
            if (found.isEmpty() || found.get().status() != CodeStore.Status.ISSUED || !found.get().lapsed(upTo)) {
                return 0L; // used, rolled back, expired by another run, or not due yet
            }
            RewardCode c = found.get();
            Optional<Records.Redemption> redemption = customers.redemption(tenant, program.programId(), c.redemptionId());
            if (redemption.isEmpty() || redemption.get().rolledBack()) {
                return 0L;
            }
            Records.Redemption r = redemption.get();
            Entry entry = new Entry("cexp-" + r.redemptionId(), ENTRY_TYPE, r.cost(), c.expiresAt(), null, r.rewardId(),
                    r.orderId(), r.redemptionId(), Json.write(Map.of("code", c.code(), "expiresAt", c.expiresAt().toString())));
            Commit commit = customers.rollback(Rollback.giveBack(customers, tenant, program, r, entry, null, upTo, true));
            if (commit instanceof Commit.Done) {
                return r.cost();
            }
            if (commit instanceof Commit.Refused) {
                return 0L; // the redemption was rolled back meanwhile
            }
            throw Optimistic.again("code " + code + ": " + commit);
        }, s -> 0L); // still due: the next run takes it
    }
}
