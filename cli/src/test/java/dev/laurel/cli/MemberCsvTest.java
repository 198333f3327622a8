package dev.laurel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberCsvTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "=", "-"})
    void aCellAFormulaCouldStartWithIsPrefixed(String cell) {
        assertThat(MemberCsv.safe(cell)).isEqualTo("'" + cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "c-1", "x=1", " =1", "'=1", "1", "{\"a\": \"=1\"}", "\n=1"})
    void otherCellsAreLeftAlone(String cell) {
        assertThat(MemberCsv.safe(cell)).isEqualTo(cell);
    }

    @Test
    void aHostileMemberSurvivesTheCsvExactlyUpToThePrefix() throws Exception {
        JsonNode m = JSON.readTree("""
                {"customerId": "-c1", "email": "=cmd|' /C calc'!A0, \\"x\\"\\r\\nsecond line",
                 "tier": {"id": "gold", "next": null},
                 "balance": {"available": 7, "pending": 0, "lifetimeEarned": 9007199254740993, "owed": 0},
                 "joinedAt": "2026-11-23T09:00:00Z", "referralCode": null, "consent": {"marketing": true},
                 "attributes": {"note": "a,b\\n\\"c\\"", "n": 3}}""");
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, MemberCsv.FORMAT)) {
            MemberCsv.print(p, m);
        }
        List<CSVRecord> rows = CSVParser.parse(new StringReader(w.toString()),
                MemberCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()).getRecords();
        assertThat(rows).hasSize(1);
        CSVRecord r = rows.get(0);
        assertThat(r.getParser().getHeaderNames()).isEqualTo(MemberCsv.COLUMNS);
        assertThat(r.get("customerId")).isEqualTo("'-c1");
        assertThat(r.get("email")).isEqualTo("'=cmd|' /C calc'!A0, \"x\"\r\nsecond line");
        assertThat(r.get("tier")).isEqualTo("gold");
        assertThat(r.get("lifetimeEarned")).isEqualTo("9007199254740993");
        assertThat(r.get("referralCode")).isEmpty();
        assertThat(r.get("consentMarketing")).isEqualTo("true");
        assertThat(JSON.readTree(r.get("attributes"))).isEqualTo(m.path("attributes"));
        assertThat(w.toString()).startsWith(String.join(",", MemberCsv.COLUMNS) + "\r\n");
    }
}
