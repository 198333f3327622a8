package dev.laurel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    final AtomicLong nanos = new AtomicLong();
    final StringWriter out = new StringWriter();

    @Test
    void onATerminalOneLineIsRedrawnInPlaceWithTheCountAndTheRate() {
        Progress p = new Progress(new PrintWriter(out, true), true, nanos::get, "members");
        nanos.set(50_000_000L);
        p.add(1000); // within 100 ms of the start: not drawn
        assertThat(out.toString()).isEmpty();
        nanos.set(1_000_000_000L);
        p.add(1000);
        nanos.set(2_000_000_000L);
        p.add(2000);
        assertThat(out.toString()).startsWith("\r[").contains("] 2,000 members  2,000 members/s").contains("] 4,000 members  2,000 members/s")
                .doesNotContain("\n");
        p.done("exported", "");
        assertThat(out.toString()).contains("\rlaurel: exported 4,000 members in 2.0 s (2,000 members/s)").endsWith(System.lineSeparator());
    }

    @Test
    void elsewherePlainLinesEveryFiveSeconds() {
        Progress p = new Progress(new PrintWriter(out, true), false, nanos::get, "members");
        nanos.set(1_000_000_000L);
        p.add(1000);
        assertThat(out.toString()).isEmpty();
        nanos.set(6_000_000_000L);
        p.add(5000);
        p.done("exported", ", after 2 retried requests");
        assertThat(out.toString()).isEqualTo("laurel: 6,000 members so far (1,000 members/s)" + System.lineSeparator()
                + "laurel: exported 6,000 members in 6.0 s (1,000 members/s), after 2 retried requests" + System.lineSeparator())
                .doesNotContain("\r");
    }
}
