package dev.laurel.bench;

import static dev.laurel.bench.Report.f;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@link Report}'s sections on the rule engine (JMH) and the contended budget. */
final class ReportMicro {
    private ReportMicro() {
    }

    static void jmhSection(Report r, JsonNode c2, JsonNode c1) {
        r.line("### Rule engine, JMH (item 7)");
        r.line("");
        r.line("Method: `RuleEngineBench` (JMH 1.37, average time, 1 fork, 4 × 1 s warm-up, 5 × 1 s measured) on a program "
                + "of 50 earning rules and 100 rewards (`LargeProgram`: conditions on customer, event and order; tiers, "
                + "minimum orders, stacking, limits) and a 50-line order. `validate` is all the validate operation computes "
                + "but its one read: parse and check the body, judge all 100 rewards (no reward list: qualification), the "
                + "earn preview over the 50 rules, the answer's JSON. `rules` is the domain part alone (eligibility of 100 rewards and the "
                + "earn plan), `earnPlan` the earn plan alone, `parseRequest` the body's parsing and strict reading alone. Run twice: with the JVM's defaults (C2) and with Lambda's `-XX:TieredStopAtLevel=1` (C1 only, "
                + "as the template configures every function). The median of the measured iterations is the figure; "
                + "the mean and JMH's 99.9% error show how much the machine's other load disturbed a run.");
        r.line("");
        r.line("| benchmark | default JIT (C2): median µs/op | mean ± error | Lambda flags (C1 only): median µs/op | mean ± error |");
        r.line("|---|---|---|---|---|");
        List<String> names = new ArrayList<>();
        for (JsonNode n : c2 != null ? c2 : c1) {
            names.add(n.path("benchmark").asText());
        }
        double validateC1 = Double.NaN;
        double validateC2 = Double.NaN;
        for (String name : names) {
            JsonNode a = find(c2, name);
            JsonNode b = find(c1, name);
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            if (shortName.equals("validate") && b != null) {
                validateC1 = median(b);
            }
            if (shortName.equals("validate") && a != null) {
                validateC2 = median(a);
            }
            r.line("| " + shortName + " | **" + f(median(a), 1) + "** | " + score(a) + " ± " + err(a) + " | **" + f(median(b), 1)
                    + "** | " + score(b) + " ± " + err(b) + " |");
        }
        r.line("");
        r.summary.add(new String[] {"rule engine: validate, 50 rules, 100 rewards, 50-line order (default JIT, C2)", "< 100 µs",
                f(validateC2, 0) + " µs (median)", validateC2 < 100 ? "yes" : "no"});
        r.summary.add(new String[] {"rule engine: validate, 50 rules, 100 rewards, 50-line order (Lambda flags, C1 only)", "< 100 µs",
                f(validateC1, 0) + " µs (median)", validateC1 < 100 ? "yes" : "no"});
    }

