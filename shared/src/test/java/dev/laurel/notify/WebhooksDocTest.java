package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/webhooks.md tells receivers how to verify a request: its example request must be a real one, and its Java and
 * Python verifiers must agree with {@link Signature#verify} on good, tampered, stale and malformed requests.
 */
class WebhooksDocTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TOLERANCE = 300;
    private static String doc;
    private static final long SEED = System.nanoTime();

    /** One request a receiver might get. */
    private record Case(String secret, String header, String body, long now) {
        boolean expected() {
            return Signature.verify(secret, header, body, now, TOLERANCE);
        }
    }

    @BeforeAll
    static void readDoc() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/webhooks.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/webhooks.md above " + System.getProperty("user.dir")).isNotNull();
        doc = Files.readString(dir.resolve("docs/webhooks.md"));
        readme = Files.readString(dir.resolve("README.md"));
    }

    private static String readme;

    /** The README's verification snippet is the tested one of docs/webhooks.md, word for word. */
    @Test
    void theReadmeQuotesTheTestedPythonVerifier() {
        String python = blocks("python").get(0);
        assertThat(readme).as("README.md quotes the Python verifier of docs/webhooks.md").contains(python);
    }

    /** The fenced code blocks of the given language ("" for a bare fence), in order. */
    private static List<String> blocks(String language) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        boolean wanted = false;
        for (String line : doc.split("\n", -1)) {
            if (current == null && line.startsWith("```")) {
                current = new StringBuilder();
                wanted = line.substring(3).strip().equals(language);
            } else if (current != null && line.strip().equals("```")) {
                if (wanted) {
                    out.add(current.toString());
                }
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return out;
    }

    @Test
    void theExampleRequestIsARealSignedEnvelope() {
        String request = blocks("").stream().filter(b -> b.startsWith("POST ")).findFirst().orElseThrow();
        List<String> lines = request.lines().toList();
        String signature = header(lines, "Laurel-Signature");
        String body = lines.get(lines.size() - 1);
        Notification n = new Notification("points_expiring:2027-01-31", "points_expiring", "acme", "Acme Rewards", "c-1",
                "ada@example.com", Instant.parse("2027-01-28T09:00:00Z"), Samples.object().put("points", 40)
                .put("expiresAt", "2027-01-31T23:00:00Z").put("expiresOn", "2027-01-31").put("timezone", "Europe/Berlin"));

        assertThat(body).isEqualTo(Json.write(Envelope.of(n)));
        assertThat(signature).isEqualTo(Signature.header("whsec_test", n.createdAt().getEpochSecond(), body));
        assertThat(header(lines, "Laurel-Notification-Id")).isEqualTo(n.id());
        assertThat(header(lines, "Laurel-Notification-Type")).isEqualTo(n.type());
        assertThat(header(lines, "User-Agent")).isEqualTo(WebhookChannel.USER_AGENT);
    }

    private static String header(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + ": ")).map(l -> l.substring(name.length() + 2))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in the example request"));
    }

    @Test
    void theJavaVerifierAgreesWithSignature(@TempDir Path tmp) throws Exception {
        List<String> java = blocks("java");
        assertThat(java).hasSize(1);
        Path source = tmp.resolve("LaurelWebhook.java");
        Files.writeString(source, java.get(0));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = compiler.run(null, null, errors, "--release", "17", "-d", tmp.toString(), source.toString());
        assertThat(rc).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null)) {
            Method verify = loader.loadClass("LaurelWebhook").getMethod("verify", String.class, String.class,
                    byte[].class, long.class);
            for (Case c : cases()) {
                boolean got = (Boolean) verify.invoke(null, c.secret(), c.header(),
                        c.body().getBytes(StandardCharsets.UTF_8), c.now());
                assertThat(got).as("seed %d: %s", SEED, c).isEqualTo(c.expected());
            }
        }
    }

    @Test
    void thePythonVerifierAgreesWithSignature(@TempDir Path tmp) throws Exception {
        List<String> python = blocks("python");
        assertThat(python).hasSize(1);
        String python3 = onPath("python3");
        assertThat(python3).as("python3 on PATH (it runs the documented Python verifier)").isNotNull();
        Path script = tmp.resolve("verify_doc.py");
        Files.writeString(script, python.get(0) + "\n\n"
                + "import json, sys\n"
                + "cases = json.load(sys.stdin)\n"
                + "print(json.dumps([verify(c['secret'], c['header'], c['body'].encode('utf-8'), now=c['now'])"
                + " for c in cases]))\n");
        List<Case> cases = cases();
        ArrayNode input = JSON.createArrayNode();
        for (Case c : cases) {
            ObjectNode o = input.addObject().put("secret", c.secret()).put("header", c.header()).put("body", c.body());
            o.put("now", c.now());
        }
        Process p = new ProcessBuilder(python3, script.toString()).redirectErrorStream(false).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(input));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python: %s", err).isZero();
        JsonNode results = JSON.readTree(out);
        assertThat(results).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(results.get(i).asBoolean()).as("seed %d: %s", SEED, cases.get(i))
                    .isEqualTo(cases.get(i).expected());
        }
    }

    /** Fixed cases, then random ones from SEED (failure messages print it). */
    private static List<Case> cases() {
        String secret = "whsec_doc";
        long t = 1_801_126_800L;
        String body = Json.write(Envelope.of(Samples.welcome()));
        String good = Signature.header(secret, t, body);
        String sig = good.substring(good.indexOf("v1=") + 3);
        String old = Signature.header("whsec_old", t, body);
        List<Case> cases = new ArrayList<>(List.of(
                new Case(secret, good, body, t),
                new Case(secret, good, body, t + 300),
                new Case(secret, good, body, t - 300),
                new Case(secret, good, body, t + 301),
                new Case(secret, good, body, t - 301),
                new Case("whsec_other", good, body, t),
                new Case(secret, good, body.replace("Café", "Cafe"), t),
                new Case(secret, good.replace("t=" + t, "t=" + (t + 60)), body, t + 60),
                new Case(secret, old + ",v1=" + sig, body, t),
                new Case(secret, "t=" + t + ", v1=" + sig.toUpperCase(), body, t),
                new Case(secret, "t=" + t + ",v0=xyz,v1=" + sig, body, t),
                new Case(secret, good + ",", body, t),
                new Case(secret, "", body, t),
                new Case(secret, null, body, t),
                new Case(secret, "garbage", body, t),
                new Case(secret, "t=" + t, body, t),
                new Case(secret, "v1=" + sig, body, t),
                new Case(secret, "t=abc,v1=" + sig, body, t),
                new Case(secret, "t=" + t + "\u0661,v1=" + sig, body, t),
                new Case(secret, "t=" + t + ",v1=" + sig.substring(2) + "zz", body, t),
                new Case(secret, "t=" + t + ",v1=" + sig.substring(2), body, t)));
        Random random = new Random(SEED);
        for (int i = 0; i < 60; i++) {
            String s = "whsec_" + Long.toHexString(random.nextLong());
            String b = "{\"n\":" + random.nextInt() + ",\"text\":\"" + "é€x".repeat(random.nextInt(4)) + "\"}";
            long ts = 1_700_000_000L + random.nextInt(100_000_000);
            String h = Signature.header(s, ts, b);
            long now = ts + random.nextInt(700) - 350;
            switch (random.nextInt(4)) {
                case 0 -> cases.add(new Case(s, h, b, now));
                case 1 -> cases.add(new Case(s, h, b + " ", now));
                case 2 -> cases.add(new Case(s + "x", h, b, now));
                default -> cases.add(new Case(s, h.replace("v1=", "v1=" + Integer.toHexString(random.nextInt(16))), b,
                        now));
            }
        }
        return cases;
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (!dir.isEmpty() && f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
