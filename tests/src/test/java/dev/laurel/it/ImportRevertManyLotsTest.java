package dev.laurel.it;

import static dev.laurel.it.ImportTest.P;
import static dev.laurel.it.ImportTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.ImportRevert;
import dev.laurel.store.dynamodb.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The edge of one member's revert through the real handlers on DynamoDB Local: one member holds
 * 3,000 imported lots with {@code -Dlaurel.long=true}, 300 by default (one row each, each with its own {@code expiresAt}, so no two merge), spends
 * some of them, and the revert takes back the rest in one transaction of three items (the profile's
 * lots map set whole in one clause: the update expression stays far under 4 KB, the profile under
 * 400 KB), across three calls of a third of the rows each, with exact balances and figures.
 */
class ImportRevertManyLotsTest {
    /** 3,000 with {@code -Dlaurel.long=true} (10 minutes on a loaded 2-core machine); 300 by default. */
    static final int LOTS = LongRuns.size(300, 3_000);
    /** Rows a call: three calls either way. */
    static final int CHUNK = LOTS / 3;

    @Test
    void aMemberWithThousandsOfImportedLotsIsRevertedExactly() {
        Api api = new Api();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
        // points of the member's own, which the revert leaves alone
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("whale", "o-1", 5000, "2026-11-23T08:00:00Z")).status())
                .isEqualTo(200);
        long own = ImportRevertLoweringTest.available(api, "whale");
        assertThat(api.admin("PUT", P + "/imports/big", null).status()).isEqualTo(201);
        long imported = 0;
        Instant first = Instant.parse("2027-01-01T00:00:00Z");
        for (int chunk = 0; chunk < LOTS / CHUNK; chunk++) {
            StringBuilder csv = new StringBuilder("customerId,points,expiresAt\n");
            for (int i = chunk * CHUNK; i < (chunk + 1) * CHUNK; i++) {
                long points = i % 7 + 1;
                imported += points;
                csv.append("whale,").append(points).append(',').append(first.plus(Duration.ofHours(i))).append('\n');
            }
            Api.Reply r = rows(api, "big", (long) chunk * CHUNK, csv.toString());
            assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(CHUNK);
        }
        assertThat(lotsOf(api)).as("no two imported lots merged").isEqualTo(LOTS + 1);
        int size = itemSize(api);
        assertThat(size).as("the profile with %d lots: %d bytes", LOTS + 1, size).isLessThan(400 * 1024);
        System.out.printf("ImportRevertManyLotsTest: profile with %d lots = %d bytes%n", LOTS + 1, size);

        // the soonest-expiring lots pay a reward: imported points spent
        Api.Reply redeem = api.shop("POST", P + "/redeem", "{\"customerId\": \"whale\", \"rewardId\": \"ten-off\", \"order\": "
                + "{\"id\": \"o-2\", \"totalMinor\": 5000, \"currency\": \"EUR\"}}", Map.of("Idempotency-Key", "k-1"));
        assertThat(redeem.status()).as(redeem.toString()).isEqualTo(201);

        api.laurel.importRevert().budget(new ImportRevert.Budget(Duration.ofSeconds(20), CHUNK));
        int calls = 0;
        Api.Reply r;
        do {
            r = ImportRevertTest.revert(api, "big");
            assertThat(r.status()).as(r.toString()).isIn(200, 202);
            calls++;
        } while (r.status() == 202 && calls < 10);
        api.laurel.importRevert().budget(ImportRevert.Budget.DEFAULT);
        assertThat(r.status()).isEqualTo(200);
        assertThat(calls).as("%d rows a call", CHUNK).isGreaterThanOrEqualTo(3);
        JsonNode b = r.body();
        assertThat(b.path("pointsImported").asLong()).isEqualTo(imported);
        assertThat(b.path("pointsReverted").asLong()).isEqualTo(imported - 100);
        assertThat(b.path("uncollectedPoints").asLong()).as("the reward's 100").isEqualTo(100);
        assertThat(ImportRevertLoweringTest.available(api, "whale")).as("the member's own points").isEqualTo(own);
        assertThat(lotsOf(api)).as("only the order's lot is left").isEqualTo(1);
        List<JsonNode> entries = Invariants.ledger(api, "acme", "whale", 100);
        assertThat(entries).hasSize(LOTS + 3);
        assertThat(entries.stream().mapToLong(e -> e.path("points").asLong()).sum()).isEqualTo(own);
    }

    private static Map<String, AttributeValue> profile(Api api) {
        return LocalDynamo.get().client().getItem(g -> g.tableName(LocalDynamo.TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(Keys.customer(api.tenant, "acme", "whale")),
                        "sk", AttributeValue.fromS(Keys.PROFILE)))).item();
    }

    private static int lotsOf(Api api) {
        AttributeValue lots = profile(api).get("lots");
        return lots == null ? 0 : lots.m().size();
    }

    /** The item's size as DynamoDB counts it, closely enough: names and values in UTF-8, numbers by their digits. */
    private static int itemSize(Api api) {
        return profile(api).entrySet().stream().mapToInt(e -> bytes(e.getKey()) + size(e.getValue())).sum();
    }

    private static int size(AttributeValue v) {
        if (v.s() != null) {
            return bytes(v.s());
        }
        if (v.n() != null) {
            return v.n().length();
        }
        if (v.hasM()) {
            return 3 + v.m().entrySet().stream().mapToInt(e -> 1 + bytes(e.getKey()) + size(e.getValue())).sum();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToInt(x -> 1 + size(x)).sum();
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToInt(ImportRevertManyLotsTest::bytes).sum();
        }
        return 1;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
