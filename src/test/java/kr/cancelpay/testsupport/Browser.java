package kr.cancelpay.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.Event;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven by Selenium through Debian's chromedriver. Both
 * binaries are named explicitly, so Selenium Manager (which would look for, and download, a driver
 * and a browser) never runs; nothing is downloaded at test time. Each session gets a fresh profile
 * directory, removed on close. A missing package fails the test with its name: the browser test is
 * never skipped.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Without a Korean font every Korean label renders as empty boxes (the screenshot). */
    public static final Path KOREAN_FONT = Path.of("/usr/share/fonts/truetype/nanum");

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final WebDriverWait wait;
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> requests = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, WAIT);
    }

    /** Fails, naming the Debian package, when {@code path} is not there. */
    public static void requireInstalled(Path path, String debianPackage) {
        if (!Files.exists(path)) {
            throw new AssertionError(
                    path
                            + " is missing: install the Debian package "
                            + debianPackage
                            + " (apt-get install "
                            + debianPackage
                            + "; .ci/run does it)");
        }
    }

    public static Browser start(int width, int height) {
        requireInstalled(CHROMIUM, "chromium");
        requireInstalled(CHROMEDRIVER, "chromium-driver");
        requireInstalled(KOREAN_FONT, "fonts-nanum");
        // Belt and braces: the driver's location as a property too, as Selenium reads it.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("cancelpay-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--lang=ko-KR");
        // Every request the page makes, read back from the performance log (sameOriginOnly).
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (WebDriverException cannotStart) {
            deleteTree(profile);
            throw new AssertionError(
                    "Chromium did not start through chromedriver ("
                            + CHROMIUM
                            + ", "
                            + CHROMEDRIVER
                            + "): the Debian packages chromium and chromium-driver must be"
                            + " installed, of the same version",
                    cannotStart);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
        wait.until(d -> "true".equals(attribute(By.tagName("body"), "data-ready")));
    }

    public WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    public String text(String id) {
        return element(id).getText();
    }

    private String attribute(By by, String name) {
        return driver.findElement(by).getDomAttribute(name);
    }

    public WebElement waitVisible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for the outcome box to reach {@code state} (success, problem, pending, failed). */
    public void waitForOutcome(String state) {
        try {
            wait.until(
                    d -> {
                        WebElement outcome = element("outcome");
                        return outcome.isDisplayed()
                                && state.equals(outcome.getDomAttribute("data-state"));
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(
                    "the outcome never became "
                            + state
                            + "; it shows: "
                            + element("outcome").getDomAttribute("data-state")
                            + " "
                            + element("outcome").getText(),
                    e);
        }
    }

    public void waitUntilText(String id, String expected) {
        wait.until(ExpectedConditions.textToBe(By.id(id), expected));
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page (not only the window), as PNG. */
    @SuppressWarnings("unchecked")
    public Path screenshot(Path file) {
        Map<String, Object> size =
                (Map<String, Object>)
                        driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                                .get("cssContentSize");
        Map<String, Object> shot =
                driver.executeCdpCommand(
                        "Page.captureScreenshot",
                        Map.of(
                                "format",
                                "png",
                                "captureBeyondViewport",
                                true,
                                "clip",
                                Map.of(
                                        "x",
                                        0,
                                        "y",
                                        0,
                                        "width",
                                        size.get("width"),
                                        "height",
                                        size.get("height"),
                                        "scale",
                                        1)));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * From now on, the answer to the first request whose URL matches {@code urlPattern} (CDP
     * wildcards) is lost on its way back to the page, as a dropped connection: the server has
     * processed the request, the page sees a network error. Later requests pass.
     */
    public void loseFirstAnswerTo(String urlPattern) {
        loseAnswersTo(urlPattern, 1);
    }

    /** As {@link #loseFirstAnswerTo}, for the first {@code count} matching requests. */
    public void loseAnswersTo(String urlPattern, int count) {
        DevTools devTools = driver.getDevTools();
        devTools.createSessionIfThereIsNotOne();
        AtomicInteger toLose = new AtomicInteger(count);
        devTools.addListener(
                new Event<Map<String, Object>>(
                        "Fetch.requestPaused", input -> input.read(Map.class)),
                paused -> {
                    String id = (String) paused.get("requestId");
                    devTools.send(
                            toLose.getAndDecrement() > 0
                                    ? new Command<Void>(
                                            "Fetch.failRequest",
                                            Map.of(
                                                    "requestId",
                                                    id,
                                                    "errorReason",
                                                    "ConnectionReset"))
                                    : new Command<Void>(
                                            "Fetch.continueRequest", Map.of("requestId", id)));
                });
        devTools.send(
                new Command<Void>(
                        "Fetch.enable",
                        Map.of(
                                "patterns",
                                List.of(
                                        Map.of(
                                                "urlPattern",
                                                urlPattern,
                                                "requestStage",
                                                "Response")))));
    }

    /** Undoes {@link #loseFirstAnswerTo}. */
    public void stopLosingAnswers() {
        DevTools devTools = driver.getDevTools();
        devTools.send(new Command<Void>("Fetch.disable", Map.of()));
        devTools.clearListeners();
    }

    /**
     * The requests (method and URL) the browser made since {@link #forgetRequests}, from Chromium's
     * performance log.
     */
    public List<String> requests() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = json.readTree(entry.getMessage()).path("message");
                if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                    JsonNode request = message.path("params").path("request");
                    requests.add(
                            request.path("method").asText() + " " + request.path("url").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(requests);
    }

    public void forgetRequests() {
        requests();
        requests.clear();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A temp directory left behind is not worth failing a test over.
        }
    }
}
