package dev.reclaim.server;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Headless Chromium for the web UI tests, driven through the apt-installed chromedriver.
 *
 * <p>Paths default to Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}; the
 * environment variables {@value #CHROMIUM_ENV} and {@value #DRIVER_ENV} override them. Selenium
 * Manager is never asked (its download cannot work offline): the driver and binary are given.
 *
 * <p>When the browser is missing the tests are skipped, unless {@value #REQUIRE_ENV}{@code =1}
 * (CI), where a missing browser is a failure that says how to install it.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM_ENV = "RECLAIM_CHROMIUM";
    static final String DRIVER_ENV = "RECLAIM_CHROMEDRIVER";
    static final String REQUIRE_ENV = "RECLAIM_REQUIRE_BROWSER";
    /** A host name the browser resolves to 127.0.0.1 (and nobody else does), standing in for a rebinding DNS name. */
    static final String REBOUND_NAME = "rebound.reclaim.test";
    /** Upper bound of every explicit wait: generous for 2 shared cores, never a fixed sleep. */
    static final Duration WAIT = Duration.ofSeconds(20);

    final WebDriver driver;
    final Path downloads;
    private final WebDriverWait wait;

    private Browser(WebDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
        // A re-render replaces elements between finding and reading them: look again rather than fail.
        this.wait = (WebDriverWait) new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /**
     * Starts headless Chromium, or skips (fails under {@value #REQUIRE_ENV}=1) when it is missing.
     *
     * @param downloads folder where downloads land
     */
    static Browser start(Path downloads) {
        Path chromium = Path.of(env(CHROMIUM_ENV, "/usr/bin/chromium"));
        Path driverBin = Path.of(env(DRIVER_ENV, "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(driverBin)) {
            String missing = (Files.isExecutable(chromium) ? "" : chromium + " (" + CHROMIUM_ENV + ") ")
                    + (Files.isExecutable(driverBin) ? "" : driverBin + " (" + DRIVER_ENV + ") ");
            String why = "the web UI browser tests need Chromium and its driver; missing: " + missing
                    + "- install them with: sudo apt-get install -y chromium chromium-driver "
                    + "(or point " + CHROMIUM_ENV + " and " + DRIVER_ENV + " at another Chromium and chromedriver)";
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                Assertions.fail(why + " [" + REQUIRE_ENV + "=1, so this is a failure, not a skip]");
            }
            Assumptions.abort(why);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1366,1000", "--lang=en-US",
                // A DNS name of the test's own that points at this machine, as a rebinding attacker's name would.
                "--host-resolver-rules=MAP " + REBOUND_NAME + " 127.0.0.1");
        // The console log is read after each test: a Content-Security-Policy violation is a failure.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBin.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, o);
        // Headless Chromium ignores the download preferences; DevTools sets where downloads go.
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toAbsolutePath().toString()));
        return new Browser(driver, downloads);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    /** Opens a page and waits until the UI has rendered its heading. */
    void open(String url) {
        driver.get(url);
        until(d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
    }

    /** Waits (explicitly, up to {@link #WAIT}) until the condition holds. */
    <T> T until(ExpectedCondition<T> condition) {
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            // Say what the page showed: a bare "condition failed" does not tell why.
            Path shot = screenshot("failed-" + System.currentTimeMillis());
            String page = driver.findElements(By.cssSelector("main")).stream().map(WebElement::getText).findFirst().orElse("");
            throw new TimeoutException(e.getMessage().lines().findFirst().orElse("") + "\nscreenshot: " + shot
                    + "\npage text:\n" + page, e);
        }
    }

    /**
     * The browser console's Content-Security-Policy violations since the last call (reading the log
     * empties it).
     */
    List<String> cspViolations() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
    }

    WebElement find(String css) {
        return until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Waits until an element shows text containing {@code text}; returns its whole text. */
    String textContains(String css, String text) {
        until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(text);
        });
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** Saves a whole-page screenshot as {@code reclaim-server/target/screenshots/NAME.png}. */
    Path screenshot(String name) {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
        Dimension before = driver.manage().window().getSize();
        try {
            // The window grows to the page's height for the shot, so the whole page is in it.
            long height = (Long) ((JavascriptExecutor) driver).executeScript(
                    "window.scrollTo(0, 0); return Math.ceil(document.documentElement.scrollHeight)");
            driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(Math.max(height, 600), 6000)));
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
