package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tenants sharing one table: what a key can see or change belongs to its tenant. Another
 * tenant's program, customer, redemption or order answers 404 exactly as if it did not exist
 * (never 403), and is left untouched; a shop key gets 403 on admin routes; an unknown key 401.
 */
class TenancyTest {
    static final String CUSTOMER = "{\"email\": \"bob@example.com\", \"consent\": {\"marketing\": true}}";
    static final String REDEEM_BOB = """
            {"customerId": "bob", "rewardId": "ten-off", "order": {"id": "o-r", "totalMinor": 5000, "currency": "EUR"}}""";
    static final String VALIDATE_BOB = """
            {"customerId": "bob", "order": {"id": "o-v", "totalMinor": 5000, "currency": "EUR"}, "rewards": ["ten-off"]}""";
    static final String REFUND_BOB = "{\"customerId\": \"bob\", \"orderId\": \"o-b\", \"amountMinor\": 1000}";
    static final String DISABLE = "{\"status\": \"disabled\"}";
    /** B's "acme" gives ten times A's points, so whose program served a request shows in the answer. */
    static final String B_ACME = Api.minimalProgram().replace("{\"points\": 1, \"amountMinor\": 100}",
            "{\"points\": 10, \"amountMinor\": 100}");

    Api a;
    Api b;
    /** B's redemptions of ten-off for bob, per program. */
    String bRedemptionBProg;
    String bRedemptionAcme;
    JsonNode bBobAcmeEarn;

    record Req(String name, String method, String path, String body, Map<String, String> headers, boolean admin) {
    }

    @BeforeEach
    void twoTenants() {
        assertThat(B_ACME).isNotEqualTo(Api.minimalProgram());
        a = new Api();
        b = new Api();
        assertThat(a.tenant).isNotEqualTo(b.tenant);
        expect(a.admin("PUT", "/v1/programs/acme", Api.minimalProgram()), 201);
        expect(b.admin("PUT", "/v1/programs/b-prog", Api.minimalProgram()), 201);
        expect(b.admin("PUT", "/v1/programs/acme", B_ACME), 201);
        for (String program : List.of("b-prog", "acme")) {
            String p = "/v1/programs/" + program;
            expect(b.shop("PUT", p + "/customers/bob", CUSTOMER), 201);
            Api.Reply earn = expect(b.shop("POST", p + "/earn", Api.orderPaid("bob", "o-b", 30000, "2026-11-23T09:00:00Z")), 200);
            Api.Reply r = expect(b.shop("POST", p + "/redeem", REDEEM_BOB, Map.of("Idempotency-Key", "k-1")), 201);
            if (program.equals("acme")) {
                bRedemptionAcme = r.body().path("redemptionId").asText();
                bBobAcmeEarn = earn.body();
            } else {
                bRedemptionBProg = r.body().path("redemptionId").asText();
            }
        }
        assertThat(bBobAcmeEarn.path("pointsEarned").asLong()).as("B's acme is B's own program").isGreaterThanOrEqualTo(3000);
    }

    /** Every route of Api.ROUTES on one program, aimed at bob, B's order o-b and a redemption. */
    static List<Req> routes(String programId, String redemptionId) {
        String p = "/v1/programs/" + programId;
        List<Req> l = new ArrayList<>();
        l.add(new Req("PUT program", "PUT", p, Api.minimalProgram(), Map.of(), true));
        l.add(new Req("GET program", "GET", p, null, Map.of(), true));
        l.add(new Req("PATCH rule", "PATCH", p + "/earningRules/purchase", DISABLE, Map.of(), true));
        l.add(new Req("PATCH reward", "PATCH", p + "/rewards/ten-off", DISABLE, Map.of(), true));
        l.add(new Req("PUT customer bob", "PUT", p + "/customers/bob", CUSTOMER, Map.of(), false));
        l.add(new Req("PUT customer eve (new)", "PUT", p + "/customers/eve", CUSTOMER, Map.of(), false));
        l.add(new Req("wallet of bob", "GET", p + "/customers/bob", null, Map.of(), false));
        l.add(new Req("ledger of bob", "GET", p + "/customers/bob/ledger", null, Map.of(), false));
        l.add(new Req("ledger of bob, limit=1", "GET", p + "/customers/bob/ledger?limit=1", null, Map.of(), false));
        l.add(new Req("member listing", "GET", p + "/customers?limit=10", null, Map.of(), true));
        l.add(new Req("earn (B's own event o-b)", "POST", p + "/earn", Api.orderPaid("bob", "o-b", 30000, "2026-11-23T09:00:00Z"),
                Map.of(), false));
        l.add(new Req("earn (new event)", "POST", p + "/earn", Api.orderPaid("bob", "o-new", 10000, "2026-11-23T09:00:00Z"),
                Map.of(), false));
        l.add(new Req("validate", "POST", p + "/validate", VALIDATE_BOB, Map.of(), false));
        l.add(new Req("redeem (B's Idempotency-Key)", "POST", p + "/redeem", REDEEM_BOB, Map.of("Idempotency-Key", "k-1"), false));
        l.add(new Req("redeem (new Idempotency-Key)", "POST", p + "/redeem", REDEEM_BOB, Map.of("Idempotency-Key", "k-2"), false));
        l.add(new Req("rollback of B's redemption", "POST", p + "/redemptions/" + redemptionId + "/rollback", null, Map.of(), false));
        l.add(new Req("refund of B's order", "POST", p + "/refunds", REFUND_BOB, Map.of(), false));
        return l;
    }

