package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger (newest first, paged) and the wallet, and what a customer upsert changes. */
class LedgerAndWalletTest {
    static final String P = "/v1/programs/lw";

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        Api.Reply put = api.admin("PUT", P, """
                {"name": "Ledger", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "rewards": [
                   {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100},
                   {"id": "cheap", "type": "gift_card", "valueMinor": 100, "cost": 50},
                   {"id": "pricey", "type": "gift_card", "valueMinor": 10000, "cost": 500},
                   {"id": "silver-gift", "type": "gift_card", "valueMinor": 100, "cost": 10, "tiers": ["silver"]},
                   {"id": "vip", "type": "gift_card", "valueMinor": 100, "cost": 10,
                    "when": {"attr": "customer.attributes.segment", "op": "eq", "value": "vip"}},
                   {"id": "german", "type": "gift_card", "valueMinor": 100, "cost": 10,
                    "when": {"attr": "customer.attributes.country", "op": "exists", "value": true}},
                   {"id": "opted-in", "type": "gift_card", "valueMinor": 100, "cost": 10,
                    "when": {"attr": "customer.consent.marketing", "op": "eq", "value": true}},
                   {"id": "once", "type": "gift_card", "valueMinor": 100, "cost": 10, "limits": {"perCustomer": 1}}
                 ],
                 "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 1000}],
                 "expiry": {"afterDays": 365}}""");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    void step() {
        api.clock.advance(Duration.ofSeconds(1));
    }

