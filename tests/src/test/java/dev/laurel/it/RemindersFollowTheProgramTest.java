package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.functions.remind.RemindHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.store.Records.StoredNotification;
import dev.laurel.store.dynamodb.ScheduledStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, items 2 to 4: reminders follow the program as it is when they are sent; pending
 * points are neither announced nor listed as expiring; {@code reward_available} is decided on
 * the balance before a write releases pending points and after the whole write, whichever write
 * it is. Through the real handlers on DynamoDB Local, the reminders function with its scheduled
 * event, a real outbox and real webhook receivers.
 */
class RemindersFollowTheProgramTest {
    /** Earned 2026-11-23 in Berlin: pending until the end of 2026-12-07, expiring at the end of 2026-12-23. */
    static final String PROGRAM = """
            {"name": "Following", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "review", "trigger": "review.written", "points": {"fixed": 5}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 100}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 150}],
             "pending": {"days": 14},
             "expiry": {"afterDays": 30}%s%s}
            """;
    static final String ALL_REMINDERS = reminders(20, true, true, true);
    static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    /** After the return window of the points earned at START (2026-12-07T23:00Z), before their expiry. */
    static final Instant RELEASED = Instant.parse("2026-12-08T08:00:00Z");

    Api api;
    Jobs jobs;
    WebhookReceiver a;
    WebhookReceiver b;

    @BeforeEach
    void setUp() {
        api = new Api(LocalClock.frozenAt(START), Duration.ofMillis(100), LocalDynamo.freshTable());
        jobs = new Jobs(api);
    }

