package dev.laurel.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./laurel local --port 0 --in-memory} as a child process, run from the artifact the build
 * just packaged ({@code local/target/laurel-local.jar} and {@code local/target/lib/}, as the script
 * runs it), with real HTTP to it. The reactor builds {@code local} before this module
 * ({@code mvn -pl tests -am verify}).
 */
final class LocalRunnerProcess implements AutoCloseable {
    static final String ADMIN_KEY = "local-admin-key";
    static final String SHOP_KEY = "local-shop-key";
    private static final Pattern READY = Pattern.compile("Laurel local is running on (http://\\S+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String body) {
        JsonNode json() {
            return Json.parse(body);
        }
    }

    private final Process process;
    private final StringBuffer console = new StringBuffer();
    final URI url;

    LocalRunnerProcess(Path root) throws IOException, InterruptedException {
        Path jar = root.resolve("local/target/laurel-local.jar");
        Path lib = root.resolve("local/target/lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(jar + " or " + lib + " is missing: build the local module first "
                    + "(mvn -pl tests -am verify builds it)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlaurel.root=" + root, "-Dsqlite4java.library.path=" + lib, "-cp", jar + ":" + lib + "/*",
                "dev.laurel.local.LocalMain", "--port", "0", "--in-memory"));
        pb.environment().put("LAUREL_ADMIN_KEY", ADMIN_KEY);
        pb.environment().put("LAUREL_SHOP_KEY", SHOP_KEY);
        pb.redirectErrorStream(true);
        process = pb.start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    console.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the runner stopped before it was ready"));
        }, "laurel-local-console");
        reader.setDaemon(true);
        reader.start();
        try {
            url = ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("./laurel local did not start: " + e + "\n" + console, e);
        }
    }

    /** What the runner printed so far (banner and request log). */
    String console() {
        return console.toString();
    }

    Reply call(String method, String path, String key, String body) {
        return call(method, path, key, body, Map.of());
    }

    Reply call(String method, String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The call, which must answer {@code status}; its JSON body. */
    JsonNode expect(int status, String method, String path, String key, String body) {
        return expect(status, method, path, key, body, Map.of());
    }

    JsonNode expect(int status, String method, String path, String key, String body, Map<String, String> headers) {
        Reply r = call(method, path, key, body, headers);
        if (r.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + " " + r.body() + ", not " + status);
        }
        return r.json();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the runner's shutdown hook stops Jetty and DynamoDB Local
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
