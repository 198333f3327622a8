package dev.laurel.app;

import dev.laurel.json.Obj;
import dev.laurel.json.Canonical;
import dev.laurel.store.ApiKeyStore;
import dev.laurel.store.Records.ApiKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/** API keys: stored only as SHA-256 hashes, each bound to one tenant and one role. */
public final class ApiKeys {
    public static final Set<String> ROLES = Set.of("admin", "shop");
    private final ApiKeyStore store;

    public ApiKeys(ApiKeyStore store) {
        this.store = store;
    }

    /** The key behind an {@code Authorization: Bearer <key>} header, if it is one of ours. */
    public Optional<ApiKey> authenticate(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String h = authorization.trim();
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = h.substring(7).trim();
        if (key.isEmpty() || key.length() > 256) {
            return Optional.empty();
        }
        return store.apiKey(Canonical.sha256(key)).filter(k -> ROLES.contains(k.role()));
    }

    /** Stores a key for a tenant and role; generates one (256 random bits) when {@code key} is null. */
    public String create(String tenant, String role, String name, String key, Instant now) {
        if (tenant == null || !Obj.ID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must match " + Obj.ID.pattern());
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES);
        }
        if (key == null) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            key = "lk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
        if (key.length() < 12 || key.length() > 256 || key.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a key is 12 to 256 characters without spaces");
        }
        store.putApiKey(Canonical.sha256(key), tenant, role, name == null ? role + " key" : name, now);
        return key;
    }
}
