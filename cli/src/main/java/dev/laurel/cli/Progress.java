package dev.laurel.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: on a terminal one line redrawn in place (a moving bar, as the total is not
 * known, the count and the rate), otherwise a plain line every few seconds; and a summary.
 */
final class Progress {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanos;
    private final long intervalNanos;
    private final String unit;
    private final long start;
    private long count;
    private long lastShown;
    private int frame;

    Progress(PrintWriter err, boolean terminal, LongSupplier nanos, String unit) {
        this.err = err;
        this.terminal = terminal;
        this.nanos = nanos;
        this.unit = unit;
        this.intervalNanos = terminal ? 100_000_000L : 5_000_000_000L;
        this.start = nanos.getAsLong();
        this.lastShown = start;
    }

    /** True when stderr is an interactive terminal (on Java 22+ a console is there even when redirected). */
    static boolean onTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console exists only on a terminal
        }
    }

    void add(long n) {
        count += n;
        long now = nanos.getAsLong();
        if (now - lastShown >= intervalNanos) {
            lastShown = now;
            show(now);
        }
    }

    long count() {
        return count;
    }

    private void show(long now) {
        if (terminal) {
            int at = frame++ % (2 * WIDTH - 2);
            int pos = at < WIDTH ? at : 2 * WIDTH - 2 - at;
            String bar = " ".repeat(pos) + "#" + " ".repeat(WIDTH - 1 - pos);
            err.print(String.format(Locale.ROOT, "\r[%s] %,d %s  %,.0f %s/s ", bar, count, unit, rate(now), unit));
        } else {
            err.println(String.format(Locale.ROOT, "laurel: %,d %s so far (%,.0f %s/s)", count, unit, rate(now), unit));
        }
        err.flush();
    }

    private double rate(long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        return count / seconds;
    }

    /** The summary line (on a terminal it replaces the bar): {@code laurel: <what> N <unit> in T s (R <unit>/s)<more>}. */
    void done(String what, String more) {
        long now = nanos.getAsLong();
        String line = String.format(Locale.ROOT, "laurel: %s %,d %s in %.1f s (%,.0f %s/s)%s", what, count, unit,
                (now - start) / 1e9, rate(now), unit, more);
        err.print(terminal ? "\r" + line + " ".repeat(12) + System.lineSeparator() : line + System.lineSeparator());
        err.flush();
    }
}
