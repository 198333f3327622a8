package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Ids;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Referrals (API.md Part 2 "Referrals"), through the real HTTP handlers on DynamoDB Local: codes at
 * enrolment, naming and its refusals, the award of both parties in the qualifying earn's
 * transaction, pending referral points, and the referrer's limit under 32 racing referees.
 */
class ReferralsTest {
    static final String PROGRAM = """
            {"name": "Refer", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "referrals": {"referrer": {"points": 500}, "referee": {"points": 200}, "minOrderMinor": 2000,
                           "limits": {"perReferrer": %d}}%s}
            """;
    Api api;
    String table;

    @BeforeEach
    void setUp() {
        table = LocalDynamo.freshTable();
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
    }

    void program(int perReferrer, String more) {
        Api.Reply r = api.admin("PUT", "/v1/programs/p", PROGRAM.formatted(perReferrer, more));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    Api.Reply upsert(String customer, String body) {
        return api.shop("PUT", "/v1/programs/p/customers/" + customer, body);
    }

    Api.Reply earn(String customer, String order, long totalMinor) {
        return api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
    }

    JsonNode referral(String customer) {
        return Invariants.wallet(api, "p", customer).path("referral");
    }

    String code(String customer) {
        return referral(customer).path("code").asText();
    }

    @Test
    void theProgramFieldIsValidatedWholeWithFieldPaths() {
        Api.Reply r = api.admin("PUT", "/v1/programs/p", """
                {"name": "Refer", "currency": "EUR", "timezone": "Europe/Berlin", "earningRules": [],
                 "referrals": {"referrer": {"points": -1}, "referee": {}, "minOrderMinor": 1.5,
                               "limits": {"perReferrer": 0}, "bonus": 1}}
                """);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.body().path("error").path("details").path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).contains("referrals.referrer.points", "referrals.referee.points", "referrals.minOrderMinor",
                "referrals.limits.perReferrer", "referrals.bonus");
    }

