package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * How EmailChannel classifies the failures moto cannot produce (throttling, 5xx): the real SDK client talks to an
 * HTTP server that answers as SES v2 does on the wire (REST-JSON, {@code x-amzn-ErrorType}, status code). SDK
 * retries are off so each send is one request.
 */
class EmailChannelErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Answer(int status, String errorType, String message) {
    }

    private HttpServer server;
    private volatile Answer answer;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                requests.add(JSON.readTree(body.isEmpty() ? "{}" : body).deepCopy());
                Answer a = answer;
                byte[] out = (a.status() == 200 ? "{\"MessageId\":\"m-1\"}" : "{\"message\":\"" + a.message() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                if (a.errorType() != null) {
                    ex.getResponseHeaders().set("x-amzn-ErrorType", a.errorType());
                }
                ex.sendResponseHeaders(a.status(), out.length);
                ex.getResponseBody().write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static SesV2Client client(URI endpoint) {
        return SesV2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private DeliveryException failureFor(Answer a) {
        answer = a;
        try (SesV2Client ses = client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))) {
            return catchThrowableOfType(DeliveryException.class,
                    () -> new EmailChannel(ses, "rewards@example.com").send(Samples.rewardAvailable()));
        }
    }

    @Test
    void aSuccessfulSendCarriesTheTemplateAsSimpleContent() throws Exception {
        assertThat(failureFor(new Answer(200, null, null))).isNull();
        JsonNode req = requests.get(0);
        assertThat(req.path("FromEmailAddress").asText()).isEqualTo("rewards@example.com");
        assertThat(req.path("Destination").path("ToAddresses").get(0).asText()).isEqualTo("ada@example.com");
        JsonNode simple = req.path("Content").path("Simple");
        Templates.Email email = Templates.render(Samples.rewardAvailable());
        assertThat(simple.path("Subject").path("Data").asText()).isEqualTo(email.subject());
        assertThat(simple.path("Subject").path("Charset").asText()).isEqualTo("UTF-8");
        assertThat(simple.path("Body").path("Text").path("Data").asText()).isEqualTo(email.text());
        assertThat(simple.path("Body").path("Html").path("Data").asText()).isEqualTo(email.html());
    }

    @Test
    void throttlingAndServerErrorsAreRetryable() {
        for (Answer a : List.of(new Answer(429, "TooManyRequestsException", "Too many requests"),
                new Answer(400, "Throttling", "Rate exceeded"),
                new Answer(500, "InternalServiceErrorException", "internal"),
                new Answer(503, null, "unavailable"))) {
            DeliveryException e = failureFor(a);
            assertThat(e).as("%s", a).isNotNull();
            assertThat(e.retryable()).as("%s", a).isTrue();
            assertThat(e.getMessage()).as("%s", a).contains("HTTP " + a.status());
        }
    }

    @Test
    void otherSesErrorsAreNotRetryable() {
        for (Answer a : List.of(new Answer(400, "MessageRejected", "Email address is not verified."),
                new Answer(400, "MailFromDomainNotVerifiedException", "not verified"),
                new Answer(400, "AccountSuspendedException", "suspended"),
                new Answer(400, "SendingPausedException", "paused"),
                new Answer(400, "BadRequestException", "bad"),
                new Answer(403, "AccessDeniedException", "denied"),
                new Answer(404, "NotFoundException", "no such configuration set"))) {
            DeliveryException e = failureFor(a);
            assertThat(e).as("%s", a).isNotNull();
            assertThat(e.retryable()).as("%s", a).isFalse();
            assertThat(e.getMessage()).as("%s", a).contains(a.errorType()).contains(a.message());
        }
    }

    @Test
    void anUnreachableSesIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (SesV2Client ses = client(URI.create("http://127.0.0.1:" + port))) {
            DeliveryException e = catchThrowableOfType(DeliveryException.class,
                    () -> new EmailChannel(ses, "rewards@example.com").send(Samples.welcome()));
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).startsWith("cannot reach SES");
        }
    }
}
