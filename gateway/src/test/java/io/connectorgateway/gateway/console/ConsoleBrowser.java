package io.connectorgateway.gateway.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser of the console's browser tests: Debian's headless Chromium through Selenium, pointed
 * at one gateway, with the screenshot of a page at a given width. Without {@code chromium} and
 * {@code chromedriver} on the PATH a test class is skipped ({@link Present}), with {@code CI=true} it fails.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final String INSTALL = "apt-get install -y chromium chromium-driver";
    static final int WIDTH = 1000;
    static final int PHONE = 390;
    /** How long a click may take to bring the next page (a loaded CI machine, a broker round trip behind a save). */
    static final Duration NAVIGATION = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final String base;
    private final Path shots;

    ConsoleBrowser(String base) throws IOException {
        Optional<Path> chromium = onPath("chromium", "chromium-browser");
        Optional<Path> chromedriver = onPath("chromedriver");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            fail("CI=true but " + missing() + " is not on the PATH: the browser tests must run in CI (" + INSTALL + ")");
        }
        this.base = base.replaceAll("/$", "");
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--force-device-scale-factor=1", "--hide-scrollbars", "--lang=en-US", "--window-size=" + WIDTH + ",900");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        driver = new ChromeDriver(service, options);
        // screenshots go to target/ (a test run leaves the tree clean); -Dconsole.screenshots=docs
        // refreshes the ones docs/console.md shows
        Path repo = Path.of("").toAbsolutePath();
        shots = "docs".equals(System.getProperty("console.screenshots"))
                ? (Files.isDirectory(repo.resolve("docs")) ? repo : repo.getParent()).resolve("docs/console")
                : repo.resolve("target/console-screenshots");
        Files.createDirectories(shots);
    }

    /**
     * Skips the class (reported as skipped, with the reason) when the browser or its driver is
     * missing on a developer's machine; with CI=true the class runs and fails on starting the browser.
     */
    static final class Present implements org.junit.jupiter.api.extension.ExecutionCondition {
        @Override
        public org.junit.jupiter.api.extension.ConditionEvaluationResult evaluateExecutionCondition(
                org.junit.jupiter.api.extension.ExtensionContext context) {
            String missing = missing();
            if (missing.isEmpty() || "true".equalsIgnoreCase(System.getenv("CI"))) {
                return org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("chromium and chromedriver found, or CI");
            }
            String why = "console browser tests skipped: " + missing + " not on the PATH (" + INSTALL + ")";
            System.err.println(why);
            return org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled(why);
        }
    }

    /** What is missing of chromium and chromedriver, empty when both are on the PATH. */
    static String missing() {
        return ((onPath("chromium", "chromium-browser").isEmpty() ? "chromium " : "")
                + (onPath("chromedriver").isEmpty() ? "chromedriver" : "")).trim();
    }

    static Optional<Path> onPath(String... names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(names).flatMap(n -> Stream.of(path.split(File.pathSeparator)).map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebElement $(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String text() {
        return $("body").getText();
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /**
     * A screenshot of the whole page as a {@code width} px wide screen shows it (a phone's when
     * narrow) into the screenshot directory as {@code name}.png, through the DevTools protocol's device metrics.
     */
    @SuppressWarnings("unchecked")
    void shot(String name, int width) throws IOException {
        boolean phone = width < 600;
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", 800,
                "deviceScaleFactor", 1, "mobile", phone));
        try {
            Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
            Number height = (Number) ((Map<String, Object>) metrics.get("cssContentSize")).get("height");
            int h = Math.min(Math.max(height.intValue(), 300), 4000);
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", h,
                    "deviceScaleFactor", 1, "mobile", phone));
            Map<String, Object> png = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true));
            Files.write(shots.resolve(name + ".png"), Screenshots.indexed(java.util.Base64.getDecoder().decode((String) png.get("data"))));
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    void signIn(String token) {
        open("/console");
        assertTrue(url().endsWith("/console/sign-in"), url());
        $("#token").sendKeys(token);
        go("#sign-in");
        assertFalse(url().endsWith("/console/sign-in"), "still signing in:\n" + text());
    }

    /** Clicks what loads another page (a link, a form's button) and returns once that page is loaded. */
    void go(String css) {
        go($(css));
    }

    /**
     * Clicks {@code target} and waits for the page it loads: a click returns when the browser has
     * sent the request, not when the next page is there, so on a loaded machine a test that reads
     * the page right after a click can read the page it left (seen in CI: the URL of the form
     * read before the redirect, then the redirect's URL in the failure message).
     */
    void go(WebElement target) {
        WebElement left = driver.findElement(By.tagName("html"));
        target.click();
        arrived(left);
    }

    /** Submits the form of {@code field} and waits for the page it loads. */
    void submit(WebElement field) {
        WebElement left = driver.findElement(By.tagName("html"));
        field.submit();
        arrived(left);
    }

    private void arrived(WebElement left) {
        try {
            new WebDriverWait(driver, NAVIGATION).until(ExpectedConditions.stalenessOf(left));
            new WebDriverWait(driver, NAVIGATION).until(d -> "complete".equals(
                    ((JavascriptExecutor) d).executeScript("return document.readyState")));
        } catch (TimeoutException e) {
            fail("no new page within " + NAVIGATION.toSeconds() + " s of the click; still at " + url() + ":\n" + text());
        }
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
    }
}
