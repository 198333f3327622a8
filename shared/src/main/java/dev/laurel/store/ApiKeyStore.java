package dev.laurel.store;

import dev.laurel.store.Records.ApiKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * API keys, stored only as SHA-256 hashes. A key is two items written and removed together: the
 * one the authorizer reads by hash (tenant, role, key id, last used day) and its entry in the
 * tenant's list (key id, prefix, role, name, created), beside the tenant's key counts (all keys,
 * admin keys), which bound the keys per tenant and keep the last admin key.
 */
public interface ApiKeyStore {
    /**
     * A key as listed: never the key nor its hash. {@code lastUsedDay} (UTC) is null until the
     * authorizer first accepts it.
     */
    record StoredKey(String keyId, String prefix, String role, String name, Instant createdAt, LocalDate lastUsedDay) {
    }

    /**
     * Creates a key (one transaction): the hash's item, the tenant's list entry, and the tenant's
     * counts, conditional on fewer than {@code maxPerTenant} keys. A hash that is already a key of
     * the same tenant and role is left as it is ({@link Commit#DONE}: creating a given key again,
     * as the local runner does at each start, changes nothing).
     *
     * @return done, or refused ({@code limit_reached}; {@code invalid_request} when the hash is
     *         another tenant's or role's key)
     */
    Commit createApiKey(String sha256Hex, String tenant, StoredKey key, int maxPerTenant);

    /** The tenant's keys, oldest first (one Query, one BatchGetItem for the last used days). */
    List<StoredKey> apiKeys(String tenant);

    /**
     * Revokes a key of the tenant (one transaction: both items and the counts); an admin key only
     * while another admin key remains.
     *
     * @return done, or refused ({@code not_found}: no such key of this tenant; {@code last_admin_key})
     */
    Commit deleteApiKey(String tenant, String keyId);

    /** The key with this hash, as the authorizer reads it (one GetItem). */
    Optional<ApiKey> apiKey(String sha256Hex);

    /**
     * Records that the key was used on {@code day}: one UpdateItem, conditional on an earlier (or
     * no) recorded day, so it writes at most once per key per day; false when the condition failed
     * (another container recorded the day first, or the key was revoked).
     */
    boolean markApiKeyUsed(String sha256Hex, LocalDate day);
}
