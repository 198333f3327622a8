package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard (issue 10) in a real headless Chromium, driven by the system's chromedriver: a
 * program and its activity are seeded through the API of a real {@code ./laurel local}, the page is
 * opened at /dashboard, and every figure it renders is read from the DOM and compared with the
 * reports API's answer for the same dates. Screenshots go to {@code target/screenshots/}.
 * Without Chromium this test fails; {@code -Dlaurel.browser=false} skips it explicitly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static final String FROM = "2026-11-01";
    static final String TO = "2026-11-10";
    static LocalRunnerProcess runner;
    static HeadlessChromium chromium;
    static ChromeDriver browser;
    static String program;
    static JsonNode report;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require("the dashboard's browser test");
        Path root = Path.of(System.getProperty("laurel.root", "..")).toAbsolutePath().normalize();
        runner = new LocalRunnerProcess(root);
        program = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        seed();
        report = runner.expect(200, "GET", "/v1/programs/" + program + "/reports/summary?from=" + FROM + "&to=" + TO,
                LocalRunnerProcess.ADMIN_KEY, null);
        chromium = HeadlessChromium.start("en-US");
        browser = chromium.driver;
    }

    /** Two days of earning and redeeming (one redemption rolled back), then expiry, then a later earn. */
    static void seed() {
        String admin = LocalRunnerProcess.ADMIN_KEY;
        String shop = LocalRunnerProcess.SHOP_KEY;
        String p = "/v1/programs/" + program;
        runner.expect(200, "POST", "/local/clock", null, "{\"now\": \"2026-11-02T09:00:00Z\", \"frozen\": true}");
        runner.expect(201, "PUT", p, admin, """
                {"name": "Dashboard Rewards", "currency": "EUR", "timezone": "Europe/Berlin",
                 "earningRules": [
                   {"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}},
                   {"id": "welcome", "trigger": "customer.joined", "points": {"fixed": 25}},
                   {"id": "newsletter", "trigger": "newsletter.subscribed", "points": {"fixed": 50}}],
                 "rewards": [
                   {"id": "ten-off", "name": "10 EUR off", "type": "discount_amount", "valueMinor": 1000, "cost": 100},
                   {"id": "five-off", "type": "discount_amount", "valueMinor": 500, "cost": 50}],
                 "expiry": {"afterDays": 2}}""");
        earn(p, "c-1", "o-1", 12999);
        earn(p, "c-2", "o-2", 8000);
        earn(p, "c-3", "o-3", 20000);
        redeem(p, "c-1", "ten-off", "b-1", 5000);
        redeem(p, "c-2", "five-off", "b-2", 3000);
        String undone = redeem(p, "c-3", "ten-off", "b-3", 4000);
        runner.expect(200, "POST", p + "/redemptions/" + undone + "/rollback", shop, null, Map.of("Idempotency-Key", "undo-b-3"));
        runner.expect(200, "POST", "/local/clock", null, "{\"now\": \"2026-11-03T15:00:00Z\", \"frozen\": true}");
        earn(p, "c-4", "o-4", 5000);
        runner.expect(200, "POST", p + "/earn", shop,
                "{\"customerId\": \"c-1\", \"event\": {\"type\": \"newsletter.subscribed\", \"id\": \"nl-c-1\"}}");
        redeem(p, "c-3", "five-off", "b-4", 2500);
        runner.expect(200, "POST", "/local/clock", null, "{\"now\": \"2026-11-08T12:00:00Z\", \"frozen\": true}");
        runner.expect(200, "POST", "/local/schedules/expiry/run", null, null);
        earn(p, "c-5", "o-5", 7777);
        runner.expect(200, "POST", "/local/streams/drain", null, null);
    }

    static void earn(String p, String customer, String order, long totalMinor) {
        runner.expect(200, "POST", p + "/earn", LocalRunnerProcess.SHOP_KEY, """
                {"customerId": "%s", "event": {"type": "order.paid", "id": "%s", "order": {"totalMinor": %d, "currency": "EUR"}}}"""
                .formatted(customer, order, totalMinor));
    }

    static String redeem(String p, String customer, String reward, String order, long totalMinor) {
        return runner.expect(201, "POST", p + "/redeem", LocalRunnerProcess.SHOP_KEY, """
                {"customerId": "%s", "rewardId": "%s", "order": {"id": "%s", "totalMinor": %d, "currency": "EUR"}}"""
                .formatted(customer, reward, order, totalMinor), Map.of("Idempotency-Key", "redeem-" + order)).path("redemptionId").asText();
    }

    @AfterAll
    static void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    @Order(1)
    void theSeedMadeEveryKindOfFigure() {
        JsonNode t = report.path("totals");
        for (String figure : List.of("pointsIssued", "pointsRedeemed", "pointsRolledBack", "pointsExpired", "redemptions",
                "discountMinor", "attributedOrderMinor", "membersJoined")) {
            assertThat(t.path(figure).asLong()).as(figure + " in " + report).isPositive();
        }
        assertThat(report.path("outstandingPoints").asLong()).isPositive();
        assertThat(report.path("rules").size()).isEqualTo(3);
        assertThat(report.path("rewards").size()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void showsTheReportsFiguresAsTheApiAnswersThem() throws Exception {
        open();
        fill(LocalRunnerProcess.ADMIN_KEY, FROM, TO);
        assertThat(await()).isEqualTo("ready");

        JsonNode t = report.path("totals");
        for (String figure : List.of("pointsIssued", "pointsRedeemed", "pointsExpired", "redemptions", "membersJoined",
                "pointsRolledBack", "pointsRefunded")) {
            assertFigure(find("#totals [data-figure='" + figure + "']"), t.path(figure).asLong(), false);
        }
        assertFigure(find("#totals [data-figure='outstandingPoints']"), report.path("outstandingPoints").asLong(), false);
        assertFigure(find("#totals [data-figure='attributedOrderMinor']"), t.path("attributedOrderMinor").asLong(), true);
        assertFigure(find("#totals [data-figure='discountMinor']"), t.path("discountMinor").asLong(), true);
        assertThat(find("#totals").getText()).contains("Points issued", "Outstanding liability", "Attributed order value");

        List<WebElement> rows = browser.findElements(By.cssSelector("#days tbody tr"));
        assertThat(rows).hasSize(report.path("days").size()).hasSize(10);
        for (JsonNode day : report.path("days")) {
            WebElement row = find("#days tr[data-date='" + day.path("date").asText() + "']");
            for (String figure : List.of("pointsIssued", "pointsRedeemed", "pointsExpired", "redemptions")) {
                assertFigure(row.findElement(By.cssSelector("[data-figure='" + figure + "']")), day.path(figure).asLong(), false);
            }
            assertFigure(row.findElement(By.cssSelector("[data-figure='attributedOrderMinor']")),
                    day.path("attributedOrderMinor").asLong(), true);
        }

        assertRanking("#rules", report.path("rules"), "ruleId", "points", List.of("points", "events"), List.of());
        assertRanking("#rewards", report.path("rewards"), "rewardId", "redemptions", List.of("redemptions"),
                List.of("discountMinor", "orderMinor"));
        assertThat(find("#rewards tr[data-id='ten-off'] th").getText()).isEqualTo("10 EUR off (ten-off)");
        assertThat(find("#program-line").getText()).contains("Dashboard Rewards", program, "EUR", "Europe/Berlin");
        assertThat(find("#status").getText()).contains(FROM, TO, report.path("asOf").asText());

        for (String chart : List.of("#chart-points", "#chart-orders")) {
            WebElement canvas = find(chart + " canvas");
            assertThat(canvas.getSize().getWidth()).as(chart).isGreaterThan(600);
            assertThat(canvas.getSize().getHeight()).as(chart).isGreaterThan(100);
        }
        assertThat(find("#chart-points").getText()).contains("Issued", "Redeemed", "Expired");
        assertThat(find("#chart-orders").getText()).contains("Redemptions", "Attributed order value");

        // the key went only into the Authorization header: not into the URL, not into storage (box not ticked)
        assertThat(browser.getCurrentUrl()).doesNotContain(LocalRunnerProcess.ADMIN_KEY);
        Object storage = browser.executeScript("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        assertThat(storage.toString()).contains(program).doesNotContain(LocalRunnerProcess.ADMIN_KEY);
        assertThat(problems()).isEmpty();
        screenshot("dashboard.png", 1280, false);
        // the README's picture (docs/img/dashboard.png is a copy): the top of the page at 0.6 scale
        chromium.screenshot("dashboard-small.png", Map.of("x", 0, "y", 0, "width", 1280, "height", 1080, "scale", 0.6));

        screenshot("dashboard-360.png", 360, true);
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling at 360 px").isLessThanOrEqualTo(360);
        assertThat(find("#chart-points canvas").getSize().getWidth()).isLessThanOrEqualTo(360);
        assertThat(problems()).isEmpty();
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    @Test
    @Order(3)
    void aWrongKeyShowsTheApisError() throws Exception {
        open();
        fill("not-the-key", FROM, TO);
        assertThat(await()).isEqualTo("error");
        JsonNode expected = runner.expect(401, "GET", "/v1/programs/" + program + "/reports/summary?from=" + FROM + "&to=" + TO,
                "not-the-key", null).path("error");
        WebElement box = find("#error");
        assertThat(box.isDisplayed()).isTrue();
        assertThat(box.getAttribute("data-error-code")).isEqualTo("unauthorized").isEqualTo(expected.path("code").asText());
        assertThat(box.getAttribute("data-status")).isEqualTo("401");
        assertThat(find("#error-message").getText()).contains("401", "unauthorized", expected.path("message").asText());
        assertThat(find("#report").isDisplayed()).isFalse();
        assertThat(problems()).isEmpty();
        screenshot("dashboard-error.png", 1280, false);
    }

    @Test
    @Order(4)
    void aRangeTheApiRefusesShowsItsFieldAndMessage() throws Exception {
        open();
        fill(LocalRunnerProcess.ADMIN_KEY, "2025-01-01", TO);
        assertThat(await()).isEqualTo("error");
        JsonNode expected = runner.expect(400, "GET", "/v1/programs/" + program + "/reports/summary?from=2025-01-01&to=" + TO,
                LocalRunnerProcess.ADMIN_KEY, null).path("error");
        assertThat(find("#error").getAttribute("data-error-code")).isEqualTo("invalid_request");
        assertThat(find("#error-message").getText()).contains(expected.path("message").asText(),
                "(field: " + expected.path("details").path("field").asText() + ")");
    }

    @Test
    @Order(5)
    void anApiBaseUrlAndAKeyKeptForTheTabOnlyWhenAsked() throws Exception {
        open();
        WebElement base = find("#api-base");
        base.clear();
        base.sendKeys(runner.url + "/");
        find("#remember-key").click();
        fill(LocalRunnerProcess.ADMIN_KEY, FROM, TO);
        assertThat(await()).isEqualTo("ready");
        assertThat(find("#totals [data-figure='pointsIssued']").getAttribute("data-value"))
                .isEqualTo(report.path("totals").path("pointsIssued").asText());

        browser.navigate().refresh();
        assertThat(find("#admin-key").getAttribute("value")).isEqualTo(LocalRunnerProcess.ADMIN_KEY);
        assertThat(find("#remember-key").isSelected()).isTrue();
        assertThat(find("#api-base").getAttribute("value")).isEqualTo(runner.url + "/");
        assertThat(find("#program-id").getAttribute("value")).isEqualTo(program);
        assertThat(browser.executeScript("return JSON.stringify(localStorage)").toString())
                .doesNotContain(LocalRunnerProcess.ADMIN_KEY);

        find("#remember-key").click();
        assertThat(browser.executeScript("return JSON.stringify(sessionStorage)").toString())
                .doesNotContain(LocalRunnerProcess.ADMIN_KEY);
        browser.executeScript("localStorage.clear()");
        assertThat(problems()).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static void open() {
        browser.get(runner.url + "/dashboard");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/");
        assertThat(find("h1").getText()).isEqualTo("Laurel dashboard");
    }

    static void fill(String key, String from, String to) {
        WebElement keyField = find("#admin-key");
        keyField.clear();
        keyField.sendKeys(key);
        WebElement programField = find("#program-id");
        programField.clear();
        programField.sendKeys(program);
        browser.executeScript("document.getElementById('from').value = arguments[0];"
                + "document.getElementById('to').value = arguments[1];", from, to);
        find("#show").click();
    }

    /** Waits until the page has answered: "ready" or "error". */
    static String await() throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            String state = find("#main").getAttribute("data-state");
            if (state.equals("ready") || state.equals("error")) {
                return state;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the page did not answer in 30 s: " + find("#status").getText());
    }

    static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    static List<String> problems() {
        return chromium.problems();
    }

    /** The exact value in data-value, and the same number written in the text (money: in euros, with the sign). */
    static void assertFigure(WebElement cell, long expected, boolean money) {
        String label = cell.getAttribute("data-figure") + " = " + cell.getAttribute("textContent");
        assertThat(cell.getAttribute("data-value")).as(label).isEqualTo(Long.toString(expected));
        String text = cell.getAttribute("textContent");
        assertThat(text.replaceAll("[^0-9]", "")).as(label).isEqualTo(money ? String.format("%03d", expected) : Long.toString(expected));
        if (money) {
            // the browser runs with --lang=en-US
            assertThat(text).as(label).isEqualTo(String.format(Locale.US, "€%,d.%02d", expected / 100, expected % 100));
        }
    }

    /** Rows in the order of {@code by}, descending (the API's order breaks ties), with each figure as the API has it. */
    static void assertRanking(String table, JsonNode expected, String idField, String by, List<String> counts, List<String> moneys) {
        List<JsonNode> ranked = new ArrayList<>();
        expected.forEach(ranked::add);
        ranked.sort(Comparator.comparingLong((JsonNode n) -> n.path(by).asLong()).reversed());
        List<String> shown = browser.findElements(By.cssSelector(table + " tbody tr")).stream()
                .map(r -> r.getAttribute("data-id")).toList();
        assertThat(shown).containsExactlyElementsOf(ranked.stream().map(n -> n.path(idField).asText()).toList());
        for (JsonNode n : ranked) {
            WebElement row = find(table + " tr[data-id='" + n.path(idField).asText() + "']");
            counts.forEach(f -> assertFigure(row.findElement(By.cssSelector("[data-figure='" + f + "']")), n.path(f).asLong(), false));
            moneys.forEach(f -> assertFigure(row.findElement(By.cssSelector("[data-figure='" + f + "']")), n.path(f).asLong(), true));
        }
    }

    /** A PNG of the whole page at {@code width} CSS pixels. */
    static void screenshot(String name, int width, boolean mobile) throws Exception {
        chromium.screenshot(name, width, mobile);
    }
}
