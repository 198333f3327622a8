package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.api.WebhookSetup;
import dev.laurel.app.Laurel;
import dev.laurel.functions.webhooks.WebhookStreamHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The numbers of docs/BENCHMARKS.md "Outbound webhooks", by hand:
 * {@code mvn -o -q -B -pl tests -am verify -Dtest=WebhookBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dlaurel.bench=true}
 * (skipped otherwise). The webhooks' stream consumer on DynamoDB Local, batches of 100 records,
 * each event delivered to a real HTTP receiver on loopback: deliveries/s, and the write units
 * per delivery (its conditional put and the update recording the attempt); then the same batches
 * again (a full re-delivery: every put refused by its condition, nothing sent).
 */
class WebhookBenchTest {
    @Test
    void consumerDeliveriesPerSecondAndWriteUnitsPerDelivery() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("laurel.bench"), "run with -Dlaurel.bench=true");
        String table = LocalDynamo.freshTableWithStream();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
        assertThat(api.admin("PUT", "/v1/programs/acme", StreamReplayTest.PROGRAM).status()).isEqualTo(201);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            assertThat(api.admin("PUT", "/v1/webhooks/crm", Hooks.hook(receiver.url(), receiver.secret,
                    "[\"customer.joined\", \"points.earned\"]", null)).status()).isEqualTo(201);
            int members = 200;
            for (int i = 0; i < 600; i++) {
                Api.Reply r = api.shop("POST", "/v1/programs/acme/earn",
                        Api.orderPaid("c-" + (i % members), "o-" + i, 1000 + i, api.clock.instant().toString()));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
            List<Record> records = StreamReplayTest.read(table);
            AtomicInteger writes = new AtomicInteger();
            DoubleAdder units = new DoubleAdder();
            DynamoDbClient counting = DynamoDbClient.builder().endpointOverride(LocalDynamo.get().endpoint())
                    .region(software.amazon.awssdk.regions.Region.EU_CENTRAL_1)
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                    .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                            if (context.request() instanceof UpdateItemRequest u) {
                                return u.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
                            }
                            if (context.request() instanceof PutItemRequest p) {
                                return p.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
                            }
                            return context.request();
                        }

                        @Override
                        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                            ConsumedCapacity cc = context.response() instanceof UpdateItemResponse u ? u.consumedCapacity()
                                    : context.response() instanceof PutItemResponse p ? p.consumedCapacity() : null;
                            if (cc != null && cc.capacityUnits() != null) {
                                writes.incrementAndGet();
                                units.add(cc.capacityUnits());
                            }
                        }
                    })).build();
            Laurel laurel = new Laurel(new DynamoStore(counting, table), api.clock, Duration.ofSeconds(5));
            WebhookStreamHandler fn = new WebhookStreamHandler(laurel, WebhookSetup.local());
            List<byte[]> batches = new ArrayList<>();
            for (int i = 0; i < records.size(); i += 100) {
                batches.add(LocalStreams.event("shardId-bench", records.subList(i, Math.min(records.size(), i + 100))));
            }
            long t0 = System.nanoTime();
            for (byte[] b : batches) {
                fn.handleRequest(new ByteArrayInputStream(b), new ByteArrayOutputStream(), null);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int deliveries = receiver.received().size();
            assertThat(deliveries).as("joins, their welcome points, the earns").isEqualTo(members * 2 + 600);
            assertThat(receiver.accepted()).hasSize(deliveries);
            int firstWrites = writes.get();
            double firstUnits = units.sum();
            long t1 = System.nanoTime();
            for (byte[] b : batches) {
                fn.handleRequest(new ByteArrayInputStream(b), new ByteArrayOutputStream(), null);
            }
            double again = (System.nanoTime() - t1) / 1e9;
            assertThat(receiver.received()).as("a re-delivered stream sends nothing").hasSize(deliveries);
            System.out.printf("BENCH webhooks records=%d batches=%d deliveries=%d seconds=%.3f deliveries/s=%.0f ms/batch=%.1f "
                            + "writes=%d writeUnits=%.1f WCU/delivery=%.2f redelivery seconds=%.3f records/s=%.0f%n",
                    records.size(), batches.size(), deliveries, seconds, deliveries / seconds, seconds * 1000 / batches.size(),
                    firstWrites, firstUnits, firstUnits / deliveries, again, records.size() / again);
        }
    }
}
