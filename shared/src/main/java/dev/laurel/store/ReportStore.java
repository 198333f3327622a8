package dev.laurel.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The report counters the change stream feeds (see {@code app.StreamIngest}): one item per
 * (program, day) and one per program for the outstanding points, each holding, per stream shard,
 * the sequence number of the last record it applied. Every add is conditional on that sequence,
 * so a record delivered twice is counted once.
 */
public interface ReportStore {
    /**
     * Adds {@code figures} to a day's counters and records {@code lastSequence} as the shard's
     * last applied record, if the shard's stored sequence is below {@code firstSequence}.
     *
     * @return null when applied; else the shard's stored sequence (zero-padded), so the caller
     *     can apply only what is newer
     */
    String addToDay(String tenant, String programId, LocalDate day, String shard, String firstSequence,
                    String lastSequence, Map<String, Long> figures, Instant now);

    /**
     * Adds {@code delta} to the program's outstanding points under the same rule, and forgets
     * the sequences of shards whose last record is older than {@code forgetBefore} (past the
     * stream's retention, so never delivered again).
     *
     * @return null when applied; else the shard's stored sequence
     */
    String addToOutstanding(String tenant, String programId, String shard, String firstSequence, String lastSequence,
                            long delta, Instant recordAt, Instant forgetBefore, Instant now);

    /** The day items of {@code from..to} (inclusive) that exist, and the outstanding item: one Query and one GetItem. */
    ReportRead readReport(String tenant, String programId, LocalDate from, LocalDate to);

    /** Sequence numbers have 21 to 40 digits, more than a number holds: compared as strings padded to 40. */
    static String padded(String sequence) {
        if (sequence == null || sequence.isEmpty() || sequence.length() > 40 || !sequence.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a stream sequence number: " + sequence);
        }
        return "0".repeat(40 - sequence.length()) + sequence;
    }

    /** What a report read found: figures by day (only days with an item), the outstanding points, the last apply. */
    record ReportRead(Map<LocalDate, Map<String, Long>> days, long outstandingPoints, Instant asOf, double readUnits) {
    }
}
