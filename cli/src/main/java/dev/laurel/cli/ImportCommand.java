package dev.laurel.cli;

import dev.laurel.client.model.ImportRowError;
import dev.laurel.client.model.ImportSettings;
import dev.laurel.client.model.ImportStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code laurel import --program P --file F.csv [--id ID] [--dry-run]}: creates the import (or
 * finds it again by id), asks how many rows it has applied, and sends the rest of the file in
 * chunks of at most 1,000 rows (and about 200 KiB), read record by record: never the whole file
 * in memory. Each row applies at most once on the server, so stopping and running again with the
 * same id continues where the import is. Exit code 5 when rows failed.
 * <p>
 * Chunk size: the server applies a chunk's rows one transaction each, in file order, and API
 * Gateway cuts a request at 30 s; the first chunk has {@link #FIRST_ROWS} rows and each next one
 * as many as the last chunk's rows per second fit in {@link #TARGET_SECONDS} (at most 1,000), so a
 * slow table gets small chunks. The last chunk carries {@code ?final=true} (the import is complete:
 * {@code import.completed}). {@code --revert} reverts the import instead, calling again while the
 * server answers 202.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import members from a CSV file (Smile.io's export or API.md's columns).")
final class ImportCommand implements Callable<Integer> {
    static final int ROWS_FAILED = 5;
    private static final int MAX_ROWS = 1000;
    static final int FIRST_ROWS = 200;
    static final int MIN_ROWS = 20;
    static final double TARGET_SECONDS = 8;
    private static final int MAX_CHARS = 200 * 1024;
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "P", description = "The program's id.")
    String program;

    @Option(names = "--file", paramLabel = "F", description = "The CSV file (required unless --revert).")
    Path file;

    @Option(names = "--id", paramLabel = "ID", description = "The import's id (default: a new one; pass it again to continue).")
    String id;

    @Option(names = "--dry-run", description = "Check and count every row; write no member.")
    boolean dryRun;

    @Option(names = "--url", paramLabel = "U", defaultValue = ExportCommand.DEFAULT_URL, description = "Laurel's URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--key", paramLabel = "K", description = "An admin key (default: $LAUREL_KEY, else local-admin-key).")
    String key;

    @Option(names = "--quiet", description = "No progress, only the summary.")
    boolean quiet;

    @Option(names = "--revert", description = "Revert the import --id: take back its unspent points.")
    boolean revert;

    @Option(names = "--chunk-rows", paramLabel = "N", description = "Rows per chunk, 1 to 1000 (default: sized to about 8 s each).")
    Integer chunkRows;

    @Override
    public Integer call() throws IOException {
        String importId = id != null ? id : "import-" + UUID.randomUUID();
        if (!ID.matcher(program).matches() || !ID.matcher(importId).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--program and --id must match " + ID.pattern());
        }
        if (revert) {
            if (id == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--revert needs the import's --id");
            }
            return revert(importId);
        }
        if (chunkRows != null && (chunkRows < 1 || chunkRows > MAX_ROWS)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-rows is 1 to " + MAX_ROWS);
        }
        if (file == null || !Files.isReadable(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--file " + file + " cannot be read");
        }
        String k = key != null ? key : System.getenv().getOrDefault("LAUREL_KEY", ExportCommand.LOCAL_ADMIN_KEY);
        LaurelClient client = new LaurelClient(url, k, LaurelClient.Sleeper.REAL, 250);
        ImportSettings settings = new ImportSettings().dryRun(dryRun).mode(null);
        ImportStatus status = client.call(() -> client.imports.putImport(program, importId, settings));
        // rows applied before: chunks go one at a time and a chunk's rows apply in file order, so they are the file's first
        long applied = count(status.getRows());
        long done = applied;
        PrintWriter err = spec.commandLine().getErr();
        err.println("import " + importId + (dryRun ? " (dry run)" : "") + ": " + applied + " rows applied before");
        Progress progress = new Progress(err, !quiet && Progress.onTerminal(), System::nanoTime, "rows");
        long offset = 0;
        int size = chunkRows != null ? chunkRows : FIRST_ROWS;
        boolean finalSent = false;
        List<String> head = null;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, FORMAT)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                throw new Main.Failure(Main.REFUSED, file + " is empty");
            }
            List<String> header = new ArrayList<>(records.next().toList());
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            head = header;
            while (records.hasNext()) {
                StringWriter chunk = new StringWriter();
                CSVPrinter out = new CSVPrinter(chunk, CSVFormat.RFC4180);
                out.printRecord(header);
                long start = offset;
                int n = 0;
                while (records.hasNext() && n < size && chunk.getBuffer().length() < MAX_CHARS) {
                    CSVRecord r = records.next();
                    offset++;
                    if (offset <= done) {
                        continue; // applied before: a resumed import sends only the rest
                    }
                    out.printRecord(r.toList());
                    n++;
                }
                out.flush();
                if (n > 0) {
                    long first = Math.max(start, done);
                    boolean last = !records.hasNext();
                    long t0 = System.nanoTime();
                    send(client, importId, first, last, chunk.toString());
                    finalSent = last;
                    if (chunkRows == null) {
                        size = next(n, System.nanoTime() - t0);
                    }
                    progress.add(n);
                }
            }
        } catch (UncheckedIOException e) {
            throw new Main.Failure(Main.REFUSED, file + " is not CSV: " + e.getMessage());
        }
        if (!finalSent) {
            // the file's rows were all applied before (or it has none): the import is complete all the same
            StringWriter chunk = new StringWriter();
            new CSVPrinter(chunk, CSVFormat.RFC4180).printRecord(head);
            send(client, importId, offset, true, chunk.toString());
        }
        ImportStatus end = client.call(() -> client.imports.getImport(program, importId));
        progress.done("rows", "");
        err.println("import " + importId + ": " + count(end.getRows()) + " rows, " + count(end.getImported())
                + " imported, " + count(end.getFailed()) + " failed, " + count(end.getPointsImported()) + " points");
        for (ImportRowError e : end.getErrors() == null ? List.<ImportRowError>of() : end.getErrors()) {
            err.println("  row " + count(e.getRow()) + (e.getColumn() != null ? " " + e.getColumn() : "")
                    + ": " + e.getCode() + ": " + e.getMessage());
        }
        return count(end.getFailed()) > 0 ? ROWS_FAILED : 0;
    }

    /** One chunk (a header line and its rows, at most 200 KiB, in memory) through the SDK's {@code postImportRows}. */
    private void send(LaurelClient client, String importId, long offset, boolean last, String csv) {
        int at;
        try {
            at = Math.toIntExact(offset);
        } catch (ArithmeticException e) {
            throw new Main.Failure(Main.REFUSED, "the file has more rows than an import's offset can count: " + offset);
        }
        client.call(() -> client.imports.postImportRows(at, program, importId, csv, last ? "true" : null));
    }

    private static long count(Number n) {
        return n == null ? 0 : n.longValue();
    }

    /** The next chunk's rows: as many as the last chunk's pace fits in {@link #TARGET_SECONDS}. */
    static int next(int rows, long nanos) {
        double perSecond = rows / Math.max(1e-3, nanos / 1e9);
        return (int) Math.max(MIN_ROWS, Math.min(MAX_ROWS, Math.round(perSecond * TARGET_SECONDS)));
    }

    /** {@code --revert}: calls the revert until it is done (200), each call doing a bounded part. */
    private int revert(String importId) {
        String k = key != null ? key : System.getenv().getOrDefault("LAUREL_KEY", ExportCommand.LOCAL_ADMIN_KEY);
        LaurelClient client = new LaurelClient(url, k, LaurelClient.Sleeper.REAL, 250);
        PrintWriter err = spec.commandLine().getErr();
        ImportStatus s;
        do {
            s = client.call(() -> client.imports.revertImport(program, importId));
            err.println("import " + importId + ": " + s.getStatus() + ", " + count(s.getPointsReverted()) + " points taken back");
        } while (s.getStatus() != ImportStatus.StatusEnum.REVERTED);
        err.println("import " + importId + ": reverted; " + count(s.getUncollectedPoints()) + " points were spent before (uncollected)");
        return 0;
    }
}
