package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;

import dev.laurel.domain.Consent;
import dev.laurel.store.Records;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Double opt-in items: a confirmation token item {@code CONSENT#<sha256 of the token, base64url>} /
 * {@code CONSENT} (tenant, program, customer, {@code expiresMs}; removed by the table's TTL a day
 * after it expires; the token itself is never stored), and the profile's {@code consentToken},
 * {@code consentRequestedAt}, {@code consentConfirmedAt}.
 */
final class ConsentItems {
    static final String SK = "CONSENT";
    /** How long after its expiry DynamoDB's TTL may remove a token item (a token past its expiry is refused anyway). */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private ConsentItems() {
    }

    static Map<String, AttributeValue> key(String tokenHash) {
        return Av.key("CONSENT#" + tokenHash, SK);
    }

    static Optional<Records.ConsentToken> read(DynamoDbClient ddb, String table, String tokenHash) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(key(tokenHash)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> i = r.item();
        return Optional.of(new Records.ConsentToken(Av.str(i, "tokenHash"), Av.str(i, "tenant"), Av.str(i, "programId"),
                Av.str(i, "customerId"), Instant.ofEpochMilli(Av.num(i, "expiresMs"))));
    }

    /** The double opt-in state a profile item holds. */
    static Consent of(Map<String, AttributeValue> profile) {
        String hash = Av.str(profile, "consentToken");
        String requested = Av.str(profile, "consentRequestedAt");
        String confirmed = Av.str(profile, "consentConfirmedAt");
        return new Consent(hash, requested == null ? null : Instant.parse(requested),
                confirmed == null ? null : Instant.parse(confirmed));
    }

    /** The token item and the profile's fields of a consent change, in an earn/upsert transaction. */
    static void write(Tx tx, String customerId, String tenant, String programId, Records.ConsentWrite w, Instant now,
                      ProfileChange u, Map<String, AttributeValue> newProfile) {
        if (w == null) {
            return;
        }
        if (w.usedHash() != null) {
            Map<String, AttributeValue> v = new HashMap<>();
            v.put(":now", n(now.toEpochMilli()));
            tx.delete(Tx.Role.CONSENT_TOKEN, customerId, key(w.usedHash()), "attribute_exists(pk) AND expiresMs > :now", v);
        }
        if (w.issueHash() != null) {
            Map<String, AttributeValue> item = key(w.issueHash());
            item.put("tokenHash", s(w.issueHash()));
            item.put("tenant", s(tenant));
            item.put("programId", s(programId));
            item.put("customerId", s(customerId));
            item.put("expiresMs", n(w.expiresAt().toEpochMilli()));
            item.put("deleteAt", n(w.expiresAt().plus(KEEP_AFTER_EXPIRY).getEpochSecond()));
            tx.put(Tx.Role.CONSENT_TOKEN, customerId, item, "attribute_not_exists(pk)", null, null);
        }
        if (newProfile != null) {
            if (w.issueHash() != null) {
                newProfile.put("consentToken", s(w.issueHash()));
                newProfile.put("consentRequestedAt", s(now.toString()));
            }
            if (w.usedHash() != null) {
                newProfile.put("consentConfirmedAt", s(now.toString()));
            }
            return;
        }
        if (w.issueHash() != null) {
            u.set("consentToken = " + u.value(s(w.issueHash())));
            u.set("consentRequestedAt = " + u.value(s(now.toString())));
        } else if (w.clear()) {
            u.remove.add("consentToken");
            u.remove.add("consentRequestedAt");
        }
        if (w.usedHash() != null) {
            u.set("consentConfirmedAt = if_not_exists(consentConfirmedAt, " + u.value(s(now.toString())) + ")");
        }
    }
}
