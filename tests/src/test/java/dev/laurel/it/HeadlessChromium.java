package dev.laurel.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven by the system's chromedriver, for the
 * browser tests (dashboard, wallet widget): a throwaway profile, every script error, failed resource
 * and CSP violation of a page collected from its first line ({@link #problems}), full-page
 * screenshots into {@code target/screenshots/}. Without Chromium a browser test fails;
 * {@code -Dlaurel.browser=false} skips it explicitly.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Selenium warns that it has no DevTools binding for this Chromium: only executeCdpCommand is used, which needs none. */
    static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the test on {@code -Dlaurel.browser=false}; fails it when Chromium or chromedriver is missing. */
    static void require(String test) {
        Assumptions.assumeFalse("false".equals(System.getProperty("laurel.browser")),
                "-Dlaurel.browser=false: " + test + " is skipped on request");
        for (String exe : List.of(chromium(), chromedriver())) {
            if (!Files.isExecutable(Path.of(exe))) {
                fail(exe + " is missing: install Debian's chromium and chromium-driver (.ci/run does), "
                        + "or give -Dlaurel.browser=false to skip this test");
            }
        }
    }

    private static String chromium() {
        return System.getProperty("laurel.chromium", "/usr/bin/chromium");
    }

    private static String chromedriver() {
        return System.getProperty("laurel.chromedriver", "/usr/bin/chromedriver");
    }

    /** A browser with a 1280×900 window and {@code lang} as its language (e.g. {@code en-US}). */
    static HeadlessChromium start(String lang) throws IOException {
        CDP_VERSION_LOG.setLevel(Level.OFF);
        Path profile = Files.createTempDirectory("laurel-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=" + lang);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // every script error, failed resource and CSP violation of the page, collected from its first line on
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.__problems = [];
                addEventListener('error', e => __problems.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)))), true);
                addEventListener('unhandledrejection', e => __problems.push('rejection: ' + e.reason));
                document.addEventListener('securitypolicyviolation', e => __problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
                """));
        return new HeadlessChromium(driver, profile);
    }

    /** What went wrong in the page so far (script errors, failed resources, CSP violations). */
    @SuppressWarnings("unchecked")
    List<String> problems() {
        return new ArrayList<>((List<String>) driver.executeScript("return window.__problems || ['no problem collector']"));
    }

    /** The viewport {@code width} CSS pixels wide (a phone when {@code mobile}), {@code height} high. */
    void viewport(int width, long height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** A PNG of the whole page at {@code width} CSS pixels, into {@link #SCREENSHOTS}. */
    void screenshot(String name, int width, boolean mobile) throws Exception {
        viewport(width, 900, mobile);
        Thread.sleep(400); // a page's resize handlers (the dashboard's charts) redraw at the new width
        long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
        viewport(width, height, mobile);
        Thread.sleep(200);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png"));
        save(name, (String) shot.get("data"));
    }

    /** A PNG of a region of the page (CSS pixels) at {@code scale}, into {@link #SCREENSHOTS}. */
    void screenshot(String name, Map<String, Object> clip) throws IOException {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "clip", clip));
        save(name, (String) shot.get("data"));
    }

    private static void save(String name, String base64) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), Base64.getDecoder().decode(base64));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
