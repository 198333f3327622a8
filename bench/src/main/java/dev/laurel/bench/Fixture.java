package dev.laurel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.json.Json;
import dev.laurel.app.Laurel;
import dev.laurel.app.ProgramCache;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The real handlers in this JVM, on a given client, with the system clock and the default program
 * re-check (as a Lambda container has them), plus the requests the benchmarks send.
 */
public final class Fixture {
    public static final String PURCHASE_ROUTE = "POST /v1/programs/{programId}/earn";
    public static final String VALIDATE_ROUTE = "POST /v1/programs/{programId}/validate";
    public static final String REDEEM_ROUTE = "POST /v1/programs/{programId}/redeem";
    public static final String PROGRAM_ROUTE = "PUT /v1/programs/{programId}";

    public final Path root;
    public final Events events;
    public final DynamoStore store;
    public final EarnHandler earn;
    public final ValidateHandler validate;
    public final RedeemHandler redeem;
    public final ProgramsHandler programs;

    public Fixture(Path root, DynamoDbClient ddb, String table) {
        this.root = root;
        this.events = new Events(root);
        this.store = new DynamoStore(ddb, table);
        Laurel loyalty = new Laurel(store, Clock.systemUTC(), ProgramCache.DEFAULT_RECHECK);
        earn = new EarnHandler(loyalty);
        validate = new ValidateHandler(loyalty);
        redeem = new RedeemHandler(loyalty);
        programs = new ProgramsHandler(loyalty);
    }

    /** api/examples/minimal-program.json, the program of API.md, to the letter. */
    public static ObjectNode minimalProgram(Path root) {
        try {
            return (ObjectNode) Json.mapper().readTree(Files.readString(root.resolve("api/examples/minimal-program.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The minimal program with limits that thousands of benchmark redemptions cannot reach (the
     * reward keeps every budget, so each redemption still charges its budget item).
     */
    public static ObjectNode benchProgram(Path root) {
        ObjectNode p = minimalProgram(root);
        ObjectNode limits = (ObjectNode) p.get("rewards").get(0).get("limits");
        limits.put("perCustomer", 1_000_000).put("totalRedemptions", 1_000_000_000L)
                .put("totalDiscountMinor", 1_000_000_000_000L).put("totalOrderMinor", 10_000_000_000_000L);
        return p;
    }

    public void putProgram(String tenant, String programId, JsonNode definition) {
        JsonNode r = Events.invoke(programs, events.event(PROGRAM_ROUTE, Map.of("programId", programId), Map.of(),
                Json.write(definition), tenant, "admin"));
        int status = r.path("statusCode").asInt();
        if (status != 200 && status != 201) {
            throw new IllegalStateException("PUT program: " + r);
        }
    }

    public byte[] earnEvent(String tenant, String programId, String customerId, String eventId, long totalMinor) {
        String body = "{\"customerId\":\"" + customerId + "\",\"event\":{\"type\":\"order.paid\",\"id\":\"" + eventId
                + "\",\"order\":{\"totalMinor\":" + totalMinor + ",\"currency\":\"EUR\",\"items\":[{\"sku\":\"A-1\","
                + "\"category\":\"shoes\",\"quantity\":1,\"unitPriceMinor\":" + totalMinor + "}]}}}";
        return events.event(PURCHASE_ROUTE, Map.of("programId", programId), Map.of(), body, tenant, "shop");
    }

    public byte[] validateEvent(String tenant, String programId, String customerId, String orderId) {
        String body = "{\"customerId\":\"" + customerId + "\",\"order\":{\"id\":\"" + orderId
                + "\",\"totalMinor\":5000,\"currency\":\"EUR\"},\"rewards\":[\"ten-off\"]}";
        return events.event(VALIDATE_ROUTE, Map.of("programId", programId), Map.of(), body, tenant, "shop");
    }

    public byte[] redeemEvent(String tenant, String programId, String customerId, String rewardId, String orderId,
                              String idempotencyKey) {
        String order = orderId == null ? "" : ",\"order\":{\"id\":\"" + orderId + "\",\"totalMinor\":5000,\"currency\":\"EUR\"}";
        String body = "{\"customerId\":\"" + customerId + "\",\"rewardId\":\"" + rewardId + "\"" + order + "}";
        return events.event(REDEEM_ROUTE, Map.of("programId", programId), Map.of("Idempotency-Key", idempotencyKey), body,
                tenant, "shop");
    }

    /** Enrols a customer with one lot of {@code points} points (an order worth 100 minor units a point). */
    public void seedCustomer(String tenant, String programId, String customerId, long points) {
        Events.expect(Events.invoke(earn, earnEvent(tenant, programId, customerId, "seed-" + customerId, points * 100)),
                200, "seed earn for " + customerId);
    }
}
