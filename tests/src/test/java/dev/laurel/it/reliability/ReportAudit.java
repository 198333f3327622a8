package dev.laurel.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.Laurel;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.it.Api;
import dev.laurel.it.LocalDynamo;
import dev.laurel.it.StreamRecords;
import dev.laurel.json.Json;
import dev.laurel.local.LocalStreams;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Issue 10's check of the reliability workload: after the run, the suite's table's change stream
 * is drained into the real stream function (Lambda's DynamoDB event, batches of 100 of one shard,
 * in order, from the shard's start: so records another test of the same table drained already
 * arrive a second time, as a retried batch would; every third batch is also delivered twice), and the summary report must equal what the
 * ledger says, figure by figure and day by day: points issued, redeemed, rolled back, expired and
 * refunded, redemptions, discount and order value, members joined, per rule and per reward, and
 * outstanding points = the sum of every member's available + pending points.
 */
final class ReportAudit {
    private static final int BATCH = 100;

    private ReportAudit() {
    }

    /** What the stream delivered and what disagreed (empty: the report equals the ledger). */
    record Result(int records, int invocations, List<String> violations, JsonNode report) {
    }

    static Result check(Gateway gateway, Gateway.Tenant tenant, String programId, ZoneId zone) {
        int[] delivered = drain(gateway);
        Reference ref = reference(tenant.id(), programId, zone);
        List<String> violations = new ArrayList<>();
        if (ref.days.isEmpty()) {
            violations.add("the ledger holds no entry: nothing to compare");
            return new Result(delivered[0], delivered[1], violations, null);
        }
        LocalDate from = ref.days.firstKey();
        LocalDate to = ref.days.lastKey();
        Api.Reply r = gateway.call("GET", "/v1/programs/" + programId + "/reports/summary?from=" + from + "&to=" + to, null,
                tenant.adminKey(), Map.of());
        if (r.status() != 200) {
            violations.add("the report answered " + r);
            return new Result(delivered[0], delivered[1], violations, null);
        }
        JsonNode report = r.body();
        Map<String, Long> totals = new TreeMap<>();
        ref.days.values().forEach(d -> d.forEach((k, v) -> totals.merge(k, v, Long::sum)));
        compare(violations, "totals", totals, report.path("totals"));
        for (JsonNode d : report.path("days")) {
            LocalDate day = LocalDate.parse(d.path("date").asText());
            compare(violations, "day " + day, ref.days.getOrDefault(day, Map.of()), d);
        }
        Map<String, Long> rules = new TreeMap<>();
        for (JsonNode rule : report.path("rules")) {
            rules.put(rule.path("ruleId").asText() + ":points", rule.path("points").asLong());
            rules.put(rule.path("ruleId").asText() + ":events", rule.path("events").asLong());
        }
        same(violations, "rules", ref.rules, rules);
        Map<String, Long> rewards = new TreeMap<>();
        for (JsonNode w : report.path("rewards")) {
            rewards.put(w.path("rewardId").asText() + ":redemptions", w.path("redemptions").asLong());
            rewards.put(w.path("rewardId").asText() + ":discountMinor", w.path("discountMinor").asLong());
            rewards.put(w.path("rewardId").asText() + ":orderMinor", w.path("orderMinor").asLong());
        }
        same(violations, "rewards", ref.rewards, rewards);
        Map<String, Long> charities = new TreeMap<>();
        for (JsonNode c : report.path("charities")) {
            charities.put(c.path("charityId").asText() + ":points", c.path("points").asLong());
            charities.put(c.path("charityId").asText() + ":valueMinor", c.path("valueMinor").asLong());
        }
        same(violations, "charities", ref.charities, charities);
        if (report.path("outstandingPoints").asLong() != ref.outstanding) {
            violations.add("outstandingPoints " + report.path("outstandingPoints") + " != sum of balances " + ref.outstanding);
        }
        return new Result(delivered[0], delivered[1], violations, report);
    }

    /** Every report figure of one day (or of the totals) against the reference; absent figures are 0. */
    private static void compare(List<String> violations, String where, Map<String, Long> expected, JsonNode actual) {
        for (String figure : List.of("membersJoined", "pointsIssued", "pointsRedeemed", "pointsRolledBack", "pointsExpired",
                "pointsRefunded", "pointsDonated", "redemptions", "discountMinor", "attributedOrderMinor")) {
            long want = expected.getOrDefault(figure, 0L);
            if (!actual.has(figure) || actual.path(figure).asLong() != want) {
                violations.add(where + ": " + figure + " " + actual.path(figure) + ", the ledger says " + want);
            }
        }
    }

    private static void same(List<String> violations, String what, Map<String, Long> expected, Map<String, Long> actual) {
        Map<String, Long> e = new TreeMap<>(expected);
        e.values().removeIf(v -> v == 0);
        Map<String, Long> a = new TreeMap<>(actual);
        a.values().removeIf(v -> v == 0);
        if (!e.equals(a)) {
            violations.add(what + ": the report says " + a + ", the ledger " + e);
        }
    }

    /** The figures computed from the committed items themselves, by day in the program's zone. */
    private record Reference(TreeMap<LocalDate, Map<String, Long>> days, Map<String, Long> rules, Map<String, Long> rewards,
                             long outstanding, Map<String, Long> charities) {
    }

