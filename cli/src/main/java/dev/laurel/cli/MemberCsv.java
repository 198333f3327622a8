package dev.laurel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.laurel.client.model.Balance;
import dev.laurel.client.model.ListedMember;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
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

    /** One member of the listing as the SDK's model ({@code listCustomers}) as a row; the same cells as {@link #print(CSVPrinter, JsonNode)}. */
    public static void print(CSVPrinter out, ListedMember m) throws IOException {
        Balance balance = m.getBalance();
        if (balance == null || balance.getAvailable() == null || balance.getPending() == null || balance.getLifetimeEarned() == null) {
            throw new Main.Failure(Main.REFUSED, "the listing answered a member without its balance: " + m.getCustomerId());
        }
        out.printRecord(
                safe(orEmpty(m.getCustomerId())),
                safe(orEmpty(m.getEmail())),
                safe(m.getTier() == null ? "" : orEmpty(m.getTier().getId())),
                balance.getAvailable().toString(),
                balance.getPending().toString(),
                balance.getLifetimeEarned().toString(),
                m.getJoinedAt() == null ? "" : DateTimeFormatter.ISO_INSTANT.format(m.getJoinedAt()),
                safe(orEmpty(m.getReferralCode())),
                m.getConsent() != null && Boolean.TRUE.equals(m.getConsent().getMarketing()) ? "true" : "false",
                safe(JSON.writeValueAsString(m.getAttributes() == null ? java.util.Map.of() : new java.util.TreeMap<>(m.getAttributes()))));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
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
