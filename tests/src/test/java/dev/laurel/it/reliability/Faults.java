package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.it.LocalDynamo;
import dev.laurel.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;

/**
 * Fault injection through an SDK {@link ExecutionInterceptor} on the functions' DynamoDB client.
 * Per attempt (so the SDK's own retries see each fault as DynamoDB would cause it):
 * <ul>
 *   <li>{@link Kind#REFUSE}: the attempt fails before it reaches DynamoDB (a refused connection);</li>
 *   <li>{@link Kind#LOSE_ANSWER}: the attempt reached DynamoDB and was applied, and then its answer is
 *       lost (the client sees a read timeout).</li>
 * </ul>
 * Per call (every SDK attempt of the call), by sending it to a small HTTP server of the test's that
 * answers as a busy DynamoDB does, without touching the table:
 * <ul>
 *   <li>{@link Kind#THROTTLE}: 400 {@code ProvisionedThroughputExceededException};</li>
 *   <li>{@link Kind#CONFLICT}: 400 {@code TransactionCanceledException} with a
 *       {@code TransactionConflict} reason for every item (TransactWriteItems only).</li>
 * </ul>
 * And {@link Kind#UNPROCESSED}: a BatchGetItem answered with every key unprocessed.
 *
 * <p>Decisions come from a seeded {@link Random}; rules name operations and a probability, and may
 * cap the faults per call (so that the SDK's retries can get through). The interceptor counts
 * what it did and checks that every attempt of one TransactWriteItems call carries one client
 * request token.
 */
final class Faults implements ExecutionInterceptor, AutoCloseable {
    enum Kind { REFUSE, LOSE_ANSWER, THROTTLE, CONFLICT, UNPROCESSED }

    /** A fault of one kind on some operations; {@code maxPerCall} faults at most per SDK call. */
    record Rule(Kind kind, Set<String> operations, double probability, int maxPerCall, boolean oncePerToken) {
    }

    static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query");
    static final Set<String> WRITES = Set.of("TransactWriteItems", "UpdateItem", "PutItem");
    static final Set<String> ALL = Set.of("GetItem", "BatchGetItem", "Query", "TransactWriteItems", "UpdateItem", "PutItem");

    private static final ExecutionAttribute<int[]> FAULTS_IN_CALL = new ExecutionAttribute<>("laurel.faults");
    private static final ExecutionAttribute<Kind> CALL_KIND = new ExecutionAttribute<>("laurel.callKind");
    private static final ExecutionAttribute<String> TOKEN = new ExecutionAttribute<>("laurel.token");

    private final Random random;
    private final List<Rule> rules = new ArrayList<>();
    private volatile boolean enabled = true;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final List<String> tokenViolations = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Client request token → how many TransactWriteItems calls carried it (more than one: {@code Tx} sent it again). */
    final Map<String, AtomicInteger> tokenCalls = new ConcurrentHashMap<>();
    private final HttpServer busy;
    private final Set<String> faultedTokens = ConcurrentHashMap.newKeySet();

