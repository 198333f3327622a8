package dev.laurel.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private static final String SECRET = "whsec_laurel_test";
    private static final long T = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final String BODY = "{\"id\":\"welcome:c-1\",\"data\":{\"name\":\"Café\"}}";

    /** The expected signature computed here, independently of Signature. */
    private static String hmacHex(String secret, long t, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void knownAnswer() throws Exception {
        // computed once with Python: hmac.new(b'whsec_laurel_test', b'1767225600.' + body.encode(), sha256)
        String python = "97af6a92637ff786d400c610d285ebce7d86415c96d1ac22eec021a5732a8c6e";
        assertThat(hmacHex(SECRET, T, BODY)).isEqualTo(python);
        assertThat(Signature.header(SECRET, T, BODY)).isEqualTo("t=1767225600,v1=" + python);
    }

    @Test
    void verifyAcceptsAGoodHeader() {
        String h = Signature.header(SECRET, T, BODY);
        assertThat(Signature.verify(SECRET, h, BODY, T, 300)).isTrue();
        assertThat(Signature.verify(SECRET, h, BODY, T + 300, 300)).isTrue();
        assertThat(Signature.verify(SECRET, h, BODY, T - 300, 300)).isTrue();
        assertThat(Signature.verify(SECRET, h.toUpperCase().replace("T=", "t=").replace("V1=", "v1="), BODY, T, 300))
                .as("uppercase hex").isTrue();
        assertThat(Signature.verify(SECRET, "t=" + T + " , v1=" + h.substring(h.indexOf("v1=") + 3), BODY, T, 0))
                .as("spaces around items").isTrue();
    }

    @Test
    void verifyRejectsAWrongSecretATamperedBodyAndAStaleTimestamp() {
        String h = Signature.header(SECRET, T, BODY);
        assertThat(Signature.verify("whsec_other", h, BODY, T, 300)).isFalse();
        assertThat(Signature.verify(SECRET, h, BODY.replace("Café", "Cafe"), T, 300)).isFalse();
        assertThat(Signature.verify(SECRET, h, BODY + " ", T, 300)).isFalse();
        assertThat(Signature.verify(SECRET, h, BODY, T + 301, 300)).isFalse();
        assertThat(Signature.verify(SECRET, h, BODY, T - 301, 300)).isFalse();
        assertThat(Signature.verify(SECRET, h, BODY, Long.MIN_VALUE, Long.MAX_VALUE)).as("overflowing distance").isFalse();
        // the timestamp is signed: moving it to look fresh breaks the signature
        String moved = h.replace("t=" + T, "t=" + (T + 1000));
        assertThat(Signature.verify(SECRET, moved, BODY, T + 1000, 300)).isFalse();
    }

    @Test
    void verifyRejectsMalformedHeaders() {
        String v1 = Signature.header(SECRET, T, BODY).substring(("t=" + T + ",v1=").length());
        String[] bad = {
            null, "", " ", ",", "garbage", "t=", "v1=", "t=" + T, "v1=" + v1, "t=" + T + ",v1=",
            "t=" + T + ",v1=" + v1 + ",", ",t=" + T + ",v1=" + v1, "t=" + T + ";v1=" + v1,
            "t=abc,v1=" + v1, "t=-" + T + ",v1=" + v1, "t=+" + T + ",v1=" + v1, "t=1.5,v1=" + v1,
            "t=" + T + ",t=" + T + ",v1=" + v1, "t=99999999999999999999,v1=" + v1,
            "t=" + T + ",v1=" + v1.substring(1), "t=" + T + ",v1=" + v1 + "0",
            "t=" + T + ",v1=" + v1.substring(2) + "zz", "t=" + T + ",v1=" + v1 + ",v1=nothex",
            "t=" + T + ",=" + v1 + ",v1=" + v1, "t=" + T + ",v1" + ",v1=" + v1,
            "t=" + T + "\u0661,v1=" + v1, // an Arabic-Indic digit is not a decimal digit here
            "t=" + T + ",v1=" + v1.substring(0, 62) + "\uff10\uff10", // fullwidth zeros are not hex
            "t=" + T + ",v1=" + v1 + ",x=1".repeat(Signature.MAX_PARTS), "t=" + T + ",v1=" + v1 + " ".repeat(5000),
        };
        for (String header : bad) {
            assertThat(Signature.verify(SECRET, header, BODY, T, 300)).as("header <%s>", header).isFalse();
        }
        assertThatThrownBy(() -> Signature.verify(SECRET, "t=1,v1=" + v1, BODY, T, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signature.header("", T, BODY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneMatchingV1AmongSeveralIsEnoughAsWhileASecretRotates() throws Exception {
        String oldSig = hmacHex("whsec_old", T, BODY);
        String newSig = hmacHex(SECRET, T, BODY);
        String rotating = "t=" + T + ",v1=" + oldSig + ",v1=" + newSig;
        assertThat(Signature.verify(SECRET, rotating, BODY, T, 300)).isTrue();
        assertThat(Signature.verify("whsec_old", rotating, BODY, T, 300)).isTrue();
        assertThat(Signature.verify("whsec_third", rotating, BODY, T, 300)).isFalse();
        // another scheme's value is ignored, not an error
        assertThat(Signature.verify(SECRET, "t=" + T + ",v0=abc,v1=" + newSig, BODY, T, 300)).isTrue();
        assertThat(Signature.verify(SECRET, "t=" + T + ",v0=" + newSig, BODY, T, 300)).isFalse();
    }

    @Test
    void randomisedRoundTripsAndSingleCharacterChanges() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try {
            for (int i = 0; i < 300; i++) {
                String secret = randomText(random, 1 + random.nextInt(40));
                String body = randomText(random, random.nextInt(300));
                long t = random.nextInt(2_000_000_000);
                String h = Signature.header(secret, t, body);
                assertThat(h).isEqualTo("t=" + t + ",v1=" + hmacHex(secret, t, body));
                long now = t + random.nextInt(601) - 300;
                assertThat(Signature.verify(secret, h, body, now, 300)).isTrue();
                // flip one hex digit of the signature
                int at = h.indexOf("v1=") + 3 + random.nextInt(64);
                char c = h.charAt(at);
                String flipped = h.substring(0, at) + (c == '0' ? '1' : '0') + h.substring(at + 1);
                assertThat(Signature.verify(secret, flipped, body, now, 300)).isFalse();
                if (!body.isEmpty()) {
                    int b = random.nextInt(body.length());
                    String changed = body.substring(0, b) + (body.charAt(b) == 'x' ? 'y' : 'x') + body.substring(b + 1);
                    assertThat(Signature.verify(secret, h, changed, now, 300)).isFalse();
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static String randomText(Random random, int length) {
        String alphabet = "abcXYZ019 {}\":,.é€😀\n\\";
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0,
                    alphabet.length()))));
            b.appendCodePoint(cp);
        }
        return b.toString();
    }
}
