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
                     String customerId, Entry entry, Redemption redemption, Instant joinedAt, long balanceDelta) {

    /** A redemption as committed: its order's value ({@code attributedOrderMinor}) and the discount given. */
    public record Redemption(String redemptionId, String rewardId, Instant at, long discountMinor, long attributedOrderMinor) {
    }

    /** Reads a stream record's key and images (attribute → value as text, S and N only) into a change; null: not one. */
    @FunctionalInterface
    public interface Reader {
        Change change(String shard, String sequence, Instant streamedAt, String eventName, Map<String, String> keys,
                      Map<String, String> newImage, Map<String, String> oldImage);
    }
}
