package dev.laurel.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.app.ApiKeys;
import dev.laurel.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * The API keys of the demo shop's backend ({@link Demo}): an admin key (to create the demo
 * programs) and a shop key (sessions, codes) of the tenant {@code local}, made by the runner and
 * never given to a page. Drawn on first start ({@link ApiKeys#create}: 256 random bits) and kept in
 * {@code .laurel/demo-keys.json} (owner-only), stored again (as hashes) at every start; with
 * {@code --in-memory}, fresh each start.
 */
record DemoKeys(String admin, String shop) {
    static final String FILE = "demo-keys.json";
    private static final String NAME = "demo shop backend (local)";

    static DemoKeys create(ApiKeys keys, Path dataDir, boolean inMemory, Instant now) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!inMemory && Files.exists(file)) {
                JsonNode j = Json.read(Files.readString(file, StandardCharsets.UTF_8));
                return new DemoKeys(keys.create(LocalServer.TENANT, "admin", NAME, j.path("admin").asText(), now),
                        keys.create(LocalServer.TENANT, "shop", NAME, j.path("shop").asText(), now));
            }
            DemoKeys k = new DemoKeys(keys.create(LocalServer.TENANT, "admin", NAME, null, now),
                    keys.create(LocalServer.TENANT, "shop", NAME, null, now));
            if (!inMemory) {
                Files.createDirectories(dataDir);
                Files.writeString(file, Json.write(Json.object().put("admin", k.admin()).put("shop", k.shop())) + "\n",
                        StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the folder's own protection applies
                }
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo keys in " + file, e);
        }
    }
}
