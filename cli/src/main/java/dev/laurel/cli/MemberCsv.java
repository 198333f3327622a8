package dev.laurel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The export's CSV: RFC 4180 (CRLF, fields quoted when they hold a comma, quote or line break),
 * one row per listed member, attributes as one JSON cell. A text cell that a spreadsheet would
 * read as a formula (it starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return) is prefixed with {@code '} (OWASP's advice on CSV injection); ids cannot
 * contain {@code '}, so the prefix is unambiguous on a customer id.
 */
public final class MemberCsv {
    public static final List<String> COLUMNS = List.of("customerId", "email", "tier", "available", "pending",
            "lifetimeEarned", "joinedAt", "referralCode", "consentMarketing", "attributes");
    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberCsv() {
    }

    /** A cell as written: text that would start a formula gets a leading {@code '}. */
    public static String safe(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }

    /** One member of the listing ({@code GET /v1/programs/{programId}/customers}) as a row. */
    public static void print(CSVPrinter out, JsonNode m) throws IOException {
        JsonNode balance = m.path("balance");
        out.printRecord(
                safe(text(m.path("customerId"))),
                safe(text(m.path("email"))),
                safe(text(m.path("tier").path("id"))),
                number(balance.path("available")),
                number(balance.path("pending")),
                number(balance.path("lifetimeEarned")),
                text(m.path("joinedAt")),
                safe(text(m.path("referralCode"))),
                m.path("consent").path("marketing").asBoolean(false) ? "true" : "false",
                attributes(m.path("attributes")));
    }

    private static String text(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }

    private static String number(JsonNode v) {
        if (!v.isIntegralNumber()) {
            throw new Main.Failure(Main.REFUSED, "the listing answered a balance that is not an integer: " + v);
        }
        return v.asText();
    }

    private static String attributes(JsonNode v) throws JsonProcessingException {
        return safe(JSON.writeValueAsString(v.isObject() ? v : JSON.createObjectNode()));
    }
}
