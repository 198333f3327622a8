package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.store.CodeStore.RewardCode;
import dev.laurel.store.CodeStore.Status;
import dev.laurel.store.CodeStore.UseWrite;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.RedeemWrite;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Reward code items ({@link Keys#code}): made by the redemption's transaction (conditional on the
 * code being new, so a code is unique in its program), read at a till, and moved from
 * {@code issued} to {@code used} or {@code rolled_back} by conditional writes, so a code is used
 * at most once whatever the concurrency.
 */
final class CodeItems {
    private CodeItems() {
    }

    /**
     * The code item of a redemption, in its transaction: a code that exists already cancels it (a retry with a new code).
     * It keeps {@code seq}, the profile seq the redemption's write leaves, to order its use among the customer's events.
     */
    static void issue(Tx tx, RedeemWrite w, String customerId, long seq) {
        Map<String, AttributeValue> k = Av.key(Keys.code(w.tenant(), w.programId(), w.code()), Keys.CODE);
        k.put("code", s(w.code()));
        k.put("customerId", s(customerId));
        k.put("rewardId", s(w.rewardId()));
        k.put("redemptionId", s(w.redemptionId()));
        k.put("discountMinor", n(w.discountMinor()));
        k.put("issuedAt", s(w.now().toString()));
        k.put(Writes.SEQ, n(seq));
        if (w.codeExpiresAt() != null) {
            k.put("expiresAt", s(w.codeExpiresAt().toString()));
            k.put("expiresMs", n(w.codeExpiresAt().toEpochMilli()));
            // the sparse due index: the daily run finds the code when it lapses, without a scan
            k.put(Index.DUE_SHARD, s(Index.dueShard(Keys.code(w.tenant(), w.programId(), w.code()))));
            k.put(Index.DUE_AT, Index.at(w.codeExpiresAt()));
        }
        k.put("status", s(Status.ISSUED.wire()));
        tx.put(Tx.Role.CODE, w.code(), k, "attribute_not_exists(pk)", null, null);
    }

    /** In a rollback's transaction: the redemption's code, issued or used, becomes rolled_back. */
    static void rollBack(Tx tx, String tenant, String programId, String code, Instant now) {
        tx.update(Tx.Role.CODE, code, Av.key(Keys.code(tenant, programId, code), Keys.CODE),
                "SET #s = :rolled, rolledBackAt = :now REMOVE " + Index.DUE_SHARD + ", " + Index.DUE_AT,
                "#s IN (:issued, :used)", Map.of("#s", "status"),
                Map.of(":rolled", s(Status.ROLLED_BACK.wire()), ":issued", s(Status.ISSUED.wire()),
                        ":used", s(Status.USED.wire()), ":now", s(now.toString())));
    }

    /** In the daily run's transaction: an issued code past its validity becomes expired and leaves the due index. */
    static void expire(Tx tx, String tenant, String programId, String code, Instant now) {
        tx.update(Tx.Role.CODE, code, Av.key(Keys.code(tenant, programId, code), Keys.CODE),
                "SET #s = :expired, expiredAt = :now REMOVE " + Index.DUE_SHARD + ", " + Index.DUE_AT,
                "#s = :issued AND expiresMs <= :nowMs", Map.of("#s", "status"),
                Map.of(":expired", s(Status.EXPIRED.wire()), ":issued", s(Status.ISSUED.wire()), ":now", s(now.toString()),
                        ":nowMs", n(now.toEpochMilli())));
    }

    static Optional<RewardCode> read(DynamoDbClient ddb, String table, String tenant, String programId, String code) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Av.key(Keys.code(tenant, programId, code), Keys.CODE)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> i = r.item();
        return Optional.of(new RewardCode(str(i, "code"), str(i, "customerId"), str(i, "rewardId"), str(i, "redemptionId"),
                Av.num(i, "discountMinor"), Instant.parse(str(i, "issuedAt")), instant(i, "expiresAt"),
                Status.of(str(i, "status")), instant(i, "usedAt"), str(i, "orderId"), str(i, "location")));
    }

    private static Instant instant(Map<String, AttributeValue> i, String name) {
        String v = str(i, name);
        return v == null ? null : Instant.parse(v);
    }

    /** The use at a till: issued and unexpired at {@code now} becomes used, with the key's record; else Retry (decide again). */
    static Commit use(DynamoDbClient ddb, String table, UseWrite w) {
        Tx tx = new Tx(table);
        Writes.idempotency(tx, w.tenant(), w.programId(), w.idempotency(), w.now());
        Map<String, AttributeValue> v = new HashMap<>();
        v.put(":used", s(Status.USED.wire()));
        v.put(":issued", s(Status.ISSUED.wire()));
        v.put(":now", s(w.now().toString()));
        v.put(":order", s(w.orderId()));
        String update = "SET #s = :used, usedAt = :now, orderId = :order";
        String leaveIndex = " REMOVE " + Index.DUE_SHARD + ", " + Index.DUE_AT;
        if (w.location() != null) {
            v.put(":loc", s(w.location()));
            update += ", #l = :loc";
        }
        v.put(":nowMs", n(w.now().toEpochMilli()));
        tx.update(Tx.Role.CODE, w.code(), Av.key(Keys.code(w.tenant(), w.programId(), w.code()), Keys.CODE), update + leaveIndex,
                "#s = :issued AND (attribute_not_exists(expiresMs) OR expiresMs > :nowMs)",
                w.location() == null ? Map.of("#s", "status") : Map.of("#s", "status", "#l", "location"), v);
        return tx.commit(ddb, null);
    }
}
