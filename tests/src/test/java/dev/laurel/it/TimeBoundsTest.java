package dev.laurel.it;

import dev.laurel.local.LocalClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.store.dynamodb.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 9 (S2): {@code event.occurredAt} is bounded in the past by the program's creation less the
 * backdating window (365 days), so no timestamp, however odd, earns or makes a scheduled run fail;
 * the extremes of {@link Instant} answer 400, never 5xx, with the program's longest day counts.
 */
class TimeBoundsTest {
    static final Instant CREATED = Instant.parse("2026-11-01T10:00:00Z");
    /** Every day count at its maximum: lots live 100 years, return window and reminders 365 days. */
    static final String PROGRAM = """
            {"name": "Far", "currency": "EUR", "timezone": "Pacific/Kiritimati",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "visit", "trigger": "store.visited", "points": {"fixed": 5},
                               "activeFrom": "-1000000000-01-01T00:00:00Z", "activeUntil": "+1000000000-12-31T23:59:59.999999999Z"}],
             "rewards": [{"id": "mug", "type": "product", "cost": 10,
                          "activeFrom": "-1000000000-01-01T00:00:00Z", "activeUntil": "+1000000000-12-31T23:59:59.999999999Z"}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "gold", "threshold": 100000, "expiryDays": 36500}],
             "expiry": {"afterDays": 36500}, "pending": {"days": 365},
             "reminders": {"pointsExpiring": {"daysBefore": 365}}}
            """;
    Api api;
    Jobs jobs;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(CREATED), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
    }

    Api.Reply earnAt(String customer, String event, String occurredAt) {
        return api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, event, 20000, occurredAt));
    }

    Api.Reply visitAt(String customer, String event, String occurredAt) {
        return api.shop("POST", "/v1/programs/p/earn", """
                {"customerId": "%s", "event": {"type": "store.visited", "id": "%s", "occurredAt": "%s"}}
                """.formatted(customer, event, occurredAt));
    }

    static void assertOccurredAtRefused(Api.Reply r, String earliest) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        JsonNode error = r.body().path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_request");
        assertThat(error.path("details").path("field").asText()).as(r.toString()).isEqualTo("event.occurredAt");
        assertThat(error.path("message").asText()).as(r.toString()).contains(earliest);
    }

    @Test
    void anEventFromYearMinus300000000IsRefusedAndTheExpiryRunStillCompletes() {
        assertOccurredAtRefused(earnAt("c-1", "o-1", "-300000000-01-01T00:00:00Z"), "2025-11-01T10:00:00Z");
        assertOccurredAtRefused(visitAt("c-1", "v-1", "-300000000-01-01T00:00:00Z"), "2025-11-01T10:00:00Z");
        assertThat(api.shop("GET", "/v1/programs/p/customers/c-1", null).status()).as("nothing was stored").isEqualTo(404);
        api.clock.set(CREATED.plus(Duration.ofDays(2)));
        List<JsonNode> run = jobs.expiry();
        assertThat(run.get(run.size() - 1).path("complete").asBoolean()).as(run.toString()).isTrue();
        List<JsonNode> reminders = jobs.reminders();
        assertThat(reminders.get(reminders.size() - 1).path("complete").asBoolean()).as(reminders.toString()).isTrue();
    }

    @Test
    void theExtremesOfInstantAnswer400NeverAServerError() {
        for (String at : List.of("-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z",
                "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "0000-01-01T00:00:00Z")) {
            String id = Integer.toString(Math.abs(at.hashCode()));
            for (Api.Reply r : List.of(earnAt("c-1", "o-" + id, at), visitAt("c-1", "v-" + id, at))) {
                assertThat(r.status()).as(at + " " + r).isEqualTo(400);
                assertThat(r.body().path("error").path("details").path("field").asText()).as(at + " " + r)
                        .isEqualTo("event.occurredAt");
            }
        }
        assertThat(api.shop("GET", "/v1/programs/p/customers/c-1", null).status()).as("nothing was stored").isEqualTo(404);
    }

    @Test
    void theBackdatingWindowIsAYearBeforeTheProgramsCreationToTheSecond() {
        Api.Reply first = earnAt("c-1", "o-1", "2025-11-01T10:00:00Z");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("pointsEarned").asLong()).isEqualTo(200);
        assertOccurredAtRefused(earnAt("c-1", "o-2", "2025-11-01T09:59:59.999Z"), "2025-11-01T10:00:00Z");

        // with every day count at its maximum and the clock far ahead, nothing overflows
        api.clock.set(CREATED.plus(Duration.ofDays(36_500 * 2L)));
        Api.Reply late = earnAt("c-1", "o-3", "2025-11-01T10:00:00Z");
        assertThat(late.status()).as(late.toString()).isEqualTo(200);
        Api.Reply redeem = api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Invariants.key("r-1"));
        // the lots expired 100 years after they were earned: they count nowhere, even before the run (S3)
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(409);
        assertThat(redeem.code()).isEqualTo("insufficient_points");
        List<JsonNode> run = jobs.expiry();
        assertThat(run.get(run.size() - 1).path("complete").asBoolean()).as(run.toString()).isTrue();
        List<JsonNode> reminders = jobs.reminders();
        assertThat(reminders.get(reminders.size() - 1).path("complete").asBoolean()).as(reminders.toString()).isTrue();
        Invariants.check(api, "p", "c-1");
    }

    @Test
    void theProgramKeepsItsCreationInstantAcrossSaves() {
        api.clock.set(CREATED.plus(Duration.ofDays(400)));
        Api.Reply again = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        Api.Reply patch = api.admin("PATCH", "/v1/programs/p/rewards/mug", "{\"status\": \"disabled\"}");
        assertThat(patch.status()).as(patch.toString()).isEqualTo(200);
        Api.Reply get = api.admin("GET", "/v1/programs/p", null);
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.body().path("createdAt").asText()).isEqualTo("2026-11-01T10:00:00Z");
        assertOccurredAtRefused(earnAt("c-1", "o-1", "2025-10-31T10:00:00Z"), "2025-11-01T10:00:00Z");
    }

    @Test
    void aProgramStoredBeforeCreatedAtExistedUses2000UntilItsNextSave() {
        // as stored by an earlier version: no createdAt on the item
        api.store.client().putItem(b -> b.tableName(api.store.table()).item(Map.of(
                "pk", AttributeValue.fromS(Keys.program(api.tenant, "q")), "sk", AttributeValue.fromS(Keys.DEF),
                "definition", AttributeValue.fromS(PROGRAM), "updatedAt", AttributeValue.fromS("2019-01-01T00:00:00Z"),
                "version", AttributeValue.fromN("1"))));
        Api.Reply old = api.shop("POST", "/v1/programs/q/earn", Api.orderPaid("c-1", "o-1", 20000, "1999-01-01T00:00:00Z"));
        assertThat(old.status()).as(old.toString()).isEqualTo(200);
        assertOccurredAtRefused(api.shop("POST", "/v1/programs/q/earn", Api.orderPaid("c-1", "o-2", 20000, "1998-12-31T23:59:59Z")),
                "1999-01-01T00:00:00Z");
        Api.Reply get = api.admin("GET", "/v1/programs/q", null);
        assertThat(get.body().path("createdAt").asText()).as(get.toString()).isEqualTo("2000-01-01T00:00:00Z");

        // its next save records the creation instant: the save's own
        api.clock.set(CREATED.plus(Duration.ofDays(10)));
        Api.Reply save = api.admin("PUT", "/v1/programs/q", PROGRAM);
        assertThat(save.status()).as(save.toString()).isEqualTo(200);
        assertThat(api.admin("GET", "/v1/programs/q", null).body().path("createdAt").asText()).isEqualTo("2026-11-11T10:00:00Z");
        assertOccurredAtRefused(api.shop("POST", "/v1/programs/q/earn", Api.orderPaid("c-1", "o-3", 20000, "2025-01-01T00:00:00Z")),
                "2025-11-11T10:00:00Z");
    }
}
