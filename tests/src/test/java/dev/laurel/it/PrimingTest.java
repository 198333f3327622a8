package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.laurel.api.Priming;
import dev.laurel.app.Laurel;
import dev.laurel.domain.Entropy;
import dev.laurel.domain.Ids;
import dev.laurel.functions.programs.ProgramsHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.store.dynamodb.DynamoStore;
import dev.laurel.store.dynamodb.PrimingCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Core;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 14, SnapStart: the CRaC hooks run directly (org.crac's Core works without a CRaC JVM) next to a
 * tenant's data on DynamoDB Local. Priming sends nothing and changes nothing; a restore gives each copy
 * its own random sources and empty caches.
 */
class PrimingTest {
    private static final Set<String> EVERY_OPERATION = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "PutItem",
            "UpdateItem", "DeleteItem", "ConditionCheckItem");

    /** Requests the tenant's client sends, by operation. */
    private final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DynamoDbClient client = LocalDynamo.client(LocalDynamo.get().endpoint(), new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.add(context.request().getClass().getSimpleName());
        }
    });
    private final String table = LocalDynamo.freshTable();
    private final Laurel laurel = new Laurel(new DynamoStore(client, table), LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")),
            Duration.ofMinutes(10));
    private final String tenant = "prime-" + UUID.randomUUID().toString().substring(0, 8);

    private List<Map<String, AttributeValue>> everyItem() {
        return LocalDynamo.get().client().scan(b -> b.tableName(table).consistentRead(true)).items();
    }

    private void putSampleProgram() {
        ObjectNode event = (ObjectNode) Api.event("programs-put.json");
        ((ObjectNode) event.path("requestContext").path("authorizer").path("lambda")).put("tenant", tenant);
        JsonNode out = Api.invoke(new ProgramsHandler(laurel), event);
        assertThat(out.path("statusCode").asInt()).as(out.toString()).isEqualTo(201);
    }

    @Test
    void beforeCheckpointPrimesEveryOperationWithoutReadingOrWritingAnything() throws Exception {
        putSampleProgram();
        List<Map<String, AttributeValue>> before = everyItem();
        assertThat(before).isNotEmpty();
        sent.clear();
        AtomicInteger forgotten = new AtomicInteger();
        Priming priming = new Priming(EVERY_OPERATION, forgotten::incrementAndGet);
        priming.beforeCheckpoint(Core.getGlobalContext());
        // one request per operation went through marshalling and signing and was stopped there
        assertThat(priming.lastStopped()).isEqualTo(PrimingCalls.Operation.values().length);
        // a first earn and a first redemption whole, their transactions through the SDK, answered in the process:
        // the program's read, the earn's read and transaction, the redemption's reads and transaction at least
        assertThat(priming.lastAnswered()).isGreaterThanOrEqualTo(5);
        assertThat(sent).as("the tenant's client sent nothing").isEmpty();
        assertThat(everyItem()).as("every item as before").containsExactlyInAnyOrderElementsOf(before);
        assertThat(forgotten).hasValue(0); // caches are emptied after a restore, not before a checkpoint
    }

    @Test
    void aFunctionWithoutTransactionsPrimesNoEarnNorRedemption() {
        Priming priming = new Priming(Set.of("GetItem", "BatchGetItem", "Query"), () -> { });
        priming.prime();
        assertThat(priming.lastAnswered()).isZero();
        assertThat(priming.lastStopped()).isEqualTo(3);
    }

    /**
     * What restored copies would share: ThreadLocalRandom's state (seeded once, then in the snapshot) would give
     * every copy the same sub-counter picks of a hot budget, the same retry jitter and the same first shard.
     * No main class uses it (nor java.util.Random); the secure sources are reseeded after a restore.
     */
    @Test
    void noMainClassDrawsFromARandomSourceThatRestoredCopiesShare() {
        var main = new com.tngtech.archunit.core.importer.ClassFileImporter()
                .withImportOption(com.tngtech.archunit.core.importer.ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.laurel");
        assertThat(main.contain("dev.laurel.store.dynamodb.RedeemTx")).isTrue();
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().should().dependOnClassesThat()
                .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callConstructor(java.util.Random.class, long.class)
                .because("a restored copy must draw from sources of its own (domain/Entropy)")
                .check(main);
        new Priming(Set.of(), () -> { }); // its class registers the retry room's jitter source
        assertThat(Entropy.registers(dev.laurel.retry.Backoff.random())).isTrue();
    }

    @Test
    void theMarshalledRequestsNeverReachAnEndpointEvenALocalOne() throws Exception {
        AtomicInteger arrived = new AtomicInteger();
        HttpServer listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            arrived.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        listener.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + listener.getAddress().getPort());
            int stopped = PrimingCalls.marshalEach(EnumSet.allOf(PrimingCalls.Operation.class), endpoint);
            assertThat(stopped).isEqualTo(PrimingCalls.Operation.values().length);
            assertThat(arrived).as("bytes that reached the listener").hasValue(0);
            // the listener does count what reaches it: the test can fail
            try (DynamoDbClient direct = LocalDynamo.client(endpoint)) {
                try {
                    direct.getItem(b -> b.tableName(PrimingCalls.TABLE).key(Map.of("pk", AttributeValue.fromS("x"))));
                } catch (RuntimeException expected) {
                    // the listener answers 500
                }
            }
            assertThat(arrived.get()).isPositive();
        } finally {
            listener.stop(0);
        }
    }

    @Test
    void afterRestoreEmptiesTheProgramCache() {
        putSampleProgram();
        laurel.program(tenant, "acme").orElseThrow();
        sent.clear();
        laurel.program(tenant, "acme").orElseThrow();
        assertThat(sent).as("cached for 10 minutes").isEmpty();
        new Priming(Set.of("GetItem"), laurel::forgetCaches).afterRestore(Core.getGlobalContext());
        laurel.program(tenant, "acme").orElseThrow();
        assertThat(sent).as("read again after the restore").isNotEmpty();
    }

    /**
     * Two copies restored from one snapshot start with the same generator state (here: two SHA1PRNG
     * generators seeded alike, which without a reseed draw the same numbers); after afterRestore they differ.
     */
    @Test
    void afterRestoreGivesEachRestoredCopyItsOwnRandomness() throws Exception {
        byte[] snapshotState = "the state in the snapshot".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SecureRandom copyA = SecureRandom.getInstance("SHA1PRNG");
        copyA.setSeed(snapshotState);
        SecureRandom copyB = SecureRandom.getInstance("SHA1PRNG");
        copyB.setSeed(snapshotState);
        SecureRandom notRestoredA = SecureRandom.getInstance("SHA1PRNG");
        notRestoredA.setSeed(snapshotState);
        SecureRandom notRestoredB = SecureRandom.getInstance("SHA1PRNG");
        notRestoredB.setSeed(snapshotState);
        assertThat(notRestoredA.nextLong()).as("the simulation: alike until reseeded").isEqualTo(notRestoredB.nextLong());
        Ids.rewardCode(); // the process's own sources register as their classes initialise
        dev.laurel.app.ConsentTokens.newToken();
        Entropy.register(copyA);
        Entropy.register(copyB);
        Priming priming = new Priming(Set.of(), () -> { });
        int reseeded = priming.restored();
        assertThat(reseeded).isGreaterThanOrEqualTo(2 + 3); // these two, and Ids', ApiKeys' and ConsentTokens' sources
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            a.add(copyA.nextLong());
            b.add(copyB.nextLong());
        }
        assertThat(a).isNotEqualTo(b);
        // and the codes the process hands out come from the reseeded sources
        Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            codes.add(Ids.rewardCode());
            codes.add(Ids.next(1_795_424_400_000L + i));
        }
        assertThat(codes).hasSize(200);
    }
}
