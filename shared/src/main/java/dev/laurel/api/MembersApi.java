package dev.laurel.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Laurel;
import dev.laurel.app.Members;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refused;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.store.MemberStore.ListedMember;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The member listing (admin): {@code GET /v1/programs/{programId}/customers?limit=&cursor=}, every
 * member in customer id order. Besides the fields API.md names, each member carries
 * {@code consent} and {@code attributes} (what the export writes). A page holds at most
 * {@code limit} members and at most {@link #MAX_PAGE_BYTES} of members' JSON (attributes may
 * take 16 KiB a member; Lambda answers at most 6 MB): a page cut short by size has a cursor.
 */
public final class MembersApi {
    /** The members' JSON in one answer, in UTF-8 bytes (escaped again in Lambda's answer, it stays far below 6 MB). */
    static final int MAX_PAGE_BYTES = 1024 * 1024;
    private static final Set<String> PARAMETERS = Set.of("limit", "cursor");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");

    private final Laurel laurel;

    public MembersApi(Laurel laurel) {
        this.laurel = laurel;
    }

    public Response list(Request req) {
        req.requireAdmin();
        String programId = req.id("programId");
        Program program = laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
        Members.Query q = query(req.tenant(), program, req.query());
        return LoyaltyApi.answer(laurel.members().run(q), page -> Response.json(200, view(program, page)));
    }

    static Members.Query query(String tenant, Program program, Map<String, String> query) {
        for (String q : query.keySet()) {
            if (!PARAMETERS.contains(q)) {
                throw Refused.invalid(q, "is not a known query parameter (limit, cursor)");
            }
        }
        int limit = Members.DEFAULT_LIMIT;
        String l = query.get("limit");
        if (l != null) {
            limit = LIMIT.matcher(l).matches() ? Integer.parseInt(l) : -1;
            if (limit < 1 || limit > Members.MAX_LIMIT) {
                throw Refused.invalid("limit", "must be an integer from 1 to " + Members.MAX_LIMIT);
            }
        }
        String cursor = query.get("cursor");
        return new Members.Query(tenant, program, limit, cursor == null ? null : afterId(cursor));
    }

    /** A cursor is the last listed customer id, base64url without padding; anything else is 400. */
    static String cursor(String customerId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(customerId.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterId(String cursor) {
        String id = null;
        try {
            id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not base64url
        }
        if (id == null || !Obj.ID.matcher(id).matches() || !cursor(id).equals(cursor)) {
            throw Refused.invalid("cursor", "is not a cursor this API returned");
        }
        return id;
    }

    static ObjectNode view(Program program, Members.Page page) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("customers");
        long bytes = 0;
        String last = null;
        boolean cut = false;
        for (ListedMember m : page.members()) {
            ObjectNode o = member(program, m, page.asOf());
            bytes += Json.write(o).getBytes(StandardCharsets.UTF_8).length;
            if (last != null && bytes > MAX_PAGE_BYTES) {
                cut = true;
                break;
            }
            list.add(o);
            last = m.customer().customerId();
        }
        if ((cut || page.more()) && last != null) {
            out.put("cursor", cursor(last));
        }
        return out;
    }

    static ObjectNode member(Program program, ListedMember m, java.time.Instant now) {
        Customer c = m.customer();
        ObjectNode o = Json.object().put("customerId", c.customerId()).put("email", c.email());
        o.set("tier", Views.tierInfo(program, c, dev.laurel.domain.TierWindow.points(program, c, now))); // as the wallet counts
        o.set("balance", Views.balance(c));
        o.put("joinedAt", c.joinedAt() == null ? null : c.joinedAt().toString());
        o.put("referralCode", m.referralCode());
        o.putObject("consent").put("marketing", c.marketingConsent());
        o.set("attributes", Json.tree(c.attributes()));
        return o;
    }
}
