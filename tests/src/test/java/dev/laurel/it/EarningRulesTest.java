package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Earning rules of API.md: caps, periods, signup bonus, tiers, conditional multipliers. */
class EarningRulesTest {
    static final String P = "/v1/programs/p";

    static Api api(String earningRules, String extra) {
        Api api = new Api();
        String def = """
                {"name": "Rules", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [%s]%s}
                """.formatted(earningRules, extra == null || extra.isEmpty() ? "" : ", " + extra);
        Api.Reply put = api.admin("PUT", P, def);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        return api;
    }

    static final String PURCHASE =
            "{\"id\": \"purchase\", \"trigger\": \"order.paid\", \"points\": {\"perAmount\": {\"points\": 1, \"amountMinor\": 100}}}";

    static Api.Reply event(Api api, String customerId, String type, String id, String occurredAt) {
        return api.shop("POST", P + "/earn", """
                {"customerId": "%s", "event": {"type": "%s", "id": "%s", "occurredAt": "%s"}}
                """.formatted(customerId, type, id, occurredAt));
    }

    static Api.Reply event(Api api, String customerId, String type, String id) {
        return event(api, customerId, type, id, api.clock.instant().toString());
    }

    static Api.Reply order(Api api, String customerId, String orderId, long totalMinor, String occurredAt) {
        Api.Reply r = api.shop("POST", P + "/earn", Api.orderPaid(customerId, orderId, totalMinor, occurredAt));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    static long points(Api.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("pointsEarned").asLong();
    }

    static JsonNode line(Api.Reply r, String ruleId) {
        for (JsonNode l : r.body().path("breakdown")) {
            if (ruleId.equals(l.path("ruleId").asText())) {
                return l;
            }
        }
        throw new AssertionError("no breakdown line for " + ruleId + " in " + r);
    }

    static JsonNode wallet(Api api, String customerId) {
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
    void perCustomerCountCapsTheSecondNewsletterSubscriptionAtZero() {
        Api api = api("""
                {"id": "newsletter", "trigger": "newsletter.subscribed", "points": {"fixed": 50},
                 "limits": {"perCustomer": {"count": 1}}}""", null);
        Api.Reply first = event(api, "c-1", "newsletter.subscribed", "n-1");
        assertThat(points(first)).isEqualTo(50);
        assertThat(line(first, "newsletter").has("capped")).as(first.toString()).isFalse();

        Api.Reply second = event(api, "c-1", "newsletter.subscribed", "n-2");
        assertThat(points(second)).isZero();
        JsonNode l = line(second, "newsletter");
        assertThat(l.path("points").asLong()).isZero();
        assertThat(l.path("capped").asText()).as(second.toString()).isNotEmpty().contains("perCustomer");
        assertThat(second.body().path("balance").path("available").asLong()).isEqualTo(50);

        // the cap is per customer: another one still earns
        assertThat(points(event(api, "c-2", "newsletter.subscribed", "n-3"))).isEqualTo(50);
    }

    @Test
    void perCustomerPointsCapsTheEleventhLike() {
        Api api = api("""
                {"id": "social", "trigger": "social.liked", "points": {"fixed": 10},
                 "limits": {"perCustomer": {"points": 100}, "total": {"points": 100000}}}""", null);
        for (int i = 1; i <= 10; i++) {
            assertThat(points(event(api, "c-1", "social.liked", "like-" + i))).as("like " + i).isEqualTo(10);
        }
        Api.Reply eleventh = event(api, "c-1", "social.liked", "like-11");
        assertThat(points(eleventh)).isZero();
        assertThat(line(eleventh, "social").path("capped").asText()).as(eleventh.toString()).contains("perCustomer");
        assertThat(wallet(api, "c-1").path("balance").path("available").asLong()).isEqualTo(100);
    }

    @Test
    void aCappedEventEarnsWhatStillFits() {
        Api api = api("""
                {"id": "social", "trigger": "social.liked", "points": {"fixed": 30},
                 "limits": {"perCustomer": {"points": 100}}}""", null);
        assertThat(points(event(api, "c-1", "social.liked", "l-1"))).isEqualTo(30);
        assertThat(points(event(api, "c-1", "social.liked", "l-2"))).isEqualTo(30);
        assertThat(points(event(api, "c-1", "social.liked", "l-3"))).isEqualTo(30);
        Api.Reply partial = event(api, "c-1", "social.liked", "l-4");
        assertThat(points(partial)).isEqualTo(10);
        assertThat(line(partial, "social").path("points").asLong()).isEqualTo(10);
        assertThat(line(partial, "social").path("capped").asText()).as(partial.toString()).contains("perCustomer");
        assertThat(points(event(api, "c-1", "social.liked", "l-5"))).isZero();
        assertThat(wallet(api, "c-1").path("balance").path("available").asLong()).isEqualTo(100);
    }

    @Test
    void totalPointsCapsTheRulesWholeBudgetAcrossCustomers() {
        Api api = api("""
                {"id": "launch", "trigger": "app.installed", "points": {"fixed": 40},
                 "limits": {"total": {"points": 100}}}""", null);
        assertThat(points(event(api, "c-1", "app.installed", "i-1"))).isEqualTo(40);
        assertThat(points(event(api, "c-2", "app.installed", "i-2"))).isEqualTo(40);
        Api.Reply third = event(api, "c-3", "app.installed", "i-3");
        assertThat(points(third)).isEqualTo(20);
        assertThat(line(third, "launch").path("capped").asText()).as(third.toString()).contains("total");
        Api.Reply fourth = event(api, "c-4", "app.installed", "i-4");
        assertThat(points(fourth)).isZero();
        assertThat(line(fourth, "launch").path("capped").asText()).as(fourth.toString()).contains("total");
        long sum = 0;
        for (String c : new String[] {"c-1", "c-2", "c-3", "c-4"}) {
            sum += wallet(api, c).path("balance").path("available").asLong();
        }
        assertThat(sum).isEqualTo(100);
    }

    @Test
    void aDailyCapResetsAtMidnightInTheProgramsTimezone() {
        Api api = api("""
                {"id": "checkin", "trigger": "store.checkin", "points": {"fixed": 5},
                 "limits": {"perCustomer": {"count": 1, "period": "day"}}}""", null);
        api.clock.set(Instant.parse("2026-11-25T12:00:00Z"));
        // 2026-11-23 10:00 Berlin
        assertThat(points(event(api, "c-1", "store.checkin", "ci-1", "2026-11-23T09:00:00Z"))).isEqualTo(5);
        // 23:30 Berlin, same local day: capped
        Api.Reply sameDay = event(api, "c-1", "store.checkin", "ci-2", "2026-11-23T22:30:00Z");
        assertThat(points(sameDay)).isZero();
        assertThat(line(sameDay, "checkin").path("capped").asText()).as(sameDay.toString()).contains("perCustomer");
        // 00:30 Berlin on the 24th is still the 23rd in UTC: a new day for the program
        assertThat(points(event(api, "c-1", "store.checkin", "ci-3", "2026-11-23T23:30:00Z"))).isEqualTo(5);
        // and that day is capped again
        assertThat(points(event(api, "c-1", "store.checkin", "ci-4", "2026-11-24T12:00:00Z"))).isZero();
        assertThat(wallet(api, "c-1").path("balance").path("available").asLong()).isEqualTo(10);
    }

    @Test
    void theSignupBonusIsGivenOnceOnTheFirstUpsert() {
        Api api = api(PURCHASE + """
                , {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 200}}""", null);
        Api.Reply first = api.shop("PUT", P + "/customers/c-1", "{\"email\": \"a@example.com\"}");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.body().path("signupPoints").asLong()).isEqualTo(200);
        assertThat(first.body().path("balance").path("available").asLong()).isEqualTo(200);

        Api.Reply second = api.shop("PUT", P + "/customers/c-1", "{\"email\": \"b@example.com\"}");
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.body().path("signupPoints").asLong(0)).isZero();
        assertThat(wallet(api, "c-1").path("balance").path("available").asLong()).isEqualTo(200);

        JsonNode entries = api.shop("GET", P + "/customers/c-1/ledger", null).body().path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("type").asText()).isEqualTo("earn");
        assertThat(entries.get(0).path("points").asLong()).isEqualTo(200);
        assertThat(entries.get(0).path("ruleId").asText()).isEqualTo("welcome");
    }

    @Test
    void theSignupBonusIsGivenOnceOnEnrolmentByEarn() {
        Api api = api(PURCHASE + """
                , {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 200}}""", null);
        Api.Reply first = order(api, "c-2", "o-1", 10000, "2026-11-23T09:00:00Z");
        assertThat(first.body().path("pointsEarned").asLong()).isEqualTo(100);
        assertThat(first.body().path("balance").path("available").asLong()).as(first.toString()).isEqualTo(300);

        Api.Reply second = order(api, "c-2", "o-2", 10000, "2026-11-23T09:00:00Z");
        assertThat(second.body().path("balance").path("available").asLong()).as(second.toString()).isEqualTo(400);

        Api.Reply upsert = api.shop("PUT", P + "/customers/c-2", "{\"consent\": {\"marketing\": true}}");
        assertThat(upsert.status()).as(upsert.toString()).isEqualTo(200);
        assertThat(upsert.body().path("signupPoints").asLong(0)).isZero();
        JsonNode w = wallet(api, "c-2");
        assertThat(w.path("balance").path("available").asLong()).isEqualTo(400);
        assertThat(w.path("balance").path("lifetimeEarned").asLong()).isEqualTo(400);
    }

    @Test
    void tiersUpgradeAtTheCrossingEarnAndTheirMultiplierAppliesFromTheNextEarn() {
        Api api = api(PURCHASE, """
                "tiers": [{"id": "bronze", "threshold": 0},
                          {"id": "silver", "threshold": 500, "earnMultiplier": 1.5},
                          {"id": "gold", "threshold": 2000, "earnMultiplier": 2, "expiryDays": 730}],
                "expiry": {"afterDays": 365}""");
        String at = "2026-11-23T09:00:00Z";
        Api.Reply a = order(api, "c-1", "o-1", 45000, at);
        assertThat(a.body().path("pointsEarned").asLong()).isEqualTo(450);
        assertThat(a.body().path("tier").path("id").asText()).isEqualTo("bronze");
        assertThat(a.body().path("tier").path("changed").asBoolean()).isFalse();

        Api.Reply crossing = order(api, "c-1", "o-2", 6000, at);
        assertThat(crossing.body().path("pointsEarned").asLong()).as("no multiplier on the crossing earn").isEqualTo(60);
        assertThat(crossing.body().path("tier").path("id").asText()).isEqualTo("silver");
        assertThat(crossing.body().path("tier").path("changed").asBoolean()).isTrue();
        JsonNode tier = wallet(api, "c-1").path("tier");
        assertThat(tier.path("id").asText()).isEqualTo("silver");
        assertThat(tier.path("next").asText()).isEqualTo("gold");
        assertThat(tier.path("pointsToNext").asLong()).isEqualTo(2000 - 510);

        Api.Reply silver = order(api, "c-1", "o-3", 10100, at);
        assertThat(silver.body().path("pointsEarned").asLong()).as("101 x 1.5 floored").isEqualTo(151);
        assertThat(silver.body().path("tier").path("changed").asBoolean()).isFalse();

        Api.Reply toGold = order(api, "c-1", "o-4", 100000, at);
        assertThat(toGold.body().path("pointsEarned").asLong()).isEqualTo(1500);
        assertThat(toGold.body().path("tier").path("id").asText()).isEqualTo("gold");
        assertThat(toGold.body().path("tier").path("changed").asBoolean()).isTrue();

        Api.Reply gold = order(api, "c-1", "o-5", 1050, at);
        assertThat(gold.body().path("pointsEarned").asLong()).as("10 x 2").isEqualTo(20);

        LocalDate day = LocalDate.parse("2026-11-23");
        Map<String, Long> expiring = expiring(wallet(api, "c-1"));
        assertThat(expiring).as(expiring.toString()).containsKey(day.plusDays(730).toString());
        assertThat(expiring.get(day.plusDays(730).toString())).as(expiring.toString()).isIn(20L, 1520L);
        assertThat(expiring.get(day.plusDays(365).toString())).as(expiring.toString()).isIn(661L, 2161L);
        assertThat(expiring.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2181);
        JsonNode w = wallet(api, "c-1");
        assertThat(w.path("tier").path("id").asText()).isEqualTo("gold");
        assertThat(w.path("tier").path("next").isNull() || w.path("tier").path("next").isMissingNode()).isTrue();
    }

    @Test
    void aMultiplierRuleAppliesOnShoesInTheHappyHourOfTheProgramsTimezone() {
        Api api = api(PURCHASE + """
                , {"id": "shoes-happy-hour", "trigger": "order.paid", "multiplier": 3,
                   "when": {"all": [{"attr": "order.categories", "op": "contains", "value": "shoes"},
                                    {"attr": "event.hour", "op": "gte", "value": 17},
                                    {"attr": "event.hour", "op": "lt", "value": 19}]}}""", null);
        api.clock.set(Instant.parse("2026-11-24T00:00:00Z"));
        // 17:30 in Berlin (UTC+1 in November) is 16:30 UTC
        Api.Reply happy = order(api, "c-1", "o-1", 10000, "2026-11-23T16:30:00Z");
        assertThat(happy.body().path("pointsEarned").asLong()).as(happy.toString()).isEqualTo(300);
        assertThat(line(happy, "shoes-happy-hour").path("multiplier").asDouble()).isEqualTo(3.0);
        // 18:30 UTC is 19:30 in Berlin: over
        Api.Reply late = order(api, "c-1", "o-2", 10000, "2026-11-23T18:30:00Z");
        assertThat(late.body().path("pointsEarned").asLong()).as(late.toString()).isEqualTo(100);
        // 16:30 Berlin (15:30 UTC): not yet
        Api.Reply early = order(api, "c-1", "o-3", 10000, "2026-11-23T15:30:00Z");
        assertThat(early.body().path("pointsEarned").asLong()).as(early.toString()).isEqualTo(100);
        // happy hour, but no shoes
        Api.Reply books = api.shop("POST", P + "/earn", """
                {"customerId": "c-1", "event": {"type": "order.paid", "id": "o-4", "occurredAt": "2026-11-23T17:00:00Z",
                 "order": {"totalMinor": 10000, "currency": "EUR",
                           "items": [{"sku": "B-1", "category": "books", "quantity": 1, "unitPriceMinor": 10000}]}}}
                """);
        assertThat(points(books)).as(books.toString()).isEqualTo(100);
    }

    @Test
    void anEventTypeNoRuleListensToEarnsNothing() {
        Api api = api(PURCHASE + """
                , {"id": "newsletter", "trigger": "newsletter.subscribed", "points": {"fixed": 50}}""", null);
        order(api, "c-1", "o-1", 10000, "2026-11-23T09:00:00Z");
        Api.Reply r = event(api, "c-1", "review.written", "r-1");
        assertThat(points(r)).isZero();
        for (JsonNode l : r.body().path("breakdown")) {
            assertThat(l.path("points").asLong()).as(r.toString()).isZero();
        }
        assertThat(r.body().path("balance").path("available").asLong()).isEqualTo(100);
        assertThat(wallet(api, "c-1").path("balance").path("available").asLong()).isEqualTo(100);
    }
}
