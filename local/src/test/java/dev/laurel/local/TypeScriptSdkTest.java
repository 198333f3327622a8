package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript SDK (clients/typescript) against a runner this test starts: {@code npm test} type-checks it
 * with {@code tsc --strict}, then runs its node tests (the walkthrough through the SDK, a lost answer retried
 * with the same Idempotency-Key, member sessions, errors, a real webhook delivery checked by the SDK's
 * Laurel-Signature verifier, and the drift check of the generated src/schema.ts against api/openapi.yaml).
 * node_modules comes from {@code npm ci} (package-lock.json) when it is missing: online the first time only.
 */
class TypeScriptSdkTest {
    static final Path SDK = Http.root().resolve("clients/typescript");

    record Run(int exit, String output) {
    }

    static Run npm(Path dir, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("npm"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("laurel-npm-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "npm " + String.join(" ", args) + " did not finish in 300 s\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theSdkRunsTheWalkthroughAndVerifiesARealWebhook() throws Exception {
        if (!Files.isDirectory(SDK.resolve("node_modules/openapi-fetch"))) {
            Run ci = npm(SDK, java.util.Map.of(), "ci", "--no-audit", "--no-fund", "--prefer-offline");
            assertThat(ci.exit()).as("npm ci in " + SDK + "\n" + ci.output()).isZero();
        }
        try (LocalServer server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
            Run test = npm(SDK, java.util.Map.of("LAUREL_URL", "http://127.0.0.1:" + server.port()), "test");
            assertThat(test.exit()).as(test.output()).isZero();
            assertThat(test.output()).contains("# pass 4", "# fail 0")
                    .contains("ok 4 - the walkthrough, a member session and a signed webhook, through the SDK");
        }
        assertThat(new File(SDK.toFile(), "dist/src/index.d.ts")).as("tsc emitted the declarations").exists();
    }
}
