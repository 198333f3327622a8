package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET .../reports/summary: its range and parameters checked, its roles and tenancy, its answer's shape with nothing counted yet. */
class ReportsRouteTest {
    static final String P = "/v1/programs/acme";
    Api api;

    @BeforeEach
    void program() {
        api = new Api();
        assertThat(api.admin("PUT", P, Api.minimalProgram()).status()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "?to=2026-11-30                           | from",
        "?from=2026-11-01                         | to",
        "?from=2026-11-1&to=2026-11-30            | from",
        "?from=2026-11-01&to=30.11.2026           | to",
        "?from=2026-02-30&to=2026-03-01           | from",
        "?from=2026-11-30&to=2026-11-01           | to",
        "?from=2026-01-01&to=2027-01-02           | to",
        "?from=2026-11-01&to=2026-11-30&limit=5   | limit",
        "?from=&to=2026-11-30                     | from",
    })
    void badRangesAnswer400NamingTheField(String query, String field) {
        Api.Reply r = api.admin("GET", P + "/reports/summary" + query, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_request");
        assertThat(r.field()).isEqualTo(field);
    }

    @Test
    void aYearOf366DaysIsTheLongestRange() {
        Api.Reply r = api.admin("GET", P + "/reports/summary?from=2028-01-01&to=2028-12-31", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("days")).hasSize(366);
        assertThat(r.body().path("days").get(365).path("date").asText()).isEqualTo("2028-12-31");
        assertThat(r.body().path("totals").path("pointsIssued").asLong()).isZero();
        assertThat(r.body().path("outstandingPoints").asLong()).isZero();
        assertThat(r.body().path("rules")).isEmpty();
        assertThat(r.body().path("charities")).isEmpty();
        assertThat(r.body().has("asOf")).isTrue();
    }

    @Test
    void aShopKeyIsForbiddenAndAnotherTenantsProgramIsNotFound() {
        Api.Reply shop = api.shop("GET", P + "/reports/summary?from=2026-11-01&to=2026-11-30", null);
        assertThat(shop.status()).as(shop.toString()).isEqualTo(403);
        assertThat(shop.code()).isEqualTo("forbidden");
        Api.Reply missing = api.admin("GET", "/v1/programs/nope/reports/summary?from=2026-11-01&to=2026-11-30", null);
        assertThat(missing.status()).isEqualTo(404);
        Api other = new Api();
        Api.Reply foreign = other.admin("GET", P + "/reports/summary?from=2026-11-01&to=2026-11-30", null);
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
    }
}
