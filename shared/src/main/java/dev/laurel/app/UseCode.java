package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.store.CodeStore;
import dev.laurel.store.CodeStore.RewardCode;
import dev.laurel.store.CodeStore.Status;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.Idempotency;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A reward code used at a till (API.md "Reward codes at the till"): an issued, unexpired code
 * becomes used, once. Used again: 409 {@code already_used}; its redemption rolled back: 409
 * {@code already_rolled_back}; past its validity: 422 {@code not_eligible} (reason
 * {@code expired}). An optional Idempotency-Key makes a retry safe: the same key and body answer
 * the first answer.
 */
public final class UseCode {
    /** The scope of a use's idempotency records. */
    public static final String SCOPE = "code-use";

    /** {@code location} and {@code idempotencyKey} may be null. */
    public record Command(String tenant, String programId, String code, String orderId, String location,
                          String idempotencyKey, String requestHash) {
    }

    private final CodeStore codes;
    private final dev.laurel.store.CustomerStore replays;
    private final Clock clock;

    public UseCode(CodeStore codes, dev.laurel.store.CustomerStore replays, Clock clock) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.replays = Objects.requireNonNull(replays, "replays");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome<Rendered> run(Command cmd, Function<RewardCode, Rendered> render) {
        return Optimistic.retrying(() -> {
            Instant now = clock.instant();
            var found = codes.rewardCode(cmd.tenant(), cmd.programId(), cmd.code());
            if (found.isEmpty()) {
                return Outcome.declined(Refusal.notFound("code " + cmd.code()));
            }
            RewardCode c = found.get();
            Refusal refusal = refusal(c, now);
            if (refusal != null) {
                return Optimistic.refuseUnlessReplayed(replays, cmd.tenant(), cmd.programId(), SCOPE, cmd.idempotencyKey(),
                        cmd.requestHash(), refusal);
            }
            RewardCode used = new RewardCode(c.code(), c.customerId(), c.rewardId(), c.redemptionId(), c.discountMinor(),
                    c.issuedAt(), c.expiresAt(), Status.USED, now, cmd.orderId(), cmd.location());
            Rendered answer = render.apply(used);
            Idempotency idem = cmd.idempotencyKey() == null ? null
                    : new Idempotency(SCOPE, cmd.idempotencyKey(), cmd.requestHash(), answer.status(), answer.body());
            Commit commit = codes.useCode(new CodeStore.UseWrite(cmd.tenant(), cmd.programId(), c.code(), cmd.orderId(),
                    cmd.location(), idem, now));
            return commit instanceof Commit.Done ? Outcome.done(answer) : Optimistic.notDone(commit, cmd.requestHash());
        });
    }

    /** Why a code cannot be used now, or null when it can. */
    static Refusal refusal(RewardCode c, Instant now) {
        Map<String, Object> details = Map.of("code", c.code());
        return switch (c.status()) {
            case USED -> new Refusal(Refusal.Code.ALREADY_USED, "code " + c.code() + " was already used", details);
            case ROLLED_BACK -> new Refusal(Refusal.Code.ALREADY_ROLLED_BACK,
                    "the redemption of code " + c.code() + " was rolled back", details);
            case EXPIRED -> expired(c);
            case ISSUED -> c.lapsed(now) ? expired(c) : null;
        };
    }

    private static Refusal expired(RewardCode c) {
        return new Refusal(Refusal.Code.NOT_ELIGIBLE, "code " + c.code() + " expired at " + c.expiresAt(),
                Map.of("code", c.code(), "reasons", List.of("expired")));
    }

    /** The code as it stands at {@code now}: an issued code past its validity reads as expired. */
    public static RewardCode asOf(RewardCode c, Instant now) {
        if (c.status() != Status.ISSUED || !c.lapsed(now)) {
            return c;
        }
        return new RewardCode(c.code(), c.customerId(), c.rewardId(), c.redemptionId(), c.discountMinor(), c.issuedAt(),
                c.expiresAt(), Status.EXPIRED, c.usedAt(), c.orderId(), c.location());
    }
}
