package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ConsentConfirm;
import dev.laurel.app.ConsentTokens;
import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.domain.Consent;
import dev.laurel.domain.Refusal;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import java.util.Objects;

/**
 * {@code POST /v1/consent/confirm} {@code {"token"}}: a route without the authorizer (the token is
 * the credential; {@link ApiGateway#PUBLIC_ROUTES}). The body is read strictly and the token bounded
 * (1 to {@link #MAX_TOKEN_CHARS} characters, else 400) before anything is hashed; a token of the wrong
 * shape is refused as an unknown one (404), so the answer tells nothing about why.
 */
public final class ConsentApi {
    public static final String CONFIRM = "POST /v1/consent/confirm";
    static final int MAX_TOKEN_CHARS = 128;

    private final Laurel laurel;

    public ConsentApi(Laurel laurel) {
        this.laurel = Objects.requireNonNull(laurel, "laurel");
    }

    public Response confirm(Request req) {
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String token = o.string("token", true, MAX_TOKEN_CHARS);
        o.end();
        problems.throwIfAny();
        if (!ConsentTokens.wellFormed(token)) {
            return Response.error(Refusal.notFound("confirmation token"));
        }
        Outcome<ConsentConfirm.Result> outcome = laurel.consentConfirm().run(token);
        return LoyaltyApi.answer(outcome, r -> {
            ObjectNode out = Json.object().put("programId", r.programId()).put("customerId", r.customerId())
                    .put("consent", Consent.STATE_CONFIRMED);
            return Response.json(200, out);
        });
    }
}
