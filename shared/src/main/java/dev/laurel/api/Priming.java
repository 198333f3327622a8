package dev.laurel.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.Laurel;
import dev.laurel.app.Validate;
import dev.laurel.domain.Customer;
import dev.laurel.domain.Earning;
import dev.laurel.domain.Eligibility;
import dev.laurel.domain.Entropy;
import dev.laurel.domain.Event;
import dev.laurel.domain.Program;
import dev.laurel.json.Canonical;
import dev.laurel.json.Json;
import dev.laurel.json.ProgramReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming through the CRaC hooks (issue 14). Before Lambda takes a function version's
 * snapshot, {@link #beforeCheckpoint} runs the code paths of a first request so that the snapshot
 * holds them loaded and initialised: a built-in sample program is parsed (never a tenant's), a
 * validate request for it goes through the API layer (event, request reader, eligibility, the
 * earning plan, the answer's JSON, the error shape), and each DynamoDB operation the function
 * uses is marshalled and signed by the SDK and stopped before transmission
 * ({@code store.dynamodb.PrimingCalls}); in a function of the customers' transactions, a first earn and
 * a first redemption are served whole on a throw-away table in the process ({@code primeTransactions}):
 * priming reads and writes nothing of anyone's.
 * After each restore, {@link #afterRestore} makes the copy its own: the secure random sources are
 * reseeded ({@link Entropy}: ids, codes, keys, tokens, the hot budgets' sub-counter pick, the retry jitter),
 * and the function's caches are emptied (programs and their re-check
 * times, API keys), since time in a restored copy has moved on. Credentials and connections need no reset:
 * priming never resolves the real client's credentials nor opens a connection.
 * Without a CRaC runtime (tests, the local runner, a Lambda without SnapStart), {@link Core}
 * registers resources and never calls them.
 */
public final class Priming implements Resource {
    /** The global context holds its resources weakly: these keep them. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    static {
        Entropy.register(dev.laurel.retry.Backoff.random()); // the retry room knows no domain: its jitter's source, reseeded here
    }

    private final Set<String> operations;
    private final Runnable forgetCaches;
    private volatile int lastStopped = -1;
    private volatile int lastAnswered = -1;

    /**
     * @param operations the DynamoDB operations the function uses, by their IAM action names as in
     *                   template.yaml ({@code ConditionCheckItem} stands for {@code TransactWriteItems} and has a
     *                   first earn and redemption primed whole; {@code TransactWriteItems}, no IAM action, names the
     *                   transactions of a function whose policy has no {@code ConditionCheckItem})
     * @param forgetCaches what empties the function's caches after a restore
     */
    public Priming(Set<String> operations, Runnable forgetCaches) {
        this.operations = Set.copyOf(operations);
        this.forgetCaches = Objects.requireNonNull(forgetCaches, "forgetCaches");
    }

    /** Registers priming for a function built on {@code laurel}; answers {@code laurel}. */
    public static Laurel register(Laurel laurel, String... operations) {
        register(laurel::forgetCaches, operations);
        return laurel;
    }

    /** Registers priming with the global CRaC context (kept strongly here). */
    public static Priming register(Runnable forgetCaches, String... operations) {
        Priming p = new Priming(Set.of(operations), forgetCaches);
        REGISTERED.add(p);
        Core.getGlobalContext().register(p);
        return p;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        restored();
    }

    /** The priming itself; answers how many DynamoDB requests were marshalled and stopped before transmission. */
    public int prime() {
        Program program = ProgramReader.read("priming", 1, Json.read(SAMPLE_PROGRAM));
        Instant now = Instant.now();
        answer(200, event(VALIDATE_BODY, "shop"), req -> {
            Validate.Query q = Readers.validate(req, program);
            Customer c = Customer.newcomer(q.customerId());
            List<Validate.Line> lines = new ArrayList<>();
            for (Eligibility.Check check : Eligibility.checkTogether(program, c, q.rewards(), q.order(), now)) {
                lines.add(new Validate.Line(check.reward(), check.valid(), check.reasons(), check.discountMinor()));
            }
            Event e = new Event(Event.ORDER_PAID, q.order().orderId(), now, q.order(), Map.of());
            long preview = Earning.plan(program, c, e, Map.of(), now).points();
            Canonical.hash(req.json());
            dev.laurel.domain.Ids.next(now.toEpochMilli()); // the entry ids' generator (reseeded after each restore)
            return Views.validate(new Validate.Result(!lines.isEmpty(), lines, preview));
        });
        answer(401, event(VALIDATE_BODY, "none"), req -> { // refused before the route: the one error shape
            throw new IllegalStateException("priming: an event without a role was accepted");
        });
        // the functions of the customers' transactions (their IAM policies grant ConditionCheckItem): earn, redeem, ...
        lastAnswered = operations.contains("ConditionCheckItem") ? primeTransactions() : 0;
        lastStopped = Wiring.primeDynamoDb(operations);
        return lastStopped;
    }

    /**
     * A first earn and a first redemption whole (API layer, use cases, the store's reads and each
     * transaction's real items: profile, lots, ledger entries, order, budgets, idempotency record, the
     * redemption and its code) on a throw-away table in the process ({@link Wiring#withPrimingStore}),
     * which answers as DynamoDB would: no request leaves the process, no table is read or written,
     * and these answers are not logged (nor counted in the metrics). Answers how many DynamoDB requests
     * the throw-away table answered.
     */
    private static int primeTransactions() {
        return Wiring.withPrimingStore(TENANT, "priming", SAMPLE_PROGRAM, store -> {
            LoyaltyApi api = new LoyaltyApi(new Laurel(store, Clock.systemUTC(), Duration.ofMinutes(10)));
            expect(200, ApiGateway.unlogged(Json.read(event("POST /v1/programs/{programId}/earn",
                    EARN_BODY.formatted(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), "shop", null)),
                    api::earn));
            expect(201, ApiGateway.unlogged(Json.read(event("POST /v1/programs/{programId}/redeem", REDEEM_BODY, "shop",
                    "priming-redeem")), api::redeem));
        });
    }

    private static void expect(int status, Response response) {
        if (response.status() != status) {
            throw new IllegalStateException("priming: answered " + response.status() + " " + response.body() + ", not " + status);
        }
    }

    /** What a restored copy does first: its own random seeds, empty caches. Answers how many sources were reseeded. */
    public int restored() {
        int reseeded = Entropy.reseedAll();
        forgetCaches.run();
        return reseeded;
    }

    /** DynamoDB requests the last {@link #prime} stopped before transmission; -1 before the first. */
    public int lastStopped() {
        return lastStopped;
    }

    /**
     * DynamoDB requests of a first earn and redemption the last {@link #prime} had answered in the process
     * (0 for a function without transactions; -1 before the first).
     */
    public int lastAnswered() {
        return lastAnswered;
    }

    /** Serves {@code event} as a function would; a priming path that answers otherwise than {@code status} is a bug. */
    private static void answer(int status, String event, java.util.function.Function<Request, Response> route) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ApiGateway.serve(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, route);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode answer = Json.read(out.toString(StandardCharsets.UTF_8));
        Json.read(answer.path("body").asText());
        if (answer.path("statusCode").asInt() != status) {
            throw new IllegalStateException("priming: answered " + answer + ", not " + status);
        }
    }

    private static String event(String body, String role) {
        return event("POST /v1/programs/{programId}/validate", body, role, null);
    }

    /** An API Gateway event of {@code routeKey} (a POST on program "priming" of tenant {@link #TENANT}). */
    private static String event(String routeKey, String body, String role, String idempotencyKey) {
        String path = routeKey.substring("POST ".length()).replace("{programId}", "priming");
        String key = idempotencyKey == null ? "" : ", \"idempotency-key\": \"" + idempotencyKey + "\"";
        return """
                {"version": "2.0", "routeKey": "%1$s",
                 "rawPath": "%2$s", "rawQueryString": "",
                 "headers": {"content-type": "application/json"%5$s},
                 "requestContext": {"authorizer": {"lambda": {"tenant": "%3$s", "role": "%4$s"}},
                   "http": {"method": "POST", "path": "%2$s"}, "requestId": "priming",
                   "routeKey": "%1$s", "stage": "$default"},
                 "pathParameters": {"programId": "priming"}, "isBase64Encoded": false, "body": %6$s}
                """.formatted(routeKey, path, TENANT, role, key, Json.write(Json.mapper().getNodeFactory().textNode(body)));
    }

    /** The tenant priming's requests name (on a table of their own: no tenant's data is near). */
    private static final String TENANT = "~priming";

    private static final String EARN_BODY = """
            {"customerId": "c-priming", "event": {"type": "order.paid", "id": "o-priming-1",
             "occurredAt": "%s", "order": {"totalMinor": 12999, "currency": "EUR",
             "items": [{"sku": "A-1", "category": "shoes", "quantity": 1, "unitPriceMinor": 12999}]}}}
            """;

    private static final String REDEEM_BODY = """
            {"customerId": "c-priming", "rewardId": "ten-off", "order": {"id": "o-priming-2", "totalMinor": 5000, "currency": "EUR"}}
            """;

    private static final String VALIDATE_BODY = """
            {"customerId": "c-priming", "rewards": ["ten-off"],
             "order": {"id": "o-priming", "totalMinor": 12999, "currency": "EUR",
                       "items": [{"sku": "A-1", "category": "shoes", "quantity": 1, "unitPriceMinor": 12999}]}}
            """;

    /** A built-in program (api/examples/minimal-program.json): rules with conditions, a reward with limits, tiers. */
    private static final String SAMPLE_PROGRAM = """
            {"name": "Priming", "currency": "EUR", "timezone": "Europe/Berlin",
             "earningRules": [
               {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
               {"id": "social", "trigger": "social.liked", "points": {"fixed": 10},
                "limits": {"perCustomer": {"points": 100}, "total": {"points": 100000}}},
               {"id": "de-monday", "trigger": "order.paid", "multiplier": 2,
                "when": {"all": [{"attr": "customer.attributes.country", "op": "eq", "value": "DE"},
                                 {"attr": "event.dayOfWeek", "op": "in", "value": ["MONDAY"]}]}}],
             "rewards": [
               {"id": "ten-off", "type": "discount_amount", "valueMinor": 1000, "cost": 100, "minOrderMinor": 2000,
                "limits": {"perCustomer": 5, "totalRedemptions": 500}, "stacking": {"category": "loyalty"}}],
             "tiers": [{"id": "bronze", "threshold": 0}, {"id": "silver", "threshold": 500, "earnMultiplier": 1.5}],
             "expiry": {"afterDays": 365}}
            """;
}
