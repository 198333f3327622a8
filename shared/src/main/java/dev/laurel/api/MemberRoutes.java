package dev.laurel.api;

import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import java.util.Set;

/**
 * What a member session may call (API.md "The customer's own session"): its own wallet, ledger,
 * redemptions and codes in its own program. Everything else is 403 {@code forbidden}; another
 * program or customer in the path is 404. Decided here, once, before any route runs, so a route
 * added later is closed to members until it is listed.
 */
final class MemberRoutes {
    static final Set<String> ALLOWED = Set.of(
            "GET /v1/programs/{programId}/customers/{customerId}",
            "GET /v1/programs/{programId}/customers/{customerId}/ledger",
            "POST /v1/programs/{programId}/redeem",
            "GET /v1/programs/{programId}/codes/{code}",
            "GET /v1/programs/{programId}/codes/{code}/qr.svg");

    private MemberRoutes() {
    }

    static void check(String routeKey, java.util.Map<String, String> path, Request.Member member) {
        if (!ALLOWED.contains(routeKey)) {
            throw new Refused(Refusal.Code.FORBIDDEN, "a member session may not call " + routeKey);
        }
        String programId = path.get("programId");
        if (!member.programId().equals(programId)) {
            throw Refused.notFound("program " + programId);
        }
        String customerId = path.get("customerId");
        if (customerId != null && !member.customerId().equals(customerId)) {
            throw Refused.notFound("customer " + customerId);
        }
    }
}
