package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.ApiKeys;
import dev.laurel.app.Outcome;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import dev.laurel.store.ApiKeyStore.StoredKey;

/**
 * The API keys' routes (admin): {@code POST /v1/keys} issues a key and shows it this once,
 * {@code GET /v1/keys} lists the tenant's keys (never a key nor its hash), {@code DELETE
 * /v1/keys/{keyId}} revokes one (another tenant's: 404; the tenant's last admin key: 409
 * {@code last_admin_key}). A revoked key is refused once the authorizer caches have expired.
 */
public final class KeysApi {
    private final ApiKeys keys;

    public KeysApi(ApiKeys keys) {
        this.keys = keys;
    }

    public Response create(Request req) {
        req.requireAdmin();
        Problems problems = new Problems();
        Obj o = Obj.root(req.json(), problems);
        String role = o.oneOf("role", true, ApiKeys.ROLES);
        String name = o.string("name", false, ApiKeys.MAX_NAME_CHARS);
        if (name != null && (name.isBlank() || name.chars().anyMatch(Character::isISOControl))) {
            problems.add("name", "must not be blank nor hold control characters");
        }
        o.end();
        problems.throwIfAny();
        Outcome<ApiKeys.Issued> out = keys.issue(req.tenant(), role, name);
        if (out instanceof Outcome.Done<ApiKeys.Issued> d) {
            ObjectNode body = Json.object().put("keyId", d.value().stored().keyId()).put("key", d.value().key());
            return Response.json(201, view(d.value().stored(), body));
        }
        return Response.error(((Outcome.Declined<ApiKeys.Issued>) out).refusal());
    }

    public Response list(Request req) {
        req.requireAdmin();
        if (!req.query().isEmpty()) {
            throw Refused.invalid(req.query().keySet().iterator().next(), "is not a known query parameter (this listing has none)");
        }
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("keys");
        for (StoredKey k : keys.list(req.tenant())) {
            ObjectNode o = view(k, Json.object().put("keyId", k.keyId()));
            if (k.lastUsedDay() != null) {
                o.put("lastUsedDay", k.lastUsedDay().toString());
            }
            list.add(o);
        }
        return Response.json(200, out);
    }

    public Response delete(Request req) {
        req.requireAdmin();
        String keyId = req.id("keyId");
        Outcome<String> out = keys.revoke(req.tenant(), keyId);
        if (out instanceof Outcome.Done<String>) {
            return Response.json(200, Json.object().put("keyId", keyId).put("deleted", true));
        }
        return Response.error(((Outcome.Declined<String>) out).refusal());
    }

    /** What every answer shows of a key: never the key (but once, on creation) nor its hash. */
    private static ObjectNode view(StoredKey k, ObjectNode o) {
        o.put("prefix", k.prefix()).put("role", k.role());
        if (k.name() != null) {
            o.put("name", k.name());
        }
        return o.put("createdAt", k.createdAt().toString());
    }
}
