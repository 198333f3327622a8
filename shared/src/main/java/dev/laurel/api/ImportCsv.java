package dev.laurel.api;

import dev.laurel.app.ImportRows.Row;
import dev.laurel.domain.Program;
import dev.laurel.domain.Refused;
import dev.laurel.json.Obj;
import dev.laurel.store.ImportStore.RowError;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An import chunk's CSV (RFC 4180 through commons-csv, read record by record): a header line, then
 * at most {@link #MAX_ROWS} rows. Header names are case-insensitive, with Smile.io's export
 * headers as aliases. The whole chunk is refused (400) for a missing header, an unknown or
 * repeated column, or too many rows; a bad cell fails only its row.
 */
public final class ImportCsv {
    public static final int MAX_ROWS = 1000;
    /** The longest cell kept (a longer one fails its row). */
    static final int MAX_CELL_CHARS = 1000;
    /** Lines and quoting exactly as the CLI cuts chunks (blank lines are not rows). */
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    private static final Pattern INTEGER = Pattern.compile("[0-9]{1,18}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Map<String, String> COLUMNS = columns();

    private ImportCsv() {
    }

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String c : List.of("customerId", "email", "points", "totalSpentMinor", "tier", "referralCode", "earnedAt",
                "expiresAt", "consentMarketing", "firstName", "lastName")) {
            m.put(c.toLowerCase(Locale.ROOT), c);
        }
        m.put("points balance", "points");
        m.put("vip tier", "tier");
        m.put("referral url", "referralCode");
        m.put("first name", "firstName");
        m.put("last name", "lastName");
        return Map.copyOf(m);
    }

    /** The chunk's rows ({@link Row}, or {@link RowError} for a row with a bad cell), numbered from {@code offset + 1}. */
    public static List<Object> read(String body, long offset, Program program) {
        if (body == null || body.isEmpty()) {
            throw Refused.invalid("header", "the body is empty: send a header line and at most " + MAX_ROWS + " rows");
        }
        if (body.charAt(0) == '\uFEFF') {
            body = body.substring(1);
        }
        List<Object> out = new ArrayList<>();
        try (CSVParser p = CSVParser.parse(new StringReader(body), FORMAT)) {
            List<String> header = null;
            for (CSVRecord rec : p) {
                if (header == null) {
                    header = header(rec);
                    continue;
                }
                if (out.size() == MAX_ROWS) {
                    throw Refused.invalid("rows", "a chunk holds at most " + MAX_ROWS + " rows");
                }
                out.add(row(header, rec, offset + out.size() + 1, program));
            }
            if (header == null) {
                throw Refused.invalid("header", "there is no header line");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException | IllegalStateException e) {
            // commons-csv: a quote never closed, or characters after a closing quote
            throw Refused.invalid("body", "is not CSV: " + e.getMessage());
        }
        return out;
    }

    private static List<String> header(CSVRecord rec) {
        List<String> names = new ArrayList<>();
        for (String h : rec) {
            String key = h.trim().toLowerCase(Locale.ROOT);
            String name = COLUMNS.get(key);
            if (name == null && key.startsWith("attr.") && ATTRIBUTE.matcher(h.trim().substring(5)).matches()) {
                name = "attr." + h.trim().substring(5);
            }
            if (name == null) {
                throw Refused.invalid("header", "unknown column '" + h + "' (known: customerId, email, points, totalSpentMinor, "
                        + "tier, referralCode, earnedAt, expiresAt, consentMarketing, firstName, lastName, attr.<name>, and "
                        + "Smile.io's Email, Points balance, VIP tier, Referral url, First name, Last name)");
            }
            if (names.contains(name)) {
                throw Refused.invalid("header", "column '" + h + "' is given twice");
            }
            names.add(name);
        }
        if (!names.contains("customerId") && !names.contains("email")) {
            throw Refused.invalid("header", "needs a customerId or an email column");
        }
        return names;
    }

    private static Object row(List<String> header, CSVRecord rec, long row, Program program) {
        if (rec.size() != header.size()) {
            return new RowError(row, null, "column_count", "has " + rec.size() + " cells; the header has " + header.size());
        }
        Cells c = new Cells(row);
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String cell = rec.get(i).trim();
            if (cell.length() > MAX_CELL_CHARS) {
                return new RowError(row, header.get(i), "too_long", "is longer than " + MAX_CELL_CHARS + " characters");
            }
            if (!cell.isEmpty()) {
                v.put(header.get(i), cell);
            }
        }
        String email = v.get("email") == null ? null : v.get("email").toLowerCase(Locale.ROOT);
        if (email != null && !EMAIL.matcher(email).matches()) {
            return c.error("email", "invalid_email", "is not an e-mail address");
        }
        String customerId = v.getOrDefault("customerId", email);
        if (customerId == null) {
            return c.error("customerId", "missing_customer", "needs a customerId or an email");
        }
        if (!Obj.ID.matcher(customerId).matches()) {
            return c.error(v.containsKey("customerId") ? "customerId" : "email", "invalid_customer_id",
                    "as a customer id must match " + Obj.ID.pattern());
        }
        Long points = c.integer(v, "points");
        Long spent = c.integer(v, "totalSpentMinor");
        String tier = v.get("tier") == null ? null : tier(program, v.get("tier"));
        if (v.get("tier") != null && tier == null) {
            c.fail("tier", "unknown_tier", "'" + v.get("tier") + "' is not a tier of the program (its id or name)");
        }
        String code = v.get("referralCode") == null ? null : referralCode(v.get("referralCode"));
        if (v.get("referralCode") != null && code == null) {
            c.fail("referralCode", "invalid_referral_code", "is not a referral code (letters, digits, _ and -) or a URL naming one");
        }
        Instant earnedAt = c.instant(v, "earnedAt", program);
        Instant expiresAt = c.instant(v, "expiresAt", program);
        Boolean consent = null;
        if (v.get("consentMarketing") != null) {
            String b = v.get("consentMarketing").toLowerCase(Locale.ROOT);
            consent = b.equals("true") ? Boolean.TRUE : b.equals("false") ? Boolean.FALSE : null;
            if (consent == null) {
                c.fail("consentMarketing", "invalid_boolean", "must be true or false");
            }
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        v.forEach((k, x) -> {
            if (k.startsWith("attr.")) {
                attrs.put(k.substring(5), x);
            } else if (k.equals("firstName") || k.equals("lastName")) {
                attrs.put(k, x);
            }
        });
        if (c.error != null) {
            return c.error;
        }
        return new Row(row, customerId, email, points, spent, tier, code, earnedAt, expiresAt, consent, attrs);
    }

    /** A tier by id, else by name (Smile.io exports names), case-insensitive; null when none. */
    private static String tier(Program program, String given) {
        for (Program.Tier t : program.tiers()) {
            if (t.id().equals(given)) {
                return t.id();
            }
        }
        for (Program.Tier t : program.tiers()) {
            if (t.id().equalsIgnoreCase(given) || (t.name() != null && t.name().equalsIgnoreCase(given))) {
                return t.id();
            }
        }
        return null;
    }

    /** A code, or the code a referral URL names (its {@code ref} or {@code code} parameter, else its last path segment). */
    static String referralCode(String given) {
        if (CODE.matcher(given).matches()) {
            return given;
        }
        try {
            URI u = URI.create(given);
            if (u.getRawQuery() != null) {
                for (String kv : u.getRawQuery().split("&")) {
                    int eq = kv.indexOf('=');
                    String k = eq < 0 ? kv : kv.substring(0, eq);
                    if ((k.equals("ref") || k.equals("code")) && eq > 0 && CODE.matcher(kv.substring(eq + 1)).matches()) {
                        return kv.substring(eq + 1);
                    }
                }
            }
            String path = u.getPath();
            if (path != null) {
                String last = path.substring(path.lastIndexOf('/') + 1);
                return CODE.matcher(last).matches() ? last : null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** A row's cells being read: the first bad cell is the row's error. */
    private static final class Cells {
        final long row;
        RowError error;

        Cells(long row) {
            this.row = row;
        }

        RowError error(String column, String code, String message) {
            return new RowError(row, column, code, column + " " + message);
        }

        void fail(String column, String code, String message) {
            if (error == null) {
                error = error(column, code, message);
            }
        }

        Long integer(Map<String, String> v, String column) {
            String s = v.get(column);
            if (s == null) {
                return null;
            }
            if (!INTEGER.matcher(s).matches()) {
                fail(column, "invalid_integer", "must be a whole number of at most 18 digits, without sign, fraction or separators");
                return null;
            }
            return Long.parseLong(s);
        }

        Instant instant(Map<String, String> v, String column, Program program) {
            String s = v.get(column);
            if (s == null) {
                return null;
            }
            try {
                return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(program.timezone()).toInstant() : Instant.parse(s);
            } catch (DateTimeParseException e) {
                fail(column, "invalid_date", "must be an ISO-8601 instant (2026-11-22T10:15:30Z) or a date (2026-11-22)");
                return null;
            }
        }
    }
}
