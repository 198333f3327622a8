package dev.laurel.store;

import dev.laurel.store.Records.ApiKey;
import java.time.Instant;
import java.util.Optional;

/** API keys, stored only as SHA-256 hashes. */
public interface ApiKeyStore {
    void putApiKey(String sha256Hex, String tenant, String role, String name, Instant now);

    Optional<ApiKey> apiKey(String sha256Hex);
}
