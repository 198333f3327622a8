package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.app.Laurel;
import dev.laurel.app.Outcome;
import dev.laurel.app.Rendered;
import dev.laurel.app.UseCode;
import dev.laurel.domain.Ids;
import dev.laurel.domain.Refused;
import dev.laurel.json.Canonical;
import dev.laurel.json.Json;
import dev.laurel.json.Obj;
import dev.laurel.json.Problems;
import dev.laurel.store.CodeStore.RewardCode;
import io.nayuki.qrcodegen.QrCode;
import java.util.Map;
import java.util.Objects;

/**
 * Reward codes at the till (API.md Part 2): {@code GET .../codes/{code}} and its QR code
 * {@code .../qr.svg} (shop, or the member session whose code it is; another member's code is
 * 404), and {@code POST .../codes/{code}/use} (shop).
 */
public final class CodesApi {
    /** The longest {@code location} a use may name. */
    static final int MAX_LOCATION = 200;
    private final Laurel laurel;

    public CodesApi(Laurel laurel) {
        this.laurel = Objects.requireNonNull(laurel, "laurel");
    }

    public Response get(Request req) {
        RewardCode c = find(req);
        return Response.json(200, view(c));
    }

    public Response qr(Request req) {
        RewardCode c = find(req);
        return new Response(200, Map.of("content-type", "image/svg+xml", "cache-control", "private, max-age=300"),
                svg(QrCode.encodeText(c.code(), QrCode.Ecc.MEDIUM), 4));
    }

    public Response use(Request req) {
        req.requireKey();
        String programId = req.id("programId");
        String code = code(req);
        laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
        JsonNode body = req.json();
        Problems problems = new Problems();
        Obj o = Obj.root(body, problems);
        String orderId = o.id("orderId", true);
        String location = o.string("location", false, MAX_LOCATION);
        o.end();
        problems.throwIfAny();
        String key = Readers.idempotencyKey(req, false);
        ObjectNode fingerprint = Json.object().put("code", code);
        fingerprint.set("body", body);
        Outcome<Rendered> outcome = laurel.useCode().run(new UseCode.Command(req.tenant(), programId, code, orderId, location,
                key, Canonical.hash(fingerprint)), c -> new Rendered(200, Json.write(view(c))));
        if (outcome instanceof Outcome.Done<Rendered> d) {
            return Response.raw(200, d.value().body(), Map.of());
        }
        if (outcome instanceof Outcome.Replayed<Rendered> r) {
            return Response.raw(r.status(), r.body(), Map.of(LoyaltyApi.REPLAYED, "true"));
        }
        return Response.error(((Outcome.Declined<Rendered>) outcome).refusal());
    }

    /** The code of the path, in its program; a member session sees only its own codes (others: 404). */
    private RewardCode find(Request req) {
        req.requireLiveSession(laurel.clock());
        String programId = req.id("programId");
        String code = code(req);
        laurel.program(req.tenant(), programId).orElseThrow(() -> Refused.notFound("program " + programId));
        RewardCode c = laurel.store().rewardCode(req.tenant(), programId, code)
                .orElseThrow(() -> Refused.notFound("code " + code));
        if (req.member() != null && !req.member().customerId().equals(c.customerId())) {
            throw Refused.notFound("code " + code);
        }
        return UseCode.asOf(c, laurel.clock().instant());
    }

    /** The path's code in its stored form (any case): not an id is 400, an id that cannot be a reward code 404. */
    private static String code(Request req) {
        String typed = req.id("code");
        String code = Ids.normalCode(typed);
        if (code == null) {
            throw Refused.notFound("code " + typed);
        }
        return code;
    }

    static ObjectNode view(RewardCode c) {
        ObjectNode o = Json.object().put("code", c.code()).put("status", c.status().wire()).put("rewardId", c.rewardId())
                .put("customerId", c.customerId()).put("redemptionId", c.redemptionId())
                .put("discountMinor", c.discountMinor()).put("issuedAt", c.issuedAt().toString());
        if (c.expiresAt() != null) {
            o.put("expiresAt", c.expiresAt().toString());
        }
        if (c.usedAt() != null) {
            o.put("usedAt", c.usedAt().toString());
            o.put("orderId", c.orderId());
            if (c.location() != null) {
                o.put("location", c.location());
            }
        }
        return o;
    }

    /** The QR code as SVG: one path of unit squares, {@code border} modules of quiet zone, black on white. */
    static String svg(QrCode qr, int border) {
        int size = qr.size + border * 2;
        StringBuilder sb = new StringBuilder(qr.size * qr.size * 8);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ").append(size).append(' ')
                .append(size).append("\" stroke=\"none\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n<path d=\"");
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    sb.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
                }
            }
        }
        return sb.append("\" fill=\"#000000\"/>\n</svg>\n").toString();
    }
}
