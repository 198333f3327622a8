package dev.laurel.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.SessionKeys;
import dev.laurel.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Member session keys from an AWS Secrets Manager secret (template.yaml {@code SessionKeysSecret},
 * named by {@code SESSION_KEYS_SECRET}), read through the SDK and cached for
 * {@link #CACHE} per container. The secret is JSON: {@code {"kid", "secret"}} as the template
 * generates it, plus {@code "previousKid", "previousSecret"} during a rotation (new tokens are
 * signed with {@code kid}; tokens of either verify). Functions using this declare
 * {@code software.amazon.awssdk:secretsmanager} themselves (optional in the shared module).
 */
public final class SecretsManagerKeys implements SessionKeys {
    /** How long keys read are kept before the secret is read again (a rotation lands within it). */
    public static final Duration CACHE = Duration.ofMinutes(5);
    private final Supplier<String> read;
    private List<Key> keys;
    private long readAtNanos;

    SecretsManagerKeys(Supplier<String> read) {
        this.read = Objects.requireNonNull(read, "read");
    }

    /** The keys of the secret {@code SESSION_KEYS_SECRET} names (its ARN or name), read on first use. */
    public static SessionKeys fromEnvironment() {
        String id = System.getenv("SESSION_KEYS_SECRET");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("SESSION_KEYS_SECRET is not set: member sessions need their keys");
        }
        return new SecretsManagerKeys(new Supplier<>() {
            private SecretsManagerClient client;

            @Override
            public String get() {
                if (client == null) {
                    client = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
                }
                return client.getSecretValue(b -> b.secretId(id)).secretString();
            }
        });
    }

    @Override
    public synchronized List<Key> keys() {
        long now = System.nanoTime();
        if (keys == null || now - readAtNanos > CACHE.toNanos()) {
            keys = parse(read.get());
            readAtNanos = now;
        }
        return keys;
    }

    /** The keys of a secret's JSON: current first, then the previous one if given. */
    public static List<Key> parse(String secretJson) {
        JsonNode n = Json.parse(secretJson);
        List<Key> out = new ArrayList<>();
        out.add(new Key(n.path("kid").asText(""), n.path("secret").asText("").getBytes(StandardCharsets.UTF_8)));
        if (n.hasNonNull("previousKid")) {
            out.add(new Key(n.path("previousKid").asText(""), n.path("previousSecret").asText("").getBytes(StandardCharsets.UTF_8)));
        }
        return List.copyOf(out);
    }
}