    // ------------------------------------------------------------------ 404 on the other tenant's program

    @Test
    void tenantAsKeysGetNotFoundForTenantBsProgramOnEveryRouteExactlyAsForAProgramNobodyHas() {
        var bBefore = TableSnapshot.of(b.tenant);
        var aBefore = TableSnapshot.of(a.tenant);
        JsonNode bWallet = b.shop("GET", "/v1/programs/b-prog/customers/bob", null).body();
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        List<Req> onB = routes("b-prog", bRedemptionBProg);
        List<Req> onNobody = routes(nobody, bRedemptionBProg);
        SoftAssertions s = new SoftAssertions();
        int checked = 0;
        // A's keys through A's functions, and through B's functions (whose caches hold B's program)
        for (Api container : List.of(a, b)) {
            for (String key : List.of(a.adminKey, a.shopKey)) {
                for (int i = 0; i < onB.size(); i++) {
                    Req r = onB.get(i);
                    if (r.name().equals("PUT program") || (r.admin() && key.equals(a.shopKey))) {
                        continue; // PUT creates A's own program (see below); a shop key on admin routes is 403 first
                    }
                    String what = (container == a ? "A's" : "B's") + " functions, A's " + (key.equals(a.adminKey) ? "admin" : "shop")
                            + " key, " + r.name();
                    Api.Reply got = container.call(r.method(), r.path(), r.body(), key, r.headers());
                    Api.Reply none = container.call(r.method(), onNobody.get(i).path(), r.body(), key, r.headers());
                    s.assertThat(got.status()).as(what + ": " + got).isEqualTo(404);
                    s.assertThat(got.code()).as(what + ": " + got).isEqualTo("not_found");
                    errorShape(s, got, what);
                    s.assertThat(got.status()).as(what + ": same as a program nobody has: " + none).isEqualTo(none.status());
                    s.assertThat(got.code()).as(what + ": same code as a program nobody has").isEqualTo(none.code());
                    s.assertThat(got.body().path("error").path("message").asText().replace("b-prog", "<p>"))
                            .as(what + ": same message as a program nobody has")
                            .isEqualTo(none.body().path("error").path("message").asText().replace(nobody, "<p>"));
                    s.assertThat(got.body().path("error").path("details"))
                            .as(what + ": same details as a program nobody has")
                            .isEqualTo(none.body().path("error").path("details"));
                    checked++;
                }
            }
        }
        s.assertThat(checked).isEqualTo(2 * (4 + 2 * 12));
        s.assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();
        s.assertThat(TableSnapshot.diff(aBefore, TableSnapshot.of(a.tenant))).as("nothing was written for A either").isEmpty();
        s.assertThat(b.shop("GET", "/v1/programs/b-prog/customers/bob", null).body()).as("B's wallet").isEqualTo(bWallet);
        Api.Reply bProgram = b.admin("GET", "/v1/programs/b-prog", null);
        s.assertThat(bProgram.body().path("version").asLong()).as("B's program version").isEqualTo(1);
        s.assertThat(bProgram.body().path("earningRules").get(0).has("status")).as("B's rule was not switched off").isFalse();
        s.assertAll();
    }