    Api.Reply earn(String customerId, String orderId, long totalMinor) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customerId, orderId, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        step();
        return r;
    }

    Api.Reply redeem(String customerId, String rewardId, String order, String key) {
        Api.Reply r = api.shop("POST", P + "/redeem", "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\""
                + (order == null ? "" : ", \"order\": " + order) + "}", Map.of("Idempotency-Key", key));
        step();
        return r;
    }

    JsonNode wallet(String customerId) {
        Api.Reply w = api.shop("GET", P + "/customers/" + customerId, null);
        assertThat(w.status()).as(w.toString()).isEqualTo(200);
        return w.body();
    }

    static JsonNode reward(JsonNode wallet, String rewardId) {
        for (JsonNode r : wallet.path("rewards")) {
            if (rewardId.equals(r.path("rewardId").asText())) {
                return r;
            }
        }
        throw new AssertionError("wallet lists no reward " + rewardId + ": " + wallet);
    }

    /** Five entries for c-1, oldest first: earn o-1, earn o-2, redeem ten-off, rollback, refund o-2. */
    String fiveEntries() {
        earn("c-1", "o-1", 30000);
        earn("c-1", "o-2", 10000);
        Api.Reply red = redeem("c-1", "ten-off", "{\"id\": \"o-3\", \"totalMinor\": 5000, \"currency\": \"EUR\"}", "k-1");
        assertThat(red.status()).as(red.toString()).isEqualTo(201);
        String redemptionId = red.body().path("redemptionId").asText();
        Api.Reply rb = api.shop("POST", P + "/redemptions/" + redemptionId + "/rollback", null);
        assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
        step();
        Api.Reply rf = api.shop("POST", P + "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"o-2\", \"amountMinor\": 5000}");
        assertThat(rf.status()).as(rf.toString()).isEqualTo(200);
        step();
        return redemptionId;
    }

    @Test
    void theLedgerListsEveryKindOfEntryNewestFirstWithItsReason() {
        String redemptionId = fiveEntries();
        Api.Reply l = api.shop("GET", P + "/customers/c-1/ledger", null);
        assertThat(l.status()).as(l.toString()).isEqualTo(200);
        JsonNode e = l.body().path("entries");
        assertThat(e).as(l.toString()).hasSize(5);
        assertThat(l.body().has("cursor")).isFalse();

        assertThat(e.get(0).path("type").asText()).isEqualTo("refund");
        assertThat(e.get(0).path("points").asLong()).isEqualTo(-50);
        assertThat(e.get(0).path("orderId").asText()).isEqualTo("o-2");

        assertThat(e.get(1).path("type").asText()).isEqualTo("rollback");
        assertThat(e.get(1).path("points").asLong()).isEqualTo(100);
        assertThat(e.get(1).path("rewardId").asText()).isEqualTo("ten-off");

        assertThat(e.get(2).path("type").asText()).isEqualTo("redeem");
        assertThat(e.get(2).path("points").asLong()).isEqualTo(-100);
        assertThat(e.get(2).path("rewardId").asText()).isEqualTo("ten-off");
        assertThat(e.get(2).path("orderId").asText()).isEqualTo("o-3");

        assertThat(e.get(3).path("type").asText()).isEqualTo("earn");
        assertThat(e.get(3).path("points").asLong()).isEqualTo(100);
        assertThat(e.get(3).path("ruleId").asText()).isEqualTo("purchase");
        assertThat(e.get(3).path("orderId").asText()).isEqualTo("o-2");

        assertThat(e.get(4).path("type").asText()).isEqualTo("earn");
        assertThat(e.get(4).path("points").asLong()).isEqualTo(300);
        assertThat(e.get(4).path("orderId").asText()).isEqualTo("o-1");

        Set<String> ids = new HashSet<>();
        Instant previous = Instant.MAX;
        long sum = 0;
        for (JsonNode x : e) {
            assertThat(ids.add(x.path("id").asText())).as("unique ids " + l).isTrue();
            Instant at = Instant.parse(x.path("at").asText());
            assertThat(at).as("newest first " + l).isBeforeOrEqualTo(previous);
            previous = at;
            sum += x.path("points").asLong();
        }
        // the ledger adds up to the balance
        assertThat(sum).isEqualTo(wallet("c-1").path("balance").path("available").asLong()).isEqualTo(350);
        assertThat(redemptionId).isNotEmpty();
    }

    @Test
    void theLedgerPagesWithACursorWithoutDuplicatesOrGaps() {
        fiveEntries();
        List<String> all = new ArrayList<>();
        for (JsonNode x : api.shop("GET", P + "/customers/c-1/ledger?limit=100", null).body().path("entries")) {
            all.add(x.path("id").asText());
        }
        assertThat(all).hasSize(5);

        List<Integer> sizes = new ArrayList<>();
        List<String> paged = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            String q = "?limit=2" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Reply r = api.shop("GET", P + "/customers/c-1/ledger" + q, null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            sizes.add(r.body().path("entries").size());
            r.body().path("entries").forEach(x -> paged.add(x.path("id").asText()));
            cursor = r.body().hasNonNull("cursor") ? r.body().path("cursor").asText() : null;
            if (cursor == null) {
                break;
            }
        }
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(paged).containsExactlyElementsOf(all);
    }

    @Test
    void aFullLastPageCarriesNoCursor() {
        earn("c-1", "o-1", 1000);
        earn("c-1", "o-2", 1000);
        earn("c-1", "o-3", 1000);
        earn("c-1", "o-4", 1000);
        Api.Reply first = api.shop("GET", P + "/customers/c-1/ledger?limit=2", null);
        assertThat(first.body().path("entries")).hasSize(2);
        String cursor = first.body().path("cursor").asText();
        assertThat(cursor).isNotEmpty();
        Api.Reply second = api.shop("GET", P + "/customers/c-1/ledger?limit=2&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.body().path("entries")).hasSize(2);
        // the 4 entries are all listed: there is no further page to point to
        assertThat(second.body().has("cursor")).as("cursor on the last page: " + second).isFalse();
    }

    @Test
    void theLedgerRejectsABadLimitOrCursor() {
        earn("c-1", "o-1", 1000);
        Api.Reply zero = api.shop("GET", P + "/customers/c-1/ledger?limit=0", null);
        assertThat(zero.status()).as(zero.toString()).isEqualTo(400);
        assertThat(zero.field()).isEqualTo("limit");
        Api.Reply big = api.shop("GET", P + "/customers/c-1/ledger?limit=abc", null);
        assertThat(big.status()).as(big.toString()).isEqualTo(400);
        Api.Reply cursor = api.shop("GET", P + "/customers/c-1/ledger?cursor=not-a-cursor", null);
        assertThat(cursor.status()).as(cursor.toString()).isEqualTo(400);
        assertThat(cursor.code()).isEqualTo("invalid_request");
    }

    @Test
    void walletAndLedgerOfAnUnknownCustomerAre404() {
        Api.Reply w = api.shop("GET", P + "/customers/nobody", null);
        assertThat(w.status()).as(w.toString()).isEqualTo(404);
        assertThat(w.code()).isEqualTo("not_found");
        Api.Reply l = api.shop("GET", P + "/customers/nobody/ledger", null);
        assertThat(l.status()).as(l.toString()).isEqualTo(404);
        assertThat(l.code()).isEqualTo("not_found");
        // and looking did not enrol them
        assertThat(api.shop("GET", P + "/customers/nobody", null).status()).isEqualTo(404);
        // a customer of another tenant is not found either
        earn("c-1", "o-1", 1000);
        Api other = new Api();
        Api.Reply put = other.admin("PUT", P, "{\"name\": \"Other\", \"currency\": \"EUR\", \"timezone\": \"UTC\", \"earningRules\": []}");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(other.shop("GET", P + "/customers/c-1", null).status()).isEqualTo(404);
    }

    @Test
    void walletRewardsSayWhatIsAffordableAndWhatIsEligible() {
        earn("c-1", "o-1", 10000); // 100 points, bronze
        JsonNode w = wallet("c-1");
        assertThat(w.path("customerId").asText()).isEqualTo("c-1");
        assertThat(w.path("balance").path("available").asLong()).isEqualTo(100);
        assertThat(w.path("tier").path("id").asText()).isEqualTo("bronze");
        assertThat(w.path("tier").path("next").asText()).isEqualTo("silver");
        assertThat(w.path("tier").path("pointsToNext").asLong()).isEqualTo(900);

        JsonNode cheap = reward(w, "cheap");
        assertThat(cheap.path("cost").asLong()).isEqualTo(50);
        assertThat(cheap.path("affordable").asBoolean()).isTrue();
        assertThat(cheap.path("eligible").asBoolean()).isTrue();
        JsonNode tenOff = reward(w, "ten-off");
        assertThat(tenOff.path("affordable").asBoolean()).isTrue();
        assertThat(tenOff.path("eligible").asBoolean()).as("an order is not needed to be eligible").isTrue();
        JsonNode pricey = reward(w, "pricey");
        assertThat(pricey.path("affordable").asBoolean()).isFalse();
        assertThat(pricey.path("eligible").asBoolean()).isTrue();
        JsonNode silver = reward(w, "silver-gift");
        assertThat(silver.path("affordable").asBoolean()).isTrue();
        assertThat(silver.path("eligible").asBoolean()).isFalse();
        JsonNode vip = reward(w, "vip");
        assertThat(vip.path("eligible").asBoolean()).isFalse();

        assertThat(redeem("c-1", "once", null, "k-1").status()).isEqualTo(201);
        JsonNode after = wallet("c-1");
        assertThat(reward(after, "once").path("eligible").asBoolean()).as("per-customer limit used up").isFalse();
        assertThat(reward(after, "once").path("affordable").asBoolean()).isTrue();
        assertThat(reward(after, "cheap").path("affordable").asBoolean()).isTrue();
        assertThat(after.path("balance").path("available").asLong()).isEqualTo(90);
    }

    @Test
    void anUpsertMergesAttributesANullRemovesOneAndConsentIsKept() {
        earn("c-1", "o-1", 10000);
        Api.Reply first = api.shop("PUT", P + "/customers/c-1", """
                {"email": "ada@example.com", "attributes": {"segment": "vip", "country": "DE"}, "consent": {"marketing": true}}""");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        JsonNode w = wallet("c-1");
        assertThat(reward(w, "vip").path("eligible").asBoolean()).isTrue();
        assertThat(reward(w, "german").path("eligible").asBoolean()).isTrue();
        assertThat(reward(w, "opted-in").path("eligible").asBoolean()).isTrue();

        // only country, set to null: removed; segment and consent stay
        Api.Reply second = api.shop("PUT", P + "/customers/c-1", "{\"attributes\": {\"country\": null}}");
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        w = wallet("c-1");
        assertThat(reward(w, "vip").path("eligible").asBoolean()).as("segment kept: " + w).isTrue();
        assertThat(reward(w, "german").path("eligible").asBoolean()).as("country removed: " + w).isFalse();
        assertThat(reward(w, "opted-in").path("eligible").asBoolean()).as("consent kept: " + w).isTrue();

        // a new key merges in; consent withdrawn
        Api.Reply third = api.shop("PUT", P + "/customers/c-1", "{\"attributes\": {\"city\": \"Berlin\"}, \"consent\": {\"marketing\": false}}");
        assertThat(third.status()).as(third.toString()).isEqualTo(200);
        w = wallet("c-1");
        assertThat(reward(w, "vip").path("eligible").asBoolean()).as("segment kept: " + w).isTrue();
        assertThat(reward(w, "opted-in").path("eligible").asBoolean()).as("consent withdrawn: " + w).isFalse();
        Api.Reply redeem = redeem("c-1", "opted-in", null, "k-1");
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(422);
        assertThat(redeem.body().path("error").path("details").path("reasons").get(0).asText()).isEqualTo("segment");
        // balances are untouched by upserts
        assertThat(w.path("balance").path("available").asLong()).isEqualTo(100);
    }

    @Test
    void theFirstUpsertCreatesAMemberAndLaterOnesUpdateIt() {
        Api.Reply created = api.shop("PUT", P + "/customers/new-1", "{\"attributes\": {\"segment\": \"vip\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode w = wallet("new-1");
        assertThat(w.path("balance").path("available").asLong()).isZero();
        assertThat(reward(w, "vip").path("affordable").asBoolean()).isFalse();
        Api.Reply updated = api.shop("PUT", P + "/customers/new-1", "{\"attributes\": {\"segment\": \"regular\"}}");
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        earn("new-1", "o-1", 10000);
        Api.Reply r = redeem("new-1", "vip", null, "k-1");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        Api.Reply bad = api.shop("PUT", P + "/customers/new-1", "{\"attributes\": {\"segment\": \"x\"}, \"colour\": \"red\"}");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_request");
    }
}
