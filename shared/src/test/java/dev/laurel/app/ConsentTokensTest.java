package dev.laurel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Double opt-in tokens: their shape, that only a hash of them is kept, and the bounded check of what a caller sends. */
class ConsentTokensTest {
    @Test
    void tokensAre43Base64UrlCharactersAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String t = ConsentTokens.newToken();
            assertThat(t).hasSize(ConsentTokens.LENGTH).matches("[A-Za-z0-9_-]{43}");
            assertThat(ConsentTokens.wellFormed(t)).isTrue();
            assertThat(seen.add(t)).isTrue();
        }
    }

    @Test
    void theHashIsSha256Base64UrlAndNotTheToken() {
        String t = ConsentTokens.newToken();
        String h = ConsentTokens.hash(t);
        assertThat(h).hasSize(43).isNotEqualTo(t).isEqualTo(ConsentTokens.hash(t));
        // SHA-256 of "abc", base64url without padding
        assertThat(ConsentTokens.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(ConsentTokens.same(h, ConsentTokens.hash(t))).isTrue();
        assertThat(ConsentTokens.same(h, ConsentTokens.hash(ConsentTokens.newToken()))).isFalse();
        assertThat(ConsentTokens.same(h, null)).isFalse();
        assertThat(ConsentTokens.same(null, null)).isFalse();
    }

    @Test
    void onlyTheExactShapeIsWellFormed() {
        String ok = "A".repeat(43);
        assertThat(ConsentTokens.wellFormed(ok)).isTrue();
        for (String bad : new String[] {null, "", "A".repeat(42), "A".repeat(44), "A".repeat(100_000), "=".repeat(43),
                "+".repeat(43), "/".repeat(43), "é".repeat(43), "A".repeat(42) + "\u0000", " " + "A".repeat(42)}) {
            assertThat(ConsentTokens.wellFormed(bad)).as(String.valueOf(bad).length() + " chars").isFalse();
        }
    }
}
