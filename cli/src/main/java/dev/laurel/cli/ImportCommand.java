package dev.laurel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import members from a CSV file (Smile.io's export or API.md's columns).")
final class ImportCommand implements Callable<Integer> {
    static final int ROWS_FAILED = 5;
    private static final int MAX_ROWS = 1000;
    private static final int MAX_CHARS = 200 * 1024;
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "P", description = "The program's id.")
    String program;

    @Option(names = "--file", required = true, paramLabel = "F", description = "The CSV file.")
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

    @Override
    public Integer call() throws IOException {
        String importId = id != null ? id : "import-" + UUID.randomUUID();
        if (!ID.matcher(program).matches() || !ID.matcher(importId).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--program and --id must match " + ID.pattern());
        }
        if (!Files.isReadable(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--file " + file + " cannot be read");
        }
        String k = key != null ? key : System.getenv().getOrDefault("LAUREL_KEY", ExportCommand.LOCAL_ADMIN_KEY);
        LaurelClient client = new LaurelClient(url, k, LaurelClient.Sleeper.REAL, 250);
        String path = "/v1/programs/" + program + "/imports/" + importId;
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("dryRun", dryRun);
        JsonNode status = client.send("PUT", path, "application/json", settings.toString());
        long done = status.path("rows").asLong();
        PrintWriter err = spec.commandLine().getErr();
        err.println("import " + importId + (dryRun ? " (dry run)" : "") + ": " + done + " rows applied before");
        Progress progress = new Progress(err, !quiet && Progress.onTerminal(), System::nanoTime, "rows");
        long offset = 0;
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
            while (records.hasNext()) {
                StringWriter chunk = new StringWriter();
                CSVPrinter out = new CSVPrinter(chunk, CSVFormat.RFC4180);
                out.printRecord(header);
                long start = offset;
                int n = 0;
                while (records.hasNext() && n < MAX_ROWS && chunk.getBuffer().length() < MAX_CHARS) {
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
                    client.send("POST", path + "/rows?offset=" + first, "text/csv", chunk.toString());
                    progress.add(n);
                }
            }
        } catch (UncheckedIOException e) {
            throw new Main.Failure(Main.REFUSED, file + " is not CSV: " + e.getMessage());
        }
        JsonNode end = client.get(path);
        progress.done("rows", "");
        err.println("import " + importId + ": " + end.path("rows").asLong() + " rows, " + end.path("imported").asLong()
                + " imported, " + end.path("failed").asLong() + " failed, " + end.path("pointsImported").asLong() + " points");
        for (JsonNode e : end.path("errors")) {
            err.println("  row " + e.path("row").asLong() + (e.path("column").isTextual() ? " " + e.path("column").asText() : "")
                    + ": " + e.path("code").asText() + ": " + e.path("message").asText());
        }
        return end.path("failed").asLong() > 0 ? ROWS_FAILED : 0;
    }
}
