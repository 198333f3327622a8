package dev.laurel.store;

import java.time.Instant;
import java.util.Optional;

/** Reward codes: one item per code, made in its redemption's transaction, used once at a till. */
public interface CodeStore {
    /** What a code is now: {@code issued}, {@code used}, {@code rolled_back} or {@code expired}. */
    enum Status {
        ISSUED, USED, ROLLED_BACK, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A reward code as stored. {@code expiresAt} is null for a code that never expires;
     * {@code usedAt}, {@code orderId} and {@code location} are set once it is used.
     */
    record RewardCode(String code, String customerId, String rewardId, String redemptionId, long discountMinor,
                      Instant issuedAt, Instant expiresAt, Status status, Instant usedAt, String orderId, String location) {
        /** Whether the code is past its validity at {@code now} (whatever its stored status says). */
        public boolean lapsed(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** A code's use at a till: the code item moves from issued to used, with the key's record when one is given. */
    record UseWrite(String tenant, String programId, String code, String orderId, String location,
                    Records.Idempotency idempotency, Instant now) {
    }

    Optional<RewardCode> rewardCode(String tenant, String programId, String code);

    /**
     * Marks the code used, conditional on it being issued and unexpired at {@code now}: {@code Done},
     * a {@code Replay} of the key's first answer, or {@code Refused} with the refusal its state gives
     * ({@code already_used}, {@code already_rolled_back}, {@code not_eligible} reason {@code expired}).
     */
    Commit useCode(UseWrite w);
}
