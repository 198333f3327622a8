package dev.laurel.it;

import static dev.laurel.it.ImportTest.P;
import static dev.laurel.it.ImportTest.ledgerTypes;
import static dev.laurel.it.ImportTest.rows;
import static dev.laurel.it.ImportTest.wallet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.ImportRevert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A revert of an import with {@code set} rows that lowered a balance, through the real handlers on
 * DynamoDB Local: the revert restores the import's net effect. What a lowering row took from lots
 * not of this import comes back (one {@code import_revert} entry of those points, a lot with the
 * program's expiry from now), what it took from the import's own lots does not (those points cancel
 * out inside the import), and {@code uncollectedPoints} is exactly what members spent of the
 * import's points, whatever the kinds of rows. Each lowering row is given back once, under
 * concurrent revert calls too.
 */
class ImportRevertLoweringTest {
    static long available(Api api, String customerId) {
        return wallet(api, customerId).path("balance").path("available").asLong();
    }

    static Api program() {
        Api api = new Api();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        return api;
    }

    @Test
    void aRevertGivesBackWhatALoweringRowTookAndCountsTheSpentPointsExactly() {
        Api api = program();
        // before the import: down 300 (expiring first), up 100 and mixed 100 (expiring after the program's 365 days)
        assertThat(api.admin("PUT", P + "/imports/seed", null).status()).isEqualTo(201);
        Api.Reply seeded = rows(api, "seed", 0, "customerId,points,expiresAt\ndown,300,2027-01-31T12:00:00Z\n"
                + "up,100,2028-06-30T12:00:00Z\nmixed,100,2028-06-30T12:00:00Z\n");
        assertThat(seeded.body().path("imported").asLong()).as(seeded.toString()).isEqualTo(3);

        assertThat(api.admin("PUT", P + "/imports/s", "{\"mode\": \"set\"}").status()).isEqualTo(201);
        // up +350 (a lot of this import); down -200 (from the seed's lot); mixed +400, then -450: 400 of them
        // from this import's own lot (expiring first), 50 from the seed's
        Api.Reply r = rows(api, "s", 0, "customerId,points\nup,450\ndown,100\nmixed,500\nmixed,50\n");
        assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(4);
        assertThat(available(api, "mixed")).isEqualTo(50);
        // up spends 100 of the imported points (its import lot expires first)
        Api.Reply redeem = api.shop("POST", P + "/redeem", "{\"customerId\": \"up\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-1\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "k-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);
        assertThat(available(api, "up")).isEqualTo(350);

        Api.Reply reverted = ImportRevertTest.revert(api, "s");
        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(200);
        JsonNode b = reverted.body();
        assertThat(b.path("pointsImported").asLong()).as("net: +350 -200 +400 -450").isEqualTo(100);
        assertThat(b.path("pointsReverted").asLong()).as("up's import lot, less the 100 spent").isEqualTo(250);
        assertThat(b.path("pointsRestored").asLong()).as("down's 200 and mixed's 50 taken from the seed").isEqualTo(250);
        assertThat(b.path("uncollectedPoints").asLong()).as("exactly the 100 up spent").isEqualTo(100);

        // every balance as before the import, but for the 100 spent
        assertThat(available(api, "up")).isEqualTo(100);
        assertThat(available(api, "down")).isEqualTo(300);
        assertThat(available(api, "mixed")).isEqualTo(100);
        assertThat(ledgerTypes(api, "down")).contains("import_revert:200", "import:-200");
        assertThat(ledgerTypes(api, "mixed")).filteredOn(t -> t.startsWith("import_revert")).containsExactly("import_revert:50");
        assertThat(ledgerTypes(api, "up")).filteredOn(t -> t.startsWith("import_revert")).containsExactly("import_revert:-250");
        // the points given back expire as the program's earned points do (365 days, end of day in Berlin)
        JsonNode expiring = wallet(api, "down").path("expiring");
        List<String> lots = new ArrayList<>();
        expiring.forEach(e -> lots.add(e.path("points").asLong() + "@" + e.path("on").asText()));
        assertThat(lots).contains("200@2027-11-23");
        for (String m : List.of("up", "down", "mixed")) {
            Invariants.check(api, "acme", m);
        }

        // again: the same answer and nothing given back twice
        var before = TableSnapshot.of(api.tenant);
        Api.Reply again = ImportRevertTest.revert(api, "s");
        assertThat(again.body()).isEqualTo(b);
        assertThat(TableSnapshot.diff(before, TableSnapshot.of(api.tenant))).isEmpty();
    }

    @Test
    void concurrentRevertCallsGiveEachLoweringBackOnce() throws Exception {
        Api api = program();
        int members = 60;
        StringBuilder seed = new StringBuilder("customerId,points\n");
        StringBuilder set = new StringBuilder("customerId,points\n");
        for (int i = 0; i < members; i++) {
            seed.append("m").append(i).append(",300\n");
            set.append("m").append(i).append(",").append(i % 3 == 0 ? 500 : 100).append('\n');
        }
        assertThat(api.admin("PUT", P + "/imports/seed", null).status()).isEqualTo(201);
        assertThat(rows(api, "seed", 0, seed.toString()).body().path("imported").asLong()).isEqualTo(members);
        assertThat(api.admin("PUT", P + "/imports/s", "{\"mode\": \"set\"}").status()).isEqualTo(201);
        assertThat(rows(api, "s", 0, set.toString()).body().path("imported").asLong()).isEqualTo(members);
        // a call walks at most 7 rows: the revert needs many calls, and four race through them
        api.laurel.importRevert().budget(new ImportRevert.Budget(Duration.ofSeconds(20), 7));
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            calls.add(() -> {
                for (int i = 0; i < 100; i++) {
                    Api.Reply r = ImportRevertTest.revert(api, "s");
                    assertThat(r.status()).as(r.toString()).isIn(200, 202);
                    if (r.status() == 200) {
                        return i;
                    }
                }
                return -1;
            });
        }
        assertThat(Invariants.race(4, calls)).doesNotContain(-1);
        api.laurel.importRevert().budget(ImportRevert.Budget.DEFAULT);
        JsonNode b = api.admin("GET", P + "/imports/s", null).body();
        long raised = (members + 2) / 3 * 200L;
        long lowered = (members - (members + 2) / 3) * 200L;
        assertThat(b.path("pointsImported").asLong()).isEqualTo(raised - lowered);
        assertThat(b.path("pointsReverted").asLong()).isEqualTo(raised);
        assertThat(b.path("pointsRestored").asLong()).isEqualTo(lowered);
        assertThat(b.path("uncollectedPoints").asLong()).isZero();
        for (int i = 0; i < members; i++) {
            assertThat(available(api, "m" + i)).as("m" + i).isEqualTo(300);
            assertThat(ledgerTypes(api, "m" + i)).filteredOn(t -> t.startsWith("import_revert")).hasSize(1);
        }
        Invariants.check(api, "acme", "m1");
        Invariants.check(api, "acme", "m3");
    }
}