    Faults(long seed) {
        this.random = new Random(seed);
        try {
            busy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        busy.createContext("/", exchange -> {
            byte[] in;
            try (InputStream is = exchange.getRequestBody()) {
                in = is.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String mode = exchange.getRequestHeaders().getFirst("X-Laurel-Fault");
            ObjectNode out = Json.object();
            if ("CONFLICT".equals(mode) && target != null && target.endsWith("TransactWriteItems")) {
                JsonNode req = Json.mapper().readTree(in);
                out.put("__type", "com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
                out.put("Message", "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]");
                ArrayNode reasons = out.putArray("CancellationReasons");
                for (int i = 0; i < req.path("TransactItems").size(); i++) {
                    reasons.addObject().put("Code", i == 0 ? "TransactionConflict" : "None")
                            .put("Message", i == 0 ? "Transaction is ongoing for the item" : null);
                }
            } else {
                out.put("__type", "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
                out.put("message", "The level of configured provisioned throughput for the table was exceeded.");
            }
            byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "laurel-busy");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        busy.start();
    }

    Faults rule(Kind kind, Set<String> operations, double probability, int maxPerCall) {
        rules.add(new Rule(kind, operations, probability, maxPerCall, false));
        return this;
    }

    /** Loses the answer of the first send of every transaction (client request token), and of no later send. */
    Faults loseFirstAnswerOfEveryTransaction() {
        rules.add(new Rule(Kind.LOSE_ANSWER, Set.of("TransactWriteItems"), 1.0, 1, true));
        return this;
    }

    void enabled(boolean on) {
        enabled = on;
    }

    /** A client like the functions' (URL-connection HTTP client), with this interceptor and {@code sdkRetries} SDK retries. */
    DynamoDbClient client(int sdkRetries) {
        return client(LocalDynamo.get().endpoint(), sdkRetries, this);
    }

    static DynamoDbClient client(URI endpoint, int sdkRetries, ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(o -> {
                    o.retryPolicy(RetryPolicy.builder().numRetries(sdkRetries).build());
                    if (interceptor != null) {
                        o.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }

    int count(Kind kind, String operation) {
        AtomicInteger c = counts.get(kind + " " + operation);
        return c == null ? 0 : c.get();
    }

    int count(Kind kind) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(kind + " ")).mapToInt(e -> e.getValue().get()).sum();
    }

    /** Calls and attempts seen, and faults injected, by operation. */
    Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private void counted(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private synchronized boolean draw(double p) {
        return random.nextDouble() < p;
    }

    private Rule pick(String operation, Set<Kind> kinds, int[] inCall) {
        if (!enabled) {
            return null;
        }
        for (Rule r : rules) {
            if (kinds.contains(r.kind()) && r.operations().contains(operation) && inCall[0] < r.maxPerCall() && draw(r.probability())) {
                return r;
            }
        }
        return null;
    }

    private static String operation(ExecutionAttributes a) {
        return a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    // ------------------------------------------------------------------ per call

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes a) {
        String op = operation(a);
        counted("call " + op);
        int[] inCall = new int[1];
        a.putAttribute(FAULTS_IN_CALL, inCall);
        Rule r = pick(op, Set.of(Kind.THROTTLE, Kind.CONFLICT, Kind.UNPROCESSED), inCall);
        if (r == null || (r.kind() == Kind.CONFLICT && !op.equals("TransactWriteItems"))
                || (r.kind() == Kind.UNPROCESSED && !op.equals("BatchGetItem"))) {
            return context.httpRequest();
        }
        a.putAttribute(CALL_KIND, r.kind());
        if (r.kind() == Kind.UNPROCESSED) {
            return context.httpRequest();
        }
        counted(r.kind() + " " + op);
        return context.httpRequest().toBuilder().host("127.0.0.1").port(busy.getAddress().getPort())
                .putHeader("X-Laurel-Fault", r.kind().name()).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes a) {
        if (a.getAttribute(CALL_KIND) == Kind.UNPROCESSED && context.response() instanceof BatchGetItemResponse) {
            counted(Kind.UNPROCESSED + " " + operation(a));
            BatchGetItemRequest req = (BatchGetItemRequest) context.request();
            return BatchGetItemResponse.builder().responses(Map.of()).unprocessedKeys(req.requestItems()).build();
        }
        return context.response();
    }

    // ------------------------------------------------------------------ per attempt

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
        String op = operation(a);
        counted("attempt " + op);
        if (op.equals("TransactWriteItems")) {
            checkToken(context, a);
        }
        int[] inCall = a.getAttribute(FAULTS_IN_CALL);
        if (a.getAttribute(CALL_KIND) != null) {
            return;
        }
        Rule r = pick(op, Set.of(Kind.REFUSE), inCall);
        if (r != null) {
            inCall[0]++;
            counted(Kind.REFUSE + " " + op);
            throw SdkClientException.create("injected: connection refused", new ConnectException("Connection refused"));
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes a) {
        String op = operation(a);
        int[] inCall = a.getAttribute(FAULTS_IN_CALL);
        if (a.getAttribute(CALL_KIND) != null || context.httpResponse().statusCode() != 200) {
            return;
        }
        Rule r = pick(op, Set.of(Kind.LOSE_ANSWER), inCall);
        if (r != null && r.oncePerToken() && !faultedTokens.add(String.valueOf(a.getAttribute(TOKEN)))) {
            return;
        }
        if (r != null) {
            inCall[0]++;
            counted(Kind.LOSE_ANSWER + " " + op);
            throw SdkClientException.create("injected: the answer was lost", new SocketTimeoutException("Read timed out"));
        }
    }

    private void checkToken(Context.BeforeTransmission context, ExecutionAttributes a) {
        String token = null;
        try {
            if (context.requestBody().isPresent()) {
                JsonNode body = Json.mapper().readTree(context.requestBody().get().contentStreamProvider().newStream());
                token = body.path("ClientRequestToken").asText(null);
            }
        } catch (IOException e) {
            tokenViolations.add("unreadable request body: " + e);
        }
        if (token == null) {
            tokenViolations.add("a TransactWriteItems attempt without ClientRequestToken");
            return;
        }
        String first = a.getAttribute(TOKEN);
        if (first == null) {
            a.putAttribute(TOKEN, token);
            tokenCalls.computeIfAbsent(token, k -> new AtomicInteger()).incrementAndGet();
        } else if (!first.equals(token)) {
            tokenViolations.add("a retry carried token " + token + ", its first attempt " + first);
        }
    }

    @Override
    public void close() {
        busy.stop(0);
    }
}