    @AfterEach
    void tearDown() {
        for (WebhookReceiver r : new WebhookReceiver[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** The program's {@code reminders} field ({@code daysBefore} null: no points_expiring). */
    static String reminders(Integer daysBefore, boolean welcome, boolean rewardAvailable, boolean tierUpgraded) {
        return ",\n \"reminders\": {" + (daysBefore == null ? "" : "\"pointsExpiring\": {\"daysBefore\": " + daysBefore + "}, ")
                + "\"welcome\": " + welcome + ", \"rewardAvailable\": " + rewardAvailable + ", \"tierUpgraded\": " + tierUpgraded + "}";
    }

    void program(String reminders, String channel) {
        Api.Reply r = api.admin("PUT", "/v1/programs/p", PROGRAM.formatted(reminders, channel));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        api.clock.advance(Duration.ofMinutes(1)); // past every function's program cache
    }

    static String webhook(WebhookReceiver r) {
        return ",\n \"channel\": {\"type\": \"webhook\", \"url\": \"" + r.url() + "\", \"secret\": \"" + r.secret + "\"}";
    }

    void member(String id) {
        Api.Reply r = api.shop("PUT", "/v1/programs/p/customers/" + id,
                "{\"email\": \"" + id + "@example.com\", \"consent\": {\"marketing\": true}}");
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    Api.Reply earn(String customer, String order, long totalMinor) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid(customer, order, totalMinor, api.clock.instant().toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    Api.Reply review(String customer, String id) {
        Api.Reply r = api.shop("POST", "/v1/programs/p/earn", "{\"customerId\": \"" + customer
                + "\", \"event\": {\"type\": \"review.written\", \"id\": \"" + id + "\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    List<String> sent(String customer) {
        return jobs.outbox.all().stream().filter(s -> s.notification().customerId().equals(customer))
                .map(s -> s.notification().id()).sorted().toList();
    }

    static long sum(List<JsonNode> answers, String field) {
        return answers.stream().mapToLong(x -> x.path(field).asLong()).sum();
    }

    // ---------------------------------------------------------------- item 2: the program at send time

    @Test
    void queuedRemindersOfTypesTheProgramTurnedOffAreNotSent() {
        program(ALL_REMINDERS, "");
        member("c-1");                  // welcome queued
        earn("c-1", "o-1", 20000);      // 200 pending: silver (lifetime counts at once): tier_upgraded queued
        api.clock.set(RELEASED);
        review("c-1", "r-1");           // releases the 200: reward_available queued
        assertThat(new ScheduledStore(api.store).notifications(api.tenant, "p", "c-1")).extracting(StoredNotification::id)
                .containsExactlyInAnyOrder("welcome", "tier_upgraded:silver", "reward_available:mug");

        program("", "");                // the program turns its reminders off before the hourly run
        List<JsonNode> run = jobs.reminders();
        assertThat(sum(run, "sent")).as(run.toString()).isZero();
        assertThat(sum(run, "skipped")).as(run.toString()).isEqualTo(3);
        assertThat(jobs.outbox.all()).isEmpty();
        assertThat(new ScheduledStore(api.store).notifications(api.tenant, "p", "c-1")).extracting(StoredNotification::status)
                .containsOnly(StoredNotification.SKIPPED);
        program(ALL_REMINDERS, "");     // turned on again later: what was skipped is not sent late
        jobs.reminders();
        assertThat(jobs.outbox.all()).isEmpty();
    }

    @Test
    void aQueuedReminderOfAnotherTypeStillGoesOutWhenOneTypeIsTurnedOff() {
        program(ALL_REMINDERS, "");
        member("c-1");
        program(reminders(20, false, true, true), "");
        earn("c-1", "o-1", 20000);      // silver
        jobs.reminders();
        assertThat(sent("c-1")).containsExactly("tier_upgraded:silver");
    }

    @Test
    void aQueuedReminderGoesThroughTheChannelTheProgramHasWhenItIsSent() throws Exception {
        a = new WebhookReceiver();
        b = new WebhookReceiver();
        Jobs hooks = new Jobs(api, RemindHandler.channels(true));
        program(ALL_REMINDERS, webhook(a));
        member("c-1");                  // welcome queued while the channel is a
        program(ALL_REMINDERS, webhook(b));
        List<JsonNode> run = hooks.reminders();
        assertThat(sum(run, "sent")).as(run.toString()).isEqualTo(1);
        assertThat(a.received()).isEmpty();
        assertThat(b.received()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("welcome");
            assertThat(r.signatureValid()).isTrue();
        });
    }

    // ---------------------------------------------------------------- item 3: pending points do not expire-remind

    @Test
    void pendingPointsAreNeitherRemindedNorListedAsExpiringUntilTheyAreAvailable() {
        program(reminders(20, false, false, false), "");
        member("c-1");
        earn("c-1", "o-1", 20000);      // 200 pending until the end of 2026-12-07; they expire at the end of 2026-12-23
        // twenty days before the last day: the reminder day of these points has come, but they are pending
        api.clock.set(Instant.parse("2026-12-05T08:00:00Z"));
        JsonNode wallet = api.shop("GET", "/v1/programs/p/customers/c-1", null).body();
        assertThat(wallet.path("expiring").size()).as(wallet.toString()).isZero();
        assertThat(wallet.path("pending").get(0).path("points").asLong()).isEqualTo(200);
        assertThat(wallet.path("pending").get(0).path("availableAt").asText()).isEqualTo("2026-12-07T23:00:00Z");
        List<JsonNode> run = jobs.reminders();
        assertThat(sum(run, "recorded")).as(run.toString()).isZero();
        assertThat(jobs.outbox.all()).isEmpty();

        // released (no write, no expiry run): the next hourly run reminds them, and the wallet lists them
        api.clock.set(RELEASED);
        run = jobs.reminders();
        assertThat(sum(run, "sent")).as(run.toString()).isEqualTo(1);
        var reminder = jobs.outbox.all().get(0).notification();
        assertThat(reminder.id()).isEqualTo("points_expiring:2026-12-23");
        assertThat(reminder.payload().path("points").asLong()).isEqualTo(200);
        wallet = api.shop("GET", "/v1/programs/p/customers/c-1", null).body();
        assertThat(wallet.path("expiring").toString()).isEqualTo("[{\"points\":200,\"on\":\"2026-12-23\"}]");
        assertThat(wallet.path("pending").size()).isZero();
    }

    @Test
    void pointsCancelledByARefundInTheirWindowAreNeverAnnounced() {
        program(reminders(20, false, true, true), "");
        member("c-1");
        earn("c-1", "o-1", 20000);
        api.clock.set(Instant.parse("2026-12-05T08:00:00Z"));
        jobs.reminders();
        Api.Reply refund = api.shop("POST", "/v1/programs/p/refunds",
                "{\"customerId\": \"c-1\", \"orderId\": \"o-1\", \"amountMinor\": 20000}");
        assertThat(refund.body().path("pendingCancelled").asLong()).as(refund.toString()).isEqualTo(200);
        api.clock.set(RELEASED);
        jobs.reminders();
        assertThat(sent("c-1")).filteredOn(id -> id.startsWith("points_expiring")).isEmpty();
    }

    // ---------------------------------------------------------------- item 4: the crossing, whichever write releases

    /**
     * The member's 200 pending points become available when the window ends; the first write
     * after that (each kind in turn), or the daily run, records the release, and with it the
     * crossing of the mug's 100 points.
     */
    @ParameterizedTest(name = "released by {0}")
    @ValueSource(strings = {"earn", "upsert", "redeem", "refund", "expiry run", "reminders run"})
    void rewardAvailableIsSentWhicheverWriteReleasesThePendingPoints(String write) {
        program(reminders(20, false, true, false), "");
        member("c-1");
        earn("c-1", "o-1", 20000);      // 200 pending
        earn("c-1", "o-2", 3000);       // 30 pending, refunded below
        jobs.reminders();
        assertThat(jobs.outbox.all()).isEmpty();
        api.clock.set(RELEASED);
        Consumer<String> release = switch (write) {
            case "earn" -> c -> review(c, "r-1");
            case "upsert" -> c -> member(c);
            case "redeem" -> c -> assertThat(api.shop("POST", "/v1/programs/p/redeem",
                    "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}", Invariants.key("k-1")).status()).isEqualTo(201);
            case "refund" -> c -> assertThat(api.shop("POST", "/v1/programs/p/refunds",
                    "{\"customerId\": \"c-1\", \"orderId\": \"o-2\", \"amountMinor\": 3000}").status()).isEqualTo(200);
            case "expiry run" -> c -> assertThat(sum(jobs.expiry(), "pointsReleased")).isEqualTo(230);
            default -> c -> { }; // the reminders run: its points_expiring write (the reminder day has come) releases them
        };
        release.accept("c-1");
        List<JsonNode> run = jobs.reminders();
        assertThat(sent("c-1")).as(run.toString()).contains("reward_available:mug");
        var note = jobs.outbox.all().stream().filter(s -> s.notification().type().equals("reward_available")).findFirst()
                .orElseThrow().notification();
        assertThat(note.payload().path("rewardId").asText()).isEqualTo("mug");
        jobs.reminders();
        assertThat(sent("c-1")).filteredOn(id -> id.startsWith("reward_available")).hasSize(1);
    }

    @Test
    void aWriteThatReleasesPointsButSpendsBelowTheCheapestRewardSendsNothing() {
        program(reminders(null, false, true, false), "");
        member("c-1");
        earn("c-1", "o-1", 15000);      // 150 pending
        api.clock.set(RELEASED);
        // the redeem releases 150 and spends 100: 50 left, below the mug; no crossing
        assertThat(api.shop("POST", "/v1/programs/p/redeem", "{\"customerId\": \"c-1\", \"rewardId\": \"mug\"}",
                Invariants.key("k-1")).status()).isEqualTo(201);
        jobs.reminders();
        assertThat(jobs.outbox.all()).isEmpty();
    }
}
