package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refunds take back an order's points in proportion, from its own lots, never below zero. */
class RefundsTest {
    static final String P = "/v1/programs/rf";

    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        api.clock.set(Instant.parse("2026-11-25T09:00:00Z"));
        Api.Reply put = api.admin("PUT", P, """
                {"name": "Refunds", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "rewards": [{"id": "gift-80", "type": "gift_card", "valueMinor": 800, "cost": 80},
                             {"id": "gift-120", "type": "gift_card", "valueMinor": 1200, "cost": 120}],
                 "expiry": {"afterDays": 365}}""");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    void earn(String customerId, String orderId, long totalMinor, String occurredAt) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customerId, orderId, totalMinor, occurredAt));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
    }

    Api.Reply refund(String customerId, String orderId, long amountMinor) {
        Api.Reply r = api.shop("POST", P + "/refunds",
                "{\"customerId\": \"" + customerId + "\", \"orderId\": \"" + orderId + "\", \"amountMinor\": " + amountMinor + "}");
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    Api.Reply redeem(String customerId, String rewardId, String key) {
        Api.Reply r = api.shop("POST", P + "/redeem", "{\"customerId\": \"" + customerId + "\", \"rewardId\": \"" + rewardId + "\"}",
                Map.of("Idempotency-Key", key));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        api.clock.advance(Duration.ofSeconds(1));
        return r;
    }

    JsonNode wallet(String customerId) {
        Api.Reply w = api.shop("GET", P + "/customers/" + customerId, null);
        assertThat(w.status()).as(w.toString()).isEqualTo(200);
        return w.body();
    }

    static Map<String, Long> expiring(JsonNode wallet) {
        Map<String, Long> out = new LinkedHashMap<>();
        wallet.path("expiring").forEach(e -> out.put(e.path("on").asText(), e.path("points").asLong()));
        return out;
    }

    @Test
    void aFullRefundTakesAllOfTheOrdersPoints() {
        earn("c-1", "o-1", 12999, "2026-11-25T09:00:00Z");
        earn("c-1", "o-2", 5000, "2026-11-25T09:00:00Z");
        Api.Reply r = refund("c-1", "o-1", 12999);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsClawedBack").asLong()).isEqualTo(129);
        assertThat(r.body().path("uncollectedPoints").asLong()).isZero();
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(50);
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isEqualTo(50);
    }

    @Test
    void partialRefundsAreProportionalAndCumulative() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z");
        long[] amounts = {3333, 3333, 3334};
        long clawed = 0;
        for (long a : amounts) {
            Api.Reply r = refund("c-1", "o-1", a);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            long p = r.body().path("pointsClawedBack").asLong();
            assertThat(p).as(r.toString()).isBetween(33L, 34L);
            clawed += p;
        }
        assertThat(clawed).as("three thirds take exactly all 100 points").isEqualTo(100);
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isZero();
    }

    @Test
    void aHalfRefundTakesHalf() {
        earn("c-1", "o-1", 20001, "2026-11-25T09:00:00Z"); // 200 points
        Api.Reply r = refund("c-1", "o-1", 10000);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // 200 x 10000 / 20001 = 99.99..: floored, never more than the share
        assertThat(r.body().path("pointsClawedBack").asLong()).isEqualTo(99);
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(101);
        Api.Reply rest = refund("c-1", "o-1", 10001);
        assertThat(rest.body().path("pointsClawedBack").asLong()).as(rest.toString()).isEqualTo(101);
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isZero();
    }

    @Test
    void refundsOfOneOrderAddUpToAtMostItsTotal() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z");
        Api.Reply tooMuch = refund("c-1", "o-1", 10001);
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(400);
        assertThat(tooMuch.code()).isEqualTo("invalid_request");
        assertThat(tooMuch.field()).isEqualTo("amountMinor");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isEqualTo(100);

        assertThat(refund("c-1", "o-1", 6000).status()).isEqualTo(200);
        Api.Reply over = refund("c-1", "o-1", 4001);
        assertThat(over.status()).as(over.toString()).isEqualTo(400);
        assertThat(over.code()).isEqualTo("invalid_request");
        assertThat(over.field()).isEqualTo("amountMinor");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isEqualTo(40);

        assertThat(refund("c-1", "o-1", 4000).status()).isEqualTo(200);
        Api.Reply after = refund("c-1", "o-1", 1);
        assertThat(after.status()).as(after.toString()).isEqualTo(400);
        assertThat(after.field()).isEqualTo("amountMinor");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isZero();
    }

    @Test
    void aRefundTakesFromTheOrdersOwnLotsFirst() {
        // o-0's lot (earned a day earlier) expires before o-1's: spend order would pick it first
        earn("c-1", "o-0", 5000, "2026-11-24T09:00:00Z");
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z");
        Api.Reply r = refund("c-1", "o-1", 5000);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsClawedBack").asLong()).isEqualTo(50);
        Map<String, Long> exp = expiring(wallet("c-1"));
        LocalDate d0 = LocalDate.parse("2026-11-24");
        assertThat(exp).as(exp.toString())
                .containsEntry(d0.plusDays(365).toString(), 50L)
                .containsEntry(d0.plusDays(366).toString(), 50L);
    }

    @Test
    void whereTheOrdersPointsWereSpentOtherLotsPayAndTheBalanceStopsAtZero() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z"); // 100
        earn("c-1", "o-2", 5000, "2026-11-25T09:00:00Z");  // 50
        redeem("c-1", "gift-80", "k-1");                     // takes 80 of o-1's lot (the oldest)
        Api.Reply half = refund("c-1", "o-1", 5000);         // 50 due: o-1's 20, then 30 of o-2's
        assertThat(half.status()).as(half.toString()).isEqualTo(200);
        assertThat(half.body().path("pointsClawedBack").asLong()).isEqualTo(50);
        assertThat(half.body().path("uncollectedPoints").asLong()).isZero();
        assertThat(half.body().path("balance").path("available").asLong()).isEqualTo(20);

        Api.Reply rest = refund("c-1", "o-1", 5000);         // 50 more due, only 20 left
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        assertThat(rest.body().path("pointsClawedBack").asLong()).isEqualTo(20);
        assertThat(rest.body().path("uncollectedPoints").asLong()).isEqualTo(30);
        assertThat(rest.body().path("balance").path("available").asLong()).isZero();
        JsonNode w = wallet("c-1");
        assertThat(w.path("balance").path("available").asLong()).isZero();
        assertThat(w.path("expiring")).isEmpty();
    }

    @Test
    void aRefundAfterEverythingWasSpentReportsAllAsUncollected() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z"); // 100
        earn("c-1", "o-2", 5000, "2026-11-25T09:00:00Z");  // 50
        redeem("c-1", "gift-120", "k-1");
        Api.Reply r = refund("c-1", "o-1", 10000);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("pointsClawedBack").asLong()).isEqualTo(30);
        assertThat(r.body().path("uncollectedPoints").asLong()).isEqualTo(70);
        assertThat(r.body().path("balance").path("available").asLong()).isZero();
        assertThat(r.body().path("balance").path("owed").asLong()).isEqualTo(70);
        // the balance never goes negative: what could not be taken is owed, and later earnings pay it first
        earn("c-1", "o-3", 1000, "2026-11-25T09:00:00Z");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isZero();
        assertThat(wallet("c-1").path("balance").path("owed").asLong()).isEqualTo(60);
    }

    @Test
    void aRefundWithAnIdempotencyKeyAppliesOnce() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z");
        String body = "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 3000}";
        Api.Reply first = api.shop("POST", P + "/refunds", body, Map.of("Idempotency-Key", "rf-1"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("pointsClawedBack").asLong()).isEqualTo(30);
        Api.Reply again = api.shop("POST", P + "/refunds", body, Map.of("Idempotency-Key", "rf-1"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(again.body()).isEqualTo(first.body());
        Api.Reply other = api.shop("POST", P + "/refunds", body.replace("3000", "2000"), Map.of("Idempotency-Key", "rf-1"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        assertThat(wallet("c-1").path("balance").path("available").asLong()).isEqualTo(70);
    }

    @Test
    void anUnknownOrderIs404() {
        earn("c-1", "o-1", 10000, "2026-11-25T09:00:00Z");
        Api.Reply r = refund("c-1", "o-404", 100);
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        // an order of another customer is not this customer's
        earn("c-2", "o-2", 10000, "2026-11-25T09:00:00Z");
        Api.Reply other = refund("c-1", "o-2", 100);
        assertThat(other.status()).as(other.toString()).isEqualTo(404);
        assertThat(wallet("c-2").path("balance").path("available").asLong()).isEqualTo(100);
    }
}
