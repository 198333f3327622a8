package dev.laurel.bench;

import dev.laurel.api.RequestLog;
import dev.laurel.store.Meter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-request log line (docs/operations.md) costs the request: {@code request} is all a
 * request adds (bind a meter, count two DynamoDB round trips and a business count, build the line
 * with the customer's pseudonym, unbind); {@code pseudonym} the salted SHA-256 alone. Writing the
 * line to standard output is not included (Lambda's log pipe, not measurable here). Run with
 * {@code -prof gc} for the bytes allocated per request:
 * {@code java -cp bench/target/laurel-bench.jar:bench/target/lib/* org.openjdk.jmh.Main LogLineBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogLineBench {
    private final String customer = "c-4711";

    @Benchmark
    public String request() {
        try (Meter m = Meter.start()) {
            Meter.roundTrip(1.0, 0);
            Meter.roundTrip(0, 9.0);
            Meter.count("PointsEarned", 129);
            return RequestLog.line("request", "Bq3xRgxYFiAEMvw=", "acme-shop", "acme", customer,
                    "POST /v1/programs/{programId}/earn", 200, null, 1_795_424_400_000L, 23, m, null);
        }
    }

    @Benchmark
    public String pseudonym() {
        return RequestLog.pseudonym("acme-shop", customer);
    }
}