    @Test
    void aPutOnTheOtherTenantsProgramIdCreatesAnIndependentProgramAndANonMatchingIfMatchLeaksNothing() {
        var bBefore = TableSnapshot.of(b.tenant);
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
        // If-Match against B's program (at version 1) answers as for a program nobody has
        Api.Reply ifMatch = a.call("PUT", "/v1/programs/b-prog", Api.minimalProgram(), a.adminKey, Map.of("If-Match", "1"));
        Api.Reply ifMatchNobody = a.call("PUT", "/v1/programs/" + nobody, Api.minimalProgram(), a.adminKey, Map.of("If-Match", "1"));
        assertThat(ifMatch.status()).as(ifMatch.toString()).isBetween(400, 499).isEqualTo(ifMatchNobody.status());
        assertThat(ifMatch.code()).isEqualTo(ifMatchNobody.code());
        assertThat(a.admin("GET", "/v1/programs/b-prog", null).status()).as("A still has no b-prog").isEqualTo(404);
        assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();

        // without If-Match, A creates its own b-prog: version 1, not B's version + 1
        String mine = Api.minimalProgram().replace("Acme Rewards", "A's own");
        Api.Reply put = a.admin("PUT", "/v1/programs/b-prog", mine);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.body().path("version").asLong()).isEqualTo(1);
        assertThat(a.admin("GET", "/v1/programs/b-prog", null).body().path("name").asText()).isEqualTo("A's own");
        Api.Reply bProgram = b.admin("GET", "/v1/programs/b-prog", null);
        assertThat(bProgram.body().path("name").asText()).isEqualTo("Acme Rewards");
        assertThat(bProgram.body().path("version").asLong()).isEqualTo(1);
        assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();
        // and A's customers there are A's: bob is unknown to A
        assertThat(a.shop("GET", "/v1/programs/b-prog/customers/bob", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ the same program id in both tenants

    @Test
    void theSameProgramIdInBothTenantsSharesNothing() {
        var bBefore = TableSnapshot.of(b.tenant);
        JsonNode bWallet = b.shop("GET", "/v1/programs/acme/customers/bob", null).body();
        String p = "/v1/programs/acme";
        SoftAssertions s = new SoftAssertions();
        for (Req r : List.of(
                new Req("wallet of B's bob", "GET", p + "/customers/bob", null, Map.of(), false),
                new Req("ledger of B's bob", "GET", p + "/customers/bob/ledger?limit=5", null, Map.of(), false),
                new Req("rollback of B's redemption", "POST", p + "/redemptions/" + bRedemptionAcme + "/rollback", null, Map.of(), false),
                new Req("refund of B's order", "POST", p + "/refunds", REFUND_BOB, Map.of(), false))) {
            for (String key : List.of(a.adminKey, a.shopKey)) {
                Api.Reply got = a.call(r.method(), r.path(), r.body(), key, r.headers());
                s.assertThat(got.status()).as(r.name() + ": " + got).isEqualTo(404);
                s.assertThat(got.code()).as(r.name()).isEqualTo("not_found");
                errorShape(s, got, r.name());
            }
        }
        s.assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();

        // A's program is A's: one point per euro
        Api.Reply program = a.admin("GET", p, null);
        s.assertThat(program.body().path("earningRules").get(0).path("points").path("perAmount").path("points").asLong())
                .as("A reads its own acme").isEqualTo(1);
        Api.Reply v = a.shop("POST", p + "/validate", VALIDATE_BOB);
        s.assertThat(v.status()).as(v.toString()).isEqualTo(200);
        s.assertThat(v.body().path("earnPreview").path("points").asLong()).as("A's rates: " + v).isEqualTo(50);
        s.assertThat(v.body().path("rewards").get(0).path("reasons").toString())
                .as("A's bob has no points: " + v).contains("insufficient_points");

        // B's event o-b and B's Idempotency-Key k-1 mean nothing in A: fresh results, not B's replays
        Api.Reply earn = a.shop("POST", p + "/earn", Api.orderPaid("bob", "o-b", 30000, "2026-11-23T09:00:00Z"));
        s.assertThat(earn.status()).as(earn.toString()).isEqualTo(200);
        s.assertThat(earn.headers()).as("not a replay of B's earn").doesNotContainKey("idempotent-replayed");
        s.assertThat(earn.body().path("pointsEarned").asLong()).as("A's program: " + earn).isEqualTo(300);
        s.assertThat(earn.body()).isNotEqualTo(bBobAcmeEarn);
        Api.Reply redeem = a.shop("POST", p + "/redeem", REDEEM_BOB, Map.of("Idempotency-Key", "k-1"));
        s.assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
        s.assertThat(redeem.headers()).as("not a replay of B's redemption").doesNotContainKey("idempotent-replayed");
        s.assertThat(redeem.body().path("redemptionId").asText()).isNotEqualTo(bRedemptionAcme);
        s.assertThat(redeem.body().path("balance").path("available").asLong()).as(redeem.toString()).isEqualTo(200);
        // A's rollback of A's own redemption, with B's redemption untouched
        Api.Reply rb = a.shop("POST", p + "/redemptions/" + redeem.body().path("redemptionId").asText() + "/rollback", null);
        s.assertThat(rb.status()).as(rb.toString()).isEqualTo(200);

        s.assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is still unchanged").isEmpty();
        s.assertThat(b.shop("GET", "/v1/programs/acme/customers/bob", null).body()).as("B's wallet of bob").isEqualTo(bWallet);
        Api.Reply bLedger = b.shop("GET", "/v1/programs/acme/customers/bob/ledger", null);
        s.assertThat(bLedger.body().path("entries")).as("B's ledger: earn and redeem only: " + bLedger).hasSize(2);
        s.assertAll();
    }

    @Test
    void oneContainerServingBothTenantsNeverMixesTheirPrograms() {
        // everything through A's functions (one Lambda container, one program cache), with each tenant's keys
        String p = "/v1/programs/acme";
        var bBefore = TableSnapshot.of(b.tenant);
        Api.Reply mine = a.call("POST", p + "/earn", Api.orderPaid("carol", "o-c1", 4000, "2026-11-23T09:00:00Z"), a.shopKey, Map.of());
        assertThat(mine.body().path("pointsEarned").asLong()).as(mine.toString()).isEqualTo(40);
        assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("A's earn writes nothing of B's").isEmpty();

        Api.Reply theirs = a.call("POST", p + "/earn", Api.orderPaid("carol", "o-c1", 4000, "2026-11-23T09:00:00Z"), b.shopKey, Map.of());
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(200);
        assertThat(theirs.headers()).as("B's first o-c1 is not a replay of A's").doesNotContainKey("idempotent-replayed");
        assertThat(theirs.body().path("pointsEarned").asLong()).as("B's program: " + theirs).isEqualTo(400);

        var aBefore = TableSnapshot.of(a.tenant);
        Api.Reply mineAgain = a.call("POST", p + "/earn", Api.orderPaid("carol", "o-c2", 4000, "2026-11-23T09:00:00Z"), a.shopKey, Map.of());
        assertThat(mineAgain.body().path("pointsEarned").asLong()).as(mineAgain.toString()).isEqualTo(40);
        assertThat(mineAgain.body().path("balance").path("available").asLong()).as("A's carol only").isEqualTo(80);
        assertThat(TableSnapshot.diff(aBefore, TableSnapshot.of(a.tenant))).as("A's earn wrote A's items").isNotEmpty();

        Api.Reply bDef = a.call("GET", p, null, b.adminKey, Map.of());
        assertThat(bDef.body().path("earningRules").get(0).path("points").path("perAmount").path("points").asLong())
                .as("B's admin key reads B's acme").isEqualTo(10);
        Api.Reply bCarol = a.call("GET", p + "/customers/carol", null, b.shopKey, Map.of());
        assertThat(bCarol.body().path("balance").path("available").asLong()).as(bCarol.toString()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ 403 for a shop key on admin routes

    @Test
    void aShopKeyIsForbiddenOnEveryAdminRouteWhateverTheProgram() {
        var aBefore = TableSnapshot.of(a.tenant);
        var bBefore = TableSnapshot.of(b.tenant);
        SoftAssertions s = new SoftAssertions();
        int checked = 0;
        for (String program : List.of("acme", "b-prog", "nobody")) {
            for (Req r : routes(program, bRedemptionBProg)) {
                if (!r.admin()) {
                    continue;
                }
                for (Map.Entry<String, String> key : Map.of("A's shop key", a.shopKey, "B's shop key", b.shopKey).entrySet()) {
                    String what = key.getKey() + ", " + r.name() + " " + program;
                    Api.Reply got = a.call(r.method(), r.path(), r.body(), key.getValue(), r.headers());
                    s.assertThat(got.status()).as(what + ": " + got).isEqualTo(403);
                    s.assertThat(got.code()).as(what).isEqualTo("forbidden");
                    errorShape(s, got, what);
                    checked++;
                }
            }
        }
        s.assertThat(checked).isEqualTo(3 * 5 * 2);
        s.assertThat(TableSnapshot.diff(aBefore, TableSnapshot.of(a.tenant))).as("A's data is unchanged").isEmpty();
        s.assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();
        s.assertAll();
        // the same routes with the admin key do work (so the 403s above are about the role)
        assertThat(a.admin("GET", "/v1/programs/acme", null).status()).isEqualTo(200);
        assertThat(a.admin("PATCH", "/v1/programs/acme/rewards/ten-off", DISABLE).status()).isEqualTo(200);
        assertThat(a.admin("PATCH", "/v1/programs/acme/earningRules/purchase", DISABLE).status()).isEqualTo(200);
        assertThat(a.admin("PUT", "/v1/programs/acme", Api.minimalProgram()).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ 401 for an unknown key

    @Test
    void anUnknownKeyIsUnauthorizedOnEveryRouteInTheErrorShape() {
        var aBefore = TableSnapshot.of(a.tenant);
        var bBefore = TableSnapshot.of(b.tenant);
        List<String> headers = List.of(
                "Bearer not-a-key-at-all",
                "Bearer lk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "Bearer " + a.adminKey + "x",
                "Bearer " + a.adminKey.substring(0, a.adminKey.length() - 1),
                "Bearer " + a.shopKey.toUpperCase(java.util.Locale.ROOT),
                "Bearer ",
                "Bearer",
                "Basic " + a.adminKey,
                a.adminKey,
                "Bearer " + "k".repeat(300));
        SoftAssertions s = new SoftAssertions();
        int checked = 0;
        for (String header : headers) {
            for (Req r : routes("acme", bRedemptionAcme)) {
                String what = "Authorization '" + (header.length() > 40 ? header.substring(0, 40) + "…" : header) + "', " + r.name();
                Api.Reply got = a.call(r.method(), r.path(), r.body(), "unused", Map.of("Authorization", header));
                s.assertThat(got.status()).as(what + ": " + got).isEqualTo(401);
                s.assertThat(got.code()).as(what).isEqualTo("unauthorized");
                errorShape(s, got, what);
                checked++;
            }
        }
        // authentication comes before reading the body: a broken or huge body still answers 401
        for (String body : List.of("{not json", "{\"colour\": 1}", "{\"x\": \"" + "y".repeat(300_000) + "\"}")) {
            Api.Reply got = a.call("POST", "/v1/programs/acme/earn", body, "not-a-key-at-all", Map.of());
            s.assertThat(got.status()).as("unknown key, bad body: " + got.toString().substring(0, Math.min(200, got.toString().length())))
                    .isEqualTo(401);
            s.assertThat(got.code()).isEqualTo("unauthorized");
        }
        s.assertThat(checked).isEqualTo(headers.size() * 17);
        s.assertThat(TableSnapshot.diff(aBefore, TableSnapshot.of(a.tenant))).as("A's data is unchanged").isEmpty();
        s.assertThat(TableSnapshot.diff(bBefore, TableSnapshot.of(b.tenant))).as("B's data is unchanged").isEmpty();
        s.assertAll();
    }

    // ------------------------------------------------------------------ helpers

    static Api.Reply expect(Api.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    static void errorShape(SoftAssertions s, Api.Reply r, String what) {
        JsonNode err = r.body().path("error");
        s.assertThat(r.body().size() == 1 && err.isObject()).as(what + ": the body is {\"error\": {...}}: " + r).isTrue();
        s.assertThat(err.path("code").isTextual()).as(what + ": error.code").isTrue();
        s.assertThat(err.path("message").isTextual() && !err.path("message").asText().isBlank()).as(what + ": error.message").isTrue();
        s.assertThat(err.path("details").isObject()).as(what + ": error.details is an object").isTrue();
        s.assertThat(r.status()).as(what + ": never 5xx").isLessThan(500);
    }
}
