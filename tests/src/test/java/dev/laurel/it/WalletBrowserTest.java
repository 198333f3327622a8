package dev.laurel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The wallet widget ({@code /widget/laurel-wallet.js}) on the demo shop ({@code /demo/}) of a real
 * {@code ./laurel local}, in a real headless Chromium: the member's balance as the API answers it,
 * a redemption giving a code and a QR code (decoded by ZXing from the screenshot), the till using
 * the code and refusing it the second time, a Japanese member, a 360-pixel phone, a redemption by
 * keyboard only, and an expired session. Members are seeded through the API with the shop key; the
 * pages themselves never hold one. Screenshots of each step go to {@code target/screenshots/wallet-*.png};
 * the figures (file size, time to first render, API calls per render) to {@code target/wallet-figures.txt}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalletBrowserTest {
    static final Path WIDGET = Path.of("..", "local", "src", "main", "resources", "widget", "laurel-wallet.js");
    static final Path FIGURES = Path.of("target", "wallet-figures.txt");
    static final String EUR = "demo-shop";
    static final String JPY = "demo-shop-jp";

    static LocalRunnerProcess runner;
    static HeadlessChromium chromium;
    static ChromeDriver browser;
    static final List<String> figures = new ArrayList<>();
    /** Navigation start to the balance shown, in ms, for each page opened. */
    static final List<Long> renders = new ArrayList<>();
    /** The code redeemed in step 2, used at the till in step 3. */
    static String code;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require("the wallet's browser test");
        Path root = Path.of(System.getProperty("laurel.root", "..")).toAbsolutePath().normalize();
        runner = new LocalRunnerProcess(root);
        // the demo backend creates its two programs on first use
        runner.expect(200, "POST", "/demo/session", null, "{\"program\": \"" + EUR + "\"}");
        runner.expect(200, "POST", "/demo/session", null, "{\"program\": \"" + JPY + "\"}");
        chromium = HeadlessChromium.start("en-US");
        browser = chromium.driver;
        // what the page's calls send: each fetch's Authorization (and its Idempotency-Key), from the page's first line
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.__sent = [];
                const realFetch = window.fetch;
                window.fetch = function (url, init) {
                  const h = (init && init.headers) || {};
                  if (String(url).includes('/v1/')) {
                    __sent.push(String(h.Authorization) + (h['Idempotency-Key'] ? ' idempotency-key=' + h['Idempotency-Key'] : ''));
                  }
                  return realFetch.apply(this, arguments);
                };
                """));
    }

    @SuppressWarnings("unchecked")
    static List<String> sentHeaders() {
        return (List<String>) browser.executeScript("return window.__sent");
    }

    @AfterAll
    static void stop() throws IOException {
        if (renders.size() > 1) {
            List<Long> later = renders.subList(1, renders.size()).stream().sorted().toList();
            figures.add("time to first render, the " + later.size() + " later pages: min " + later.get(0) + " ms, median "
                    + later.get(later.size() / 2) + " ms, max " + later.get(later.size() - 1) + " ms");
        }
        if (!figures.isEmpty()) {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, String.join("\n", figures) + "\n", StandardCharsets.UTF_8);
        }
        if (chromium != null) {
            chromium.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    /** A new member of {@code program} in {@code locale} with one order of {@code orderMinor} (1 point a 100 minor units, +50 to join). */
    static String member(String program, String locale, long orderMinor) {
        String id = "w-" + UUID.randomUUID().toString().substring(0, 8);
        String p = "/v1/programs/" + program;
        runner.expect(201, "PUT", p + "/customers/" + id, LocalRunnerProcess.SHOP_KEY,
                "{\"email\": \"" + id + "@example.com\", \"locale\": \"" + locale + "\"}");
        String currency = program.equals(JPY) ? "JPY" : "EUR";
        runner.expect(200, "POST", p + "/earn", LocalRunnerProcess.SHOP_KEY, """
                {"customerId": "%s", "event": {"type": "order.paid", "id": "o-%s", "order": {"totalMinor": %d, "currency": "%s"}}}"""
                .formatted(id, id, orderMinor, currency));
        return id;
    }

    static JsonNode wallet(String program, String customer) {
        return runner.expect(200, "GET", "/v1/programs/" + program + "/customers/" + customer, LocalRunnerProcess.SHOP_KEY, null);
    }

    // ---- the steps ------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theMemberSeesTheirBalanceAsTheApiAnswersIt() throws Exception {
        String anna = member(EUR, "en", 40000);
        JsonNode api = wallet(EUR, anna);
        assertThat(api.path("balance").path("available").asLong()).isEqualTo(450);

        openShop(EUR, anna);
        long render = renders.get(0);
        SearchContext w = shadow();
        assertThat(text(w, "h2")).isEqualTo("Your rewards");
        WebElement balance = w.findElement(By.cssSelector("[part=balance]"));
        assertThat(balance.getAttribute("data-value")).isEqualTo(api.path("balance").path("available").asText());
        assertThat(balance.getText()).isEqualTo("450 points");
        assertThat(w.findElements(By.cssSelector("[part=pending]"))).isEmpty();
        assertThat(text(w, "[part=tier]")).contains("bronze", "50 points to silver");
        assertThat(w.findElement(By.cssSelector("[part=tier-next]")).getAttribute("data-value"))
                .isEqualTo(api.path("tier").path("pointsToNext").asText());
        WebElement progress = w.findElement(By.cssSelector("progress"));
        assertThat(progress.getAttribute("aria-label")).isEqualTo("Progress to silver");
        JsonNode expiring = api.path("expiring").get(0);
        WebElement expiringLine = w.findElement(By.cssSelector("[part=expiring] li"));
        assertThat(expiringLine.getAttribute("data-value")).isEqualTo(expiring.path("points").asText());
        assertThat(expiringLine.getAttribute("data-on")).isEqualTo(expiring.path("on").asText());
        assertThat(expiringLine.getText()).startsWith("450 points expire on ");
        // rewards: affordable and eligible with a button; at checkout; another tier's; too dear
        assertThat(rewardAction(w, "coffee").getTagName()).isEqualTo("button");
        assertThat(rewardAction(w, "coffee").getAttribute("aria-label")).isEqualTo("Redeem Free coffee for 100 points");
        assertThat(rewardAction(w, "voucher").getTagName()).isEqualTo("button");
        assertThat(rewardAction(w, "ten-off").getText()).isEqualTo("Apply it at checkout");
        assertThat(rewardAction(w, "gold-gift").getText()).isEqualTo("Not available: for another tier");
        for (JsonNode r : api.path("rewards")) {
            WebElement row = w.findElement(By.cssSelector("li[data-reward-id='" + r.path("rewardId").asText() + "']"));
            assertThat(row.getAttribute("data-affordable")).isEqualTo(r.path("affordable").asText());
            assertThat(row.getAttribute("data-eligible")).isEqualTo(r.path("eligible").asText());
        }
        JsonNode ledger = runner.expect(200, "GET", "/v1/programs/" + EUR + "/customers/" + anna + "/ledger?limit=5",
                LocalRunnerProcess.SHOP_KEY, null).path("entries");
        List<WebElement> entries = w.findElements(By.cssSelector("[part=ledger] li"));
        assertThat(entries).hasSize(ledger.size()).hasSize(2);
        assertThat(entries.get(0).getAttribute("data-entry")).isEqualTo(ledger.get(0).path("id").asText());
        assertThat(entries.get(0).getText()).startsWith("Earned").endsWith("+400 points");

        // what one render costs: calls to the API (the session's mint is the page's backend, not the API)
        List<String> calls = apiCalls();
        assertThat(calls).as("API calls of one render").hasSize(2)
                .allMatch(u -> u.contains("/v1/programs/" + EUR + "/customers/" + anna));
        byte[] widget = Files.readAllBytes(WIDGET);
        figures.add("widget laurel-wallet.js: " + widget.length + " bytes, " + gzip(widget) + " bytes gzipped");
        figures.add("time to first render (navigation start to balance shown, incl. POST /demo/session), first page of a fresh browser: "
                + render + " ms");
        figures.add("API calls per render: " + calls.size() + " (" + String.join(", ", calls) + ")");
        assertThat(chromium.problems()).isEmpty();
        chromium.screenshot("wallet-1-balance.png", 1280, false);
        clipWallet("wallet-1-widget.png");
    }

    @Test
    @Order(2)
    void redeemsAndGetsACodeAndAQrCodeThatDecodesToIt() throws Exception {
        String ben = member(EUR, "en", 30000);
        openShop(EUR, ben);
        SearchContext w = shadow();
        assertThat(w.findElement(By.cssSelector("[part=balance]")).getAttribute("data-value")).isEqualTo("350");
        rewardAction(w, "coffee").click();
        WebElement result = awaitResult();
        code = result.getAttribute("data-code");
        assertThat(code).matches("LR-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}");
        assertThat(text(w, "[part=code]")).isEqualTo(code);
        assertThat(text(w, "[part=value]")).isEqualTo("Worth €3.50");
        assertThat(text(w, "[part=status]")).isEqualTo("Free coffee redeemed. Your code is " + code + ".");
        // the balance shown again is the API's after the redemption
        awaitText(() -> w.findElement(By.cssSelector("[part=balance]")).getAttribute("data-value"), "250");
        assertThat(wallet(EUR, ben).path("balance").path("available").asLong()).isEqualTo(250);
        assertThat(w.findElement(By.cssSelector("[part=ledger] li")).getAttribute("data-type")).isEqualTo("redeem");
        assertThat(text(w, "[part=ledger] li")).startsWith("Redeemed: Free coffee").endsWith("−100 points");
        JsonNode lookup = runner.expect(200, "GET", "/v1/programs/" + EUR + "/codes/" + code, LocalRunnerProcess.SHOP_KEY, null);
        assertThat(lookup.path("status").asText()).isEqualTo("issued");
        assertThat(lookup.path("customerId").asText()).isEqualTo(ben);

        // the QR code: only SVG shapes reached the page, and what the page shows decodes to the code
        WebElement qr = w.findElement(By.cssSelector("[part=qr] svg"));
        assertThat(qr.getAttribute("aria-label")).isEqualTo("QR code of " + code);
        assertThat(qr.getDomProperty("innerHTML")).doesNotContain("<script", "foreignObject").doesNotContainPattern("\\son[a-z]+=");
        chromium.screenshot("wallet-2-redeemed.png", 1280, false);
        // the README's picture (docs/img/wallet.png is a copy): the widget alone, with its code
        clipWallet("wallet.png");
        byte[] png = w.findElement(By.cssSelector("[part=qr]")).getScreenshotAs(OutputType.BYTES);
        Files.write(HeadlessChromium.SCREENSHOTS.resolve("wallet-2-qr.png"), png);
        assertThat(decodeQr(png)).isEqualTo(code);
        // every call of the page carried the member's session token, never an API key; the redeem an Idempotency-Key
        List<String> sent = sentHeaders();
        assertThat(sent).isNotEmpty().allMatch(h -> h.startsWith("Bearer v1."), "a session token");
        assertThat(sent).anyMatch(h -> h.contains(" idempotency-key=wallet-"));
        assertThat(chromium.problems()).isEmpty();
    }

    @Test
    @Order(3)
    void theTillUsesTheCodeAndRefusesASecondUse() throws Exception {
        assertThat(code).as("step 2 redeemed a code").isNotNull();
        browser.get(runner.url + "/demo/till.html");
        lookUp(code.toLowerCase(java.util.Locale.ROOT)); // typed as a cashier might: any case
        assertThat(find("#found-status").getAttribute("data-status")).isEqualTo("issued");
        assertThat(find("#found-reward").getText()).isEqualTo("Free coffee (coffee)");
        assertThat(find("#found-value").getText()).isEqualTo("€3.50");
        chromium.screenshot("wallet-3-till-found.png", 1280, false);
        find("#use").click();
        awaitText(() -> find("#till").getAttribute("data-state"), "used");
        assertThat(find("#till-result").getText()).startsWith("Accepted: code " + code + " used for order till-");
        awaitText(() -> find("#found-status").getAttribute("data-status"), "used");
        assertThat(runner.expect(200, "GET", "/v1/programs/" + EUR + "/codes/" + code, LocalRunnerProcess.SHOP_KEY, null)
                .path("status").asText()).isEqualTo("used");
        chromium.screenshot("wallet-3-till-used.png", 1280, false);

        // another till, the same code: the view shows the API's refusal
        browser.get(runner.url + "/demo/till.html");
        lookUp(code);
        assertThat(find("#found-status").getText()).isEqualTo("Already used");
        find("#use").click();
        awaitText(() -> find("#till").getAttribute("data-state"), "refused");
        WebElement error = find("#till-error");
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getAttribute("data-error-code")).isEqualTo("already_used");
        assertThat(error.getAttribute("data-status")).isEqualTo("409");
        assertThat(error.getText()).startsWith("Refused: this code was already used.");
        assertThat(chromium.problems()).isEmpty();
        chromium.screenshot("wallet-3-till-refused.png", 1280, false);
    }

    @Test
    @Order(4)
    void aJapaneseMemberSeesJapaneseAndYen() throws Exception {
        String yui = member(JPY, "ja", 40000);
        openShop(JPY, yui);
        SearchContext w = shadow();
        assertThat(text(w, "h2")).isEqualTo("あなたの特典");
        assertThat(w.findElement(By.cssSelector("section")).getAttribute("lang")).isEqualTo("ja");
        assertThat(text(w, "[part=balance]")).isEqualTo("450ポイント");
        assertThat(text(w, "[part=tier]")).contains("ランク", "silverまであと50ポイント");
        assertThat(text(w, "[part=ledger]")).contains("最近の履歴", "獲得");
        assertThat(rewardAction(w, "coffee").getText()).isEqualTo("交換する");
        rewardAction(w, "coffee").click();
        awaitResult();
        assertThat(text(w, "[part=value]")).matches("[¥￥]400相当");
        assertThat(text(w, "[part=result] h3")).isEqualTo("あなたの特典コード");
        assertThat(find("#product-price").getText()).matches("[¥￥]2,480");
        assertThat(chromium.problems()).isEmpty();
        chromium.screenshot("wallet-4-japanese.png", 1280, false);

        // the locale attribute overrides the member's: the same member in German
        browser.get(runner.url + "/demo/?program=" + JPY + "&customer=" + yui + "&locale=de");
        awaitState("ready");
        assertThat(text(shadow(), "h2")).isEqualTo("Deine Prämien");
        assertThat(text(shadow(), "[part=balance]")).isEqualTo("350 Punkte");
    }

    @Test
    @Order(5)
    void fitsA360PixelPhoneWithoutSidewaysScrolling() throws Exception {
        String cem = member(EUR, "tr", 30000);
        chromium.viewport(360, 800, true);
        try {
            openShop(EUR, cem);
            SearchContext w = shadow();
            assertThat(text(w, "h2")).isEqualTo("Ödülleriniz");
            assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling at 360 px").isLessThanOrEqualTo(360);
            assertThat(find("laurel-wallet").getRect().getWidth()).isLessThanOrEqualTo(360);
            for (WebElement button : w.findElements(By.cssSelector("button"))) {
                assertThat(button.getRect().getX() + button.getRect().getWidth()).as("a button inside the screen").isLessThanOrEqualTo(360);
                assertThat(button.getRect().getHeight()).as("a touch target").isGreaterThanOrEqualTo(44);
            }
            rewardAction(w, "coffee").click();
            awaitResult();
            assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                    .as("no sideways scrolling with a code and QR at 360 px").isLessThanOrEqualTo(360);
            assertThat(chromium.problems()).isEmpty();
            chromium.screenshot("wallet-5-phone-360.png", 360, true);
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    @Order(6)
    void redeemsByKeyboardOnlyAndMovesTheFocusToTheCode() throws Exception {
        String dana = member(EUR, "de", 30000);
        openShop(EUR, dana);
        SearchContext w = shadow();
        browser.executeScript("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
        String target = "redeem:voucher";
        List<String> path = new ArrayList<>();
        for (int i = 0; i < 40 && !target.equals(deepFocus()); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            path.add(deepFocus());
        }
        assertThat(deepFocus()).as("Tab reaches the voucher's button: " + path).isEqualTo(target);
        assertThat(path).as("the coffee's button comes first, in reading order").contains("redeem:coffee");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        awaitResult();
        awaitText(WalletBrowserTest::deepFocus, "result-heading");
        assertThat(text(w, "[part=status]")).isEqualTo("5 € voucher eingelöst. Dein Code ist "
                + w.findElement(By.cssSelector("[part=result]")).getAttribute("data-code") + ".");
        assertThat(wallet(EUR, dana).path("balance").path("available").asLong()).isEqualTo(100);
        assertThat(chromium.problems()).isEmpty();
        chromium.screenshot("wallet-6-keyboard.png", 1280, false);
    }

    @Test
    @Order(7)
    void anExpiredSessionShowsTheMessageAndTheHostPageGetsANewOne() throws Exception {
        String emil = member(EUR, "en", 30000);
        openShop(EUR, emil);
        // 16 minutes later on the runner's clock: the 15-minute token is past its expiry
        runner.expect(200, "POST", "/local/clock", null, "{\"advance\": \"PT16M\"}");
        rewardAction(shadow(), "coffee").click();
        awaitState("expired");
        WebElement error = shadow().findElement(By.cssSelector("[part=error]"));
        assertThat(error.getAttribute("data-error-code")).isEqualTo("unauthorized");
        assertThat(error.getAttribute("data-status")).isEqualTo("401");
        assertThat(error.getText()).isEqualTo("Your session has expired. Please reload the page to see your rewards.");
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        // the host page heard laurel-wallet:session-expired
        assertThat(find("#main").getAttribute("data-state")).isEqualTo("expired");
        assertThat(find("#renew").isDisplayed()).isTrue();
        assertThat(rewardAction(shadow(), "voucher").isEnabled()).as("no redeeming on an expired session").isFalse();
        assertThat(wallet(EUR, emil).path("balance").path("available").asLong()).as("nothing was redeemed").isEqualTo(350);
        chromium.screenshot("wallet-7-expired.png", 1280, false);
        find("#renew-button").click();
        awaitState("ready");
        assertThat(shadow().findElements(By.cssSelector("[part=error]"))).isEmpty();
        assertThat(chromium.problems()).isEmpty();
    }

    @Test
    @Order(8)
    void pendingPointsAndTheirDayAndWhatARewardStillNeeds() throws Exception {
        // the demo program, replaced (last step) by one whose points wait 14 days, the return window
        runner.expect(200, "PUT", "/v1/programs/" + EUR, LocalRunnerProcess.ADMIN_KEY, """
                {"name": "Laurel Demo Shop", "currency": "EUR", "timezone": "Europe/Berlin", "pending": {"days": 14},
                 "earningRules": [{"id": "purchase", "trigger": "order.paid", "points": {"perAmount": {"points": 1, "amountMinor": 100}}}],
                 "rewards": [{"id": "coffee", "name": "Free coffee", "type": "product", "valueMinor": 350, "cost": 100}]}""");
        Thread.sleep(6000); // the functions re-check a cached program every 5 s (ProgramCache.DEFAULT_RECHECK)
        String finn = member(EUR, "en", 30000);
        JsonNode api = wallet(EUR, finn);
        assertThat(api.path("balance").path("pending").asLong()).isEqualTo(300);
        openShop(EUR, finn);
        SearchContext w = shadow();
        assertThat(text(w, "[part=balance]")).isEqualTo("0 points");
        WebElement pending = w.findElement(By.cssSelector("[part=pending]"));
        assertThat(pending.getAttribute("data-value")).isEqualTo("300");
        assertThat(pending.getText()).isEqualTo("Pending: 300 points");
        String on = api.path("pending").get(0).path("availableOn").asText();
        assertThat(text(w, "[part=balance-block] li")).startsWith("300 points available on ")
                .endsWith(String.valueOf(Integer.parseInt(on.substring(0, 4))));
        assertThat(rewardAction(w, "coffee").getText()).isEqualTo("100 points more needed");
        assertThat(chromium.problems()).isEmpty();
        chromium.screenshot("wallet-8-pending.png", 1280, false);
    }

    @Test
    @Order(9)
    void anApiRefusalIsShownInTheMembersLanguage() throws Exception {
        String greta = member(JPY, "de", 5000); // 50 + 50 to join: one coffee's worth
        openShop(JPY, greta);
        SearchContext w = shadow();
        assertThat(rewardAction(w, "coffee").getText()).isEqualTo("Einlösen");
        // meanwhile the points are spent elsewhere (the till, another tab)
        runner.expect(201, "POST", "/v1/programs/" + JPY + "/redeem", LocalRunnerProcess.SHOP_KEY,
                "{\"customerId\": \"" + greta + "\", \"rewardId\": \"coffee\"}", Map.of("Idempotency-Key", "elsewhere-" + greta));
        rewardAction(w, "coffee").click();
        awaitText(() -> shadow().findElements(By.cssSelector("[part=error]")).isEmpty() ? "none"
                : shadow().findElement(By.cssSelector("[part=error]")).getAttribute("data-error-code"), "insufficient_points");
        WebElement error = shadow().findElement(By.cssSelector("[part=error]"));
        assertThat(error.getAttribute("data-status")).isEqualTo("409");
        assertThat(error.getText()).startsWith("Du hast nicht genug Punkte für diese Prämie.").contains("Noch einmal versuchen");
        assertThat(deepFocus()).as("the focus goes to the message").isEqualTo("DIV");
        assertThat(wallet(JPY, greta).path("balance").path("available").asLong()).isZero();
        chromium.screenshot("wallet-9-refused.png", 1280, false);
        // "try again" loads the wallet anew: the coffee now needs its points
        shadow().findElement(By.cssSelector("[part=error] button")).click();
        awaitText(() -> rewardAction(shadow(), "coffee").getText(), "Noch 100 Punkte nötig");
        assertThat(chromium.problems()).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Opens the product page for a member and waits for the wallet; the time from navigation to the balance shown, in ms. */
    static long openShop(String program, String customer) throws InterruptedException {
        browser.get(runner.url + "/demo/?program=" + program + "&customer=" + customer);
        awaitState("ready");
        Number rendered = (Number) browser.executeScript(
                "var m = performance.getEntriesByName('laurel-wallet:rendered'); return m.length ? m[0].startTime : -1");
        assertThat(rendered.doubleValue()).as("the widget marked its first render").isPositive();
        renders.add(Math.round(rendered.doubleValue()));
        return Math.round(rendered.doubleValue());
    }

    static void awaitState(String state) throws InterruptedException {
        awaitText(() -> find("laurel-wallet").getAttribute("data-state"), state);
    }

    static void awaitText(Supplier<String> value, String expected) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        String seen = null;
        while (System.nanoTime() < end) {
            try {
                seen = value.get();
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                seen = e.getClass().getSimpleName();
            }
            if (expected.equals(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited 30 s for " + expected + ", saw " + seen + "; problems: " + chromium.problems());
    }

    static WebElement awaitResult() throws InterruptedException {
        awaitText(() -> shadow().findElements(By.cssSelector("[part=result] [part=qr] svg")).isEmpty() ? "no QR yet" : "shown",
                "shown");
        return shadow().findElement(By.cssSelector("[part=result]"));
    }

    static SearchContext shadow() {
        return find("laurel-wallet").getShadowRoot();
    }

    static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    static String text(SearchContext in, String css) {
        return in.findElement(By.cssSelector(css)).getText();
    }

    /** The button (or the note in its place) of a reward's row. */
    static WebElement rewardAction(SearchContext w, String rewardId) {
        return w.findElement(By.cssSelector("li[data-reward-id='" + rewardId + "'] > :last-child"));
    }

    /** The focused element, through shadow roots: its data-focus-key or id. */
    static String deepFocus() {
        return (String) browser.executeScript("""
                var a = document.activeElement;
                while (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; }
                return a ? (a.getAttribute('data-focus-key') || a.id || a.tagName) : null;""");
    }

    /** The API requests the page made since it loaded (the resource timing entries under /v1/). */
    @SuppressWarnings("unchecked")
    static List<String> apiCalls() {
        return ((List<Object>) browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/v1/'))"))
                .stream().map(o -> o.toString().replace(runner.url.toString(), "")).toList();
    }

    static void lookUp(String typed) throws InterruptedException {
        WebElement input = find("#code");
        input.clear();
        input.sendKeys(typed);
        find("#look-up").click();
        awaitText(() -> find("#till").getAttribute("data-state"), "found");
    }

    static void clipWallet(String name) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.executeScript("""
                var b = document.querySelector('laurel-wallet').getBoundingClientRect();
                return {x: b.left + scrollX, y: b.top + scrollY, width: b.width, height: b.height};""");
        chromium.screenshot(name, Map.of("x", r.get("x"), "y", r.get("y"), "width", r.get("width"), "height", r.get("height"),
                "scale", 1));
    }

    static String decodeQr(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }

    static int gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.size();
    }
}
