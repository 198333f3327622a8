package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.app.Laurel;
import dev.laurel.app.Reports;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The numbers of docs/BENCHMARKS.md "The change stream and reports", by hand:
 * {@code mvn -o -q -B -pl tests -am verify -Dtest=StreamBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dlaurel.bench=true}
 * (skipped otherwise). Prints the stream function's records/s per batch of 100 on DynamoDB Local,
 * the write units per record, and a report's read units for 30 and 366 days.
 */
class StreamBenchTest {
    @Test
    void streamFunctionAndReportCosts() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("laurel.bench"), "run with -Dlaurel.bench=true");
        String table = LocalDynamo.freshTableWithStream();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-01-01T09:00:00Z")), Duration.ofMillis(200), table);
        assertThat(api.admin("PUT", "/v1/programs/acme", StreamReplayTest.PROGRAM).status()).isEqualTo(201);
        // a year of trade: 3 earns a day by 40 members (each day's first earns enrol them), 366 days
        for (int day = 0; day < 366; day++) {
            for (int k = 0; k < 3; k++) {
                int n = (day * 3 + k) % 40;
                Api.Reply r = api.shop("POST", "/v1/programs/acme/earn",
                        Api.orderPaid("c-" + n, "o-" + day + "-" + k, 1000 + 37L * k, api.clock.instant().toString()));
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                api.clock.advance(Duration.ofMinutes(5));
            }
            api.clock.advance(Duration.ofHours(24).minusMinutes(15));
        }
        List<Record> records = StreamReplayTest.read(table);

        AtomicInteger updates = new AtomicInteger();
        DoubleAdder writeUnits = new DoubleAdder();
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
                        return context.request();
                    }

                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                        if (context.response() instanceof UpdateItemResponse u) {
                            updates.incrementAndGet();
                            if (u.consumedCapacity() != null && u.consumedCapacity().capacityUnits() != null) {
                                writeUnits.add(u.consumedCapacity().capacityUnits());
                            }
                        }
                    }
                })).build();
        String counters = LocalDynamo.freshTable();
        var def = LocalDynamo.get().client().getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("T#" + api.tenant + "#P#acme"),
                "sk", AttributeValue.fromS("DEF")))).item();
        LocalDynamo.get().client().putItem(b -> b.tableName(counters).item(def));
        Laurel laurel = new Laurel(new DynamoStore(counting, counters), api.clock, Duration.ofSeconds(5));
        StreamHandler fn = new StreamHandler(laurel);
        List<byte[]> batches = new ArrayList<>();
        for (int i = 0; i < records.size(); i += 100) {
            batches.add(LocalStreams.event("shardId-bench", records.subList(i, Math.min(records.size(), i + 100))));
        }
        // warm up on a throwaway shard's counters? no: the first pass is the measured one (a warm JVM: the commits above ran the code paths)
        long t0 = System.nanoTime();
        for (byte[] b : batches) {
            fn.handleRequest(new ByteArrayInputStream(b), new ByteArrayOutputStream(), null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int firstUpdates = updates.get();
        double firstUnits = writeUnits.sum();
        // the same batches again (a full re-delivery): every add is refused by its condition
        long t1 = System.nanoTime();
        for (byte[] b : batches) {
            fn.handleRequest(new ByteArrayInputStream(b), new ByteArrayOutputStream(), null);
        }
        double again = (System.nanoTime() - t1) / 1e9;

        Reports reports = laurel.reports();
        var r30 = ((dev.laurel.app.Outcome.Done<Reports.Summary>) reports.summary(api.tenant, "acme", LocalDate.parse("2026-03-01"),
                LocalDate.parse("2026-03-30"))).value();
        var r366 = ((dev.laurel.app.Outcome.Done<Reports.Summary>) reports.summary(api.tenant, "acme", LocalDate.parse("2026-01-01"),
                LocalDate.parse("2027-01-01"))).value();
        long t2 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            reports.summary(api.tenant, "acme", LocalDate.parse("2026-01-01"), LocalDate.parse("2027-01-01"));
        }
        double reportMs = (System.nanoTime() - t2) / 1e6 / 20;
        System.out.printf("BENCH records=%d batches=%d seconds=%.3f records/s=%.0f ms/batch=%.1f updates=%d writeUnits=%.1f WCU/record=%.3f "
                        + "redelivery seconds=%.3f records/s=%.0f%n",
                records.size(), batches.size(), seconds, records.size() / seconds, seconds * 1000 / batches.size(), firstUpdates, firstUnits,
                firstUnits / records.size(), again, records.size() / again);
        System.out.printf("BENCH report30 RCU=%.1f report366 RCU=%.1f report366 ms=%.1f issued366=%d%n", r30.readUnits(), r366.readUnits(),
                reportMs, r366.totals().get("pointsIssued"));
    }
}
