package dev.laurel.it;

import static dev.laurel.it.ImportTest.P;
import static dev.laurel.it.ImportTest.ledgerTypes;
import static dev.laurel.it.ImportTest.rows;
import static dev.laurel.it.ImportTest.wallet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mode {@code set} through the real handlers on DynamoDB Local (API.md Imports): the member's
 * available balance becomes the row's points. Above: an {@code import} entry of the difference
 * with its lot; equal: no entry; below: a negative {@code import} entry that spends the available
 * lots soonest-expiring first, exactly, pending points untouched; to 0; the import's
 * {@code pointsImported} counts the lowering (net); a dry run counts it and writes nothing; the
 * same chunk again changes nothing; a revert gives back what a lowering took.
 */
class ImportSetModeTest {
    /** A program whose earned points wait 14 days (pending), so members have pending points beside imported ones. */
    static Api withPendingProgram() {
        Api api = new Api();
        String program = Api.minimalProgram().replace("\"expiry\"", "\"pending\": {\"days\": 14}, \"expiry\"");
        assertThat(api.admin("PUT", P, program).status()).isEqualTo(201);
        return api;
    }

    /** Members with two imported lots each: 200 expiring on 2027-01-31, 100 on 2027-06-30 (available 300). */
    static void seed(Api api, String... members) {
        assertThat(api.admin("PUT", P + "/imports/seed", null).status()).isEqualTo(201);
        StringBuilder csv = new StringBuilder("customerId,points,expiresAt\n");
        for (String m : members) {
            csv.append(m).append(",100,2027-06-30T12:00:00Z\n").append(m).append(",200,2027-01-31T12:00:00Z\n");
        }
        Api.Reply r = rows(api, "seed", 0, csv.toString());
        assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(2L * members.length);
    }

    static long available(Api api, String customerId) {
        return wallet(api, customerId).path("balance").path("available").asLong();
    }

    static long pending(Api api, String customerId) {
        return wallet(api, customerId).path("balance").path("pending").asLong();
    }

    static List<Long> expiring(Api api, String customerId) {
        List<Long> out = new ArrayList<>();
        wallet(api, customerId).path("expiring").forEach(e -> out.add(e.path("points").asLong()));
        return out;
    }

    @Test
    void setRaisesKeepsAndLowersTheAvailableBalanceExactly() {
        Api api = withPendingProgram();
        seed(api, "up", "same", "down", "zero");
        // pending points beside the imported ones: an order's 50 points wait 14 days
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("down", "o-1", 5000, "2026-11-23T08:00:00Z")).status())
                .isEqualTo(200);
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("zero", "o-2", 5000, "2026-11-23T08:00:00Z")).status())
                .isEqualTo(200);
        long pendingDown = pending(api, "down");
        assertThat(pendingDown).as("the order's points are pending").isPositive();
        assertThat(available(api, "down")).isEqualTo(300);

        assertThat(api.admin("PUT", P + "/imports/s", "{\"mode\": \"set\"}").status()).isEqualTo(201);
        String chunk = "customerId,points\nup,450\nsame,300\ndown,250\nzero,0\n";
        Api.Reply r = rows(api, "s", 0, chunk);
        assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(4);
        assertThat(r.body().path("failed").asLong()).isZero();

        assertThat(available(api, "up")).isEqualTo(450);
        assertThat(ledgerTypes(api, "up")).contains("import:150");
        assertThat(available(api, "same")).isEqualTo(300);
        assertThat(ledgerTypes(api, "same")).as("equal: no entry").hasSize(2);

        // below: 50 taken from the lot expiring first (200 -> 150), the later lot whole, pending untouched
        assertThat(available(api, "down")).isEqualTo(250);
        assertThat(pending(api, "down")).isEqualTo(pendingDown);
        assertThat(ledgerTypes(api, "down")).contains("import:-50");
        assertThat(expiring(api, "down")).containsExactly(150L, 100L);
        Invariants.check(api, "acme", "down");

        assertThat(available(api, "zero")).isZero();
        assertThat(pending(api, "zero")).as("pending points are not the balance set").isEqualTo(pendingDown);
        assertThat(ledgerTypes(api, "zero")).contains("import:-300");
        assertThat(expiring(api, "zero")).isEmpty();
        Invariants.check(api, "acme", "zero");
        Invariants.check(api, "acme", "up");

        JsonNode status = api.admin("GET", P + "/imports/s", null).body();
        assertThat(status.path("pointsImported").asLong()).as("net: +150 - 50 - 300").isEqualTo(-200);

        // the same chunk again: every row skipped, nothing changes
        Api.Reply again = rows(api, "s", 0, chunk);
        assertThat(again.body().path("skipped").asLong()).as(again.toString()).isEqualTo(4);
        assertThat(available(api, "down")).isEqualTo(250);
        assertThat(available(api, "zero")).isZero();
        assertThat(ledgerTypes(api, "down")).filteredOn(t -> t.startsWith("import:-")).hasSize(1);
        assertThat(api.admin("GET", P + "/imports/s", null).body().path("pointsImported").asLong()).isEqualTo(-200);

        // a revert takes back what is left of the import's own lots (up's 150) and gives back what a lowering took
        Api.Reply reverted = ImportRevertTest.revert(api, "s");
        assertThat(reverted.status()).as(reverted.toString()).isIn(200, 202);
        assertThat(available(api, "up")).isEqualTo(300);
        assertThat(available(api, "down")).isEqualTo(300);
        assertThat(available(api, "zero")).isEqualTo(300);
        assertThat(pending(api, "zero")).isEqualTo(pendingDown);
        assertThat(reverted.body().path("uncollectedPoints").asLong()).isZero();
        Invariants.check(api, "acme", "up");
        Invariants.check(api, "acme", "zero");
    }

    @Test
    void aDryRunCountsTheLoweringAndWritesNothing() {
        Api api = withPendingProgram();
        seed(api, "m1");
        assertThat(api.admin("PUT", P + "/imports/d", "{\"mode\": \"set\", \"dryRun\": true}").status()).isEqualTo(201);
        var before = TableSnapshot.of(api.tenant);
        Api.Reply r = rows(api, "d", 0, "customerId,points\nm1,120\n");
        assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(1);
        assertThat(api.admin("GET", P + "/imports/d", null).body().path("pointsImported").asLong()).isEqualTo(-180);
        var after = TableSnapshot.of(api.tenant);
        after.keySet().removeIf(k -> k.contains("#IMPORT#d"));
        before.keySet().removeIf(k -> k.contains("#IMPORT#d"));
        assertThat(TableSnapshot.diff(before, after)).as("only the import's own items change").isEmpty();
        assertThat(available(api, "m1")).isEqualTo(300);
    }
}