    private static Reference reference(String tenant, String programId, ZoneId zone) {
        TreeMap<LocalDate, Map<String, Long>> days = new TreeMap<>();
        Map<String, Long> rules = new TreeMap<>();
        Map<String, Long> rewards = new TreeMap<>();
        Map<String, Long> charities = new TreeMap<>();
        long outstanding = 0;
        String customers = "T#" + tenant + "#P#" + programId + "#C#";
        String redemptions = "T#" + tenant + "#P#" + programId + "#R#";
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = LocalDynamo.get().client().scan(b -> b.tableName(Gateway.table()).consistentRead(true)
                    .filterExpression("begins_with(pk, :t)").expressionAttributeValues(Map.of(":t", AttributeValue.fromS("T#" + tenant + "#")))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> i : page.items()) {
                String pk = i.get("pk").s();
                String sk = i.get("sk").s();
                if (pk.startsWith(customers) && sk.startsWith("E#")) {
                    entry(days, rules, rewards, charities, zone, i);
                } else if (pk.startsWith(customers) && sk.equals("P")) {
                    outstanding += n(i, "available") + n(i, "pending");
                    add(days, day(i.get("joinedAt").s(), zone), "membersJoined", 1);
                } else if (pk.startsWith(redemptions) && sk.equals("R")) {
                    LocalDate day = day(i.get("at").s(), zone);
                    add(days, day, "discountMinor", n(i, "discountMinor"));
                    add(days, day, "attributedOrderMinor", n(i, "attributedOrderMinor"));
                    if (i.containsKey("rewardId")) {
                        rewards.merge(i.get("rewardId").s() + ":discountMinor", n(i, "discountMinor"), Long::sum);
                        rewards.merge(i.get("rewardId").s() + ":orderMinor", n(i, "attributedOrderMinor"), Long::sum);
                    }
                }
            }
            start = page.lastEvaluatedKey().isEmpty() ? null : page.lastEvaluatedKey();
        } while (start != null);
        return new Reference(days, rules, rewards, outstanding, charities);
    }

    /** One ledger entry by its type, as API.md's report figures define them (spends are negative in the ledger). */
    private static void entry(TreeMap<LocalDate, Map<String, Long>> days, Map<String, Long> rules, Map<String, Long> rewards,
                              Map<String, Long> charities, ZoneId zone, Map<String, AttributeValue> i) {
        LocalDate day = day(i.get("at").s(), zone);
        long points = n(i, "points");
        switch (i.get("type").s()) {
            case "earn" -> {
                add(days, day, "pointsIssued", points);
                if (i.containsKey("ruleId")) {
                    rules.merge(i.get("ruleId").s() + ":points", points, Long::sum);
                    rules.merge(i.get("ruleId").s() + ":events", 1L, Long::sum);
                }
            }
            case "redeem" -> {
                add(days, day, "pointsRedeemed", -points);
                add(days, day, "redemptions", 1);
                if (i.containsKey("rewardId")) {
                    rewards.merge(i.get("rewardId").s() + ":redemptions", 1L, Long::sum);
                }
            }
            case "rollback", "code_expired" -> add(days, day, "pointsRolledBack", points);
            case "expire" -> add(days, day, "pointsExpired", -points);
            case "refund", "debt" -> add(days, day, "pointsRefunded", -points);
            case "import", "import_revert" -> add(days, day, "pointsImported", points); // net of reverts
            case "referral" -> {
                if (points >= 0) {
                    add(days, day, "pointsIssued", points);
                    rules.merge("referral:points", points, Long::sum);
                    rules.merge("referral:events", 1L, Long::sum);
                } else {
                    add(days, day, "pointsRefunded", -points);
                }
            }
            case "donation" -> {
                add(days, day, "pointsDonated", -points);
                JsonNode d = Json.read(i.get("details").s());
                charities.merge(d.path("charityId").asText() + ":points", -points, Long::sum);
                charities.merge(d.path("charityId").asText() + ":valueMinor", d.path("valueMinor").asLong(), Long::sum);
            }
            default -> throw new IllegalStateException("a ledger type the report audit does not know: " + i);
        }
    }

    private static void add(TreeMap<LocalDate, Map<String, Long>> days, LocalDate day, String figure, long v) {
        days.computeIfAbsent(day, k -> new TreeMap<>()).merge(figure, v, Long::sum);
    }

    private static LocalDate day(String instant, ZoneId zone) {
        return LocalDate.ofInstant(Instant.parse(instant), zone);
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    /** Reads the table's stream from every shard's start and delivers it as the event source mapping does; {records, invocations}. */
    private static int[] drain(Gateway gateway) {
        StreamHandler fn = new StreamHandler(new Laurel(new DynamoStore(LocalDynamo.get().client(), Gateway.table()), gateway.clock,
                Duration.ofMillis(200)));
        int records = 0;
        int invocations = 0;
        for (var shard : StreamRecords.byShard(Gateway.table()).entrySet()) {
            List<Record> all = shard.getValue();
            for (int from = 0; from < all.size(); from += BATCH) {
                List<Record> batch = all.subList(from, Math.min(all.size(), from + BATCH));
                deliver(fn, shard.getKey(), batch);
                records += batch.size();
                invocations++;
                if (invocations % 3 == 0) { // at least once: every third batch delivered again, as after a timed-out invocation
                    deliver(fn, shard.getKey(), batch);
                    invocations++;
                }
            }
        }
        return new int[] {records, invocations};
    }

    private static void deliver(StreamHandler fn, String shard, List<Record> batch) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fn.handleRequest(new ByteArrayInputStream(LocalStreams.event(shard, batch)), out, null);
            JsonNode answer = Json.read(out.toString(StandardCharsets.UTF_8));
            if (!answer.path("batchItemFailures").isEmpty()) {
                throw new IllegalStateException("the stream function failed a batch of " + shard + ": " + answer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
