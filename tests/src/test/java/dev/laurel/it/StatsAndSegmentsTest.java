package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Customer;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API.md Part 2 "Campaigns, segments and tiers": order statistics ({@code customer.stats.*}) kept on
 * the profile by the real earn and refund functions on DynamoDB Local, bounded whatever the order
 * count; named segments in an earning rule's {@code when}, in a reward's {@code segments} (validate,
 * redeem and the wallet say {@code segment}), and the wallet's {@code segments}.
 */
class StatsAndSegmentsTest {
    static final String P = "/v1/programs/p";
    static final String PROGRAM = """
            {"name": "Segments", "currency": "EUR", "timezone": "Europe/Berlin",
             "segments": [
               {"id": "regular", "when": {"attr": "customer.stats.ordersLast90Days", "op": "gte", "value": 3}},
               {"id": "big", "when": {"attr": "customer.stats.spentMinorLast365Days", "op": "gte", "value": 30000}},
               {"id": "vip", "when": {"all": [{"segment": "regular"}, {"segment": "big"}]}},
               {"id": "lapsed", "when": {"attr": "customer.stats.daysSinceLastOrder", "op": "gt", "value": 60}},
               {"id": "newbie", "when": {"attr": "customer.daysSinceJoined", "op": "lt", "value": 7}}],
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "regulars-double", "trigger": "order.paid", "multiplier": 2, "when": {"segment": "regular"}}],
             "rewards": [
               {"id": "vip-gift", "type": "product", "cost": 10, "segments": ["vip"]},
               {"id": "mug", "type": "product", "cost": 10}]}""";

    final Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-02T09:00:00Z")), Duration.ofMillis(200),
            LocalDynamo.freshTable());

    StatsAndSegmentsTest() {
        Api.Reply put = api.admin("PUT", P, PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply order(String id, long minor) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid("c-1", id, minor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    List<String> segments() {
        return RewardsTest.strings(Invariants.wallet(api, "p", "c-1").path("segments"));
    }

    Api.Reply validate(String rewardId) {
        return api.shop("POST", P + "/validate", "{\"customerId\": \"c-1\", \"order\": {\"totalMinor\": 5000, \"currency\": \"EUR\"}, \"rewards\": [\""
                + rewardId + "\"]}");
    }

    Map<String, Long> spent() {
        return api.store.readWithLots(api.tenant, "p", "c-1").rulePoints();
    }

    @Test
    void conditionsSeeTheMemberBeforeTheEventAndRefundsLowerTheSpend() {
        assertThat(order("o-1", 10000).body().path("pointsEarned").asLong()).isEqualTo(100);
        assertThat(segments()).containsExactly("newbie");
        api.clock.advance(Duration.ofDays(10));
        order("o-2", 10000);
        api.clock.advance(Duration.ofDays(10));
        // the third order: the member had 2 orders before it, not yet "regular"
        assertThat(order("o-3", 10000).body().path("pointsEarned").asLong()).isEqualTo(100);
        assertThat(segments()).containsExactly("regular", "big", "vip");
        // the fourth: regular before it, the multiplier applies
        api.clock.advance(Duration.ofDays(1));
        assertThat(order("o-4", 5000).body().path("pointsEarned").asLong()).isEqualTo(100);
        Api.Reply ok = validate("vip-gift");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.body().path("rewards").get(0).path("reasons").toString()).as(ok.toString()).doesNotContain("segment");

        // refunds lower the spend of the orders' month (November), never the count
        for (String o : List.of("o-1", "o-2", "o-3")) {
            Api.Reply r = api.shop("POST", P + "/refunds", "{\"customerId\": \"c-1\", \"orderId\": \"" + o + "\", \"amountMinor\": 6000}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertThat(spent()).containsEntry("~stats:total", 35000L - 18000L).containsEntry("~stats:month@2026-11", 17000L);
        assertThat(api.store.readWithLots(api.tenant, "p", "c-1").ruleCounts()).containsEntry("~stats:total", 4L);
        assertThat(segments()).containsExactly("regular");
        Api.Reply no = validate("vip-gift");
        assertThat(no.body().path("rewards").get(0).path("reasons").toString()).as(no.toString()).contains("segment");
        Api.Reply redeem = api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"vip-gift\"}",
                Invariants.key("r-1"));
        RewardsTest.assertNotEligible(redeem, "segment");
        JsonNode wallet = Invariants.wallet(api, "p", "c-1");
        assertThat(wallet.path("rewards").get(0).path("reasons").toString()).contains("segment");
        assertThat(api.shop("POST", P + "/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Invariants.key("r-2")).status()).isEqualTo(201);

        // 70 days without an order (1 February): lapsed, and still regular: the 90 days reach back into
        // November (4 November), and "last 90 days" counts whole month buckets
        api.clock.advance(Duration.ofDays(70));
        assertThat(segments()).containsExactly("regular", "lapsed");
        // 100 days (3 March): the 90 days start in December, no order since
        api.clock.advance(Duration.ofDays(30));
        assertThat(segments()).containsExactly("lapsed");
        Invariants.check(api, "p", "c-1");
    }

    /**
     * Orders over three years keep the profile bounded: 1,000 with {@code -Dlaurel.long=true}
     * ({@link LongRuns}), 200 by default (the same 36 months of buckets, a bound of 13 kept); the
     * pure {@code OrderStatsTest} keeps its 1,000 orders in every run.
     */
    @Test
    void ordersOverThreeYearsKeepTheProfileBounded() {
        int orders = LongRuns.size(200, 1000);
        long minor = 0;
        int maxStatsKeys = 0;
        for (int i = 0; i < orders; i++) {
            order("o-" + i, 1000 + i);
            minor += 1000 + i;
            if ((i + 1) % (orders / 20) == 0) {
                Customer c = api.store.readWithLots(api.tenant, "p", "c-1");
                maxStatsKeys = Math.max(maxStatsKeys, (int) c.ruleCounts().keySet().stream().filter(k -> k.startsWith("~stats:")).count());
            }
            api.clock.advance(Duration.ofMinutes(1578L * 1000 / orders)); // the orders spread over ~3 years
        }
        Customer c = api.store.readWithLots(api.tenant, "p", "c-1");
        assertThat(maxStatsKeys).as(c.ruleCounts().toString()).isLessThanOrEqualTo(15);
        assertThat(c.ruleCounts().keySet().stream().filter(k -> k.startsWith("~stats:month@"))).hasSizeLessThanOrEqualTo(13);
        assertThat(c.ruleCounts()).containsEntry("~stats:total", (long) orders);
        assertThat(c.rulePoints()).containsEntry("~stats:total", minor);
        System.out.println(orders + " orders over 3 years: profile counters " + c.ruleCounts().size() + ", stats keys " + maxStatsKeys);
    }
}
