package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's static files as the runner serves them at /dashboard/, through real HTTP. */
class DashboardFilesTest {
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

    static Http.Reply get(String path, Map<String, String> headers) {
        return http.raw("GET", path, null, null, headers);
    }

    @Test
    void dashboardRedirectsToItsFolderSoRelativeLinksWork() {
        Http.Reply r = get("/dashboard", Map.of());
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.headers().get("location")).isEqualTo("/dashboard/");
    }

    @Test
    void servesThePageWithoutAKeyAndWithItsHeaders() {
        Http.Reply r = get("/dashboard/", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.headers().get("cache-control")).isEqualTo("no-cache");
        assertThat(r.headers().get("etag")).matches("\"[0-9a-f]{32}\"");
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.headers().get("content-security-policy")).isEqualTo("frame-ancestors 'none'");
        assertThat(r.body()).contains("<h1>Laurel dashboard</h1>", "data-state=\"idle\"", "Content-Security-Policy");
        assertThat(get("/dashboard/index.html", Map.of()).body()).isEqualTo(r.body());
    }

    @Test
    void everyFileThePageLinksIsServedWithItsType() {
        String page = get("/dashboard/", Map.of()).body();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"").matcher(page);
        List<String> linked = new ArrayList<>();
        while (m.find()) {
            linked.add(m.group(1));
        }
        assertThat(linked).contains("dashboard.js", "dashboard.css", "vendor/uplot-1.6.32/uPlot.iife.min.js",
                "vendor/uplot-1.6.32/uPlot.min.css", "vendor/uplot-1.6.32/LICENSE.txt");
        Map<String, String> types = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
                "txt", "text/plain; charset=utf-8");
        for (String file : linked) {
            Http.Reply r = get("/dashboard/" + file, Map.of());
            assertThat(r.status()).as(file + " -> " + r.status()).isEqualTo(200);
            assertThat(r.headers().get("content-type")).as(file).isEqualTo(types.get(file.substring(file.lastIndexOf('.') + 1)));
            assertThat(r.headers().get("cache-control")).as(file)
                    .isEqualTo(file.startsWith("vendor/") ? "public, max-age=31536000, immutable" : "no-cache");
        }
    }

    @Test
    void aKnownEtagAnswers304WithoutABody() {
        String etag = get("/dashboard/dashboard.js", Map.of()).headers().get("etag");
        Http.Reply again = get("/dashboard/dashboard.js", Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.bytes()).isEmpty();
        assertThat(get("/dashboard/dashboard.js", Map.of("If-None-Match", "\"other\"")).status()).isEqualTo(200);
    }

    @Test
    void onlyGetAndHead() {
        Http.Reply post = http.raw("POST", "/dashboard/", "x".getBytes(StandardCharsets.UTF_8), null, Map.of());
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.code()).isEqualTo("method_not_allowed");
        assertThat(post.headers().get("allow")).isEqualTo("GET, HEAD");
        Http.Reply head = http.raw("HEAD", "/dashboard/", null, null, Map.of());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.bytes()).isEmpty();
    }

    @Test
    void unknownFilesAnswer404InTheErrorShape() {
        for (String path : List.of("/dashboard/nope.js", "/dashboard/vendor/README.md", "/dashboard/vendor/",
                "/dashboard/vendor/uplot-1.6.32/LICENSE", "/dashboardx")) {
            Http.Reply r = get(path, Map.of());
            assertThat(r.status()).as(path + " -> " + r).isEqualTo(404);
        }
        assertThat(get("/dashboard/nope.js", Map.of()).code()).isEqualTo("not_found");
    }

    /** Sent byte for byte on a socket: an HTTP client would normalise these paths before sending them. */
    @Test
    void noPathLeavesTheDashboardFolder() throws IOException {
        List<String> attempts = List.of("/dashboard/../pom.xml", "/dashboard/%2e%2e/pom.xml", "/dashboard/..%2fpom.xml",
                "/dashboard/vendor/../../dev/laurel/local/StaticFolder.class", "/dashboard/../simplelogger.properties",
                "/dashboard/%2e%2e%2fsimplelogger.properties", "/dashboard/..%5csimplelogger.properties",
                "/dashboard/.%2e/.%2e/dev/laurel/local/LocalMain.class", "/dashboard//etc/passwd",
                "/dashboard/vendor/..;/..;/simplelogger.properties", "/dashboard/%00index.html",
                "/dashboard/vendor/uplot-1.6.32/../../index.html", "/dashboard/.index.html");
        for (String path : attempts) {
            String answer = rawGet(path);
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertThat(status).as(path).doesNotContain(" 200 ").doesNotContain(" 30");
            assertThat(answer).as(path).doesNotContain("<project", "slf4j", "\u00ca\u00fe\u00ba\u00be", "root:");
        }
    }

    @Test
    void thePlainNameRule() {
        assertThat(StaticFolder.plain("index.html")).isTrue();
        assertThat(StaticFolder.plain("vendor/uplot-1.6.32/uPlot.iife.min.js")).isTrue();
        for (String bad : List.of("", "..", "../x.js", "a/../b.js", ".x.js", "a//b.js", "a/", "x.class", "x",
                "a\\b.js", "a%2fb.js", "a..b.js", "x.js/", "LICENSE")) {
            assertThat(StaticFolder.plain(bad)).as(bad).isFalse();
        }
    }

    @Test
    void theVendoredFilesAreTheOnesTheReadmeNames() throws Exception {
        Path vendor = Http.root().resolve("local/src/main/resources/dashboard/vendor");
        String readme = Files.readString(vendor.resolve("README.md"));
        Map<String, String> files = Map.of("uplot-1.6.32/uPlot.iife.min.js", "dist/uPlot.iife.min.js",
                "uplot-1.6.32/uPlot.min.css", "dist/uPlot.min.css", "uplot-1.6.32/LICENSE.txt", "LICENSE");
        for (var f : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(vendor.resolve(f.getKey()));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(readme).as(f.getKey()).contains("`" + f.getValue() + "` `" + sha + "`");
        }
        assertThat(Files.readString(vendor.resolve("uplot-1.6.32/LICENSE.txt"))).startsWith("The MIT License");
    }

    @Test
    void theBannerNamesTheDashboard() {
        assertThat(Banner.render(server, 1.0)).contains(server.url() + "/dashboard/");
    }

    private static String rawGet(String path) throws IOException {
        try (Socket s = new Socket(server.url().getHost(), server.url().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
