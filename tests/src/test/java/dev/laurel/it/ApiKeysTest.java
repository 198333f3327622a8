package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.ApiKeys;
import dev.laurel.json.Canonical;
import dev.laurel.local.LocalClock;
import dev.laurel.store.dynamodb.DynamoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * API keys through the API (issue 14): {@code POST /v1/keys} shows the key once, {@code GET /v1/keys}
 * never shows secret material, {@code DELETE /v1/keys/{keyId}} revokes (401 at once here: these
 * calls go through the authorizer function without API Gateway's cache), another tenant's key is
 * 404, the last admin key stays, and the authorizer's in-function cache expires on its clock.
 */
class ApiKeysTest {
    private final Api api = new Api();

    private static final Set<String> LISTED_FIELDS = Set.of("keyId", "prefix", "role", "name", "createdAt", "lastUsedDay");

    private JsonNode create(Api as, String body) {
        Api.Reply r = as.admin("POST", "/v1/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.body();
    }

    private int statusWith(String key, String method, String path) {
        return api.call(method, path, null, key, Map.of()).status();
    }

    @Test
    void aKeyCreatedThroughTheApiWorksAtOnceAndIsShownOnlyThen() {
        JsonNode created = create(api, "{\"role\": \"admin\", \"name\": \"ops laptop\"}");
        String key = created.path("key").asText();
        assertThat(key).startsWith("lk_").hasSize(46);
        assertThat(created.path("prefix").asText()).isEqualTo(key.substring(0, ApiKeys.PREFIX_CHARS));
        assertThat(created.path("role").asText()).isEqualTo("admin");
        assertThat(created.path("name").asText()).isEqualTo("ops laptop");
        assertThat(created.path("createdAt").asText()).isEqualTo(api.clock.instant().toString());
        assertThat(created.path("keyId").asText()).matches("key-[0-9a-f]{16}");

        Api.Reply listed = api.call("GET", "/v1/keys", null, key, Map.of()); // the new key, at once
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.body().path("keys")).hasSize(3); // the tenant's admin and shop keys, and this one
        for (JsonNode k : listed.body().path("keys")) {
            List<String> fields = new ArrayList<>();
            k.fieldNames().forEachRemaining(fields::add);
            assertThat(LISTED_FIELDS).containsAll(fields);
        }
        String raw = listed.body().toString();
        for (String secret : List.of(key, api.adminKey, api.shopKey)) {
            assertThat(raw).doesNotContain(secret).doesNotContain(Canonical.sha256(secret));
        }
        JsonNode mine = find(listed.body(), created.path("keyId").asText());
        assertThat(mine.path("prefix").asText()).isEqualTo(created.path("prefix").asText());
        assertThat(mine.path("lastUsedDay").asText()).isEqualTo("2026-11-23"); // the authorizer's clock, UTC

        JsonNode shop = create(api, "{\"role\": \"shop\"}");
        assertThat(shop.has("name")).isFalse();
        assertThat(statusWith(shop.path("key").asText(), "GET", "/v1/keys")).isEqualTo(403); // a shop key, known
        JsonNode used = find(api.admin("GET", "/v1/keys", null).body(), shop.path("keyId").asText());
        assertThat(used.path("lastUsedDay").asText()).isEqualTo("2026-11-23");
    }

    @Test
    void aRevokedKeyIsRefusedAndAnotherTenantsKeyIsNotFound() {
        JsonNode created = create(api, "{\"role\": \"shop\", \"name\": \"till 3\"}");
        String key = created.path("key").asText();
        String keyId = created.path("keyId").asText();
        assertThat(statusWith(key, "GET", "/v1/programs/nope")).isEqualTo(403); // admin route: the key is known

        Api other = new Api(); // another tenant, same table
        Api.Reply foreign = other.admin("DELETE", "/v1/keys/" + keyId, null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("not_found");
        assertThat(other.admin("GET", "/v1/keys", null).body().toString()).doesNotContain(keyId);
        assertThat(statusWith(key, "GET", "/v1/programs/nope")).isEqualTo(403); // still works

        Api.Reply revoked = api.admin("DELETE", "/v1/keys/" + keyId, null);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.body().path("deleted").asBoolean()).isTrue();
        Api.Reply after = api.call("GET", "/v1/programs/nope", null, key, Map.of());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.code()).isEqualTo("unauthorized");
        assertThat(api.admin("DELETE", "/v1/keys/" + keyId, null).status()).isEqualTo(404);
        assertThat(api.admin("GET", "/v1/keys", null).body().toString()).doesNotContain(keyId);
    }

    @Test
    void theLastAdminKeyCannotBeRevoked() {
        String first = adminKeyId(api);
        Api.Reply last = api.admin("DELETE", "/v1/keys/" + first, null);
        assertThat(last.status()).as(last.toString()).isEqualTo(409);
        assertThat(last.code()).isEqualTo("last_admin_key");
        assertThat(statusWith(api.adminKey, "GET", "/v1/keys")).isEqualTo(200);

        JsonNode second = create(api, "{\"role\": \"admin\"}");
        String secondKey = second.path("key").asText();
        Api.Reply self = api.admin("DELETE", "/v1/keys/" + first, null); // a key may revoke itself while another admin key remains
        assertThat(self.status()).as(self.toString()).isEqualTo(200);
        assertThat(statusWith(api.adminKey, "GET", "/v1/keys")).isEqualTo(401);
        Api.Reply now = api.call("DELETE", "/v1/keys/" + second.path("keyId").asText(), null, secondKey, Map.of());
        assertThat(now.status()).isEqualTo(409);
        assertThat(now.code()).isEqualTo("last_admin_key");
        assertThat(statusWith(secondKey, "GET", "/v1/keys")).isEqualTo(200);
    }

    /** Two admins revoke each other's key at the same instant: the counts' condition lets exactly one through. */
    @Test
    void twoConcurrentRevocationsNeverLeaveNoAdminKey() throws Exception {
        for (int round = 0; round < 5; round++) {
            Api t = new Api();
            JsonNode second = create(t, "{\"role\": \"admin\"}");
            String first = null;
            for (JsonNode k : t.admin("GET", "/v1/keys", null).body().path("keys")) {
                if (k.path("role").asText().equals("admin") && !k.path("keyId").asText().equals(second.path("keyId").asText())) {
                    first = k.path("keyId").asText();
                }
            }
            String firstId = first;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> t.admin("DELETE", "/v1/keys/" + firstId, null));
                var b = pool.submit(() -> t.call("DELETE", "/v1/keys/" + second.path("keyId").asText(), null,
                        second.path("key").asText(), Map.of()));
                List<Integer> statuses = List.of(a.get().status(), b.get().status());
                assertThat(statuses).as("round " + round + ": " + a.get() + " / " + b.get()).containsExactlyInAnyOrder(200, 409);
            } finally {
                pool.shutdown();
            }
            JsonNode left = t.call("GET", "/v1/keys", null, t.adminKey, Map.of()).status() == 200
                    ? t.admin("GET", "/v1/keys", null).body()
                    : t.call("GET", "/v1/keys", null, second.path("key").asText(), Map.of()).body();
            assertThat(left.path("keys").findValuesAsText("role")).containsOnlyOnce("admin");
        }
    }

    @Test
    void aTenantHoldsAtMostFiftyKeysAndShopKeysCannotManageThem() {
        assertThat(api.shop("POST", "/v1/keys", "{\"role\": \"admin\"}").status()).isEqualTo(403);
        assertThat(api.shop("GET", "/v1/keys", null).status()).isEqualTo(403);
        assertThat(api.shop("DELETE", "/v1/keys/" + adminKeyId(api), null).status()).isEqualTo(403);
        for (int i = 2; i < ApiKeys.MAX_PER_TENANT; i++) {
            create(api, "{\"role\": \"shop\", \"name\": \"till " + i + "\"}");
        }
        Api.Reply over = api.admin("POST", "/v1/keys", "{\"role\": \"shop\"}");
        assertThat(over.status()).as(over.toString()).isEqualTo(409);
        assertThat(over.code()).isEqualTo("limit_reached");
        assertThat(api.admin("GET", "/v1/keys", null).body().path("keys")).hasSize(ApiKeys.MAX_PER_TENANT);
        // a shop key: the keys share the test clock's createdAt, so their order is by random keyId, and the
        // tenant's one admin key could sit anywhere (revoking it is refused: last_admin_key)
        String some = null;
        for (JsonNode k : api.admin("GET", "/v1/keys", null).body().path("keys")) {
            if (k.path("role").asText().equals("shop")) {
                some = k.path("keyId").asText();
            }
        }
        assertThat(api.admin("DELETE", "/v1/keys/" + some, null).status()).isEqualTo(200);
        create(api, "{\"role\": \"shop\"}"); // room again
    }

    @Test
    void hostileBodiesAreRefusedWithTheirField() {
        Object[][] cases = {
                {"{\"role\": \"root\"}", "role"},
                {"{}", "role"},
                {"{\"role\": \"shop\", \"key\": \"lk_chosen-by-the-caller\"}", "key"},
                {"{\"role\": \"shop\", \"name\": 5}", "name"},
                {"{\"role\": \"shop\", \"name\": \"" + "x".repeat(ApiKeys.MAX_NAME_CHARS + 1) + "\"}", "name"},
                {"{\"role\": \"shop\", \"name\": \"a\\u0000b\"}", "name"},
                {"{\"role\": \"shop\", \"name\": \"  \"}", "name"},
                {"{\"role\": [\"admin\"]}", "role"},
        };
        for (Object[] c : cases) {
            Api.Reply r = api.admin("POST", "/v1/keys", c[0]);
            assertThat(r.status()).as(c[0] + " " + r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid_request");
            assertThat(r.field()).as(c[0].toString()).isEqualTo(c[1]);
        }
        assertThat(api.admin("POST", "/v1/keys", "[1]").status()).isEqualTo(400);
        assertThat(api.admin("POST", "/v1/keys", "{\"role\": ").status()).isEqualTo(400);
        assertThat(api.admin("GET", "/v1/keys?limit=5", null).field()).isEqualTo("limit");
        assertThat(api.admin("DELETE", "/v1/keys/bad%23id", null).status()).isEqualTo(400);
        assertThat(api.admin("GET", "/v1/keys", null).body().path("keys")).hasSize(2); // nothing was created
    }

    /** The authorizer writes a key's last used day once per day, not per request; its cache expires on its clock. */
    @Test
    void theAuthorizerRecordsTheDayOnceAndItsCacheExpires() {
        AtomicInteger updates = new AtomicInteger();
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest) {
                    updates.incrementAndGet();
                }
            }
        };
        DynamoStore watched = new DynamoStore(LocalDynamo.client(LocalDynamo.get().endpoint(), counting), LocalDynamo.TABLE);
        LocalClock clock = LocalClock.frozenAt(Instant.parse("2026-11-23T23:59:00Z"));
        ApiKeys authorizer = new ApiKeys(watched, clock, Duration.ofSeconds(60));
        ApiKeys uncached = new ApiKeys(watched, clock, Duration.ZERO);
        JsonNode created = create(api, "{\"role\": \"shop\"}");
        String bearer = "Bearer " + created.path("key").asText();

        for (int i = 0; i < 50; i++) {
            assertThat(uncached.authenticate(bearer)).isPresent();
        }
        assertThat(updates.get()).isEqualTo(1); // the first request of the day; then the read shows the day
        assertThat(authorizer.authenticate(bearer)).isPresent(); // read, the day already recorded: no write
        assertThat(updates.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(61)); // the next day (UTC)
        for (int i = 0; i < 20; i++) {
            assertThat(authorizer.authenticate(bearer)).isPresent();
        }
        assertThat(updates.get()).isEqualTo(2);
        assertThat(find(api.admin("GET", "/v1/keys", null).body(), created.path("keyId").asText()).path("lastUsedDay").asText())
                .isEqualTo("2026-11-24");

        // revoked through the API (another container): this container's cache answers until its entry is 60 s old
        assertThat(api.admin("DELETE", "/v1/keys/" + created.path("keyId").asText(), null).status()).isEqualTo(200);
        assertThat(uncached.authenticate(bearer)).isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(authorizer.authenticate(bearer)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(authorizer.authenticate(bearer)).isEmpty();
    }

    private static JsonNode find(JsonNode listing, String keyId) {
        for (JsonNode k : listing.path("keys")) {
            if (k.path("keyId").asText().equals(keyId)) {
                return k;
            }
        }
        throw new AssertionError("no key " + keyId + " in " + listing);
    }

    /** The key id of the tenant's first admin key (the one the test's Api made). */
    private static String adminKeyId(Api a) {
        for (JsonNode k : a.admin("GET", "/v1/keys", null).body().path("keys")) {
            if (k.path("role").asText().equals("admin")) {
                return k.path("keyId").asText();
            }
        }
        throw new AssertionError("no admin key");
    }
}
