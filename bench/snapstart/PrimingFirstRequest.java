import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 14 (docs/BENCHMARKS.md "SnapStart priming"): in a fresh JVM with Lambda's flags, the earn
 * function's real entry (no-arg EarnHandler: DynamoDB from the environment) and its first earn,
 * with or without the CRaC hooks run first (org.crac's global context, called as a CRaC runtime
 * would: beforeCheckpoint, then afterRestore). Prints one line of JSON: classes loaded after init,
 * after priming and after the first request; the first request's CPU (thread) and wall time; and
 * a second request's. Needs TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB and credentials in the
 * environment, a program "acme" under tenant TENANT (bench/snapstart/run sets them up).
 *
 *   java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp <classes> PrimingFirstRequest prime|plain <root> <customerId>
 */
public final class PrimingFirstRequest {
    public static void main(String[] a) throws Exception {
        boolean prime = a[0].equals("prime");
        String event = Files.readString(Path.of(a[1], "events", "earn.json"))
                .replace("\"tenant\": \"local\"", "\"tenant\": \"" + System.getenv("TENANT") + "\"")
                .replace("c-1", a[2]);
        var classes = ManagementFactory.getClassLoadingMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        var handler = new dev.laurel.functions.earn.EarnHandler();
        int afterInit = classes.getLoadedClassCount();
        long primeCpu = threads.getCurrentThreadCpuTime();
        if (prime) {
            // org.crac's global context refuses to be called without a CRaC runtime: the earn function's hooks, directly
            var p = new dev.laurel.api.Priming(java.util.Set.of("BatchGetItem", "ConditionCheckItem", "GetItem", "PutItem",
                    "Query", "UpdateItem"), () -> { });
            p.beforeCheckpoint(null);
            p.afterRestore(null);
        }
        primeCpu = threads.getCurrentThreadCpuTime() - primeCpu;
        int afterPriming = classes.getLoadedClassCount();
        long[] first = earn(handler, event.replace("order-1001", "o-" + a[2] + "-1"), threads);
        int afterFirst = classes.getLoadedClassCount();
        long[] second = earn(handler, event.replace("order-1001", "o-" + a[2] + "-2"), threads);
        System.out.printf("{\"mode\":\"%s\",\"classesAfterInit\":%d,\"classesAfterPriming\":%d,\"classesAfterFirstRequest\":%d,"
                        + "\"primingCpuMs\":%.1f,\"firstCpuMs\":%.1f,\"firstWallMs\":%.1f,\"secondCpuMs\":%.1f,\"secondWallMs\":%.1f}%n",
                a[0], afterInit, afterPriming, afterFirst, primeCpu / 1e6, first[0] / 1e6, first[1] / 1e6, second[0] / 1e6, second[1] / 1e6);
    }

    private static long[] earn(com.amazonaws.services.lambda.runtime.RequestStreamHandler h, String event,
            java.lang.management.ThreadMXBean threads) throws Exception {
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        long[] r = {threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall};
        String answer = out.toString(StandardCharsets.UTF_8);
        if (!answer.contains("\"statusCode\":200")) {
            throw new IllegalStateException("earn answered " + answer);
        }
        return r;
    }
}
