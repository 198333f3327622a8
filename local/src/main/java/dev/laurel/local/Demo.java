package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.api.Response;
import dev.laurel.domain.Refusal;
import dev.laurel.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo shop of {@code ./laurel local} at {@code /demo/} (local runner only, never deployed):
 * its pages ({@code demo/} on the classpath: a product page with the wallet widget, and a till)
 * and the small backend a real shop would run, which holds the API keys so the pages never do.
 * The keys are the runner's demo keys ({@link DemoKeys}); every call goes through the HTTP API
 * in-process ({@link HttpApi}: authorizer, function, as any client), never around it.
 * <ul>
 *   <li>{@code POST /demo/session} {@code {"program"?, "customerId"?}}: mints the member's session
 *       (shop key) and answers {@code {"api": "", "program", "customerId", "token", "expiresAt", "currency"}}.
 *       The program is one of the two demo programs ({@code demo-shop}, EUR; {@code demo-shop-jp}, JPY),
 *       created with its default member ({@code anna}, {@code yuki}) on first use.</li>
 *   <li>{@code GET /demo/codes/{code}?program=P}: the till's lookup, with the reward's name, type and value.</li>
 *   <li>{@code POST /demo/codes/{code}/use} {@code {"program", "orderId"?}}: the till uses the code.</li>
 * </ul>
 * API errors go back as the API answered them (status and body).
 */
