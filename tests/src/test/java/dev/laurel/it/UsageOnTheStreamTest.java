package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.app.Laurel;
import dev.laurel.app.StreamIngest;
import dev.laurel.local.LocalClock;
import dev.laurel.store.Change;
import dev.laurel.store.Records.Entry;
import dev.laurel.store.dynamodb.DynamoStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant usage from the change stream (issue 14): every ledger entry, of any type, counts once
 * in its program's day item ({@code ledgerEntries}), exactly under re-delivery, with no write of its own.
 */
class UsageOnTheStreamTest {
    @Test
    void everyLedgerEntryCountsOnceOnItsDay() {
        DynamoStore store = new DynamoStore(LocalDynamo.get().client(), LocalDynamo.TABLE);
        Laurel laurel = new Laurel(store, LocalClock.frozenAt(Instant.parse("2026-11-23T12:00:00Z")), Duration.ofSeconds(5));
        String tenant = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        List<Change> batch = List.of(
                change(tenant, "100000000000000000001", new Entry("e1", "earn", 50, at, "purchase", null, "o-1", null, null)),
                change(tenant, "100000000000000000002", new Entry("e2", "redeem", -20, at, null, "ten-off", null, "r-1", null)),
                change(tenant, "100000000000000000003", new Entry("e3", "expire", -5, at, null, null, null, null, null)),
                change(tenant, "100000000000000000004", null)); // a profile change: no ledger entry
        StreamIngest ingest = laurel.streamIngest();
        ingest.apply("shard-1", batch);
        ingest.apply("shard-1", batch); // delivered again
        ingest.apply("shard-1", List.of(batch.get(2), change(tenant, "100000000000000000005",
                new Entry("e4", "earn", 7, at, "purchase", null, "o-2", null, null)))); // bisected: overlaps
        LocalDate day = LocalDate.parse("2026-11-23");
        var read = store.readReport(tenant, "shop", day, day);
        assertThat(read.days().get(day)).containsEntry(StreamIngest.Figures.LEDGER_ENTRIES, 4L);
        assertThat(StreamIngest.Figures.DAILY).doesNotContain(StreamIngest.Figures.LEDGER_ENTRIES); // not in the report's answer
    }

    private static Change change(String tenant, String sequence, Entry entry) {
        return new Change("shard-1", sequence, Instant.parse("2026-11-23T10:00:01Z"), tenant, "shop", "c-1", entry, null, null, 0);
    }
}
