package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docs/walkthrough.sh (the README's tour) runs green against a runner this test starts. */
class WalkthroughTest {
    @Test
    void theWalkthroughAnswersEveryStep() throws Exception {
        try (LocalServer server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream())))) {
            ProcessBuilder pb = new ProcessBuilder("bash", Http.root().resolve("docs/walkthrough.sh").toString())
                    .redirectErrorStream(true);
            pb.environment().put("LAUREL_URL", "http://127.0.0.1:" + server.port());
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("walkthrough finished in time").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out)
                    .contains("PUT /v1/programs/walkthrough -> 201")
                    .contains("PUT /v1/programs/walkthrough/customers/ada -> 201")
                    .contains("\"pointsEarned\":129")
                    .contains("\"valid\":true")
                    .contains("\"pointsSpent\":100")
                    .contains("\"status\":\"rolled_back\"")
                    .contains("\"balance\":{\"available\":154,\"pending\":0,\"lifetimeEarned\":154,\"owed\":0}")
                    .contains("walkthrough: done");
        }
    }

    /** docs/growth.sh (double opt-in and referrals) runs green against a runner this test starts. */
    @Test
    void theGrowthWalkthroughAnswersEveryStep() throws Exception {
        try (LocalServer server = LocalServer.start(LocalServer.Options.defaults(Http.root()).port(0).inMemory(true)
                .log(new PrintStream(new ByteArrayOutputStream())))) {
            ProcessBuilder pb = new ProcessBuilder("bash", Http.root().resolve("docs/growth.sh").toString())
                    .redirectErrorStream(true);
            pb.environment().put("LAUREL_URL", "http://127.0.0.1:" + server.port());
            pb.environment().put("LAUREL_RUN", "1");
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("growth walkthrough finished in time").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out)
                    .contains("PUT /v1/programs/growth -> 201")
                    .contains("\"consent\":{\"marketing\":\"pending\",\"confirmationSent\":true}")
                    .contains("POST /v1/consent/confirm -> 200")
                    .contains("{\"programId\":\"growth\",\"customerId\":\"ada-1\",\"consent\":\"confirmed\"}")
                    .contains("POST /v1/consent/confirm -> 404")
                    .contains("\"consent\":{\"marketing\":\"confirmed\"}")
                    .contains("\"balance\":{\"available\":550,")
                    .contains("tier: silver") // the referral award, counted in the calendar year's window
                    .contains("\"segments\":[\"returning\"]")
                    .contains("\"capped\":\"velocity\"")
                    .contains("POST /v1/programs/growth/donations -> 201")
                    .contains("growth: done");
        }
    }
}
