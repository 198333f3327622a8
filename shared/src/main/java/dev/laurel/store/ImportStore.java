package dev.laurel.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Imports (API.md Part 2): the import item with its exact counters, one marker per (import, row)
 * written in the row's own transaction (so a row takes effect at most once), and the failed rows'
 * errors in row order.
 */
public interface ImportStore {
    String OPEN = "open";
    String REVERTING = "reverting";
    String REVERTED = "reverted";

    /** What an import was created with; {@code fingerprint} identifies its body (same body: same import). */
    record ImportDef(String importId, String fingerprint, boolean dryRun, String mode, String ruleId, Instant createdAt) {
    }

    /** An import as stored: its definition, status and counters, and its first errors in row order. */
    record ImportStatus(ImportDef def, String status, long rows, long imported, long failed, long pointsImported,
                        List<RowError> errors, Revert revert, Instant completedAt) {
    }

    /**
     * A revert's progress (null while the import is open): {@code cursor} is the last row whose
     * member has been taken care of, {@code pointsReverted} what the {@code import_revert} entries
     * took back so far.
     */
    record Revert(long cursor, long pointsReverted, long pointsRestored, Instant startedAt, Instant finishedAt) {
    }

    /**
     * A row's marker as a revert walks it: the member (null for a failed row) and the points the row
     * imported; for a row that lowered a balance, {@code restore} (what it took from lots not of this
     * import, which a revert gives back; null on a marker stored before it was recorded) and
     * {@code restored} (given back already).
     */
    record RowMarker(long row, String customerId, long points, Long restore, boolean restored) {
    }

    /**
     * Giving back what a lowering row took: the profile after (conditional on its seq) with the new
     * lot (null when a debt took it all), the {@code import_revert} entry, the row's marker made
     * {@code restored} (conditional on it not being so) and {@code pointsRestored} on the import, at once.
     */
    record RestoreWrite(String tenant, String programId, String importId, long programVersion, long row,
                        dev.laurel.domain.Customer before, dev.laurel.domain.Lot lot, Records.Entry entry,
                        Records.ProfileAfter after, Instant now) {
    }

    /**
     * Taking back a member's unspent points of one import: the profile after (conditional on its
     * seq), the {@code import_revert} entry, and {@code pointsReverted} on the import, at once.
     */
    record RevertWrite(String tenant, String programId, String importId, long programVersion, dev.laurel.domain.Customer before,
                       List<dev.laurel.domain.Spending.Take> takes, Records.Entry entry, Records.ProfileAfter after, Instant now) {
    }

    /** A row that failed: 1-based row in the whole file, the column (null: the whole row), a code and a sentence. */
    record RowError(long row, String column, String code, String message) {
    }

    /**
     * A row's effect: {@code earn} (null in a dry run: only the marker and the counters) with the
     * row's marker and the import's counters; {@code points} is what the row imported; {@code restore},
     * for a row that lowers a balance, what it takes from lots not of this import (a revert gives it back).
     */
    record RowWrite(String tenant, String programId, String importId, long row, String customerId, String entryId,
                    long points, long restore, String referralCode, Records.EarnWrite earn, Instant now) {
    }

    /** Creates the import; answers the stored definition (the given one when it was created now). */
    ImportDef createImport(String tenant, String programId, ImportDef def);

    Optional<ImportStatus> importStatus(String tenant, String programId, String importId, int maxErrors);

    /**
     * Applies a row: {@link Commit.Done}; {@link Commit.Replay} when the row was applied (or failed)
     * before (it counts as skipped); {@link Commit.Refused} when its referral code belongs to
     * another member or the import is no longer open; {@link Commit.Retry} when the member changed.
     */
    Commit importRow(RowWrite w);

    /** Records a failed row (marker, error and counters at once): Done, or Replay when the row was seen before. */
    Commit importRowFailed(String tenant, String programId, String importId, RowError error, Instant now);

    /**
     * Marks the import complete (its last chunk was sent: {@code completedAt}, set once; the change
     * stream makes {@code import.completed} of it). False when there is no such import.
     */
    boolean importComplete(String tenant, String programId, String importId, Instant now);

    /**
     * Starts a revert: an open import becomes {@code reverting} (from then on no row commits, as each
     * row's transaction is conditional on {@code open}); any other status stays. Answers the status after.
     */
    Optional<ImportStatus> startRevert(String tenant, String programId, String importId, Instant now);

    /** Up to {@code limit} row markers after row {@code afterRow}, in row order (one Query). */
    List<RowMarker> rowsAfter(String tenant, String programId, String importId, long afterRow, int limit);

    /** Moves a reverting import's cursor from {@code from} to {@code to}; false when another call moved it first. */
    boolean revertCursor(String tenant, String programId, String importId, long from, long to);

    /** A reverting import whose cursor is {@code cursor} becomes {@code reverted}; false when it was not so. */
    boolean revertFinished(String tenant, String programId, String importId, long cursor, Instant now);

    /** {@link Commit.Done}, {@link Commit.Retry} (the member changed), or {@link Commit.Refused} (the import is not reverting). */
    Commit revertMember(RevertWrite w);

    /** {@link Commit.Done}, {@link Commit.Retry} (the member changed), or {@link Commit.Refused} (given back already: code
     *  {@code restored}; the import is not reverting: {@code not_reverting}). */
    Commit restoreRow(RestoreWrite w);
}
