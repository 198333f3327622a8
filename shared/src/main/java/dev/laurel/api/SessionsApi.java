package dev.laurel.api;

import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.app.Sessions;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import java.util.Objects;

/**
 * {@code POST /v1/programs/{programId}/customers/{customerId}/sessions} (shop): a member's own
 * session, {@code {"token", "expiresAt"}}, valid 15 minutes ({@link Sessions}). A member session
 * cannot make another (403).
 */
public final class SessionsApi {
    private final Laurel laurel;
    private final Sessions sessions;

    public SessionsApi(Laurel laurel, Sessions sessions) {
        this.laurel = Objects.requireNonNull(laurel, "laurel");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    public Response create(Request req) {
        req.requireKey();
        String programId = req.id("programId");
        String customerId = req.id("customerId");
        laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
        if (req.body() != null && !req.body().isBlank()) {
            Problems problems = new Problems();
            Obj.root(req.json(), problems).end(); // no fields: an unknown one is a typo
            problems.throwIfAny();
        }
        Outcome<Sessions.Session> outcome = sessions.mint(laurel.store(), req.tenant(), programId, customerId);
        if (outcome instanceof Outcome.Done<Sessions.Session> d) {
            return Response.json(201, Json.object().put("token", d.value().token())
                    .put("expiresAt", d.value().expiresAt().toString()));
        }
        return Response.error(((Outcome.Declined<Sessions.Session>) outcome).refusal());
    }
}
