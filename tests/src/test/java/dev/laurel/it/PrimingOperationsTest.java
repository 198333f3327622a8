package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.laurel.app.Laurel;
import dev.laurel.functions.authorizer.KeysHandler;
import dev.laurel.functions.customers.CustomersHandler;
import dev.laurel.functions.earn.EarnHandler;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.functions.redeem.RedeemHandler;
import dev.laurel.functions.validate.ValidateHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.store.dynamodb.DynamoStore;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Issue 14: what each function primes before a SnapStart snapshot (its handler's {@code DYNAMODB}, given to
 * {@code api/Priming}) is what it may call and what it does call. The source of truth for "may" is its IAM
 * policy in template.yaml (the function behind each route); for "does", the SDK requests its handler sends
 * for its sample events (events/), recorded on DynamoDB Local.
 */
class PrimingOperationsTest {
    /** Every function of template.yaml: its handler class and the DynamoDB actions its policies grant. */
    private static Map<String, Set<String>> granted() throws Exception {
        JsonNode resources = new ObjectMapper(new YAMLFactory()).readTree(LocalDynamo.root().resolve("template.yaml").toFile())
                .path("Resources");
        Map<String, Set<String>> out = new LinkedHashMap<>();
        resources.fields().forEachRemaining(r -> {
            if (!r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                return;
            }
            JsonNode props = r.getValue().path("Properties");
            Set<String> actions = new TreeSet<>();
            for (JsonNode policy : props.path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    for (JsonNode action : statement.path("Action")) {
                        if (action.asText().startsWith("dynamodb:")) {
                            actions.add(action.asText().substring("dynamodb:".length()));
                        }
                    }
                }
            }
            out.put(props.path("Handler").asText().replace("::handleRequest", ""), actions);
        });
        return out;
    }

    private static Set<String> primed(Class<?> handler) throws Exception {
        Field f = handler.getDeclaredField("DYNAMODB");
        f.setAccessible(true);
        return new TreeSet<>(Set.of((String[]) f.get(null)));
    }

    /** A primed name as the SDK request it primes ({@code ConditionCheckItem}: the transactions). */
    private static Set<String> asRequests(Set<String> primed) {
        Set<String> out = new TreeSet<>();
        for (String op : primed) {
            out.add(op.equals("ConditionCheckItem") ? "TransactWriteItems" : op);
        }
        return out;
    }

    @Test
    void eachFunctionPrimesExactlyTheDynamoDbActionsOfItsPolicy() throws Exception {
        Map<String, Set<String>> granted = granted();
        assertThat(granted).as("functions in template.yaml").hasSizeGreaterThanOrEqualTo(15);
        for (var fn : granted.entrySet()) {
            Set<String> primed = primed(Class.forName(fn.getKey()));
            Set<String> iamNames = new TreeSet<>(primed);
            // TransactWriteItems is no IAM action: a transaction needs those of its items. Named where a function
            // sends transactions without a ConditionCheckItem (whose name stands for them elsewhere).
            if (iamNames.remove("TransactWriteItems")) {
                assertThat(fn.getValue()).as(fn.getKey() + ": transactions, but no write action").containsAnyOf("PutItem",
                        "UpdateItem", "DeleteItem");
                assertThat(fn.getValue()).as(fn.getKey()).doesNotContain("ConditionCheckItem");
            }
            assertThat(iamNames).as(fn.getKey() + " primes what its policy grants, no more, no less").isEqualTo(fn.getValue());
        }
    }

    /** The requests the handlers send for their samples are primed (a transaction the policy's names did not show). */
    @Test
    void eachHandlerSendsOnlyWhatItPrimes() throws Exception {
        Map<Class<?>, Set<String>> sent = new LinkedHashMap<>();
        String tenant = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        java.util.function.Function<Class<?>, Laurel> laurel = handler -> {
            Set<String> ops = sent.computeIfAbsent(handler, h -> new ConcurrentSkipListSet<>());
            var client = LocalDynamo.client(LocalDynamo.get().endpoint(), new ExecutionInterceptor() {
                @Override
                public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                    ops.add(context.request().getClass().getSimpleName().replace("Request", ""));
                }
            });
            return new Laurel(new DynamoStore(client, LocalDynamo.TABLE), LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")),
                    Duration.ofSeconds(5));
        };
        run(new ProgramsHandler(laurel.apply(ProgramsHandler.class)), "programs-put.json", tenant, 201);
        run(new CustomersHandler(laurel.apply(CustomersHandler.class), Api.randomKeys("k1")), "customers-put.json", tenant, 201);
        run(new EarnHandler(laurel.apply(EarnHandler.class)), "earn.json", tenant, 200);
        run(new ValidateHandler(laurel.apply(ValidateHandler.class)), "validate.json", tenant, 200);
        run(new RedeemHandler(laurel.apply(RedeemHandler.class)), "redeem.json", tenant, 201);
        KeysHandler keys = new KeysHandler(laurel.apply(KeysHandler.class));
        run(keys, "keys-create.json", tenant, 201);
        run(keys, "keys-list.json", tenant, 200);
        for (var h : sent.entrySet()) {
            assertThat(h.getValue()).as(h.getKey().getSimpleName() + " sent").isNotEmpty();
            assertThat(asRequests(primed(h.getKey()))).as(h.getKey().getSimpleName() + " primes what it sends")
                    .containsAll(h.getValue());
        }
        assertThat(sent.get(EarnHandler.class)).contains("TransactWriteItems");
        assertThat(sent.get(KeysHandler.class)).contains("TransactWriteItems");
    }

    private static void run(RequestStreamHandler handler, String file, String tenant, int status) {
        ObjectNode event = (ObjectNode) Api.event(file);
        ((ObjectNode) event.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        JsonNode out = Api.invoke(handler, event);
        assertThat(out.path("statusCode").asInt()).as(file + ": " + out).isEqualTo(status);
    }
}
