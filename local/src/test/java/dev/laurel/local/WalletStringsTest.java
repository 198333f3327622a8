package dev.laurel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet widget's strings, checked by node ({@code src/test/node/wallet-strings.js} loads the
 * served file and compares every key of en, de, tr and ja): a missing or untranslated string fails.
 */
class WalletStringsTest {
    static final Path WIDGET = Path.of("src/main/resources/widget/laurel-wallet.js");
    static final Path CHECK = Path.of("src/test/node/wallet-strings.js");

    record Run(int exit, String output) {
    }

    static Run node(Path widget) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("node", CHECK.toString(), widget.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyStringIsThereInAllFourLanguages() throws Exception {
        Run r = node(WIDGET);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("ok ").contains("en, de, tr, ja");
    }

    @Test
    void aMissingJapaneseStringFailsTheCheck(@TempDir Path dir) throws Exception {
        String source = Files.readString(WIDGET, StandardCharsets.UTF_8);
        String cut = "      err_budget_exhausted: 'この特典は終了しました。',\n";
        assertThat(source).contains(cut);
        Path broken = dir.resolve("laurel-wallet.js");
        Files.writeString(broken, source.replace(cut, ""), StandardCharsets.UTF_8);
        Run r = node(broken);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("ja: missing err_budget_exhausted");
    }

    @Test
    void anEnglishSentenceLeftInGermanFailsTheCheck(@TempDir Path dir) throws Exception {
        String source = Files.readString(WIDGET, StandardCharsets.UTF_8);
        String german = "      redeem: 'Einlösen',\n";
        assertThat(source).contains(german);
        Path broken = dir.resolve("laurel-wallet.js");
        Files.writeString(broken, source.replace(german, "      redeem: 'Redeem',\n"), StandardCharsets.UTF_8);
        Run r = node(broken);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("de: redeem is the English text");
    }
}
