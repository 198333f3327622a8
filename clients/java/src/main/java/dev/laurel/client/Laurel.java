package dev.laurel.client;

import dev.laurel.client.invoker.ApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * The generated client configured for one Laurel: {@code ApiClient} on {@code base} (the local runner's
 * {@code http://127.0.0.1:3000} or a stack's {@code ApiUrl}) sending {@code Authorization: Bearer <key>} (an API
 * key or a member session's token). Use it with the generated APIs ({@code new ImportsApi(client)}) through
 * {@link Retry}.
 */
public final class Laurel {
    private Laurel() {
    }

    /** A client of {@code base} with {@code key}; 10 s to connect, 60 s per request, no redirects followed. */
    public static ApiClient client(URI base, String key) {
        Objects.requireNonNull(key, "key");
        String b = base.toString();
        ApiClient client = new ApiClient();
        client.setHttpClientBuilder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER));
        client.updateBaseUri(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }
}
