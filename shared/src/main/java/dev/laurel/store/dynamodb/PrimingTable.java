package dev.laurel.store.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import dev.laurel.store.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming of a function's own transactions (issue 14): a {@link DynamoStore} whose SDK
 * client has an HTTP client that never opens a connection. Each request goes through the SDK's
 * whole pipeline (marshalling the real items, endpoint rules, signing) and is answered here, in
 * the process, as DynamoDB would answer it (so the answer's unmarshalling is primed too) from a
 * throw-away map: the program item it is seeded with, and the items of the puts it was sent
 * (a transaction's puts included; updates, deletes and conditions are not applied). The same
 * walls as {@link PrimingCalls}: the endpoint is a {@code .invalid} host, the table is
 * {@link PrimingCalls#TABLE}, the credentials are dummies; nothing reaches a network or a table.
 */
public final class PrimingTable implements SdkHttpClient {
    private final Map<String, JsonNode> items = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();

    private PrimingTable() {
    }

    /**
     * Runs {@code work} on a store over such a table, seeded with {@code definition} as version 1 of
     * {@code programId} of {@code tenant}; answers how many requests the table answered.
     */
    public static int with(String tenant, String programId, String definition, Consumer<Store> work) {
        PrimingTable table = new PrimingTable();
        ObjectNode program = table.key(Keys.program(tenant, programId), Keys.DEF);
        program.putObject("definition").put("S", definition);
        program.putObject("version").put("N", "1");
        program.putObject("createdAt").put("S", Instant.EPOCH.toString());
        table.put(program);
        String region = System.getenv("AWS_REGION");
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClient(table)
                .region(region == null || region.isBlank() ? Region.US_EAST_1 : Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .endpointOverride(PrimingCalls.ENDPOINT)
                .build()) {
            work.accept(new DynamoStore(ddb, PrimingCalls.TABLE));
        }
        return table.answered.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                String operation = target.substring(target.indexOf('.') + 1);
                JsonNode body;
                try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
                    body = Json.mapper().readTree(in);
                }
                byte[] answer = Json.mapper().writeValueAsBytes(answer(operation, body));
                answered.incrementAndGet();
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(answer.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    /** DynamoDB's answer to {@code operation} on this table. */
    private JsonNode answer(String operation, JsonNode body) {
        ObjectNode out = Json.object();
        switch (operation) {
            case "GetItem" -> {
                JsonNode item = items.get(id(body.path("Key")));
                if (item != null) {
                    out.set("Item", item);
                }
            }
            case "BatchGetItem" -> {
                ObjectNode responses = out.putObject("Responses");
                body.path("RequestItems").fields().forEachRemaining(t -> {
                    ArrayNode found = responses.putArray(t.getKey());
                    for (JsonNode key : t.getValue().path("Keys")) {
                        JsonNode item = items.get(id(key));
                        if (item != null) {
                            found.add(item);
                        }
                    }
                });
                out.putObject("UnprocessedKeys");
            }
            case "Query", "Scan" -> {
                out.putArray("Items");
                out.put("Count", 0);
                out.put("ScannedCount", 0);
            }
            case "PutItem" -> put(body.path("Item"));
            case "TransactWriteItems" -> {
                for (JsonNode item : body.path("TransactItems")) {
                    if (item.has("Put")) {
                        put(item.path("Put").path("Item"));
                    }
                }
            }
            default -> {
                // UpdateItem, DeleteItem: accepted, not applied
            }
        }
        return out;
    }

    private void put(JsonNode item) {
        items.put(id(item), item.deepCopy());
    }

    private ObjectNode key(String pk, String sk) {
        ObjectNode item = Json.object();
        item.putObject("pk").put("S", pk);
        item.putObject("sk").put("S", sk);
        return item;
    }

    private static String id(JsonNode key) {
        return key.path("pk").path("S").asText() + '\u0000' + key.path("sk").path("S").asText();
    }

    @Override
    public String clientName() {
        return "laurel-priming";
    }

    @Override
    public void close() {
        items.clear();
    }
}
