package dev.laurel.notify;

import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * Sends a notification as an email through Amazon SES v2 ({@code SendEmail}, simple content: the {@link Templates}
 * subject, text and HTML bodies, UTF-8) from the program's {@code from} address to the customer's email.
 *
 * <p>Failures: no email address is not retryable and calls nothing. Throttling (429, {@code TooManyRequestsException}
 * and the SDK's other throttling codes), any 5xx and any {@link SdkClientException} (timeouts, refused or reset
 * connections) are retryable. Every other SES error ({@code MessageRejected}, {@code MailFromDomainNotVerified},
 * {@code AccountSuspended}, {@code SendingPaused}, {@code BadRequest}, ...) is not: it needs a person to act. The
 * client's own SDK retries happen first, inside one {@code send}.
 *
 * <p>This is the only class in the notify package that names SES types; load it only where SES is on the class path.
 */
public final class EmailChannel implements Channel {
    private static final String CHARSET = "UTF-8";

    private final SesV2Client ses;
    private final String from;

    /** @throws IllegalArgumentException when {@code from} is blank */
    public EmailChannel(SesV2Client ses, String from) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.from = Objects.requireNonNull(from, "from");
        if (from.isBlank()) {
            throw new IllegalArgumentException("from must not be blank");
        }
    }

    @Override
    public String kind() {
        return "email";
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        Objects.requireNonNull(n, "n");
        if (n.email() == null || n.email().isBlank()) {
            throw new DeliveryException("customer " + n.customerId() + " has no email address", false);
        }
        Templates.Email email = Templates.render(n);
        SendEmailRequest request = SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(Destination.builder().toAddresses(n.email()).build())
                .content(EmailContent.builder().simple(Message.builder()
                        .subject(content(email.subject()))
                        .body(Body.builder().text(content(email.text())).html(content(email.html())).build())
                        .build()).build())
                .build();
        try {
            ses.sendEmail(request);
        } catch (AwsServiceException e) {
            boolean retryable = e.isThrottlingException() || e.statusCode() == 429 || e.statusCode() >= 500;
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new DeliveryException("SES refused the email (HTTP " + e.statusCode()
                    + (code == null ? "" : ", " + code) + "): " + message(e), retryable, e);
        } catch (SdkClientException e) {
            throw new DeliveryException("cannot reach SES: " + e.getMessage(), true, e);
        } catch (SdkException e) {
            throw new DeliveryException("SES call failed: " + e.getMessage(), e.retryable(), e);
        }
    }

    private static Content content(String data) {
        return Content.builder().data(data).charset(CHARSET).build();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
