package dev.laurel.it;

import dev.laurel.local.LocalClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.store.dynamodb.Keys;
import dev.laurel.store.Records.DeadLetter;
import dev.laurel.store.dynamodb.ScheduledStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 9 (S2): one bad customer never stops a scheduled run. Among good customers due the same
 * day, a profile whose lot cannot be read and one whose lot expired in year -299999901 (as an
 * unbounded {@code occurredAt} once stored) fail alone: the run completes the others, logs and
 * dead-letters each failure per tenant, and after {@code 3} failed runs leaves the customer out of
 * the index, so no run loops on it.
 */
class RunIsolationTest {
    static final String PROGRAM = """
            {"name": "Isolated", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
             "expiry": {"afterDays": 30}, "reminders": {"pointsExpiring": {"daysBefore": 7}}}
            """;
    static final List<String> GOOD = List.of("g-1", "g-2", "g-3", "g-4", "g-5", "g-6");
    Api api;
    Jobs jobs;
    ScheduledStore scheduled;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-01T10:00:00Z")), Duration.ofMillis(200), LocalDynamo.freshTable());
        jobs = new Jobs(api);
        scheduled = new ScheduledStore(api.store);
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM);
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        for (String c : concat(GOOD, List.of("b-unreadable", "b-ancient"))) {
            Api.Reply up = api.shop("PUT", "/v1/programs/p/customers/" + c, "{\"email\": \"" + c + "@example.com\", \"consent\": {\"marketing\": true}}");
            assertThat(up.status()).as(up.toString()).isEqualTo(201);
            Api.Reply earn = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(c, "o-" + c, 10000, api.clock.instant().toString()));
            assertThat(earn.status()).as(earn.toString()).isEqualTo(200);
        }
        // b-unreadable: a lot whose expiresAt is not an instant
        corruptLot("b-unreadable", Map.of("x", AttributeValue.fromS("not-an-instant")), null);
        // b-ancient: a lot that expired in year -299999901, due at that instant
        Instant ancient = Instant.parse("-299999901-12-07T10:29:20Z");
        corruptLot("b-ancient", Map.of("x", AttributeValue.fromS(ancient.toString())), ancient);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    Map<String, AttributeValue> profileKey(String customer) {
        return Map.of("pk", AttributeValue.fromS(Keys.customer(api.tenant, "p", customer)), "sk", AttributeValue.fromS(Keys.PROFILE));
    }

    /** Writes fields into the customer's (only) lot with DynamoDB's own client, and optionally its due instant. */
    void corruptLot(String customer, Map<String, AttributeValue> fields, Instant dueAt) {
        var item = api.store.client().getItem(b -> b.tableName(api.store.table()).key(profileKey(customer)).consistentRead(true)).item();
        String lotId = item.get("lots").m().keySet().iterator().next();
        Map<String, String> names = new HashMap<>(Map.of("#lots", "lots", "#l", lotId));
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET ");
        int i = 0;
        for (var f : fields.entrySet()) {
            names.put("#f" + i, f.getKey());
            values.put(":v" + i, f.getValue());
            set.append(i == 0 ? "" : ", ").append("#lots.#l.#f").append(i).append(" = :v").append(i);
            i++;
        }
        if (dueAt != null) {
            names.put("#due", "dueAt");
            values.put(":due", AttributeValue.fromN(Long.toString(dueAt.getEpochSecond())));
            set.append(", #due = :due");
        }
        api.store.client().updateItem(b -> b.tableName(api.store.table()).key(profileKey(customer)).updateExpression(set.toString())
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    static long sum(List<JsonNode> answers, String field) {
        return answers.stream().mapToLong(a -> a.path(field).asLong()).sum();
    }

    static JsonNode last(List<JsonNode> answers) {
        return answers.get(answers.size() - 1);
    }

    @Test
    void theExpiryRunExpiresTheGoodCustomersAndDeadLettersTheBadOnesWithoutLoopingOnThem() {
        api.clock.set(Instant.parse("2026-12-02T00:00:00Z"));
        List<JsonNode> run = jobs.expiry();
        assertThat(last(run).path("complete").asBoolean()).as(run.toString()).isTrue();
        assertThat(sum(run, "lotsExpired")).as(run.toString()).isEqualTo(GOOD.size());
        assertThat(sum(run, "failed")).as(run.toString()).isEqualTo(2);
        for (String c : GOOD) {
            Invariants.Snapshot s = Invariants.check(api, "p", c);
            assertThat(s.available()).as(c).isZero();
            assertThat(s.sum("expire")).as(c).isEqualTo(-100);
        }
        List<DeadLetter> dead = scheduled.deadLetters(api.tenant, 100);
        assertThat(dead).extracting(DeadLetter::customerId).containsExactlyInAnyOrder("b-unreadable", "b-ancient");
        assertThat(dead).extracting(DeadLetter::type).containsOnly("expiry_failed");
        assertThat(dead).extracting(DeadLetter::programId).containsOnly("p");
        assertThat(dead).allSatisfy(d -> assertThat(d.attempts()).isEqualTo(1));
        assertThat(dead).filteredOn(d -> d.customerId().equals("b-unreadable")).extracting(DeadLetter::error)
                .allSatisfy(e -> assertThat(e).contains("not-an-instant").contains("tries again"));

        // two more failed runs, then the bad customers leave the due index: later runs read nothing of theirs
        api.clock.set(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(sum(jobs.expiry(), "failed")).isEqualTo(2);
        api.clock.set(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(sum(jobs.expiry(), "failed")).isEqualTo(2);
        List<DeadLetter> all = scheduled.deadLetters(api.tenant, 100);
        assertThat(all).hasSize(6);
        assertThat(all).filteredOn(d -> d.attempts() == 3).hasSize(2)
                .allSatisfy(d -> assertThat(d.error()).contains("left the due index"));
        for (int day = 5; day <= 7; day++) {
            api.clock.set(Instant.parse("2026-12-0" + day + "T00:00:00Z"));
            List<JsonNode> later = jobs.expiry();
            assertThat(sum(later, "failed")).as(later.toString()).isZero();
            assertThat(sum(later, "customers")).as(later.toString()).isZero();
        }
        assertThat(scheduled.deadLetters(api.tenant, 100)).hasSize(6);
    }

    @Test
    void theRemindersRunRemindsTheGoodCustomersAndDeadLettersTheBadOneWithoutLoopingOnIt() {
        api.clock.set(Instant.parse("2026-11-25T00:00:00Z")); // 7 days before the lots' last day ends
        for (int i = 1; i <= 3; i++) {
            List<JsonNode> run = jobs.reminders();
            assertThat(last(run).path("complete").asBoolean()).as(run.toString()).isTrue();
            assertThat(sum(run, "failed")).as(run.toString()).isEqualTo(1);
            api.clock.set(api.clock.instant().plus(Duration.ofHours(1)));
        }
        assertThat(jobs.outbox.all()).extracting(s -> s.notification().customerId())
                .containsExactlyInAnyOrderElementsOf(GOOD);
        List<DeadLetter> dead = scheduled.deadLetters(api.tenant, 100);
        assertThat(dead).extracting(DeadLetter::customerId).containsOnly("b-unreadable");
        assertThat(dead).extracting(DeadLetter::type).containsOnly("reminders_failed");
        assertThat(dead).extracting(DeadLetter::attempts).containsExactlyInAnyOrder(1L, 2L, 3L);
        List<JsonNode> later = jobs.reminders();
        assertThat(sum(later, "failed")).as(later.toString()).isZero();
        assertThat(scheduled.deadLetters(api.tenant, 100)).hasSize(3);
    }

    @Test
    void anUnreadableNotificationIsDeadLetteredAtOnceAndTheRunSendsTheOthers() {
        api.clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        String pk = Keys.customer(api.tenant, "p", "g-1");
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS(pk),
                "sk", AttributeValue.fromS(Keys.notification("welcome")), "id", AttributeValue.fromS("welcome"),
                "type", AttributeValue.fromS("welcome"), "payload", AttributeValue.fromS("{}"),
                "status", AttributeValue.fromS("queued"), "attempts", AttributeValue.fromN("0"),
                "createdAt", AttributeValue.fromS("yesterday"),
                "remShard", AttributeValue.fromS("R#" + String.format("%02d", Math.floorMod(pk.hashCode(), 16))),
                "remAt", AttributeValue.fromN(Long.toString(api.clock.instant().getEpochSecond() - 60))));
        api.store.client().putItem(b -> b.tableName(api.store.table()).item(item));
        List<JsonNode> run = jobs.reminders();
        assertThat(last(run).path("complete").asBoolean()).as(run.toString()).isTrue();
        assertThat(sum(run, "failed")).as(run.toString()).isEqualTo(2); // the notification and b-unreadable
        assertThat(jobs.outbox.all()).extracting(s -> s.notification().customerId()).containsExactlyInAnyOrderElementsOf(GOOD);
        assertThat(scheduled.deadLetters(api.tenant, 100)).filteredOn(d -> d.customerId().equals("g-1"))
                .extracting(DeadLetter::notificationId).containsExactly("welcome");
        api.clock.set(api.clock.instant().plus(Duration.ofHours(1)));
        assertThat(sum(jobs.reminders(), "failed")).as("only b-unreadable again").isEqualTo(1);
        assertThat(scheduled.deadLetters(api.tenant, 100)).filteredOn(d -> d.customerId().equals("g-1")).hasSize(1);
    }
}
