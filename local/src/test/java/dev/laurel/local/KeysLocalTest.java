package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys through ./laurel local over real HTTP: a key created through the API works at once, the
 * listing never shows it, a revoked key is refused. The runner emulates API Gateway's authorizer
 * cache at the template's {@code AuthorizerCacheSeconds} (60 s): a key used just before its
 * revocation is still accepted from that cache, one not cached is refused at once.
 */
class KeysLocalTest {
    static LocalServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode create(String body) {
        Http.Reply r = http.admin("POST", "/v1/keys", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    @Test
    void aKeyCreatedThroughTheApiWorksAtOnceAndARevokedOneIsRefused() {
        JsonNode admin = create("{\"role\": \"admin\", \"name\": \"ops\"}");
        String key = admin.path("key").asText();
        Http.Reply listed = http.send("GET", "/v1/keys", null, "Bearer " + key, Map.of());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        String raw = new String(listed.bytes(), StandardCharsets.UTF_8);
        assertThat(raw).contains(admin.path("keyId").asText()).doesNotContain(key)
                .doesNotContain(LocalServer.DEFAULT_ADMIN_KEY).doesNotContain(LocalServer.DEFAULT_SHOP_KEY);

        // never sent before its revocation: nothing cached, refused at once
        JsonNode unused = create("{\"role\": \"shop\"}");
        assertThat(http.admin("DELETE", "/v1/keys/" + unused.path("keyId").asText(), null).status()).isEqualTo(200);
        Http.Reply refused = http.send("GET", "/v1/keys", null, "Bearer " + unused.path("key").asText(), Map.of());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("unauthorized");

        // used, then revoked: the gateway's cached answer holds for up to AuthorizerCacheSeconds (60 s)
        JsonNode used = create("{\"role\": \"shop\"}");
        String usedKey = "Bearer " + used.path("key").asText();
        assertThat(http.send("GET", "/v1/keys", null, usedKey, Map.of()).status()).isEqualTo(403);
        assertThat(http.admin("DELETE", "/v1/keys/" + used.path("keyId").asText(), null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/keys", null, usedKey, Map.of()).status()).as("cached for 60 s").isEqualTo(403);
        assertThat(http.admin("DELETE", "/v1/keys/" + used.path("keyId").asText(), null).status()).isEqualTo(404);
    }
}