    @Test
    void everyMemberGetsAUniqueCodeOfTheUnambiguousAlphabetWhenEnrolled() {
        program(20, "");
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertThat(upsert("u-" + i, "{}").status()).isEqualTo(201);
            assertThat(earn("e-" + i, "o-" + i, 1000).status()).isEqualTo(200);
            codes.add(code("u-" + i));
            codes.add(code("e-" + i));
        }
        assertThat(codes).hasSize(40);
        assertThat(codes).allSatisfy(c -> assertThat(c).hasSizeGreaterThanOrEqualTo(8)
                .matches("[" + Ids.CODE_ALPHABET + "]+"));
        JsonNode listed = api.admin("GET", "/v1/programs/p/customers?limit=100", null).body();
        Set<String> listedCodes = new HashSet<>();
        listed.path("customers").forEach(m -> listedCodes.add(m.path("referralCode").asText()));
        assertThat(listedCodes).isEqualTo(codes);
    }

    @Test
    void namingIsRefusedWithItsReasons() {
        program(1, "");
        assertThat(upsert("alice", "{\"email\": \"alice@example.com\"}").status()).isEqualTo(201);
        String alice = code("alice");
        Api.Reply unknown = upsert("bob", "{\"referredBy\": \"NOSUCHCODE\"}");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
        assertThat(unknown.code()).isEqualTo("not_eligible");
        assertThat(unknown.body().path("error").path("details").path("reasons").toString()).contains("unknown_referral_code");
        Api.Reply self = upsert("alice-2", "{\"email\": \"Alice+promo@Example.COM\", \"referredBy\": \"" + alice + "\"}");
        assertThat(self.status()).as(self.toString()).isEqualTo(422);
        assertThat(self.body().path("error").path("details").path("reasons").toString()).contains("self_referral");
        Api.Reply selfById = upsert("alice", "{\"referredBy\": \"" + alice + "\"}");
        assertThat(selfById.body().path("error").path("details").path("reasons").toString())
                .contains("already_member", "self_referral");
        assertThat(upsert("carol", "{}").status()).isEqualTo(201);
        Api.Reply member = upsert("carol", "{\"referredBy\": \"" + alice + "\"}");
        assertThat(member.status()).isEqualTo(422);
        assertThat(member.body().path("error").path("details").path("reasons").toString()).contains("already_member");
        // a refused naming changes nothing: bob and alice-2 are not members
        assertThat(api.shop("GET", "/v1/programs/p/customers/bob", null).status()).isEqualTo(404);
        assertThat(api.shop("GET", "/v1/programs/p/customers/alice-2", null).status()).isEqualTo(404);
        // the limit: alice completes one referral (perReferrer 1), then a new naming is refused
        assertThat(upsert("dave", "{\"email\": \"dave@example.com\", \"referredBy\": \"" + alice + "\"}").status()).isEqualTo(201);
        assertThat(earn("dave", "d-1", 2000).status()).isEqualTo(200);
        Api.Reply limit = earn("erin", "x-1", 5000);
        assertThat(limit.status()).isEqualTo(200);
        Api.Reply late = upsert("frank", "{\"referredBy\": \"" + alice + "\"}");
        assertThat(late.status()).isEqualTo(422);
        assertThat(late.body().path("error").path("details").path("reasons").toString()).contains("referrer_limit");
        Api.Reply bad = upsert("gina", "{\"referredBy\": \"no spaces\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.field()).isEqualTo("referredBy");
    }

    @Test
    void theFirstQualifyingOrderAwardsBothInOneTransaction() {
        program(20, "");
        assertThat(upsert("alice", "{}").status()).isEqualTo(201);
        String alice = code("alice");
        // named at the first earn (a generated code typed in lower case is the same code) (enrolment on the spot), below the minimum: no award yet
        Api.Reply small = api.shop("POST", "/v1/programs/p/earn", """
                {"customerId": "bob", "referredBy": "%s", "event": {"type": "order.paid", "id": "b-1",
                 "order": {"totalMinor": 1999, "currency": "EUR"}}}""".formatted(alice.toLowerCase(java.util.Locale.ROOT)));
        assertThat(small.status()).as(small.toString()).isEqualTo(200);
        assertThat(small.body().path("referral").path("status").asText()).isEqualTo("named");
        assertThat(referral("alice").path("referred").asLong()).isZero();
        Api.Reply big = earn("bob", "b-2", 2500);
        assertThat(big.body().path("referral").path("status").asText()).as(big.toString()).isEqualTo("completed");
        assertThat(big.body().path("referral").path("points").asLong()).isEqualTo(200);
        assertThat(big.body().path("balance").path("available").asLong()).isEqualTo(19 + 25 + 200);
        // only the first qualifying order counts
        assertThat(earn("bob", "b-3", 9000).body().has("referral")).isTrue();
        JsonNode bob = referral("bob");
        assertThat(bob.path("referredBy").asText()).isEqualTo(alice);
        assertThat(bob.path("pointsEarned").asLong()).isEqualTo(200);
        JsonNode a = referral("alice");
        assertThat(a.path("referred").asLong()).isEqualTo(1);
        assertThat(a.path("pointsEarned").asLong()).isEqualTo(500);
        Invariants.Snapshot sa = Invariants.check(api, "p", "alice");
        Invariants.Snapshot sb = Invariants.check(api, "p", "bob");
        assertThat(sa.sum("referral")).isEqualTo(500);
        assertThat(sb.sum("referral")).isEqualTo(200);
        assertThat(sa.ofType("referral").get(0).path("details").path("refereeId").asText()).isEqualTo("bob");
        assertThat(sb.ofType("referral").get(0).path("details").path("referrerId").asText()).isEqualTo("alice");
        assertThat(sa.lifetimeEarned()).isEqualTo(500);
    }

    @Test
    void referralPointsArePendingWithTheOrdersPoints() {
        program(20, ", \"pending\": {\"days\": 14}, \"expiry\": {\"afterDays\": 365}");
        assertThat(upsert("alice", "{}").status()).isEqualTo(201);
        assertThat(upsert("bob", "{\"referredBy\": \"" + code("alice") + "\"}").status()).isEqualTo(201);
        Api.Reply e = earn("bob", "b-1", 3000);
        assertThat(e.body().path("balance").path("pending").asLong()).as(e.toString()).isEqualTo(30 + 200);
        assertThat(e.body().path("balance").path("available").asLong()).isZero();
        JsonNode alice = Invariants.wallet(api, "p", "alice");
        assertThat(alice.path("balance").path("pending").asLong()).isEqualTo(500);
        assertThat(alice.path("pending").get(0).path("availableAt").asText()).isEqualTo(e.body().path("pendingUntil").asText());
        Invariants.check(api, "p", "alice");
        Invariants.check(api, "p", "bob");
        // a refund inside the window (even a part of the order) cancels both awards and frees the referrer's slot
        Api.Reply refund = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"bob\", \"orderId\": \"b-1\", \"amountMinor\": 1000}");
        assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
        assertThat(refund.body().path("balance").path("pending").asLong()).isEqualTo(20);
        JsonNode bob = referral("bob");
        assertThat(bob.path("status").asText()).isEqualTo("cancelled");
        assertThat(bob.path("pointsEarned").asLong()).isZero();
        JsonNode a = Invariants.wallet(api, "p", "alice");
        assertThat(a.path("balance").path("pending").asLong()).isZero();
        assertThat(a.path("referral").path("referred").asLong()).isZero();
        assertThat(a.path("referral").path("pointsEarned").asLong()).isZero();
        assertThat(Invariants.check(api, "p", "alice").sum("referral")).isZero();
        assertThat(Invariants.check(api, "p", "bob").sum("referral")).isZero();
        // a later order does not award again
        assertThat(earn("bob", "b-2", 5000).body().path("referral").path("status").asText()).isEqualTo("cancelled");
        assertThat(referral("alice").path("pointsEarned").asLong()).isZero();
    }

    @Test
    void aRefundAfterTheWindowLeavesTheReferralPoints() {
        program(20, ", \"pending\": {\"days\": 14}");
        assertThat(upsert("alice", "{}").status()).isEqualTo(201);
        assertThat(upsert("bob", "{\"referredBy\": \"" + code("alice") + "\"}").status()).isEqualTo(201);
        assertThat(earn("bob", "b-1", 3000).status()).isEqualTo(200);
        api.clock.set(api.clock.instant().plus(Duration.ofDays(20)));
        Api.Reply refund = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"bob\", \"orderId\": \"b-1\", \"amountMinor\": 3000}");
        assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
        assertThat(refund.body().path("balance").path("available").asLong()).isEqualTo(200);
        assertThat(referral("bob").path("status").asText()).isEqualTo("completed");
        assertThat(Invariants.wallet(api, "p", "alice").path("balance").path("available").asLong()).isEqualTo(500);
        Invariants.check(api, "p", "alice");
        Invariants.check(api, "p", "bob");
    }

    @Test
    void thirtyTwoRefereesRaceForTheReferrersLastSlotAndExactlyOneWins() {
        program(2, "");
        assertThat(upsert("alice", "{}").status()).isEqualTo(201);
        String alice = code("alice");
        assertThat(upsert("first", "{\"referredBy\": \"" + alice + "\"}").status()).isEqualTo(201);
        assertThat(earn("first", "f-1", 2000).status()).isEqualTo(200);
        int n = 32;
        for (int i = 0; i < n; i++) {
            Api.Reply r = upsert("r-" + i, "{\"referredBy\": \"" + alice + "\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String c = "r-" + i;
            tasks.add(() -> earn(c, c + "-o", 4000));
        }
        List<Api.Reply> replies = Invariants.race(n, tasks);
        int completed = 0;
        int limited = 0;
        for (Api.Reply r : replies) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.body().path("pointsEarned").asLong()).isEqualTo(40);
            String status = r.body().path("referral").path("status").asText();
            if (status.equals("completed")) {
                completed++;
            } else {
                assertThat(status).isEqualTo("referrer_limit");
                assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(40);
                limited++;
            }
        }
        assertThat(completed).isEqualTo(1);
        assertThat(limited).isEqualTo(n - 1);
        JsonNode a = referral("alice");
        assertThat(a.path("referred").asLong()).isEqualTo(2);
        assertThat(a.path("pointsEarned").asLong()).isEqualTo(1000);
        assertThat(Invariants.check(api, "p", "alice").sum("referral")).isEqualTo(1000);
        for (int i = 0; i < n; i++) {
            Invariants.check(api, "p", "r-" + i);
        }
    }

    @Test
    void anImportedCodeIsKeptAndCanBeNamed() {
        program(20, "");
        assertThat(api.admin("PUT", "/v1/programs/p/imports/i1", "{}").status()).isEqualTo(201);
        Api.Reply rows = api.call("POST", "/v1/programs/p/imports/i1/rows?offset=0",
                "customerId,email,referralCode\nalice,alice@example.com,alice-2024\n", api.adminKey,
                Map.of("content-type", "text/csv; charset=utf-8"));
        assertThat(rows.body().path("imported").asLong()).as(rows.toString()).isEqualTo(1);
        assertThat(code("alice")).isEqualTo("alice-2024");
        assertThat(upsert("bob", "{\"referredBy\": \"alice-2024\"}").status()).isEqualTo(201);
        assertThat(earn("bob", "b-1", 2000).body().path("referral").path("status").asText()).isEqualTo("completed");
        assertThat(referral("alice").path("referred").asLong()).isEqualTo(1);
    }

    @Test
    void aCompletedReferralIsAWebhookEventAndReportedAsIssuedUnderTheRuleReferral() throws Exception {
        Hooks hooks = new Hooks();
        api = hooks.api;
        program(20, ", \"pending\": {\"days\": 14}");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Api.Reply hook = hooks.putHook("crm", Hooks.hook(receiver.url(), receiver.secret,
                    "[\"referral.completed\", \"points.earned\", \"points.refunded\"]", null));
            assertThat(hook.status()).as(hook.toString()).isBetween(200, 201);
            assertThat(upsert("alice", "{}").status()).isEqualTo(201);
            assertThat(upsert("bob", "{\"referredBy\": \"" + code("alice") + "\"}").status()).isEqualTo(201);
            assertThat(earn("bob", "b-1", 3000).status()).isEqualTo(200);
            assertThat(upsert("carol", "{\"referredBy\": \"" + code("alice") + "\"}").status()).isEqualTo(201);
            assertThat(earn("carol", "c-1", 4000).status()).isEqualTo(200);
            assertThat(api.shop("POST", "/v1/programs/p/refunds",
                    "{\"customerId\": \"carol\", \"orderId\": \"c-1\", \"amountMinor\": 4000}").status()).isEqualTo(200);
            hooks.drain();
            List<WebhookReceiver.Received> completed = receiver.received("referral.completed");
            assertThat(completed).hasSize(2);
            JsonNode data = completed.get(0).envelope().path("data");
            assertThat(data.path("referrerId").asText()).isEqualTo("alice");
            assertThat(data.path("refereeId").asText()).isIn("bob", "carol");
            assertThat(data.path("points").asLong()).isEqualTo(500);
            assertThat(completed.get(0).envelope().path("customerId").asText()).isEqualTo("alice");
            assertThat(receiver.received("points.earned").stream()
                    .filter(r -> r.envelope().path("data").path("entryType").asText().equals("referral"))).hasSize(4);
            assertThat(receiver.received("points.refunded").stream()
                    .filter(r -> r.envelope().path("data").path("entryType").asText().equals("referral"))).hasSize(2);
        }
        // the report, fed from the same stream
        var reports = new dev.laurel.functions.stream.StreamHandler(hooks.laurel);
        for (var shard : StreamRecords.byShard(hooks.table).entrySet()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            reports.handleRequest(new java.io.ByteArrayInputStream(dev.laurel.local.LocalStreams.event(shard.getKey(),
                    shard.getValue())), out, null);
        }
        JsonNode report = api.admin("GET", "/v1/programs/p/reports/summary?from=2026-11-23&to=2026-11-23", null).body();
        JsonNode totals = report.path("totals");
        assertThat(totals.path("pointsIssued").asLong()).as(report.toString()).isEqualTo(30 + 40 + 2 * 700);
        assertThat(totals.path("pointsRefunded").asLong()).isEqualTo(40 + 700);
        JsonNode rule = null;
        for (JsonNode r : report.path("rules")) {
            if (r.path("ruleId").asText().equals("referral")) {
                rule = r;
            }
        }
        assertThat(rule).as(report.toString()).isNotNull();
        assertThat(rule.path("points").asLong()).isEqualTo(1400);
        assertThat(rule.path("events").asLong()).isEqualTo(4);
        assertThat(report.path("outstandingPoints").asLong()).isEqualTo(30 + 700);
    }

    @Test
    void aMemberStoredBeforeReferralsGetsACodeWhenTheirWalletIsFirstRead() {
        program(20, "");
        assertThat(upsert("old", "{}").status()).isEqualTo(201);
        // as a profile stored before issue 12: no referralCode (its code item stays, unused)
        var key = Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("T#" + api.tenant + "#P#p#C#old"),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("P"));
        LocalDynamo.get().client().updateItem(b -> b.tableName(table).key(key).updateExpression("REMOVE referralCode"));
        JsonNode listed = api.admin("GET", "/v1/programs/p/customers?limit=10", null).body();
        assertThat(listed.path("customers").get(0).path("referralCode").isNull()).as(listed.toString()).isTrue();
        String code = code("old");
        assertThat(code).hasSize(10).matches("[" + Ids.CODE_ALPHABET + "]+");
        assertThat(code("old")).isEqualTo(code);
        listed = api.admin("GET", "/v1/programs/p/customers?limit=10", null).body();
        assertThat(listed.path("customers").get(0).path("referralCode").asText()).isEqualTo(code);
        // the code is theirs: a newcomer can name it
        assertThat(upsert("new", "{\"referredBy\": \"" + code + "\"}").status()).isEqualTo(201);
        assertThat(referral("new").path("referredBy").asText()).isEqualTo(code);
        Invariants.check(api, "p", "old");
    }
}
