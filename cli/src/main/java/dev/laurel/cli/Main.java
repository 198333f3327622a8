package dev.laurel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Laurel's command line for talking to a running Laurel (local or deployed): {@code export} now,
 * {@code import} next (a subcommand of its own, registered below). {@code ./laurel export ...}
 * runs this class; so does {@code java -jar cli/target/laurel-cli.jar export ...}.
 *
 * <p>Exit codes (every command): {@link #OK} 0; {@link #REFUSED} 1 when Laurel refused a request
 * (a bad key, an unknown program, a bad argument the API named); {@link #USAGE} 2 for a bad
 * command line; {@link #UNREACHABLE} 3 when Laurel stayed unreachable or unavailable through every
 * retry; {@link #OUTPUT} 4 when the output could not be written. Every failure prints one line
 * starting {@code laurel: } on stderr.
 */
@Command(name = "laurel", mixinStandardHelpOptions = true, version = "laurel 0.1.0",
        description = "Talk to a running Laurel: export members (import: to come).",
        subcommands = {ExportCommand.class, ImportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:Laurel refused a request (bad key, unknown program, ...)", "2:bad command line",
            "3:Laurel unreachable or unavailable after every retry", "4:the output could not be written"})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int OUTPUT = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: export");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.err, true), args));
    }

    /** Runs a command line; answers its exit code (never exits the JVM: tests call this). */
    public static int run(PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof Failure f) {
                line.getErr().println("laurel: " + f.getMessage());
                return f.exitCode();
            }
            line.getErr().println("laurel: " + e);
            return REFUSED;
        });
        return cl.execute(args);
    }

    /** A command's failure: its message for the user and its exit code. */
    public static final class Failure extends RuntimeException {
        private final int exitCode;

        public Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