final class Demo {
    static final String PROGRAM = "demo-shop";
    static final String PROGRAM_JA = "demo-shop-jp";
    private static final Pattern CODE_PATH = Pattern.compile("^/demo/codes/([A-Za-z0-9._:@-]{1,128})(/use)?$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    /** A demo program: its definition and its default member (id, locale, e-mail, seed order total). */
    record Shop(String program, String currency, String definition, String member, String locale, long orderMinor) {
    }

    static final Map<String, Shop> SHOPS = Map.of(
            PROGRAM, new Shop(PROGRAM, "EUR", """
                    {"name": "Laurel Demo Shop", "currency": "EUR", "timezone": "Europe/Berlin",
                     "earningRules": [
                       {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                       {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 50}}],
                     "rewards": [
                       {"id": "coffee", "name": "Free coffee", "type": "product", "valueMinor": 350, "cost": 100, "codeValidDays": 30},
                       {"id": "voucher", "name": "5 € voucher", "type": "gift_card", "valueMinor": 500, "cost": 250, "codeValidDays": 30},
                       {"id": "ten-off", "name": "10 € off your order", "type": "discount_amount", "valueMinor": 1000, "cost": 400},
                       {"id": "gold-gift", "name": "Gold members' tote bag", "type": "product", "valueMinor": 1500, "cost": 50,
                        "tiers": ["gold"]}],
                     "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500},
                               {"id": "gold", "threshold": 2000, "earnMultiplier": 2}],
                     "expiry": {"afterDays": 365}}""", "anna", "en", 24900),
            PROGRAM_JA, new Shop(PROGRAM_JA, "JPY", """
                    {"name": "ローレル デモショップ", "currency": "JPY", "timezone": "Asia/Tokyo",
                     "earningRules": [
                       {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                       {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 50}}],
                     "rewards": [
                       {"id": "coffee", "name": "コーヒー1杯無料", "type": "product", "valueMinor": 400, "cost": 100, "codeValidDays": 30},
                       {"id": "voucher", "name": "500円券", "type": "gift_card", "valueMinor": 500, "cost": 250, "codeValidDays": 30}],
                     "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500},
                               {"id": "gold", "threshold": 2000, "earnMultiplier": 2}],
                     "expiry": {"afterDays": 365}}""", "yuki", "ja", 24900));

    private final HttpApi api;
    private final DemoKeys keys;
    private final StaticFolder pages = StaticFolder.demo();
    private final Set<String> seeded = ConcurrentHashMap.newKeySet();

    Demo(HttpApi api, DemoKeys keys) {
        this.api = api;
        this.keys = keys;
    }

    boolean handles(String path) {
        return pages.handles(path);
    }

    HttpApi.Response serve(String method, String path, String query, byte[] body, String ifNoneMatch) {
        if (path.equals("/demo/session")) {
            return method.equals("POST") ? session(body) : notAllowed("POST");
        }
        Matcher m = CODE_PATH.matcher(path);
        if (m.matches()) {
            boolean use = m.group(2) != null;
            if (!method.equals(use ? "POST" : "GET")) {
                return notAllowed(use ? "POST" : "GET");
            }
            return use ? use(m.group(1), body) : lookup(m.group(1), query);
        }
        if (path.startsWith("/demo/codes")) {
            return error(Refusal.notFound("code"));
        }
        return pages.serve(method, path, ifNoneMatch);
    }

    // ---- the backend's three routes --------------------------------------------------------------

    private HttpApi.Response session(byte[] body) {
        JsonNode in = jsonBody(body);
        if (in == null) {
            return error(Refusal.invalid("body", "must be a JSON object"));
        }
        Shop shop = SHOPS.get(in.path("program").asText(PROGRAM));
        if (shop == null) {
            return unknownProgram();
        }
        String customer = in.path("customerId").asText(shop.member());
        if (!ID.matcher(customer).matches()) {
            return error(Refusal.invalid("customerId", "must match " + ID.pattern()));
        }
        HttpApi.Response failed = seed(shop);
        if (failed != null) {
            return failed;
        }
        HttpApi.Response minted = call("POST", "/v1/programs/" + shop.program() + "/customers/" + customer + "/sessions", null,
                keys.shop());
        if (minted.status() != 201 && minted.status() != 200) {
            return minted;
        }
        JsonNode s = Json.parse(new String(minted.body(), StandardCharsets.UTF_8));
        ObjectNode out = Json.object().put("api", "").put("program", shop.program()).put("customerId", customer)
                .put("token", s.path("token").asText()).put("expiresAt", s.path("expiresAt").asText())
                .put("currency", shop.currency());
        return json(200, out);
    }

    /** The request's JSON body ({} when empty), or null when it is not JSON. */
    private static JsonNode jsonBody(byte[] body) {
        try {
            return body.length == 0 ? Json.object() : Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static HttpApi.Response unknownProgram() {
        return error(Refusal.invalid("program", "must be " + PROGRAM + " or " + PROGRAM_JA));
    }

    private HttpApi.Response lookup(String code, String query) {
        Shop shop = SHOPS.get(param(query, "program", PROGRAM));
        if (shop == null) {
            return unknownProgram();
        }
        HttpApi.Response found = call("GET", "/v1/programs/" + shop.program() + "/codes/" + code, null, keys.shop());
        if (found.status() != 200) {
            return found;
        }
        JsonNode c = Json.parse(new String(found.body(), StandardCharsets.UTF_8));
        ObjectNode out = Json.object().put("currency", shop.currency());
        out.set("code", c);
        HttpApi.Response program = call("GET", "/v1/programs/" + shop.program(), null, keys.admin());
        if (program.status() == 200) {
            for (JsonNode r : Json.parse(new String(program.body(), StandardCharsets.UTF_8)).path("rewards")) {
                if (r.path("id").asText().equals(c.path("rewardId").asText())) {
                    ObjectNode reward = out.putObject("reward").put("id", r.path("id").asText())
                            .put("name", r.path("name").asText(r.path("id").asText())).put("type", r.path("type").asText());
                    if (r.has("valueMinor")) {
                        reward.put("valueMinor", r.path("valueMinor").asLong());
                    }
                }
            }
        }
        return json(200, out);
    }

    private HttpApi.Response use(String code, byte[] body) {
        JsonNode in = jsonBody(body);
        if (in == null) {
            return error(Refusal.invalid("body", "must be a JSON object"));
        }
        Shop shop = SHOPS.get(in.path("program").asText(PROGRAM));
        if (shop == null) {
            return unknownProgram();
        }
        String order = in.path("orderId").asText("till-" + UUID.randomUUID().toString().substring(0, 8));
        ObjectNode use = Json.object().put("orderId", order).put("location", "Demo shop, till 1");
        return call("POST", "/v1/programs/" + shop.program() + "/codes/" + code + "/use", Json.write(use), keys.shop());
    }

    // ---- seeding ------------------------------------------------------------------------------------

    /**
     * The program (when missing) and its default member with a first order, once per runner start;
     * repeated on a kept data folder it changes nothing (the order's earn replays). Null when done.
     */
    private HttpApi.Response seed(Shop shop) {
        if (seeded.contains(shop.program())) {
            return null;
        }
        synchronized (seeded) {
            if (seeded.contains(shop.program())) {
                return null;
            }
            String p = "/v1/programs/" + shop.program();
            HttpApi.Response existing = call("GET", p, null, keys.admin());
            if (existing.status() == 404) {
                HttpApi.Response put = call("PUT", p, shop.definition(), keys.admin());
                if (put.status() != 201 && put.status() != 200) {
                    return put;
                }
            } else if (existing.status() != 200) {
                return existing;
            }
            ObjectNode member = Json.object().put("email", shop.member() + "@demo.example").put("locale", shop.locale());
            HttpApi.Response upsert = call("PUT", p + "/customers/" + shop.member(), Json.write(member), keys.shop());
            if (upsert.status() != 201 && upsert.status() != 200) {
                return upsert;
            }
            ObjectNode earn = Json.object().put("customerId", shop.member());
            earn.putObject("event").put("type", "order.paid").put("id", "demo-seed-" + shop.member())
                    .putObject("order").put("totalMinor", shop.orderMinor()).put("currency", shop.currency());
            HttpApi.Response earned = call("POST", p + "/earn", Json.write(earn), keys.shop());
            if (earned.status() != 200) {
                return earned;
            }
            seeded.add(shop.program());
            return null;
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------

    private HttpApi.Response call(String method, String path, String body, String key) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Authorization", "Bearer " + key));
        if (body != null) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        return api.handle(new HttpApi.Request(method, path, null, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "HTTP/1.1"));
    }

    private static String param(String query, String name, String fallback) {
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return fallback;
    }

    private static HttpApi.Response json(int status, JsonNode body) {
        return new HttpApi.Response(status, List.of(Map.entry("content-type", "application/json"),
                Map.entry("cache-control", "no-store")), Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpApi.Response notAllowed(String allow) {
        Response r = Response.error(new Refusal(Refusal.Code.METHOD_NOT_ALLOWED, "this demo route answers " + allow));
        return new HttpApi.Response(r.status(), List.of(Map.entry("content-type", "application/json"), Map.entry("allow", allow)),
                r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static HttpApi.Response error(Refusal refusal) {
        Response r = Response.error(refusal);
        return new HttpApi.Response(r.status(), List.of(Map.entry("content-type", "application/json")),
                r.body().getBytes(StandardCharsets.UTF_8));
    }
}
