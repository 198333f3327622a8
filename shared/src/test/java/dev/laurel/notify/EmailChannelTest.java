package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** EmailChannel against SES as moto_server emulates it, through the SDK's endpoint override. */
class EmailChannelTest {
    private static final String FROM = "rewards@example.com";
    private static MotoServer moto;
    private static SesV2Client ses;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        ses = SesV2Client.builder()
                .endpointOverride(moto.endpoint)
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .build();
    }

    @AfterAll
    static void stopMoto() {
        if (ses != null) {
            ses.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        moto.reset();
    }

    @Test
    void sendsTheRenderedEmailFromAVerifiedSender() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity(FROM));
        Notification n = Samples.pointsExpiring("ada@example.com");

        new EmailChannel(ses, FROM).send(n);

        JsonNode messages = moto.sesMessages();
        assertThat(messages).hasSize(1);
        JsonNode m = messages.get(0);
        assertThat(m.path("source").asText()).isEqualTo(FROM);
        assertThat(m.path("destinations").path("ToAddresses")).extracting(JsonNode::asText)
                .containsExactly("ada@example.com");
        assertThat(m.path("subject").asText()).isEqualTo("40 points expire on 31 January 2027");
        // moto keeps the HTML body when there is one
        assertThat(m.path("body").asText()).isEqualTo(Templates.render(n).html());
    }

    @Test
    void nonAsciiTextArrivesIntact() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("example.com")); // a verified domain covers its addresses
        new EmailChannel(ses, "Acme Rewards <rewards@example.com>").send(Samples.welcome());

        JsonNode m = moto.sesMessages().get(0);
        assertThat(m.path("subject").asText()).isEqualTo("Welcome to Acme Café");
        assertThat(m.path("body").asText()).contains("You earned 25 points for joining.");
    }

    @Test
    void anUnverifiedSenderIsRejectedForGood() throws Exception {
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> new EmailChannel(ses, "nobody@unverified.example").send(Samples.welcome()));

        assertThat(e).isNotNull();
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("MessageRejected").contains("HTTP 400");
        assertThat(moto.sesMessages()).isEmpty();

        Delivery.Outcome o = Delivery.deliver(new EmailChannel(ses, "nobody@unverified.example"), Samples.welcome(), 3,
                Duration.ofMillis(1), d -> { });
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(o.retryable()).isFalse();
    }

    @Test
    void aCustomerWithoutAnEmailAddressIsNotRetryableAndCallsNothing() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity(FROM));
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> new EmailChannel(ses, FROM).send(Samples.pointsExpiring(null)));

        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("no email address");
        assertThat(moto.sesMessages()).isEmpty();
        assertThat(new EmailChannel(ses, FROM).kind()).isEqualTo("email");
    }
}
