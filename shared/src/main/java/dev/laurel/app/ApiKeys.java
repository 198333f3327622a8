package dev.laurel.app;

import dev.laurel.domain.Refusal;
import dev.laurel.json.Canonical;
import dev.laurel.json.Obj;
import dev.laurel.store.ApiKeyStore;
import dev.laurel.store.ApiKeyStore.StoredKey;
import dev.laurel.store.Commit;
import dev.laurel.store.Records.ApiKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: stored only as SHA-256 hashes, each bound to one tenant and one role. Issued through
 * the API ({@link #issue}, the key shown once) or by the CLI ({@link #create}, the first admin key),
 * listed without secret material, revoked (never the tenant's last admin key). The authorizer's
 * {@link #authenticate} may keep what it read for {@code cacheTtl} (a bounded in-function cache; a
 * revoked key is refused once its entry is older than that) and records the key's last used day
 * (UTC) with at most one conditional write per key per day and container.
 */
public final class ApiKeys {
    public static final Set<String> ROLES = Set.of("admin", "shop");
    /** A limit on everything: keys per tenant (the CLI's and the API's together). */
    public static final int MAX_PER_TENANT = 50;
    public static final int MAX_NAME_CHARS = 100;
    /** Characters of a key shown in listings: {@code lk_} and 8 of its random characters (48 of 256 bits). */
    public static final int PREFIX_CHARS = 11;
    /** Entries the in-function cache holds at most (least recently used leave first). */
    static final int CACHE_ENTRIES = 1024;
    private static final SecureRandom RANDOM = dev.laurel.domain.Entropy.secure();

    private final ApiKeyStore store;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record Cached(ApiKey key, Instant readAt) {
    }

    /** No in-function cache; the system clock (last used days in UTC). */
    public ApiKeys(ApiKeyStore store) {
        this(store, Clock.systemUTC(), Duration.ZERO);
    }

    /** @param cacheTtl how long {@link #authenticate} may answer from what it read before (zero: never) */
    public ApiKeys(ApiKeyStore store, Clock clock, Duration cacheTtl) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
    }

    /** Empties the in-function cache (a SnapStart copy after its restore). */
    public void forgetCache() {
        synchronized (cache) {
            cache.clear();
        }
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
        String hash = Canonical.sha256(key);
        Instant now = clock.instant();
        ApiKey found = cached(hash, now);
        if (found == null) {
            found = store.apiKey(hash).filter(k -> ROLES.contains(k.role())).orElse(null);
            if (found == null) {
                return Optional.empty(); // unknown keys are not cached: a key created a moment ago works at once
            }
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (found.lastUsedDay() == null || found.lastUsedDay().isBefore(today)) {
            try {
                store.markApiKeyUsed(hash, today);
            } catch (RuntimeException e) {
                // the last used day is bookkeeping: a failure to record it never refuses a valid key
            }
            found = new ApiKey(found.tenant(), found.role(), found.name(), found.keyId(), today);
        }
        remember(hash, found, now);
        return Optional.of(found);
    }

    private ApiKey cached(String hash, Instant now) {
        if (cacheTtl.isZero()) {
            return null;
        }
        synchronized (cache) {
            Cached c = cache.get(hash);
            if (c == null || !now.isBefore(c.readAt().plus(cacheTtl)) || now.isBefore(c.readAt())) {
                cache.remove(hash);
                return null;
            }
            return c.key();
        }
    }

    private void remember(String hash, ApiKey key, Instant now) {
        if (cacheTtl.isZero()) {
            return;
        }
        synchronized (cache) {
            Cached c = cache.get(hash);
            // an entry keeps the instant it was read from the table: bookkeeping never extends its life
            cache.put(hash, new Cached(key, c != null && c.key().tenant().equals(key.tenant()) ? c.readAt() : now));
        }
    }

    /** A key as issued: {@code key} is shown this once and never again. */
    public record Issued(StoredKey stored, String key) {
    }

    /** Issues a new random key (the API's {@code POST /v1/keys}); {@code name} null: none. */
    public Outcome<Issued> issue(String tenant, String role, String name) {
        String key = newKey();
        StoredKey stored = new StoredKey(newKeyId(), key.substring(0, PREFIX_CHARS), role, name, clock.instant(), null);
        String hash = Canonical.sha256(key);
        Commit c = retrying(() -> store.createApiKey(hash, tenant, stored, MAX_PER_TENANT));
        if (c instanceof Commit.Refused r) {
            return Outcome.declined(r.refusal());
        }
        if (!(c instanceof Commit.Done)) {
            return Outcome.declined(BUSY);
        }
        return Outcome.done(new Issued(stored, key));
    }

    /** The tenant's keys, oldest first: never a key nor its hash. */
    public List<StoredKey> list(String tenant) {
        return store.apiKeys(tenant);
    }

    /** Revokes a key of the tenant: 404 for none (or another tenant's), 409 {@code last_admin_key}. */
    public Outcome<String> revoke(String tenant, String keyId) {
        Commit c = retrying(() -> store.deleteApiKey(tenant, keyId));
        if (c instanceof Commit.Refused r) {
            return Outcome.declined(r.refusal());
        }
        if (!(c instanceof Commit.Done)) {
            return Outcome.declined(BUSY);
        }
        synchronized (cache) {
            cache.values().removeIf(x -> keyId.equals(x.key().keyId()) && tenant.equals(x.key().tenant()));
        }
        return Outcome.done(keyId);
    }

    /**
     * Stores a key for a tenant and role (the CLI's first admin key, the local runner's keys);
     * generates one (256 random bits) when {@code key} is null. Creating a given key again for the
     * same tenant and role changes nothing.
     *
     * @throws IllegalArgumentException for a bad tenant, role or key, the tenant's key limit, or a
     *                                  key that is another tenant's
     */
    public String create(String tenant, String role, String name, String key, Instant now) {
        if (tenant == null || !Obj.ID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must match " + Obj.ID.pattern());
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + ROLES);
        }
        if (key == null) {
            key = newKey();
        }
        if (key.length() < 12 || key.length() > 256 || key.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a key is 12 to 256 characters without spaces");
        }
        // a key given to the CLI may be short: its listing shows at most a quarter of it
        StoredKey stored = new StoredKey(newKeyId(), key.substring(0, Math.min(PREFIX_CHARS, key.length() / 4)), role,
                name == null ? role + " key" : name, now, null);
        String hash = Canonical.sha256(key);
        Commit c = retrying(() -> store.createApiKey(hash, tenant, stored, MAX_PER_TENANT));
        if (c instanceof Commit.Refused r) {
            throw new IllegalArgumentException(r.refusal().message());
        }
        if (!(c instanceof Commit.Done)) {
            throw new IllegalStateException("the key could not be stored: " + c);
        }
        return key;
    }

    /** Another transaction on the tenant's key counts at the same instant: a few tries, then 429. */
    private static final Refusal BUSY = new Refusal(Refusal.Code.RATE_LIMITED, "the tenant's keys are being changed at the same time: try again");
    private static final int TRIES = 5;

    private static Commit retrying(java.util.function.Supplier<Commit> write) {
        Commit c = write.get();
        for (int attempt = 1; c instanceof Commit.Retry && attempt < TRIES; attempt++) {
            dev.laurel.retry.Backoff.SENDS.sleep(attempt);
            c = write.get();
        }
        return c;
    }

    private static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "lk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String newKeyId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "key-" + HexFormat.of().formatHex(b);
    }
}
