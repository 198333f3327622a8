package dev.laurel.cli;

import dev.laurel.client.model.ListedMember;
import dev.laurel.client.model.MemberPage;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code laurel export --program P [--url U] [--key K] [--out members.csv]}: every member of the
 * program as CSV ({@link MemberCsv}), paging through {@code GET /v1/programs/{programId}/customers}
 * with the answer's cursor. With {@code --out} the file appears only when complete (written
 * beside it as {@code <out>.part}, then moved); without it the CSV goes to stdout.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write every member of a program as CSV (columns: " + "customerId,email,tier,available,pending,"
                + "lifetimeEarned,joinedAt,referralCode,consentMarketing,attributes).")
final class ExportCommand implements Callable<Integer> {
    static final String DEFAULT_URL = "http://127.0.0.1:3000";
    static final String LOCAL_ADMIN_KEY = "local-admin-key";
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "P", description = "The program's id.")
    String program;

    @Option(names = "--url", paramLabel = "U", defaultValue = DEFAULT_URL, description = "Laurel's URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--key", paramLabel = "K",
            description = "An admin key (default: $LAUREL_KEY, else the local runner's " + LOCAL_ADMIN_KEY + ").")
    String key;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the CSV (default: stdout).")
    Path out;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000", description = "Members per request, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--quiet", description = "No progress, only errors.")
    boolean quiet;

    /** The first retry's wait (then doubling, capped: {@link LaurelClient}). */
    private static final long RETRY_BASE_DELAY_MS = 250;

    @Override
    public Integer call() {
        if (!ID.matcher(program).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--program must match " + ID.pattern());
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--page-size must be from 1 to 1000");
        }
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https")) || url.getHost() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url must be an http(s) URL, such as " + DEFAULT_URL);
        }
        String k = key != null ? key : System.getenv().getOrDefault("LAUREL_KEY", LOCAL_ADMIN_KEY);
        LaurelClient client = new LaurelClient(url, k, LaurelClient.Sleeper.REAL, RETRY_BASE_DELAY_MS);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, !quiet && Progress.onTerminal(), System::nanoTime, "members");
        if (out == null) {
            // stdout's descriptor itself, not System.out (which swallows errors): a closed pipe (| head) ends the export
            Writer w = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
            export(client, w, progress);
        } else {
            toFile(client, progress);
        }
        if (!quiet) {
            progress.done("exported", client.retries() > 0 ? ", after " + client.retries() + " retried requests" : "");
        }
        return Main.OK;
    }

    private void toFile(LaurelClient client, Progress progress) {
        Path target = out.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            export(client, w, progress);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new Main.Failure(Main.OUTPUT, "cannot write " + part + ": " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Main.Failure(Main.OUTPUT, "cannot move " + part + " to " + target + ": " + e.getMessage());
        }
    }

    /** Pages through the listing (the SDK's {@code listCustomers}) and prints each member; an I/O error on {@code w} is {@link Main#OUTPUT}. */
    private void export(LaurelClient client, Writer w, Progress progress) {
        try {
            CSVPrinter csv = new CSVPrinter(w, MemberCsv.FORMAT);
            String cursor = null;
            do {
                String after = cursor;
                MemberPage page = client.call(() -> client.customers.listCustomers(program, pageSize, after));
                if (page == null || page.getCustomers() == null) {
                    throw new Main.Failure(Main.REFUSED, "the listing's answer has no customers: is " + url + " Laurel?");
                }
                for (ListedMember m : page.getCustomers()) {
                    MemberCsv.print(csv, m);
                }
                progress.add(page.getCustomers().size());
                cursor = page.getCursor();
            } while (cursor != null);
            csv.flush();
        } catch (IOException e) {
            throw new Main.Failure(Main.OUTPUT, "cannot write the CSV: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the .part file stays; the target was never touched
        }
    }
}
