package dev.laurel.store;

import dev.laurel.store.Records.Entry;
import java.time.Instant;
import java.util.Map;

/**
 * One committed change of the table, as the change stream reports it (one stream record), in the
 * terms the derivations use: reports now, outbound webhooks next. Derived only from the item's
 * images, never from a request. At most one of {@code entry}, {@code redemption} is set;
 * {@code joinedAt} is set when a member's profile was created; {@code balanceDelta} is the change
 * of the member's available + pending points (0 for items that are not profiles).
 *
 * @param shard the stream shard the record came from
 * @param sequence its sequence number in the shard (decimal digits, 21 to 40 of them)
 * @param streamedAt when the stream recorded it (DynamoDB's approximate creation time)
 */
public record Change(String shard, String sequence, Instant streamedAt, String tenant, String programId,
                     String customerId, Entry entry, Redemption redemption, Instant joinedAt, long balanceDelta,
                     Order order, Profile profile, Profile previous, CodeUse codeUse, ImportDone importDone) {

    /** A change without a code use or an import's end (every change but a code's or the import item's). */
    public Change(String shard, String sequence, Instant streamedAt, String tenant, String programId, String customerId,
                  Entry entry, Redemption redemption, Instant joinedAt, long balanceDelta, Order order, Profile profile,
                  Profile previous) {
        this(shard, sequence, streamedAt, tenant, programId, customerId, entry, redemption, joinedAt, balanceDelta, order, profile,
                previous, null, null);
    }

    /**
     * An import came to an end (its import item as committed): its last chunk was sent
     * ({@code completedAt} appeared, status {@code open}) or its revert finished (status
     * {@code reverted}); {@code import.completed} is made of it.
     */
    public record ImportDone(String importId, String status, boolean dryRun, long rows, long imported, long failed,
                             long pointsImported, Instant at) {
    }

    /**
     * Where a ledger entry stands in its customer's history: {@code seq}, the profile's seq as the
     * entry's write left it (0 for entries written before it was recorded), and {@code ordinal},
     * its place among that write's entries.
     */
    public record Order(long seq, int ordinal) {
    }

    /**
     * A profile image's fields that outbound webhooks report: its seq, the email, the attributes
     * (plain values: maps, lists, strings, numbers, booleans), marketing consent, tier, and when it was last written.
     */
    public record Profile(long seq, String email, Map<String, Object> attributes, boolean marketingConsent, String tier,
                          Instant updatedAt) {
    }

    /**
     * A reward code's use at a till, as committed: its code item moved from {@code issued} to {@code used}.
     * {@code seq} is the profile seq its redemption's write left (0 for codes issued before it was recorded):
     * the use writes no profile, so it is ordered after its redemption's events (outbound webhooks' {@code sequence}).
     */
    public record CodeUse(String code, String rewardId, String redemptionId, String orderId, String location,
                          long discountMinor, Instant usedAt, long seq) {
    }

    /** The change without the webhook fields (reports use only the others). */
    public Change(String shard, String sequence, Instant streamedAt, String tenant, String programId, String customerId,
                  Entry entry, Redemption redemption, Instant joinedAt, long balanceDelta) {
        this(shard, sequence, streamedAt, tenant, programId, customerId, entry, redemption, joinedAt, balanceDelta, null, null,
                null);
    }

    /** A redemption as committed: its order's value ({@code attributedOrderMinor}) and the discount given. */
    public record Redemption(String redemptionId, String rewardId, Instant at, long discountMinor, long attributedOrderMinor) {
    }

    /**
     * Reads a stream record's key and images into a change; null: not one. Each image maps an attribute
     * to its value as text: S and N as they are, BOOL as true/false, maps and lists as plain JSON text.
     */
    @FunctionalInterface
    public interface Reader {
        Change change(String shard, String sequence, Instant streamedAt, String eventName, Map<String, String> keys,
                      Map<String, String> newImage, Map<String, String> oldImage);
    }
}
