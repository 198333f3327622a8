package dev.laurel.store.dynamodb;

import static dev.laurel.store.dynamodb.Av.n;
import static dev.laurel.store.dynamodb.Av.s;
import static dev.laurel.store.dynamodb.Av.str;

import dev.laurel.domain.Refusal;
import dev.laurel.store.ApiKeyStore.StoredKey;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.ApiKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * API keys on the table ({@link Keys}). A key is two items: {@code KEY#<sha256>} (what the
 * authorizer reads: tenant, role, name, keyId, lastUsedDay) and {@code T#t#KEYS / K#<keyId>} (the
 * tenant's list: prefix, role, name, createdAt, and the hash, to find the first item on revocation);
 * {@code T#t#KEYS / COUNT} holds the tenant's {@code keys} and {@code admins}. Creation and
 * revocation are each one transaction of the three, so the limit and the last-admin rule hold under
 * concurrency.
 */
final class ApiKeyItems {
    static final String KEY_SK = "KEY";
    static final String COUNT_SK = "COUNT";
    static final String LIST_PREFIX = "K#";
    private static final String ADMIN = "admin";

    private final DynamoDbClient ddb;
    private final String table;

    ApiKeyItems(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    Commit create(String sha256Hex, String tenant, StoredKey k, int maxPerTenant) {
        Map<String, AttributeValue> byHash = Av.key(Keys.apiKey(sha256Hex), KEY_SK);
        byHash.put("tenant", s(tenant));
        byHash.put("role", s(k.role()));
        byHash.put("keyId", s(k.keyId()));
        byHash.put("createdAt", s(k.createdAt().toString()));
        Map<String, AttributeValue> listed = Av.key(Keys.apiKeys(tenant), LIST_PREFIX + k.keyId());
        listed.put("keyId", s(k.keyId()));
        listed.put("prefix", s(k.prefix()));
        listed.put("role", s(k.role()));
        listed.put("createdAt", s(k.createdAt().toString()));
        listed.put("hash", s(sha256Hex));
        if (k.name() != null) {
            byHash.put("name", s(k.name()));
            listed.put("name", s(k.name()));
        }
        Tx tx = new Tx(table)
                // a key stored before keys were listed (no keyId) is taken over; a listed one never replaced
                .put(Tx.Role.API_KEY, "hash", byHash, "attribute_not_exists(keyId)", null, null)
                .put(Tx.Role.API_KEY, "listed", listed, "attribute_not_exists(pk)", null, null)
                .update(Tx.Role.API_KEY_COUNT, "count", Av.key(Keys.apiKeys(tenant), COUNT_SK),
                        "SET keys = if_not_exists(keys, :zero) + :one, admins = if_not_exists(admins, :zero) + :admin",
                        "attribute_not_exists(keys) OR keys < :max", null,
                        Map.of(":zero", n(0), ":one", n(1), ":admin", n(ADMIN.equals(k.role()) ? 1 : 0), ":max", n(maxPerTenant)));
        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        if (f.conflict()) {
            return new Commit.Retry("api key " + f.label() + " conflict");
        }
        if (f.role() == Tx.Role.API_KEY_COUNT) {
            return new Commit.Refused(new Refusal(Refusal.Code.LIMIT_REACHED,
                    "a tenant has at most " + maxPerTenant + " API keys: revoke one first", Map.of("limit", maxPerTenant)));
        }
        if ("hash".equals(f.label())) {
            Map<String, AttributeValue> old = f.old();
            if (tenant.equals(str(old, "tenant")) && k.role().equals(str(old, "role"))) {
                return Commit.DONE; // this very key again: nothing to change
            }
            return new Commit.Refused(Refusal.invalid("key", "is already another tenant's or role's key"));
        }
        return new Commit.Retry("key id " + k.keyId() + " taken");
    }

    List<StoredKey> list(String tenant) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var r = ddb.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :k)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.apiKeys(tenant)), ":k", s(LIST_PREFIX)))
                    .exclusiveStartKey(from));
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        Map<String, LocalDate> lastUsed = lastUsedDays(items.stream().map(i -> str(i, "hash")).toList());
        List<StoredKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : items) {
            out.add(new StoredKey(str(i, "keyId"), str(i, "prefix"), str(i, "role"), str(i, "name"),
                    Instant.parse(str(i, "createdAt")), lastUsed.get(str(i, "hash"))));
        }
        out.sort(java.util.Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::keyId));
        return out;
    }

    /** The last used day of each hash's key: BatchGetItems of 100 keys, the unprocessed ones again. */
    private Map<String, LocalDate> lastUsedDays(List<String> hashes) {
        Map<String, LocalDate> out = new HashMap<>();
        for (int i = 0; i < hashes.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String h : hashes.subList(i, Math.min(hashes.size(), i + 100))) {
                keys.add(Av.key(Keys.apiKey(h), KEY_SK));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys)
                    .projectionExpression("pk, lastUsedDay").build());
            for (int round = 1; !request.isEmpty(); round++) {
                Map<String, KeysAndAttributes> ask = request;
                var r = ddb.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : r.responses().getOrDefault(table, List.of())) {
                    String day = str(item, "lastUsedDay");
                    if (day != null) {
                        out.put(str(item, "pk").substring("KEY#".length()), LocalDate.parse(day));
                    }
                }
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    dev.laurel.retry.Backoff.SENDS.sleep(round);
                }
            }
        }
        return out;
    }

    Commit delete(String tenant, String keyId) {
        var r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.apiKeys(tenant), LIST_PREFIX + keyId)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return new Commit.Refused(Refusal.notFound("API key " + keyId));
        }
        String hash = str(r.item(), "hash");
        boolean admin = ADMIN.equals(str(r.item(), "role"));
        Tx tx = new Tx(table)
                .delete(Tx.Role.API_KEY, "listed", Av.key(Keys.apiKeys(tenant), LIST_PREFIX + keyId), "attribute_exists(pk)", null)
                .delete(Tx.Role.API_KEY, "hash", Av.key(Keys.apiKey(hash), KEY_SK), "tenant = :t", Map.of(":t", s(tenant)))
                .update(Tx.Role.API_KEY_COUNT, "count", Av.key(Keys.apiKeys(tenant), COUNT_SK),
                        "SET keys = keys - :one, admins = admins - :admin",
                        admin ? "admins > :one" : "keys >= :one", null, Map.of(":one", n(1), ":admin", n(admin ? 1 : 0)));
        Tx.Failure f = tx.run(ddb, null);
        if (f == null) {
            return Commit.DONE;
        }
        if (f.conflict()) {
            return new Commit.Retry("api key " + keyId + " conflict");
        }
        if (f.role() == Tx.Role.API_KEY_COUNT) {
            return new Commit.Refused(new Refusal(Refusal.Code.LAST_ADMIN_KEY,
                    "key " + keyId + " is the tenant's last admin key: create another admin key first", Map.of()));
        }
        return new Commit.Refused(Refusal.notFound("API key " + keyId)); // revoked meanwhile
    }

    /**
     * An eventually consistent read (half a read unit), and a strongly consistent one when it finds nothing: a key
     * created a moment ago is never refused for a stale read (API Gateway would cache that refusal).
     */
    Optional<ApiKey> get(String sha256Hex) {
        var r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.apiKey(sha256Hex), KEY_SK)));
        if (!r.hasItem() || r.item().isEmpty()) {
            r = ddb.getItem(b -> b.tableName(table).key(Av.key(Keys.apiKey(sha256Hex), KEY_SK)).consistentRead(true));
        }
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        String day = str(r.item(), "lastUsedDay");
        return Optional.of(new ApiKey(str(r.item(), "tenant"), str(r.item(), "role"), str(r.item(), "name"),
                str(r.item(), "keyId"), day == null ? null : LocalDate.parse(day)));
    }

    boolean markUsed(String sha256Hex, LocalDate day) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(Av.key(Keys.apiKey(sha256Hex), KEY_SK))
                    .updateExpression("SET #d = :d")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(#d) OR #d < :d)")
                    .expressionAttributeNames(Map.of("#d", "lastUsedDay"))
                    .expressionAttributeValues(Map.of(":d", s(day.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
