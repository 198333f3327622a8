package dev.laurel.api;

import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.app.Rendered;
import dev.laurel.app.Replays;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP routes on Laurel's use cases: each reads its request ({@link Readers}), runs the use
 * case, and answers its view ({@link Views}) or its refusal in the one error shape. The path's
 * ids are checked first, then the program is found (404), then the body is read.
 */
public final class LoyaltyApi {
    /** The header a replayed idempotent request's answer carries. */
    public static final String REPLAYED = "Idempotent-Replayed";

    /** The refusals after which a replay is looked for: those a change of the program can cause. */
    private static final Set<Refusal.Code> REPLAYABLE = EnumSet.of(Refusal.Code.INVALID_REQUEST, Refusal.Code.NOT_FOUND,
            Refusal.Code.NOT_ELIGIBLE);

    private final Laurel laurel;

    public LoyaltyApi(Laurel laurel) {
        this.laurel = Objects.requireNonNull(laurel, "laurel");
    }

    /** The real thing for a Lambda container: DynamoDB from the environment, the system clock. */
    public static LoyaltyApi fromEnvironment() {
        return new LoyaltyApi(Wiring.laurel());
    }

    public Laurel laurel() {
        return laurel;
    }

    // ---------------------------------------------------------------- programs (admin)

    public Response putProgram(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        return answer(laurel.programs().put(Readers.putProgram(req, programId)), Views::programSaved);
    }

    public Response getProgram(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        return answer(laurel.programs().get(req.tenant(), programId), p -> Views.program(programId, p));
    }

    /** The kill switch: an earning rule's or reward's status ({@code collection} earningRules or rewards). */
    public Response setStatus(Request req, String collection, String idParam) {
        req.requireAdmin();
        String programId = req.id("programId");
        String itemId = req.id(idParam);
        return answer(laurel.programs().setStatus(Readers.setStatus(req, programId, collection, itemId)), Views::statusSet);
    }

    // ---------------------------------------------------------------- customers

    public Response upsertCustomer(Request req) {
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        Program program = program(req, programId);
        return answer(laurel.upsert().run(Readers.upsert(req, program, customerId)),
                r -> Views.upsert(program, r, laurel.clock().instant()));
    }

    public Response wallet(Request req) {
        req.requireLiveSession(laurel.clock());
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        Program program = program(req, programId);
        return answer(laurel.wallet().run(new dev.laurel.app.Wallet.Query(req.tenant(), program, customerId)),
                w -> Views.wallet(program, w, laurel.clock().instant()));
    }

    public Response ledger(Request req) {
        req.requireLiveSession(laurel.clock());
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        program(req, programId);
        return answer(laurel.ledger().run(Readers.ledger(req, programId, customerId)), Views::ledger);
    }

    // ---------------------------------------------------------------- earn, validate, redeem, rollback, refund

    public Response earn(Request req) {
        return replayable(req, Readers::earnIdentity, () -> {
            Program program = program(req, req.id("programId"));
            return rendered(laurel.earn().run(Readers.earn(req, program, laurel.clock().instant()), Views::earn));
        });
    }

    public Response validate(Request req) {
        Program program = program(req, req.id("programId"));
        return answer(laurel.validate().run(ValidateQuery.of(req, program)), v -> Views.validate(program, v));
    }

    public Response redeem(Request req) {
        req.requireLiveSession(laurel.clock());
        if (req.member() != null) {
            // a member redeems for itself only; decided before any replay is looked for
            var customerId = req.json().path("customerId");
            req.requireOwn(customerId.isTextual() ? customerId.asText() : "");
        }
        return replayable(req, Readers::redeemIdentity, () -> {
            Program program = program(req, req.id("programId"));
            return rendered(laurel.redeem().run(Readers.redeem(req, program), Views::redeem));
        });
    }

    /** {@code POST .../donations} (API.md Donations): idempotent as redeem is. */
    public Response donate(Request req) {
        return replayable(req, Readers::donateIdentity, () -> {
            Program program = program(req, req.id("programId"));
            return rendered(laurel.donate().run(Readers.donate(req, program), Views::donate));
        });
    }

    public Response rollback(Request req) {
        return replayable(req, Readers::rollbackIdentity, () -> {
            String programId = req.id("programId");
            String redemptionId = req.id("redemptionId");
            Program program = program(req, programId);
            return rendered(laurel.rollback().run(Readers.rollback(req, program, redemptionId), Views::rollback));
        });
    }

    public Response refund(Request req) {
        return replayable(req, Readers::refundIdentity, () -> {
            Program program = program(req, req.id("programId"));
            return rendered(laurel.refund().run(Readers.refund(req, program), Views::refund));
        });
    }

    // ---------------------------------------------------------------- answers

    /**
     * A mutating route: when anything that depends on the program refuses the request (the
     * program, a reward or currency it no longer has, a reader's check against it), the request's
     * idempotency record decides first ({@link Replays}): a key that took effect answers its first
     * answer, whatever changed since. A request without an identity (no key, or a body too
     * broken to name one) gets the refusal. Never for refusals that say nothing about the request
     * (authentication, rate limits, outages).
     */
    private Response replayable(Request req, Function<Request, Replays.Identity> identity, Supplier<Response> route) {
        try {
            return route.get();
        } catch (Refused refused) {
            if (!REPLAYABLE.contains(refused.code())) {
                throw refused;
            }
            Replays.Identity id;
            try {
                id = identity.apply(req);
            } catch (Refused unnamed) {
                throw refused;
            }
            if (id == null) {
                throw refused;
            }
            return laurel.replays().<Rendered>first(req.tenant(), id).map(LoyaltyApi::rendered).orElseThrow(() -> refused);
        }
    }

    private Program program(Request req, String programId) {
        return laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
    }

    /** A use case's outcome as the answer: its view, a replayed first answer, or the refusal in the error shape. */
    static <T> Response answer(Outcome<T> outcome, Function<T, Response> view) {
        if (outcome instanceof Outcome.Done<T> d) {
            return view.apply(d.value());
        }
        if (outcome instanceof Outcome.Replayed<T> r) {
            return Response.raw(r.status(), r.body(), Map.of(REPLAYED, "true"));
        }
        return Response.error(((Outcome.Declined<T>) outcome).refusal());
    }

    private static Response rendered(Outcome<Rendered> outcome) {
        return answer(outcome, r -> Response.raw(r.status(), r.body(), Map.of()));
    }
}
