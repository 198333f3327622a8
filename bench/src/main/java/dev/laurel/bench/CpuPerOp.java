package dev.laurel.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link RuleEngineBench}'s benchmarks timed by the thread's CPU time as well as the wall clock, for a
 * machine shared with other work: there the wall clock counts the time the thread waited for a core,
 * the CPU time does not. Run with the JVM flags to compare (e.g. {@code -XX:TieredStopAtLevel=1}):
 * {@code java -XX:TieredStopAtLevel=1 -cp "$CP" dev.laurel.bench.CpuPerOp validate rules}. Each
 * benchmark: 8 s of warm-up, then 15 rounds of 0.5 s; the median and the lowest round per operation.
 */
public final class CpuPerOp {
    private CpuPerOp() {
    }

    public static void main(String[] args) {
        RuleEngineBench b = new RuleEngineBench();
        b.setup();
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("validate", b::validate);
        all.put("rules", b::rules);
        all.put("earnPlan", b::earnPlan);
        all.put("parseRequest", b::parseRequest);
        all.put("rulesWith20Segments", b::rulesWith20Segments);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String name : args.length == 0 ? all.keySet().toArray(new String[0]) : args) {
            Supplier<Object> op = all.get(name);
            if (op == null) {
                throw new IllegalArgumentException("no benchmark " + name + "; one of " + all.keySet());
            }
            long sink = 0;
            for (long end = System.nanoTime() + 8_000_000_000L; System.nanoTime() < end; ) {
                sink += op.get().hashCode();
            }
            List<double[]> rounds = new ArrayList<>();
            for (int r = 0; r < 15; r++) {
                long ops = 0;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long end = wall0 + 500_000_000L;
                long wall;
                do {
                    sink += op.get().hashCode();
                    ops++;
                } while ((wall = System.nanoTime()) < end);
                rounds.add(new double[] {(mx.getCurrentThreadCpuTime() - cpu0) / 1e3 / ops, (wall - wall0) / 1e3 / ops});
            }
            double[] cpu = rounds.stream().mapToDouble(x -> x[0]).sorted().toArray();
            double[] wallUs = rounds.stream().mapToDouble(x -> x[1]).sorted().toArray();
            System.out.printf("%-20s cpu µs/op median %7.1f  lowest %7.1f | wall µs/op median %7.1f  lowest %7.1f  (sink %d)%n", name,
                    cpu[cpu.length / 2], cpu[0], wallUs[wallUs.length / 2], wallUs[0], sink & 1);
            System.out.println("  cpu rounds " + Arrays.toString(Arrays.stream(cpu).map(x -> Math.round(x * 10) / 10.0).toArray()));
        }
    }
}
