package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.functions.remind.RemindHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.notify.EmailChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * API.md Part 2: "reminders use the same locale". Through the real reminders function: a member whose profile
 * says {@code locale: de} gets German reminders (a signed webhook to a real receiver, an email through SES on
 * moto_server), {@code ja} Japanese, a member without a locale English; a changed locale is used from the next send.
 */
class RemindersInTheMembersLanguageTest {
    static final String PROGRAM = """
            {"name": "Kaffeehaus", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                              {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 1000}}],
             "rewards": [{"id": "mug", "type": "product", "cost": 5000}],
             "expiry": {"afterDays": 30},
             "reminders": {"pointsExpiring": {"daysBefore": 3}, "welcome": true, "rewardAvailable": true}, %s}
            """;
    Api api;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(100), LocalDynamo.freshTable());
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    void customer(String id, String locale) {
        Api.Reply r = api.shop("PUT", "/v1/programs/p/customers/" + id, "{\"email\": \"" + id + "@example.com\", "
                + "\"consent\": {\"marketing\": true}" + (locale == null ? "" : ", \"locale\": \"" + locale + "\"") + "}");
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    JsonNode received(String customer, String type) {
        return receiver.received().stream().map(WebhookReceiver.Received::envelope)
                .filter(e -> e.path("customerId").asText().equals(customer) && e.path("type").asText().equals(type))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + type + " for " + customer));
    }

    @Test
    void aGermanMemberGetsGermanWebhookRemindersAndAChangedLocaleIsUsedNext() {
        Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM.formatted("\"channel\": {\"type\": \"webhook\", \"url\": \""
                + receiver.url() + "\", \"secret\": \"" + receiver.secret + "\"}"));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        Jobs jobs = new Jobs(api, RemindHandler.channels(true));
        customer("c-de", "de");
        customer("c-ja", "ja");
        customer("c-en", null);
        List<JsonNode> run = jobs.reminders();
        assertThat(RemindersTest.sum(run, "sent")).as(run.toString()).isEqualTo(3);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);

        JsonNode de = received("c-de", "welcome");
        assertThat(de.path("locale").asText()).isEqualTo("de");
        assertThat(de.path("message").path("subject").asText()).isEqualTo("Willkommen bei Kaffeehaus");
        assertThat(de.path("message").path("text").asText()).contains("Für deine Anmeldung hast du 1.000 Punkte bekommen.")
                .doesNotContain("Welcome").doesNotContain("points");
        assertThat(de.path("data").path("signupPoints").asLong()).as("the figures stay numbers").isEqualTo(1000);
        JsonNode ja = received("c-ja", "welcome");
        assertThat(ja.path("locale").asText()).isEqualTo("ja");
        assertThat(ja.path("message").path("subject").asText()).isEqualTo("Kaffeehausへようこそ");
        assertThat(ja.path("message").path("text").asText()).contains("1,000ポイント");
        JsonNode en = received("c-en", "welcome");
        assertThat(en.path("locale").asText()).isEqualTo("en");
        assertThat(en.path("message").path("subject").asText()).isEqualTo("Welcome to Kaffeehaus");

        // c-de switches to Turkish, then earns enough for the mug (5,000): the next reminder speaks Turkish
        customer("c-de", "tr");
        Api.Reply earn = api.shop("POST", "/v1/programs/p/earn", Api.orderPaid("c-de", "o-1", 400_000, api.clock.instant().toString()));
        assertThat(earn.status()).as(earn.toString()).isEqualTo(200);
        jobs.reminders();
        JsonNode tr = received("c-de", "reward_available");
        assertThat(tr.path("locale").asText()).isEqualTo("tr");
        assertThat(tr.path("message").path("subject").asText()).isEqualTo("İyi haber: artık mug ödülünü alabilirsiniz");
        assertThat(tr.path("message").path("text").asText()).contains("Kaffeehaus hesabınızda 5.000 puan var; bu, mug için yeterli (5.000 puan).");

        // three days before the points of c-ja expire (welcome lot: last day 2026-12-23 in Berlin)
        api.clock.set(Instant.parse("2026-12-20T23:00:00Z"));
        jobs.reminders();
        JsonNode expiring = received("c-ja", "points_expiring");
        assertThat(expiring.path("message").path("subject").asText()).isEqualTo("1,000ポイントが2026年12月23日に失効します");
    }

    @Test
    void aGermanMemberGetsAGermanEmailThroughSes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process moto = new ProcessBuilder("moto_server", "-p", Integer.toString(port), "-H", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        try (SesV2Client ses = SesV2Client.builder().endpointOverride(endpoint).region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
            awaitMoto(http, endpoint, moto);
            ses.createEmailIdentity(r -> r.emailIdentity("rewards@example.com"));
            Api.Reply put = api.admin("PUT", "/v1/programs/p", PROGRAM.formatted(
                    "\"channel\": {\"type\": \"email\", \"from\": \"rewards@example.com\"}"));
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            Jobs jobs = new Jobs(api, program -> new EmailChannel(ses, program.channel().from()));
            customer("c-de", "de");
            List<JsonNode> run = jobs.reminders();
            assertThat(RemindersTest.sum(run, "sent")).as(run.toString()).isEqualTo(1);
            String data = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            JsonNode messages = Json.read(data).path("ses").path("Message");
            assertThat(messages).hasSize(1);
            JsonNode m = messages.get(0);
            assertThat(m.path("destinations").path("ToAddresses").get(0).asText()).isEqualTo("c-de@example.com");
            assertThat(m.path("subject").asText()).isEqualTo("Willkommen bei Kaffeehaus");
            assertThat(m.path("body").asText()).startsWith("<!DOCTYPE html>\n<html lang=\"de\">")
                    .contains("Für deine Anmeldung hast du 1.000 Punkte bekommen.").doesNotContain("Welcome");
        } finally {
            moto.descendants().forEach(ProcessHandle::destroy);
            moto.destroy();
            moto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitMoto(HttpClient http, URI endpoint, Process moto) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(moto.isAlive()).as("moto_server is running").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("moto_server did not answer within 60 s");
    }
}
