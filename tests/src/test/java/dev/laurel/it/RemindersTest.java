package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.functions.remind.RemindHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.notify.Outbox;
import dev.laurel.store.Records.StoredNotification;
import dev.laurel.store.dynamodb.ScheduledStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hourly reminders function with its EventBridge Scheduler event, on a table of its own:
 * welcome, reward_available, tier_upgraded and points_expiring, each at most once per customer,
 * type and subject across repeated and concurrent runs, only with consent; a signed webhook
 * checked by a real receiver, retried on 500 with backoff, and a dead letter when it never works.
 */
class RemindersTest {
    static final String PROGRAM = """
            {"name": "Reminding", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 10}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}, {"id": "bag", "type": "product", "cost": 300}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500}],
             "expiry": {"afterDays": 30},
             "reminders": {"pointsExpiring": {"daysBefore": 3}, "welcome": true, "rewardAvailable": true, "tierUpgraded": true}%s}
            """;
    Api api;
    Jobs jobs;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(100), LocalDynamo.freshTable());
        jobs = new Jobs(api);
    }

    @AfterEach
    void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    void program(String channel) {
        Api.Reply r = api.admin("PUT", "/v1/programs/p", PROGRAM.formatted(channel));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    void customer(String id, boolean consent) {
        Api.Reply r = api.shop("PUT", "/v1/programs/p/customers/" + id,
                "{\"email\": \"" + id + "@example.com\", \"consent\": {\"marketing\": " + consent + "}}");
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    void earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    List<String> sent(Outbox box, String customer) {
        return box.all().stream().filter(s -> s.notification().customerId().equals(customer))
                .map(s -> s.notification().id()).sorted().toList();
    }

    static long sum(List<JsonNode> answers, String field) {
        return answers.stream().mapToLong(a -> a.path(field).asLong()).sum();
    }

    @Test
    void eachReminderGoesOutOnceAndOnlyToCustomersWhoConsented() {
        program("");
        customer("yes", true);
        customer("no", false);
        jobs.reminders();
        assertThat(sent(jobs.outbox, "yes")).containsExactly("welcome");
        assertThat(jobs.outbox.all().get(0).notification().payload().path("signupPoints").asLong()).isEqualTo(10);
        assertThat(sent(jobs.outbox, "no")).isEmpty();

        earn("yes", "o-1", 15000);   // 10 + 150: reaches the mug (100)
        earn("yes", "o-2", 40000);   // 560: silver
        earn("no", "o-3", 60000);
        customer("yes", true);       // an upsert of a member welcomes nobody again
        List<JsonNode> run = jobs.reminders();
        assertThat(sum(run, "sent")).as(run.toString()).isEqualTo(2);
        assertThat(sent(jobs.outbox, "yes")).containsExactly("reward_available:mug", "tier_upgraded:silver", "welcome");
        assertThat(sent(jobs.outbox, "no")).isEmpty();
        var tier = jobs.outbox.all().stream().filter(s -> s.notification().type().equals("tier_upgraded")).findFirst().orElseThrow();
        assertThat(tier.notification().payload().path("previousTierId").asText()).isEqualTo("bronze");
        assertThat(tier.notification().email()).isEqualTo("yes@example.com");

        // three days before the last day (2026-12-23) of yes's three lots ends, in Berlin
        api.clock.set(Instant.parse("2026-12-20T22:59:59Z"));
        assertThat(sum(jobs.reminders(), "recorded")).isZero();
        api.clock.set(Instant.parse("2026-12-20T23:00:00Z"));
        List<JsonNode> expiring = jobs.reminders();
        // one reminder for the day, listing the points of all three lots
        assertThat(sum(expiring, "recorded")).as(expiring.toString()).isEqualTo(1);
        List<String> ids = sent(jobs.outbox, "yes");
        assertThat(ids).contains("points_expiring:2026-12-23");
        assertThat(ids.stream().filter(i -> i.startsWith("points_expiring:")).count()).isEqualTo(1);
        var pe = jobs.outbox.all().stream().filter(s -> s.notification().type().equals("points_expiring")).toList();
        assertThat(pe).allSatisfy(s -> assertThat(s.notification().payload().path("expiresOn").asText()).isEqualTo("2026-12-23"));
        assertThat(pe.stream().mapToLong(s -> s.notification().payload().path("points").asLong()).sum()).isEqualTo(560);

        // however often and however concurrently it runs again, nothing more goes out
        int before = jobs.outbox.all().size();
        List<Callable<List<JsonNode>>> runs = new ArrayList<>();
        List<Jobs> containers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Jobs own = new Jobs(api);
            containers.add(own);
            runs.add(own::reminders);
        }
        Invariants.race(4, runs);
        jobs.reminders();
        api.clock.advance(Duration.ofDays(1));
        jobs.reminders();
        assertThat(jobs.outbox.all()).hasSize(before);
        assertThat(containers).allSatisfy(c -> assertThat(c.outbox.all()).isEmpty());
        assertThat(sent(jobs.outbox, "no")).isEmpty();
    }

    @Test
    void concurrentRunsSendEachQueuedReminderOnce() {
        program("");
        for (int i = 0; i < 40; i++) {
            customer("c-" + i, true);
        }
        List<Jobs> containers = new ArrayList<>();
        List<Callable<List<JsonNode>>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Jobs own = new Jobs(api);
            containers.add(own);
            runs.add(own::reminders);
        }
        Invariants.race(4, runs);
        Map<String, Long> perCustomer = containers.stream().flatMap(c -> c.outbox.all().stream())
                .collect(Collectors.groupingBy(s -> s.notification().customerId(), Collectors.counting()));
        assertThat(perCustomer).hasSize(40);
        assertThat(perCustomer.values()).allMatch(n -> n == 1);
    }

    @Test
    void consentWithdrawnBeforeTheSendMeansNoSend() {
        program("");
        customer("c-1", true);
        customer("c-1", false);      // withdrawn before the hourly run
        List<JsonNode> run = jobs.reminders();
        assertThat(sum(run, "skipped")).as(run.toString()).isEqualTo(1);
        assertThat(jobs.outbox.all()).isEmpty();
        List<StoredNotification> stored = new ScheduledStore(api.store).notifications(api.tenant, "p", "c-1");
        assertThat(stored).extracting(StoredNotification::status).containsExactly("skipped");
        customer("c-1", true);       // consent again later: the welcome is not sent late
        jobs.reminders();
        assertThat(jobs.outbox.all()).isEmpty();
    }

    @Test
    void aWebhookIsSignedRetriedOn500AndDeliveredOnce() throws Exception {
        receiver = new WebhookReceiver();
        program(", \"channel\": {\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\", \"secret\": \"" + receiver.secret + "\"}");
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(() -> calls.incrementAndGet() <= 2 ? 500 : 200);
        Jobs hooks = new Jobs(api, RemindHandler.channels(true));
        customer("c-1", true);
        List<JsonNode> run = hooks.reminders();
        assertThat(sum(run, "sent")).as(run.toString()).isEqualTo(1);
        List<WebhookReceiver.Received> got = receiver.received();
        assertThat(got).extracting(WebhookReceiver.Received::answered).containsExactly(500, 500, 200);
        assertThat(got).allSatisfy(r -> {
            assertThat(r.signatureValid()).as("signature of %s", r.envelope()).isTrue();
            assertThat(r.id()).isEqualTo("welcome");
            assertThat(r.envelope().path("customerId").asText()).isEqualTo("c-1");
            assertThat(r.envelope().path("programId").asText()).isEqualTo("p");
        });
        hooks.reminders();
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void deployedAWebhookToAPrivateAddressIsADeadLetterAndNeverCalled() throws Exception {
        receiver = new WebhookReceiver();
        program(", \"channel\": {\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\", \"secret\": \"" + receiver.secret + "\"}");
        Jobs deployed = new Jobs(api, RemindHandler.channels(false));
        customer("c-1", true);
        List<JsonNode> run = deployed.reminders();
        assertThat(sum(run, "dead")).as(run.toString()).isEqualTo(1);
        assertThat(receiver.received()).isEmpty();
        var dead = new ScheduledStore(api.store).deadLetters(api.tenant, 10);
        assertThat(dead.get(0).error()).contains("not a public address");
    }

    @Test
    void aWebhookThatNeverWorksEndsAsAVisibleDeadLetterAfterBackedOffRetries() throws Exception {
        receiver = new WebhookReceiver();
        program(", \"channel\": {\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\", \"secret\": \"" + receiver.secret + "\"}");
        receiver.answer(() -> 503);
        Jobs hooks = new Jobs(api, RemindHandler.channels(true));
        customer("c-1", true);
        ScheduledStore scheduled = new ScheduledStore(api.store);
        List<Long> attempts = new ArrayList<>();
        for (int run = 0; run < 12 && scheduled.deadLetters(api.tenant, 10).isEmpty(); run++) {
            hooks.reminders();
            attempts.add((long) receiver.received().size());
            api.clock.advance(Duration.ofHours(2));  // the next runs; a requeued reminder waits 5, 10, 20, 40 min
        }
        var dead = scheduled.deadLetters(api.tenant, 10);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).notificationId()).isEqualTo("welcome");
        assertThat(dead.get(0).programId()).isEqualTo("p");
        assertThat(dead.get(0).customerId()).isEqualTo("c-1");
        assertThat(dead.get(0).attempts()).isEqualTo(5);
        assertThat(dead.get(0).error()).contains("503");
        // five claims of three tries each, and nothing after it is dead
        assertThat(receiver.received()).hasSize(15);
        assertThat(scheduled.notifications(api.tenant, "p", "c-1")).extracting(StoredNotification::status)
                .containsExactly("dead");
        hooks.reminders();
        assertThat(receiver.received()).hasSize(15);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
    }
}
