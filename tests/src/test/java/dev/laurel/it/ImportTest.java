package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Imports through the real handlers on DynamoDB Local: the resource (201/200/409/400), a chunk's
 * CSV (BOM, CRLF, quoted commas and newlines, Smile.io headers), per-row errors, the same chunk
 * twice (skipped, nothing changes), whole-chunk refusals, a dry run that writes no member, no
 * signup bonus for imported members, retroactive points, referral code clashes, and a hostile
 * corpus from a seeded generator (never a 5xx, never half a row).
 */
class ImportTest {
    static final String P = "/v1/programs/acme";
    static final Map<String, String> CSV = Map.of("content-type", "text/csv; charset=utf-8");

    static Api withProgram() {
        Api api = new Api();
        String program = Api.minimalProgram().replace("\"earningRules\": [",
                "\"earningRules\": [\n    {\"id\": \"signup\", \"trigger\": \"customer.joined\", \"points\": {\"fixed\": 25}},");
        assertThat(api.admin("PUT", P, program).status()).isEqualTo(201);
        return api;
    }

    static Api.Reply rows(Api api, String importId, long offset, String csv) {
        return api.call("POST", P + "/imports/" + importId + "/rows?offset=" + offset, csv, api.adminKey, CSV);
    }

    static JsonNode wallet(Api api, String customerId) {
        Api.Reply r = api.shop("GET", P + "/customers/" + customerId, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    static List<String> ledgerTypes(Api api, String customerId) {
        List<String> types = new ArrayList<>();
        api.shop("GET", P + "/customers/" + customerId + "/ledger", null).body().path("entries")
                .forEach(e -> types.add(e.path("type").asText() + ":" + e.path("points").asLong()));
        return types;
    }

    @Test
    void theImportIsAResource() {
        Api api = withProgram();
        Api.Reply created = api.admin("PUT", P + "/imports/smile-1", "{\"mode\": \"add\", \"retroactive\": {\"ruleId\": \"purchase\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("status").asText()).isEqualTo("open");
        assertThat(created.body().path("rows").asLong()).isZero();
        Api.Reply again = api.admin("PUT", P + "/imports/smile-1", "{\"retroactive\": {\"ruleId\": \"purchase\"}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(created.body());
        assertThat(api.admin("PUT", P + "/imports/smile-1", "{\"dryRun\": true}").code()).isEqualTo("idempotency_key_reused");
        Api.Reply badRule = api.admin("PUT", P + "/imports/smile-2", "{\"retroactive\": {\"ruleId\": \"nope\"}}");
        assertThat(badRule.status()).isEqualTo(400);
        assertThat(badRule.body().path("error").path("details").path("field").asText()).isEqualTo("retroactive.ruleId");
        assertThat(api.admin("PUT", P + "/imports/smile-3", "{\"mode\": \"reset\"}").status()).isEqualTo(400);
        assertThat(api.admin("PUT", P + "/imports/smile-3", "{\"extra\": 1}").status()).isEqualTo(400);
        assertThat(api.admin("GET", P + "/imports/smile-1", null).body()).isEqualTo(created.body());
        assertThat(api.admin("GET", P + "/imports/none", null).status()).isEqualTo(404);
        assertThat(api.shop("GET", P + "/imports/smile-1", null).status()).isEqualTo(403);
    }

    @Test
    void aChunkImportsMembersOnceWithoutTheSignupBonus() {
        Api api = withProgram();
        assertThat(api.admin("PUT", P + "/imports/i1", "{\"retroactive\": {\"ruleId\": \"purchase\"}}").status()).isEqualTo(201);
        String csv = "\uFEFFEmail,Points balance,VIP tier,Referral url,First name,Last name,totalSpentMinor,earnedAt,attr.city\r\n"
                + "Ann@Example.com,120,Gold,https://shop.example/r/ANN-1,Ann,\"Lee, Jr.\",12345,2026-11-01,Berlin\r\n"
                + "bob@example.com,30,,https://shop.example/?ref=BOB-2,Bob,\"two\nlines\",,,\r\n"
                + "carl@example.com,1.5,,,,,,,\r\n"
                + "dora@example.com,-3,,,,,,,\r\n"
                + "eve@example.com,10,platinum,,,,,,\r\n"
                + "fay@example.com,10,,,,,,yesterday,\r\n"
                + "not-an-email,10,,,,,,,\r\n"
                + "gus@example.com,10,,,,,,2020-01-01,\r\n"
                + "hal@example.com,10,,https://shop.example/r/ANN-1,,,,,\r\n";
        Api.Reply r = rows(api, "i1", 0, csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode b = r.body();
        assertThat(b.path("rows").asLong()).isEqualTo(9);
        assertThat(b.path("imported").asLong()).isEqualTo(2);
        assertThat(b.path("failed").asLong()).isEqualTo(7);
        assertThat(b.path("skipped").asLong()).isZero();
        List<String> errors = new ArrayList<>();
        b.path("errors").forEach(e -> errors.add(e.path("row").asLong() + " " + e.path("column").asText() + " " + e.path("code").asText()));
        assertThat(errors).containsExactly("3 points invalid_integer", "4 points invalid_integer", "5 tier unknown_tier",
                "6 earnedAt invalid_date", "7 email invalid_email", "8 earnedAt expired", "9 referralCode referral_code_taken");

        JsonNode ann = wallet(api, "ann@example.com");
        assertThat(ann.path("balance").path("available").asLong()).as("120 + 123 retroactive").isEqualTo(243);
        assertThat(ann.path("tier").path("id").asText()).isEqualTo("gold");
        assertThat(ledgerTypes(api, "ann@example.com")).as("no signup bonus").containsExactly("import:243");
        assertThat(wallet(api, "bob@example.com").path("balance").path("available").asLong()).isEqualTo(30);
        assertThat(api.shop("GET", P + "/customers/carl@example.com", null).status()).isEqualTo(404);

        // the same chunk again: every row skipped, nothing changes
        var before = TableSnapshot.of(api.tenant);
        Api.Reply again = rows(api, "i1", 0, csv);
        assertThat(again.body().path("skipped").asLong()).as(again.toString()).isEqualTo(9);
        assertThat(again.body().path("imported").asLong()).isZero();
        assertThat(TableSnapshot.diff(before, TableSnapshot.of(api.tenant))).isEmpty();

        JsonNode status = api.admin("GET", P + "/imports/i1", null).body();
        assertThat(status.path("rows").asLong()).isEqualTo(9);
        assertThat(status.path("imported").asLong()).isEqualTo(2);
        assertThat(status.path("failed").asLong()).isEqualTo(7);
        assertThat(status.path("pointsImported").asLong()).isEqualTo(273);
        assertThat(status.path("errors")).hasSize(7);
        assertThat(status.path("errors").get(0).path("row").asLong()).isEqualTo(3);

        // the next chunk numbers its rows after the offset
        Api.Reply next = rows(api, "i1", 9, "email,points\nivy@example.com,x\n");
        assertThat(next.body().path("errors").get(0).path("row").asLong()).isEqualTo(10);
    }

    @Test
    void aBadChunkIsRefusedWhole() {
        Api api = withProgram();
        api.admin("PUT", P + "/imports/i1", null);
        Api.Reply unknown = rows(api, "i1", 0, "email,points,colour\na@example.com,1,red\n");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("error").path("message").asText()).contains("colour");
        assertThat(rows(api, "i1", 0, "").status()).isEqualTo(400);
        assertThat(rows(api, "i1", 0, "points\n1\n").status()).as("no customerId or email column").isEqualTo(400);
        assertThat(rows(api, "i1", 0, "email,\"points\n").status()).as("a quote never closed").isEqualTo(400);
        StringBuilder many = new StringBuilder("email,points\n");
        for (int i = 0; i < 1001; i++) {
            many.append("m").append(i).append("@example.com,1\n");
        }
        assertThat(rows(api, "i1", 0, many.toString()).status()).isEqualTo(400);
        assertThat(rows(api, "i1", 0, "email,points\n" + "x".repeat(300 * 1024) + "\n").status()).isEqualTo(413);
        Api.Reply json = api.admin("POST", P + "/imports/i1/rows?offset=0", "{\"email\": \"a@example.com\"}");
        assertThat(json.status()).isEqualTo(415);
        Api.Reply ok = rows(api, "i1", 0, "email\na@example.com\n");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(api.call("POST", P + "/imports/i1/rows?offset=-1", "email\nb@example.com\n", api.adminKey, CSV).status())
                .isEqualTo(400);
        assertThat(api.call("POST", P + "/imports/i1/rows", "email\nb@example.com\n", api.adminKey, CSV).status()).isEqualTo(400);
        assertThat(rows(api, "nope", 0, "email\nb@example.com\n").status()).isEqualTo(404);
        JsonNode status = api.admin("GET", P + "/imports/i1", null).body();
        assertThat(status.path("rows").asLong()).as("refused chunks count nothing").isEqualTo(1);
    }

    @Test
    void aDryRunWritesNoMemberAndNoEntry() {
        Api api = withProgram();
        assertThat(api.admin("PUT", P + "/imports/dry", "{\"dryRun\": true}").status()).isEqualTo(201);
        var before = TableSnapshot.of(api.tenant);
        Api.Reply r = rows(api, "dry", 0, "customerId,email,points\nc1,c1@example.com,100\nc2,bad,5\n");
        assertThat(r.body().path("imported").asLong()).as(r.toString()).isEqualTo(1);
        assertThat(r.body().path("failed").asLong()).isEqualTo(1);
        var after = TableSnapshot.of(api.tenant);
        after.keySet().removeIf(k -> k.contains("#IMPORT#dry"));
        before.keySet().removeIf(k -> k.contains("#IMPORT#dry"));
        assertThat(TableSnapshot.diff(before, after)).as("only the import's own items change").isEmpty();
        assertThat(api.admin("GET", P + "/imports/dry", null).body().path("pointsImported").asLong()).isEqualTo(100);
        assertThat(api.shop("GET", P + "/customers/c1", null).status()).isEqualTo(404);
    }

    @Test
    void anExistingMemberKeepsWhatTheyHadAndGainsTheImport() {
        Api api = withProgram();
        assertThat(api.shop("POST", P + "/earn", Api.orderPaid("m1", "o-1", 5000, "2026-11-20T10:00:00Z")).status()).isEqualTo(200);
        long had = wallet(api, "m1").path("balance").path("available").asLong();
        api.admin("PUT", P + "/imports/i1", null);
        assertThat(rows(api, "i1", 0, "customerId,points,consentMarketing\nm1,40,true\n").body().path("imported").asLong()).isEqualTo(1);
        assertThat(wallet(api, "m1").path("balance").path("available").asLong()).isEqualTo(had + 40);
        api.admin("PUT", P + "/imports/set", "{\"mode\": \"set\"}");
        assertThat(rows(api, "set", 0, "customerId,points\nm1,500\n").body().path("imported").asLong()).isEqualTo(1);
        assertThat(wallet(api, "m1").path("balance").path("available").asLong()).isEqualTo(500);
    }

    /** The shipped example (docs/examples/smile-export.csv) imports as README's "Moving from Smile.io" says. */
    @Test
    void theShippedSmileExportImportsWithItsFiveBadRows() throws Exception {
        Api api = withProgram();
        api.admin("PUT", P + "/imports/smile", null);
        String csv = java.nio.file.Files.readString(LocalDynamo.root().resolve("docs/examples/smile-export.csv"));
        Api.Reply r = rows(api, "smile", 0, csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("rows").asLong()).isEqualTo(305);
        assertThat(r.body().path("imported").asLong()).isEqualTo(300);
        List<String> errors = new ArrayList<>();
        r.body().path("errors").forEach(e -> errors.add(e.path("row").asLong() + " " + e.path("code").asText()));
        assertThat(errors).containsExactly("301 invalid_integer", "302 invalid_integer", "303 unknown_tier", "304 invalid_email",
                "305 referral_code_taken");
        assertThat(wallet(api, "olga.0@example.com").path("tier").path("id").asText()).isEqualTo("silver");
    }

    /** Rows from a seeded generator: hostile cells, quotes, unicode; never a 5xx, and a row applies whole or not at all. */
    @Test
    void aHostileCorpusNeverFailsTheServerNorWritesHalfARow() {
        Api api = withProgram();
        api.admin("PUT", P + "/imports/h", null);
        Random random = new Random(20261204);
        String[] cells = {"", "0", "12", "-1", "1e3", "1,5", "\"", "=cmd()", "\u0000", "🙂", "gold", "GOLD", "2026-02-30",
                "2026-11-01T00:00:00Z", "true", "maybe", "a@b.c", "x".repeat(1200), " 7 ", "https://x/r/?ref=", "\r"};
        String[] columns = {"customerId", "email", "points", "tier", "earnedAt", "consentMarketing", "referralCode", "attr.note"};
        long offset = 0;
        for (int chunk = 0; chunk < 6; chunk++) {
            StringBuilder csv = new StringBuilder(String.join(",", columns)).append("\n");
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                List<String> row = new ArrayList<>();
                row.add("h" + chunk + "-" + i);
                for (int c = 1; c < columns.length; c++) {
                    String v = cells[random.nextInt(cells.length)];
                    row.add(random.nextBoolean() ? "\"" + v.replace("\"", "\"\"") + "\"" : v.replace(",", "").replace("\"", ""));
                }
                csv.append(String.join(",", row)).append(random.nextBoolean() ? "\r\n" : "\n");
            }
            Api.Reply r = rows(api, "h", offset, csv.toString());
            assertThat(r.status()).as(r.toString()).isIn(200, 400);
            if (r.status() == 200) {
                assertThat(r.body().path("imported").asLong() + r.body().path("failed").asLong()).isEqualTo(r.body().path("rows").asLong());
                offset += r.body().path("rows").asLong();
            }
        }
        JsonNode status = api.admin("GET", P + "/imports/h", null).body();
        assertThat(status.path("rows").asLong()).isEqualTo(offset);
        // a row applied whole: every imported member's balance is their one import entry
        long points = 0;
        for (var item : TableSnapshot.of(api.tenant).entrySet()) {
            if (item.getKey().contains("#IMPORT#h | ROW#") && item.getValue().containsKey("customerId")) {
                String id = item.getValue().get("customerId").s();
                long p = Long.parseLong(item.getValue().get("points").n());
                points += p;
                Api.Reply w = api.shop("GET", P + "/customers/" + id, null);
                assertThat(w.status()).isEqualTo(200);
                assertThat(w.body().path("balance").path("available").asLong()).as(id).isEqualTo(p);
                assertThat(ledgerTypes(api, id)).isEqualTo(p > 0 ? List.of("import:" + p) : List.of());
            }
        }
        assertThat(status.path("pointsImported").asLong()).isEqualTo(points);
    }
}
