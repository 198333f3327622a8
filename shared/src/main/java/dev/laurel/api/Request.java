package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Refusal;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import java.util.Map;

/**
 * One HTTP request as a function sees it, independent of API Gateway: the route, path
 * parameters, query, headers (lower-case names), body, and the caller's tenant and role from the
 * authorizer.
 */
public record Request(String routeKey, String method, String path, Map<String, String> pathParameters,
                      Map<String, String> query, Map<String, String> headers, String body, String tenant,
                      String role, Member member) {
    public static final String ADMIN = "admin";
    public static final String SHOP = "shop";
    /** A member's own session (API.md "The customer's own session"): {@link #member} names whom. */
    public static final String MEMBER = "member";

    /** The program and customer a member session is scoped to. */
    public record Member(String programId, String customerId, java.time.Instant expiresAt) {
    }

    /** A request with an API key (no member session). */
    public Request(String routeKey, String method, String path, Map<String, String> pathParameters, Map<String, String> query,
                   Map<String, String> headers, String body, String tenant, String role) {
        this(routeKey, method, path, pathParameters, query, headers, body, tenant, role, null);
    }

    public Request {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A path parameter, checked against the id pattern (a bad id is 400, never a lookup). */
    public String id(String name) {
        String v = pathParameters.get(name);
        if (v == null || !Obj.ID.matcher(v).matches()) {
            throw Refused.invalid(name, "must match " + Obj.ID.pattern());
        }
        return v;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public JsonNode json() {
        return Json.parse(body);
    }

    /** The body as JSON, or an empty object when there is none (for routes whose body is optional). */
    public JsonNode jsonOrEmpty() {
        return body == null || body.isBlank() ? Json.object() : Json.parse(body);
    }

    /** Admin routes answer 403 to a shop key (API.md). */
    public void requireAdmin() {
        if (!ADMIN.equals(role)) {
            throw new Refused(Refusal.Code.FORBIDDEN, "this route needs an admin key");
        }
    }

    /** Routes a member session may not call (creating sessions, using codes): 403. */
    public void requireKey() {
        if (member != null) {
            throw new Refused(Refusal.Code.FORBIDDEN, "this route needs an API key");
        }
    }

    /**
     * A member session past its expiry is 401: API Gateway may serve the authorizer's cached answer
     * for a while after the token expired, so each route a member may call checks it on its clock.
     */
    public void requireLiveSession(java.time.Clock clock) {
        if (member != null && !clock.instant().isBefore(member.expiresAt())) {
            throw new Refused(Refusal.Code.UNAUTHORIZED, "the session expired at " + member.expiresAt());
        }
    }

    /** For a member session, a resource of another customer is 404 (existence does not leak). */
    public void requireOwn(String customerId) {
        if (member != null && !member.customerId().equals(customerId)) {
            throw Refused.notFound("customer " + customerId);
        }
    }
}
