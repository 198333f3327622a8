package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.ImportRevert;
import dev.laurel.app.Laurel;
import dev.laurel.functions.stream.StreamHandler;
import dev.laurel.json.Json;
import dev.laurel.local.LocalClock;
import dev.laurel.local.LocalStreams;
import dev.laurel.store.dynamodb.DynamoStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST .../imports/{importId}/revert} through the real handlers on DynamoDB Local: only the
 * import's own unspent points come back ({@code import_revert} entries), {@code uncollectedPoints}
 * is what was spent, a second revert changes nothing, rows after a revert answer 409, a dry run's
 * revert takes nothing, the report's {@code pointsImported} is net of reverts, and a revert larger
 * than one call's budget continues across calls (202, then 200).
 */
class ImportRevertTest {
    static final String P = ImportTest.P;

    static Api.Reply revert(Api api, String importId) {
        return api.admin("POST", P + "/imports/" + importId + "/revert", null);
    }

    static long available(Api api, String customerId) {
        return ImportTest.wallet(api, customerId).path("balance").path("available").asLong();
    }

    @Test
    void aRevertTakesBackWhatIsLeftOfTheImportAndReportsTheRest() throws Exception {
        String table = LocalDynamo.freshTableWithStream();
        Api api = new Api(LocalClock.frozenAt(Instant.parse("2026-11-23T09:00:00Z")), Duration.ofMillis(200), table);
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        assertThat(api.admin("PUT", P + "/imports/r1", null).status()).isEqualTo(201);
        // imported points earned in June expire before those earned today: a spend takes them first
        Api.Reply rows = ImportTest.rows(api, "r1", 0, "customerId,points,earnedAt\nm1,300,2026-06-01\nm2,200,\nm1,20,2026-06-01\nm3,x,\n");
        assertThat(rows.body().path("imported").asLong()).as(rows.toString()).isEqualTo(3);
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("m1", "o-1", 5000, "2026-11-23T08:00:00Z")).status()).isEqualTo(200);
        long earned = available(api, "m1") - 320;
        assertThat(earned).isPositive();
        Api.Reply redeem = api.shop("POST", P + "/redeem", "{\"customerId\": \"m1\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-2\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "k-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
        assertThat(available(api, "m1")).isEqualTo(220 + earned);

        Api.Reply r = revert(api, "r1");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("reverted");
        assertThat(r.body().path("pointsImported").asLong()).isEqualTo(520);
        assertThat(r.body().path("pointsReverted").asLong()).isEqualTo(420);
        assertThat(r.body().path("uncollectedPoints").asLong()).as("the 100 spent on the reward").isEqualTo(100);
        assertThat(available(api, "m1")).as("what the order earned stays").isEqualTo(earned);
        assertThat(available(api, "m2")).isZero();
        assertThat(ImportTest.ledgerTypes(api, "m1")).containsExactly("import_revert:-220", "redeem:-100", "earn:50", "import:20", "import:300");
        assertThat(ImportTest.ledgerTypes(api, "m2")).containsExactlyInAnyOrder("import:200", "import_revert:-200");

        // again: the same answer, nothing twice
        var before = TableSnapshot.of(table, api.tenant);
        Api.Reply again = revert(api, "r1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(r.body());
        assertThat(TableSnapshot.diff(before, TableSnapshot.of(table, api.tenant))).isEmpty();
        assertThat(api.admin("GET", P + "/imports/r1", null).body()).isEqualTo(r.body());

        // rows after the revert: 409, nothing written
        Api.Reply late = ImportTest.rows(api, "r1", 4, "customerId,points\nm9,5\n");
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("already_rolled_back");
        assertThat(api.shop("GET", P + "/customers/m9", null).status()).isEqualTo(404);

        // the report: pointsImported is net of the revert, outstanding equals the balances
        Laurel laurel = new Laurel(new DynamoStore(LocalDynamo.get().client(), table), api.clock, Duration.ofSeconds(5));
        StreamHandler reports = new StreamHandler(laurel);
        for (var shard : StreamRecords.byShard(table).entrySet()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            reports.handleRequest(new ByteArrayInputStream(LocalStreams.event(shard.getKey(), shard.getValue())), out, null);
            assertThat(Json.read(out.toString(StandardCharsets.UTF_8)).path("batchItemFailures")).isEmpty();
        }
        JsonNode report = api.admin("GET", P + "/reports/summary?from=2026-11-23&to=2026-11-23", null).body();
        assertThat(report.path("totals").path("pointsImported").asLong()).as(report.toString()).isEqualTo(520 - 420);
        assertThat(report.path("totals").path("pointsRedeemed").asLong()).isEqualTo(100);
        assertThat(report.path("outstandingPoints").asLong()).isEqualTo(earned);
    }

    @Test
    void aDryRunsRevertTakesNothingBack() {
        Api api = ImportTest.withProgram();
        api.admin("PUT", P + "/imports/dry", "{\"dryRun\": true}");
        ImportTest.rows(api, "dry", 0, "customerId,points\nd1,100\n");
        var before = TableSnapshot.of(api.tenant);
        Api.Reply r = revert(api, "dry");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("reverted");
        assertThat(r.body().path("pointsReverted").asLong()).isZero();
        assertThat(r.body().path("uncollectedPoints").asLong()).isZero();
        var after = TableSnapshot.of(api.tenant);
        after.keySet().removeIf(k -> k.contains("#IMPORT#dry"));
        before.keySet().removeIf(k -> k.contains("#IMPORT#dry"));
        assertThat(TableSnapshot.diff(before, after)).isEmpty();
        assertThat(revert(api, "nope").status()).isEqualTo(404);
        assertThat(api.shop("POST", P + "/imports/dry/revert", null).status()).isEqualTo(403);
        assertThat(api.admin("POST", P + "/imports/dry/revert", "{\"all\": true}").status()).isEqualTo(400);
    }

    /**
     * 2,600 rows of 1,300 members, one call may walk 1,000 rows: three calls (202, 202, 200), every
     * point back once. By default a tenth of it (260 rows, 100 per call: the same three calls);
     * {@code -Dlaurel.long=true} runs the full size ({@link LongRuns}).
     */
    @Test
    void aLargeRevertContinuesAcrossCalls() {
        int scale = LongRuns.size(10, 1);
        int members = 1300 / scale;
        Api api = ImportTest.withProgram();
        api.laurel.importRevert().budget(new ImportRevert.Budget(Duration.ofMinutes(5), 1000 / scale));
        api.admin("PUT", P + "/imports/big", null);
        long offset = 0;
        for (int chunk = 0; chunk < 3; chunk++) {
            StringBuilder csv = new StringBuilder("customerId,points\n");
            int n = (chunk < 2 ? 1000 : 600) / scale;
            for (int i = 0; i < n; i++) {
                long row = offset + i;
                csv.append("b").append(row % members).append(",").append(1 + row % 7).append("\n");
            }
            long t0 = System.nanoTime();
            Api.Reply r = ImportTest.rows(api, "big", offset, csv.toString());
            System.out.printf("import chunk of %d rows: %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(n);
            offset += n;
        }
        long imported = api.admin("GET", P + "/imports/big", null).body().path("pointsImported").asLong();
        List<Integer> statuses = new java.util.ArrayList<>();
        Api.Reply r;
        do {
            r = revert(api, "big");
            statuses.add(r.status());
            if (r.status() == 202) {
                assertThat(r.body().has("uncollectedPoints")).as("known once reverted").isFalse();
            }
            assertThat(statuses).hasSizeLessThan(10);
        } while (r.status() == 202);
        assertThat(statuses).as(r.toString()).containsExactly(202, 202, 200);
        assertThat(r.body().path("pointsReverted").asLong()).isEqualTo(imported);
        assertThat(r.body().path("uncollectedPoints").asLong()).isZero();
        for (int m : new int[] {0, 1, members / 2 - 1, members - 1}) {
            assertThat(available(api, "b" + m)).isZero();
            assertThat(ImportTest.ledgerTypes(api, "b" + m)).filteredOn(t -> t.startsWith("import_revert")).hasSize(1);
        }
    }
}
