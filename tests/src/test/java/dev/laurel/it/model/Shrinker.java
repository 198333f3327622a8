package dev.laurel.it.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Delta debugging of a failing sequence: drops chunks of steps (halves, quarters... single steps)
 * while the run still fails with the same signature, then tries simpler values (smaller bursts,
 * rounder totals), then drops single steps again. Bounded by a time budget.
 */
final class Shrinker {
    private final Spec spec;
    private final String signature;
    private final long deadline;
    int runs;

    private Shrinker(Spec spec, String signature, Duration budget) {
        this.spec = spec;
        this.signature = signature;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    static List<Op> shrink(Spec spec, List<Op> ops, Runner.Failure failure, Duration budget) {
        Shrinker s = new Shrinker(spec, failure.signature(), budget);
        List<Op> best = new ArrayList<>(ops.subList(0, Math.min(ops.size(), failure.step() + 1)));
        best = s.drop(best);
        best = s.simplify(best);
        return s.drop(best);
    }

    private boolean fails(List<Op> ops) {
        if (System.nanoTime() > deadline) {
            return false;
        }
        runs++;
        Runner.Failure f = Runner.run(spec, ops);
        return f != null && f.signature().equals(signature);
    }

    private List<Op> drop(List<Op> ops) {
        List<Op> best = ops;
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1; chunk /= 2) {
            boolean progress = true;
            while (progress && System.nanoTime() < deadline) {
                progress = false;
                for (int i = 0; i < best.size() && best.size() > 1; ) {
                    List<Op> candidate = new ArrayList<>(best.subList(0, i));
                    candidate.addAll(best.subList(Math.min(best.size(), i + chunk), best.size()));
                    if (!candidate.isEmpty() && fails(candidate)) {
                        best = candidate;
                        progress = true;
                    } else {
                        i += chunk;
                    }
                }
            }
        }
        return best;
    }

    private List<Op> simplify(List<Op> ops) {
        List<Op> best = new ArrayList<>(ops);
        for (int i = 0; i < best.size(); i++) {
            for (Op simpler : simpler(best.get(i))) {
                List<Op> candidate = new ArrayList<>(best);
                candidate.set(i, simpler);
                if (fails(candidate)) {
                    best = candidate;
                    break;
                }
            }
        }
        return best;
    }

    private static List<Op> simpler(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Op.Likes o && o.n() > 1) {
            out.add(Op.likes(o.c(), o.id(), o.n() / 2));
            out.add(Op.likes(o.c(), o.id(), o.n() - 1));
        } else if (op instanceof Op.Earn o) {
            Function<Long, Op> with = t -> Op.earn(o.c(), o.order(), t, o.at(), o.currency());
            for (long t : new long[] {10000, 1000, 100}) {
                if (t < o.total()) {
                    out.add(with.apply(t));
                }
            }
        } else if (op instanceof Op.Upsert o && o.country().equals("DE")) {
            out.add(Op.upsert(o.c(), "FR", o.consent()));
        }
        return out;
    }
}
