package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.domain.Customer;
import dev.laurel.local.LocalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * API.md Part 2 "Fraud limits" ({@code velocity}) and the program's {@code endsAt} through the
 * real earn function on DynamoDB Local: concurrent earns of one member never pass a limit (the
 * counters are written in the earn's transaction, conditional on the profile's seq), calls beyond
 * it are recorded with 0 points and {@code capped: "velocity"}, the counters stay bounded; from
 * {@code endsAt} on an earn answers 200 with nothing earned, as outside every rule's window.
 */
class VelocityAndEndTest {
    static final String P = "/v1/programs/p";

    static String program(String extra) {
        return """
                {"name": "Velocity", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                                  {"id": "liked", "trigger": "social.liked", "points": {"fixed": 10}},
                                  {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 50}}],
                 "pending": {"days": 14}, "expiry": {"afterDays": 365}, %s}""".formatted(extra);
    }

    static Api api(String extra) {
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        Api.Reply put = api.admin("PUT", P, program(extra));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        return api;
    }

    static String liked(String customer, String id) {
        return "{\"customerId\": \"" + customer + "\", \"event\": {\"type\": \"social.liked\", \"id\": \"" + id + "\"}}";
    }

    /** An earn, retried as a client retries a 429 (the profile was contended); its answer. */
    static Api.Reply earn(Api api, String body) {
        for (int i = 0; i < 20; i++) {
            Api.Reply r = api.shop("POST", P + "/earn", body);
            if (r.status() != 429) {
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                return r;
            }
        }
        throw new AssertionError("still 429 after 20 tries");
    }

    static List<Api.Reply> race(Api api, List<String> bodies) {
        List<Callable<Api.Reply>> tasks = new ArrayList<>();
        bodies.forEach(b -> tasks.add(() -> earn(api, b)));
        return Invariants.race(bodies.size(), tasks);
    }

    static long earned(List<Api.Reply> replies) {
        return replies.stream().mapToLong(r -> r.body().path("pointsEarned").asLong()).sum();
    }

    @Test
    void sixteenConcurrentEarnsNeverPassTheDaysPoints() {
        Api api = api("\"velocity\": {\"pointsPerCustomerPerDay\": 1000}");
        earn(api, liked("c-1", "first")); // a member (50 welcome, not counted) with 10 counted
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(Api.orderPaid("c-1", "o-" + i, 30000, api.clock.instant().toString())); // 300 each
        }
        List<Api.Reply> replies = race(api, bodies);
        assertThat(earned(replies)).as("what fits in the day: 1000 - 10").isEqualTo(990);
        assertThat(replies.stream().filter(r -> r.body().toString().contains("\"capped\":\"velocity\""))).hasSizeGreaterThanOrEqualTo(13);
        JsonNode wallet = Invariants.wallet(api, "p", "c-1");
        assertThat(wallet.path("balance").path("pending").asLong()).as("pending points count toward the day").isEqualTo(990);
        assertThat(wallet.path("balance").path("available").asLong()).isEqualTo(60);
        Invariants.Snapshot s = Invariants.check(api, "p", "c-1");
        assertThat(s.entries().stream().filter(e -> e.path("type").asText().equals("earn"))).as("every call recorded").hasSize(18);
        // the next day (Berlin) starts afresh
        api.clock.set(Instant.parse("2026-11-23T23:00:00Z"));
        assertThat(earn(api, Api.orderPaid("c-1", "o-next", 30000, api.clock.instant().toString())).body().path("pointsEarned").asLong())
                .isEqualTo(300);
    }

    @Test
    void sixteenConcurrentEarnsNeverPassTheHoursEvents() {
        Api api = api("\"velocity\": {\"eventsPerCustomerPerHour\": 5}");
        earn(api, "{\"customerId\": \"c-1\", \"event\": {\"type\": \"newsletter.subscribed\", \"id\": \"n\"}}"); // counts, earns 0
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(liked("c-1", "l-" + i));
        }
        List<Api.Reply> replies = race(api, bodies);
        assertThat(earned(replies)).as("4 more calls in the hour, 10 points each").isEqualTo(40);
        assertThat(replies.stream().filter(r -> r.body().path("pointsEarned").asLong() == 0)).hasSize(12)
                .allMatch(r -> r.body().path("breakdown").get(0).path("capped").asText().equals("velocity"));
        Invariants.check(api, "p", "c-1");
        // the next hour: 5 calls again; a replay of a capped call answers its first answer
        api.clock.advance(Duration.ofHours(1));
        assertThat(earn(api, liked("c-1", "next")).body().path("pointsEarned").asLong()).isEqualTo(10);
        Api.Reply zero = replies.stream().filter(r -> r.body().path("pointsEarned").asLong() == 0).findFirst().orElseThrow();
        String id = zero.body().path("entryId").asText();
        assertThat(id).isNotEmpty();
    }

    @Test
    void theCountersStayBoundedHourAfterHour() {
        Api api = api("\"velocity\": {\"eventsPerCustomerPerHour\": 2, \"pointsPerCustomerPerDay\": 100000}");
        for (int h = 0; h < 60; h++) {
            earn(api, liked("c-1", "l-" + h));
            api.clock.advance(Duration.ofMinutes(61));
        }
        Customer c = api.store.readWithLots(api.tenant, "p", "c-1");
        assertThat(c.ruleCounts().keySet().stream().filter(k -> k.startsWith("~velocity"))).as(c.ruleCounts().toString()).hasSizeLessThanOrEqualTo(2);
        assertThat(c.rulePoints().keySet().stream().filter(k -> k.startsWith("~velocity"))).hasSizeLessThanOrEqualTo(2);
        assertThat(Invariants.wallet(api, "p", "c-1").path("balance").path("available").asLong()).isEqualTo(50 + 600);
    }

    @Test
    void fromEndsAtItselfAnEarnAnswersNothingEarned() {
        Api api = api("\"endsAt\": \"2026-11-23T10:00:00Z\"");
        api.clock.set(Instant.parse("2026-11-23T09:59:59.999Z"));
        Api.Reply before = earn(api, Api.orderPaid("c-1", "o-1", 10000, "2026-11-23T09:59:59.999Z"));
        assertThat(before.body().path("pointsEarned").asLong()).isEqualTo(100);
        api.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
        Api.Reply at = earn(api, Api.orderPaid("c-1", "o-2", 10000, "2026-11-23T10:00:00Z"));
        assertThat(at.body().path("pointsEarned").asLong()).isZero();
        assertThat(at.body().path("breakdown")).isEmpty();
        // a newcomer is still enrolled, without a signup bonus
        Api.Reply newcomer = earn(api, Api.orderPaid("c-2", "o-3", 10000, "2026-11-23T10:00:00Z"));
        assertThat(newcomer.body().path("pointsEarned").asLong()).isZero();
        assertThat(newcomer.body().path("enrolled").path("signupPoints").asLong()).isZero();
        // a late event that occurred before the end still earns, as rule windows use occurredAt
        Api.Reply late = earn(api, Api.orderPaid("c-1", "o-4", 10000, "2026-11-23T09:30:00Z"));
        assertThat(late.body().path("pointsEarned").asLong()).isEqualTo(100);
        Invariants.check(api, "p", "c-1");
        Invariants.check(api, "p", "c-2");
    }
}
