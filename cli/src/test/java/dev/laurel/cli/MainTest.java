package dev.laurel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line's own checks: usage errors exit 2 with a message, before any request. */
class MainTest {
    static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(err, true), args);
    }

    @Test
    void badCommandLinesExit2() {
        StringWriter err = new StringWriter();
        assertThat(run(err)).isEqualTo(Main.USAGE);
        assertThat(run(err, "export")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--program");
        assertThat(run(err, "export", "--program", "a b")).isEqualTo(Main.USAGE);
        assertThat(run(err, "export", "--program", "p", "--url", "ftp://x")).isEqualTo(Main.USAGE);
        assertThat(run(err, "export", "--program", "p", "--page-size", "0")).isEqualTo(Main.USAGE);
        assertThat(run(err, "nope")).isEqualTo(Main.USAGE);
    }

    @Test
    void helpListsTheExitCodes() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "--help")).isEqualTo(Main.OK);
    }
}
