package dev.laurel.aws;

import dev.laurel.api.Scheduled;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Continues a scheduled run in a new invocation of the same function (an asynchronous Invoke of
 * its own ARN). The Lambda client is built on first use only: most runs finish in one
 * invocation and never load it. Functions using this declare {@code software.amazon.awssdk:lambda}
 * themselves (it is optional in the shared module, so other functions do not carry it).
 */
public final class LambdaContinuation implements Scheduled.Continuation {
    private final String functionArn;
    private volatile LambdaClient client;

    public LambdaContinuation(String functionArn) {
        this.functionArn = Objects.requireNonNull(functionArn, "functionArn");
    }

    @Override
    public void invoke(String eventJson) {
        LambdaClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
                }
                c = client;
            }
        }
        c.invoke(b -> b.functionName(functionArn).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromString(eventJson, StandardCharsets.UTF_8)));
    }
}
