package dev.laurel.store.dynamodb;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * SnapStart priming of the DynamoDB client (issue 14): each operation a function uses goes through
 * the SDK's whole request pipeline (validation, marshalling to JSON, endpoint rules, signing) and
 * is stopped before transmission, so no byte leaves the process and no tenant's item is read or
 * written. Three walls, each enough alone: the request is stopped by an interceptor before the
 * HTTP client sees it; its endpoint is a {@code .invalid} host (RFC 2606: never resolves); its
 * table is {@link #TABLE}, which no deployment has. It runs on a client of its own with fixed
 * dummy credentials, so the real client's credentials are never resolved (nor cached) before a
 * snapshot, and no connection is opened that a restored copy could share.
 */
public final class PrimingCalls {
    /** The table every primed request names: not a Laurel table (its name is not the template's). */
    public static final String TABLE = "laurel-priming-never-sent";
    public static final URI ENDPOINT = URI.create("https://dynamodb.priming.invalid");

    /** The DynamoDB operations Laurel uses, by their IAM action names (the template's policies). */
    public enum Operation {
        GetItem, BatchGetItem, Query, Scan, PutItem, UpdateItem, DeleteItem, TransactWriteItems
    }

    private PrimingCalls() {
    }

    /** Thrown by the interceptor in place of a transmission. */
    private static final class Unsent extends RuntimeException {
        Unsent() {
            super("priming: not sent", null, false, false);
        }
    }

    /**
     * Runs each operation once up to (not into) transmission.
     *
     * @return how many requests reached the point of transmission and were stopped there (one per operation)
     * @throws IllegalStateException when a request failed before that point (a priming request the SDK refuses)
     */
    public static int marshalEach(Set<Operation> operations) {
        return marshalEach(operations, ENDPOINT);
    }

    /** As {@link #marshalEach(Set)}, the requests naming {@code endpoint} (tests: a listener that counts what arrives). */
    public static int marshalEach(Set<Operation> operations, URI endpoint) {
        AtomicInteger stopped = new AtomicInteger();
        ExecutionInterceptor stop = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                stopped.incrementAndGet();
                throw new Unsent();
            }
        };
        String region = System.getenv("AWS_REGION");
        try (DynamoDbClient ddb = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region == null || region.isBlank() ? Region.US_EAST_1 : Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .endpointOverride(endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(stop))
                .build()) {
            for (Operation op : operations.isEmpty() ? EnumSet.noneOf(Operation.class) : EnumSet.copyOf(operations)) {
                try {
                    call(ddb, op);
                    throw new IllegalStateException("priming: " + op + " was sent");
                } catch (RuntimeException e) { // the SDK hands the interceptor's exception back, wrapped or not
                    if (!(e instanceof Unsent) && !(e instanceof SdkException && e.getCause() instanceof Unsent)) {
                        throw new IllegalStateException("priming: " + op + " failed before transmission", e);
                    }
                }
            }
        }
        return stopped.get();
    }

    private static void call(DynamoDbClient ddb, Operation op) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("~priming"), "sk", AttributeValue.fromS("~priming"));
        Map<String, AttributeValue> values = Map.of(":n", AttributeValue.fromN("1"), ":s", AttributeValue.fromS("x"),
                ":l", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("a", AttributeValue.fromN("1"))))));
        switch (op) {
            case GetItem -> ddb.getItem(b -> b.tableName(TABLE).key(key).consistentRead(true).projectionExpression("pk, sk"));
            case BatchGetItem -> ddb.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                    KeysAndAttributes.builder().keys(List.of(key)).consistentRead(true).build())));
            case Query -> ddb.query(b -> b.tableName(TABLE).indexName("lists").keyConditionExpression("pk = :s AND sk > :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("x"))).limit(1).scanIndexForward(false)
                    .exclusiveStartKey(key));
            case Scan -> ddb.scan(b -> b.tableName(TABLE).limit(1).segment(0).totalSegments(1));
            case PutItem -> ddb.putItem(b -> b.tableName(TABLE).item(key).conditionExpression("attribute_not_exists(pk)"));
            case UpdateItem -> ddb.updateItem(b -> b.tableName(TABLE).key(key)
                    .updateExpression("SET v = if_not_exists(v, :n) + :n, s = :s, l = list_append(:l, :l)")
                    .conditionExpression("attribute_exists(pk)").expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            case DeleteItem -> ddb.deleteItem(b -> b.tableName(TABLE).key(key).conditionExpression("attribute_exists(pk)"));
            case TransactWriteItems -> ddb.transactWriteItems(b -> b.clientRequestToken("priming").transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(key)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(TABLE).key(key).updateExpression("SET v = :n")
                            .expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1"))).build()).build(),
                    TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(TABLE).key(key)
                            .conditionExpression("attribute_exists(pk)").build()).build()));
        }
    }
}
