package dev.laurel.bench.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The cold-start baseline: what any DynamoDB-backed Java Lambda must do at the least. Init builds
 * the client exactly as {@code DynamoStore.clientFromEnvironment()} does (URL-connection client,
 * region and credentials from the environment, endpoint from {@code AWS_ENDPOINT_URL_DYNAMODB});
 * each invocation reads the event and does one consistent GetItem of the key named by
 * {@code BASELINE_PK} / {@code BASELINE_SK} (a program definition in the benchmark), answering
 * an API Gateway v2 response written by hand (no JSON library).
 */
public final class BareHandler implements RequestStreamHandler {
    private final DynamoDbClient ddb;
    private final String table;
    private final Map<String, AttributeValue> key;

    public BareHandler() {
        var b = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint == null || endpoint.isBlank()) {
            endpoint = System.getenv("AWS_ENDPOINT_URL");
        }
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint));
        }
        ddb = b.build();
        table = System.getenv("TABLE_NAME");
        key = Map.of("pk", AttributeValue.fromS(env("BASELINE_PK", "none")),
                "sk", AttributeValue.fromS(env("BASELINE_SK", "none")));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        in.readAllBytes();
        GetItemResponse r = ddb.getItem(g -> g.tableName(table).key(key).consistentRead(true));
        int attributes = r.hasItem() ? r.item().size() : 0;
        String body = "{\"found\":" + (attributes > 0) + ",\"attributes\":" + attributes + "}";
        String answer = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\""
                + body.replace("\"", "\\\"") + "\",\"isBase64Encoded\":false}";
        out.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
