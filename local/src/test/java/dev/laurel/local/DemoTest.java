package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo shop's backend at /demo (its session, code lookup and use), the widget's file at
 * /widget/, and the demo keys, through real HTTP to a started runner.
 */
class DemoTest {
    static LocalServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Http.Reply post(String path, String body) {
        return http.send("POST", path, body, null, Map.of());
    }

    @Test
    void aSessionIsMintedForTheSeededMemberAndOpensOnlyTheirWallet() {
        Http.Reply r = post("/demo/session", "{}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.path("program").asText()).isEqualTo(Demo.PROGRAM);
        assertThat(s.path("customerId").asText()).isEqualTo("anna");
        assertThat(s.path("currency").asText()).isEqualTo("EUR");
        assertThat(s.path("api").asText()).isEmpty();
        assertThat(s.path("token").asText()).startsWith("v1.");
        assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
        String token = "Bearer " + s.path("token").asText();
        Http.Reply wallet = http.send("GET", "/v1/programs/demo-shop/customers/anna", null, token, Map.of());
        assertThat(wallet.status()).as(wallet.toString()).isEqualTo(200);
        assertThat(wallet.json().path("balance").path("available").asLong()).isEqualTo(249 + 50);
        assertThat(wallet.json().path("locale").asText()).isEqualTo("en");
        assertThat(http.send("GET", "/v1/programs/demo-shop", null, token, Map.of()).status()).isEqualTo(403);
        // again: seeded once, the same member and balance
        assertThat(post("/demo/session", "{\"program\": \"demo-shop\", \"customerId\": \"anna\"}").status()).isEqualTo(200);
        assertThat(http.shop("GET", "/v1/programs/demo-shop/customers/anna", null).json().path("balance").path("available")
                .asLong()).isEqualTo(299);
    }

    @Test
    void theJapaneseShopIsInYenWithAJapaneseMember() {
        JsonNode s = post("/demo/session", "{\"program\": \"demo-shop-jp\"}").json();
        assertThat(s.path("customerId").asText()).isEqualTo("yuki");
        assertThat(s.path("currency").asText()).isEqualTo("JPY");
        JsonNode wallet = http.send("GET", "/v1/programs/demo-shop-jp/customers/yuki", null, "Bearer " + s.path("token").asText(),
                Map.of()).json();
        assertThat(wallet.path("locale").asText()).isEqualTo("ja");
        assertThat(http.admin("GET", "/v1/programs/demo-shop-jp", null).json().path("currency").asText()).isEqualTo("JPY");
    }

    @Test
    void refusesWhatIsNotADemoSession() {
        Http.Reply other = post("/demo/session", "{\"program\": \"acme\"}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().path("error").path("details").path("field").asText()).isEqualTo("program");
        assertThat(post("/demo/session", "{\"customerId\": \"no spaces\"}").code()).isEqualTo("invalid_request");
        assertThat(post("/demo/session", "{not json").code()).isEqualTo("invalid_request");
        Http.Reply get = http.send("GET", "/demo/session", null, null, Map.of());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers().get("allow")).isEqualTo("POST");
    }

    @Test
    void theTillLooksACodeUpAndUsesItOnce() {
        assertThat(post("/demo/session", "{\"customerId\": \"till-member\"}").code()).as("not a member yet").isEqualTo("not_found");
        http.shop("POST", "/v1/programs/demo-shop/earn", """
                {"customerId": "till-member", "event": {"type": "order.paid", "id": "till-o-1", "order": {"totalMinor": 20000, "currency": "EUR"}}}""");
        String token = "Bearer " + post("/demo/session", "{\"customerId\": \"till-member\"}").json().path("token").asText();
        Http.Reply redeemed = http.send("POST", "/v1/programs/demo-shop/redeem",
                "{\"customerId\": \"till-member\", \"rewardId\": \"coffee\"}", token, Map.of("Idempotency-Key", "till-r-1"));
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
        String code = redeemed.json().path("code").asText();

        Http.Reply found = http.send("GET", "/demo/codes/" + code + "?program=demo-shop", null, null, Map.of());
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        assertThat(found.json().path("code").path("status").asText()).isEqualTo("issued");
        assertThat(found.json().path("code").path("customerId").asText()).isEqualTo("till-member");
        assertThat(found.json().path("reward").path("name").asText()).isEqualTo("Free coffee");
        assertThat(found.json().path("reward").path("valueMinor").asLong()).isEqualTo(350);
        assertThat(found.json().path("currency").asText()).isEqualTo("EUR");

        Http.Reply used = post("/demo/codes/" + code + "/use", "{\"program\": \"demo-shop\", \"orderId\": \"till-1\"}");
        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        assertThat(used.json().path("status").asText()).isEqualTo("used");
        assertThat(used.json().path("orderId").asText()).isEqualTo("till-1");
        Http.Reply again = post("/demo/codes/" + code + "/use", "{\"program\": \"demo-shop\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("already_used");

        assertThat(http.send("GET", "/demo/codes/LR-AAAAA-BBBBB-CCCCC?program=demo-shop", null, null, Map.of()).code())
                .isEqualTo("not_found");
        assertThat(http.send("GET", "/demo/codes/" + code + "?program=acme", null, null, Map.of()).status()).isEqualTo(400);
        assertThat(http.send("GET", "/demo/codes/" + code + "/use", null, null, Map.of()).status()).isEqualTo(405);
        assertThat(http.send("GET", "/demo/codes/a/b/c", null, null, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void servesThePagesAndTheWidgetFile() {
        Http.Reply redirect = http.send("GET", "/demo", null, null, Map.of());
        assertThat(redirect.status()).isEqualTo(308);
        assertThat(redirect.headers().get("location")).isEqualTo("/demo/");
        Http.Reply page = http.send("GET", "/demo/", null, null, Map.of());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<laurel-wallet id=\"wallet\">", "/widget/laurel-wallet.js", "Content-Security-Policy")
                .doesNotContain(LocalServer.DEFAULT_SHOP_KEY, LocalServer.DEFAULT_ADMIN_KEY);
        assertThat(page.headers().get("content-security-policy")).isEqualTo("frame-ancestors 'none'");
        assertThat(http.send("GET", "/demo/till.html", null, null, Map.of()).status()).isEqualTo(200);

        Http.Reply js = http.send("GET", "/widget/laurel-wallet.js", null, null, Map.of());
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.headers().get("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(js.headers().get("access-control-allow-origin")).isEqualTo("*");
        assertThat(js.body()).contains("customElements.define('laurel-wallet'").doesNotContain("innerHTML");
        assertThat(http.send("GET", "/widget/laurel-wallet.js", null, null, Map.of("If-None-Match", js.headers().get("etag")))
                .status()).isEqualTo(304);
        assertThat(http.send("POST", "/widget/laurel-wallet.js", null, null, Map.of()).status()).isEqualTo(405);
        for (String bad : new String[] {"/widget/../dashboard/index.html", "/widget/%2e%2e/demo/index.html", "/widget/x.class",
                "/demo/../widget/laurel-wallet.js", "/widget/.hidden.js"}) {
            assertThat(http.send("GET", bad, null, null, Map.of()).status()).as(bad).isIn(400, 404);
        }
    }

    @Test
    void theDemoKeysAreKeptOwnerOnlyInTheDataFolder(@TempDir Path dir) throws Exception {
        try (LocalServer kept = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).dataDir(dir).schedules(false)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
            Path file = dir.resolve(DemoKeys.FILE);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            JsonNode keys = Http.JSON.readTree(Files.readString(file));
            Http k = new Http(kept.url());
            assertThat(k.send("GET", "/v1/programs/none", null, "Bearer " + keys.path("admin").asText(), Map.of()).code())
                    .isEqualTo("not_found");
            assertThat(k.send("GET", "/v1/programs/none", null, "Bearer " + keys.path("shop").asText(), Map.of()).code())
                    .isEqualTo("forbidden");
            assertThat(k.send("POST", "/demo/session", "{}", null, Map.of()).status()).isEqualTo(200);
        }
    }
}
