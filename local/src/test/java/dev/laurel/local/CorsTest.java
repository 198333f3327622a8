package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local runner's CORS, as API Gateway's with the template's CorsAllowedOrigins. */
class CorsTest {
    final Cors cors = new Cors(List.of("https://shop.example", " https://www.shop.example "));
    final HttpApi.Response ok = new HttpApi.Response(200, List.of(Map.entry("content-type", "application/json")),
            "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithTheAllowedMethodsAndHeaders() {
        HttpApi.Response r = cors.preflight("OPTIONS", "https://www.shop.example", "POST");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://www.shop.example");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET,POST,PUT,DELETE");
        assertThat(r.header("Access-Control-Allow-Headers")).contains("authorization", "content-type", "idempotency-key");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
    }

    @Test
    void anotherOriginGetsNoCorsHeaders() {
        HttpApi.Response r = cors.preflight("OPTIONS", "https://evil.example", "POST");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        assertThat(cors.decorate(ok, "https://evil.example").header("Access-Control-Allow-Origin")).isNull();
        assertThat(cors.decorate(ok, null)).isSameAs(ok);
    }

    @Test
    void answersToAnAllowedOriginCarryItAndOnlyPreflightsAreIntercepted() {
        HttpApi.Response r = cors.decorate(ok, "https://shop.example");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
        assertThat(r.header("Vary")).isEqualTo("Origin");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(cors.preflight("GET", "https://shop.example", null)).isNull();
        assertThat(cors.preflight("OPTIONS", "https://shop.example", null)).as("no Access-Control-Request-Method").isNull();
    }

    @Test
    void noOriginsMeansNoCors() {
        Cors none = new Cors(List.of(""));
        assertThat(none.enabled()).isFalse();
        assertThat(none.preflight("OPTIONS", "https://shop.example", "GET")).isNull();
        assertThat(none.decorate(ok, "https://shop.example")).isSameAs(ok);
    }
}
