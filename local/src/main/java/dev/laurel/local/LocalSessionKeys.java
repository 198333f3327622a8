package dev.laurel.local;

import dev.laurel.app.SessionKeys;
import dev.laurel.aws.SecretsManagerKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The local runner's member session keys: generated on first start and kept in
 * {@code .laurel/session-keys.json} (owner-only), in the same JSON as the deployed secret
 * ({@code {"kid", "secret"}}, with {@code previousKid}/{@code previousSecret} for a rotation done
 * by hand); with {@code --in-memory}, fresh keys each start.
 */
final class LocalSessionKeys {
    static final String FILE = "session-keys.json";

    private LocalSessionKeys() {
    }

    static SessionKeys load(Path dataDir, boolean inMemory) {
        if (inMemory) {
            List<SessionKeys.Key> keys = SecretsManagerKeys.parse(generate());
            return () -> keys;
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                Files.writeString(file, generate(), StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own protection applies
                }
            }
            List<SessionKeys.Key> keys = SecretsManagerKeys.parse(Files.readString(file, StandardCharsets.UTF_8));
            return () -> keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the session keys in " + file, e);
        }
    }

    /** A secret as the template's GenerateSecretString makes it: 64 letters and digits. */
    static String generate() {
        byte[] b = new byte[48];
        new SecureRandom().nextBytes(b);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'a').replace('_', 'b');
        return "{\"kid\": \"local-1\", \"secret\": \"" + secret + "\"}\n";
    }
}