    private static JsonNode find(JsonNode results, String name) {
        if (results == null) {
            return null;
        }
        for (JsonNode n : results) {
            if (n.path("benchmark").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private static String score(JsonNode n) {
        return n == null ? "–" : f(n.path("primaryMetric").path("score").asDouble(), 1);
    }

    /** The median of the measured iterations (steadier than the mean when other processes take the CPU). */
    static double median(JsonNode n) {
        List<Double> v = new ArrayList<>();
        if (n != null) {
            for (JsonNode fork : n.path("primaryMetric").path("rawData")) {
                fork.forEach(x -> v.add(x.asDouble()));
            }
        }
        return Stats.median(v);
    }

    private static String err(JsonNode n) {
        return n == null ? "–" : f(n.path("primaryMetric").path("scoreError").asDouble(), 1);
    }

    static void contentionSection(Report r, JsonNode c) {
        r.line("### A contended budget (item 8)");
        r.line("");
        r.line("Method: " + c.path("threads").asInt() + " threads in one JVM (Lambda's flags) call the real redeem handler for "
                + "the same reward for " + c.path("seconds").asInt() + " s, each thread as its own member (so the reward's "
                + "budget item is the only item they share; each redemption's transaction charges it under its "
                + "condition), each on a new order. For comparison: one thread; every thread on a reward of its own (no "
                + "shared budget item: the most that splitting a budget into sub-budgets could approach); and the raw SDK "
                + "transaction of `RawOps` on the one budget. Budget splitting is not implemented (N = 1). Last, all "
                + "threads drain a reward whose budget is " + c.path("phases").path("drain").path("limit").asInt()
                + " redemptions.");
        r.line("");
        r.line("| phase | threads | successes/s | successes | attempts | p50 ms | p99 ms | refusals | SDK-level failures |");
        r.line("|---|---|---|---|---|---|---|---|---|");
        for (String k : List.of("single", "hot", "ownReward", "rawHot", "drain")) {
            JsonNode p = c.path("phases").path(k);
            if (p.isMissingNode()) {
                continue;
            }
            r.line("| " + p.path("name").asText() + " | " + p.path("threads").asInt() + " | **" + f(p.path("successesPerS").asDouble(), 0)
                    + "** | " + f(p.path("successes").asLong(), 0) + " | " + f(p.path("attempts").asLong(), 0) + " | "
                    + f(p.path("p50Ms").asDouble(), 1) + " | " + f(p.path("p99Ms").asDouble(), 1) + " | "
                    + fields(p.path("refusals")) + " | " + fields(p.path("sdkFailures")) + " |");
        }
        r.line("");
        JsonNode drain = c.path("phases").path("drain");
        r.line("Budget accounting: the hot reward's budget counter reads " + f(c.path("hotBudgetCounter").asLong(), 0)
                + " redemptions for " + f(c.path("hotSuccesses").asLong(), 0) + " successful ones ("
                + (c.path("budgetMatches").asBoolean() ? "equal" : "NOT equal") + "); the drained budget of "
                + drain.path("limit").asInt() + " gave " + f(drain.path("successes").asLong(), 0) + " successes and its counter reads "
                + drain.path("budgetCounter").asLong() + ".");
        r.line("");
        boolean exact = c.path("budgetMatches").asBoolean() && drain.path("exact").asBoolean();
        r.summary.add(new String[] {"contended budget (" + c.path("threads").asInt() + " threads): counter = successes, never over its limit",
                "exact", (c.path("budgetMatches").asBoolean() ? "equal" : "differs") + "; drain " + drain.path("successes").asLong()
                + " of " + drain.path("limit").asInt(), exact ? "yes" : "no"});
    }

    private static String fields(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fields().forEachRemaining(e -> out.add(e.getKey() + ": " + f(e.getValue().asLong(), 0)));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    static void streamSection(Report r, JsonNode s) {
        r.line("### The change stream and reports (issue 10)");
        r.line("");
        r.line("Method: `StreamBench`, with the template's Lambda flags. " + s.path("days").asInt() + " days of trade (3 earns a day by "
                + "40 members) committed through the real earn handler on a table with the template's stream; the stream read with the "
                + "Streams API and given to the real stream function in Lambda's event, batches of 100 records of one shard; then the "
                + "same batches again (a full re-delivery, which must add nothing). Write units from ReturnConsumedCapacity on the "
                + "counters' own table. A report reads one Query over the range's day items and one GetItem.");
        r.line("");
        r.line("| measure | figure |");
        r.line("|---|---|");
        r.line("| stream records (of " + s.path("batches").asInt() + " batches) | " + s.path("records").asInt() + " |");
        r.line("| first delivery: records/s | **" + f(s.path("firstRecordsPerSecond").asDouble(), 0) + "** ("
                + f(s.path("msPerBatch").asDouble(), 1) + " ms per batch of 100) |");
        r.line("| conditional adds per batch | " + f(s.path("updates").asDouble() / s.path("batches").asDouble(), 1) + " |");
        r.line("| write units per record | **" + f(s.path("wcuPerRecord").asDouble(), 3) + "** |");
        r.line("| re-delivery of every batch: records/s (nothing added) | " + f(s.path("againRecordsPerSecond").asDouble(), 0) + " |");
        r.line("| report of 30 days: read units (calls) | " + f(s.path("report30Rcu").asDouble(), 1) + " ("
                + s.path("report30Calls").asInt() + ") |");
        r.line("| report of 366 days: read units (calls), latency | **" + f(s.path("report366Rcu").asDouble(), 1) + "** ("
                + s.path("report366Calls").asInt() + "), " + f(s.path("report366Ms").asDouble(), 1) + " ms |");
        r.line("");
    }

    static void webhooksSection(Report r, JsonNode w) {
        r.line("### Outbound webhooks (issue 10)");
        r.line("");
        r.line("Method: `WebhookBench`, with the template's Lambda flags. Earns by members (joins, welcome points, orders: "
                + w.path("deliveries").asInt() + " events) through the real earn handler on a table with the template's stream; one "
                + "webhook subscribed to `customer.joined` and `points.earned` at an HTTP receiver on loopback answering 200; the stream "
                + "given to the real webhooks stream function in batches of 100 (each event a conditional put of its delivery, a signed "
                + "POST, an update recording the attempt; up to 16 in parallel), then all of it again (a full re-delivery must send nothing). "
                + "Write units from ReturnConsumedCapacity.");
        r.line("");
        r.line("| measure | figure |");
        r.line("|---|---|");
        r.line("| stream records (of " + w.path("batches").asInt() + " batches) | " + w.path("records").asInt() + " |");
        r.line("| deliveries/s | **" + f(w.path("deliveriesPerSecond").asDouble(), 0) + "** (" + f(w.path("msPerBatch").asDouble(), 0)
                + " ms per batch of 100 records) |");
        r.line("| writes / write units per delivery | " + f(w.path("writesPerDelivery").asDouble(), 2) + " / **"
                + f(w.path("wcuPerDelivery").asDouble(), 2) + "** (each write 1 on the table + 1 on the `remind` index) |");
        r.line("| re-delivery of every batch: records/s (nothing sent) | " + f(w.path("againRecordsPerSecond").asDouble(), 0) + " |");
        r.line("");
    }

    static void codesSection(Report r, JsonNode c) {
        r.line("### Reward codes and member sessions (issue 13)");
        r.line("");
        r.line("Method: `CodesBench`, with the template's Lambda flags, through the real handlers (event bytes in, response bytes out). "
                + "A code's use is one transaction (the code item's conditional update and the idempotency record).");
        r.line("");
        r.line("| measure | figure |");
        r.line("|---|---|");
        r.line("| `POST .../codes/{code}/use`, " + c.path("uses").asInt() + " uses after " + c.path("warmup").asInt() + " warm-up | p50 **"
                + f(c.path("useP50Ms").asDouble(), 2) + " ms**, p99 " + f(c.path("useP99Ms").asDouble(), 2) + " ms |");
        r.line("| 16 tills racing for one code, " + c.path("raceRounds").asInt() + " rounds | exactly one 200 a round; all 16 answered in p50 "
                + f(c.path("raceP50Ms").asDouble(), 1) + " ms, max " + f(c.path("raceMaxMs").asDouble(), 1) + " ms |");
        r.line("| authorizer: a member session token (HMAC, no I/O) | **" + f(c.path("sessionTokenUs").asDouble(), 1) + " µs** |");
        r.line("| authorizer: an API key (SHA-256 and a GetItem) | " + f(c.path("apiKeyUs").asDouble(), 0) + " µs |");
        r.line("");
    }
}
