package io.forklift.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.coordinator.Housekeeper;
import io.forklift.coordinator.HousekeepingConfig;
import io.forklift.coordinator.tasks.Chatty;
import io.forklift.coordinator.tasks.Flaky;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.daemon.LocalWorker;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in Debian's headless Chromium, against the real server, a real worker with two
 * children and a real Redis: its queue, worker, child, object and Process rows say what
 * {@code /v1/status}, the Manager and {@code /v1/processes} say, and the Retry button of a dead letter runs that task again (its ledger gets
 * another line). Leaves a screenshot in target/it-logs/status-page.png.
 */
@ExtendWith(RedisExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatusPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void thePageShowsTheClusterAndRetriesADeadLetter(TestRedis test, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        String prefix = test.prefix("page");
        LocalAuthkey key = LocalAuthkey.create(dir);
        List<String> args = new java.util.ArrayList<>(List.of(
                "--redis",
                test.uri(),
                "--prefix",
                prefix,
                "--queues",
                "page",
                "--processes",
                "2",
                "--metrics-port",
                "-1"));
        args.addAll(key.options());
        try (LocalWorker worker = LocalWorker.start("page-worker", dir.resolve("worker.log"), args);
                Redis redis = Redis.connect(test.uri(), prefix, Duration.ofSeconds(2), 8);
                ObjectStore store = ObjectStore.connect(
                        test.uri(), prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
                Api api = new Api(redis, "page", key.authkey(), Duration.ofHours(1), Duration.ofMinutes(1), store);
                HttpServer server = HttpServer.start(api, HttpSettings.local(0))) {
            worker.awaitChildren(redis, 2, Duration.ofSeconds(90));
            // housekeeping puts a failed task back for its second attempt, as the coordinator does
            Housekeeper housekeeper = new Housekeeper(
                    redis,
                    "page",
                    HousekeepingConfig.of(Duration.ofMillis(200), 3, Duration.ofMinutes(5)),
                    key.authkey());
            housekeeping.scheduleWithFixedDelay(housekeeper::tick, 0, 200, TimeUnit.MILLISECONDS);
            store.manager("shop").queue("urls").put("http://example.org/");
            Http http = Http.to(server.url(), api.tokens().clusterToken()).as("hpage");
            Path ledger = dir.resolve("ledger");
            Map<String, Object> flaky = Map.of(
                    "task", Flaky.class.getName(),
                    "arg", Map.of("ledger", ledger.toString(), "n", 1, "succeedOnAttempt", 3, "killChild", false),
                    "retry", Map.of("maxAttempts", 2, "backoffMs", 0)); // two failed runs: dead
            Http.Answer submitted = http.post("/v1/queues/page/tasks", flaky);
            assertEquals(201, submitted.status(), submitted.body().toString());
            String id = submitted.body().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (http.get("/v1/queues/page/dead").body().get("count").asInt() < 1) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the flaky task did not reach the dead letters: "
                            + http.get("/v1/queues/page/results/" + id).body() + "\n"
                            + Files.readString(dir.resolve("worker.log")));
                }
                Thread.sleep(100); // the worker dead-letters it after its one attempt
            }

            Http.Answer process = http.post(
                    "/v1/processes", Map.of("task", Chatty.class.getName(), "arg", "page", "name", "on-the-page"));
            assertEquals(201, process.status(), process.body().toString());
            String processId = process.body().get("id").asText();
            JsonNode ended = http.get("/v1/processes/" + processId + "/join?timeout=PT60S")
                    .body();
            assertEquals(0, ended.get("exitCode").asInt(), ended.toString());

            WebDriver browser = chromium();
            try {
                browser.get(server.url() + "/#token=" + api.tokens().clusterToken());
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.until(b -> !b.findElements(By.cssSelector("tr.dead-letter button.retry"))
                                .isEmpty()
                        && !b.findElements(By.cssSelector("#objects tr")).isEmpty()
                        && !b.findElements(By.cssSelector("#process-list tr[data-process]"))
                                .isEmpty());
                acrossRerenders(() -> checkRows(browser, http, processId, ended));
                Files.createDirectories(Path.of("target/it-logs"));
                Files.write(
                        Path.of("target/it-logs/status-page.png"),
                        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

                acrossRerenders(() -> browser.findElement(By.cssSelector("tr.dead-letter button.retry"))
                        .click());
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int before = Files.readAllLines(ledger).size();
                while (Files.readAllLines(ledger).size() <= before) {
                    assertTrue(System.nanoTime() < deadline, "the retried task ran again");
                    Thread.sleep(100); // the worker claims the retried task
                }
            } finally {
                browser.quit();
            }
        }
    }

    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopHousekeeping() {
        housekeeping.shutdownNow();
    }

    /** The rows of the worker, its children, the queue, the object and the Process say what the API says. */
    private static void checkRows(WebDriver browser, Http http, String processId, JsonNode ended) throws Exception {
        JsonNode status = http.get("/v1/status").body();
        JsonNode w = status.get("workers").get(0);
        WebElement row = browser.findElement(By.cssSelector("tr.worker"));
        assertEquals(w.get("pid").asText(), row.findElement(By.className("pid")).getText());
        List<WebElement> children = browser.findElements(By.cssSelector("tr.child"));
        assertEquals(2, children.size(), "one row per child");
        for (JsonNode c : w.get("children")) {
            assertEquals(
                    1,
                    browser.findElements(By.cssSelector("tr.child[data-pid='" + c.get("pid") + "']"))
                            .size());
        }
        WebElement queue = browser.findElement(By.cssSelector("#queues tr[data-queue='page']"));
        assertEquals("1", queue.findElement(By.className("dead")).getText());
        WebElement object = browser.findElement(By.cssSelector("#objects tr[data-object='shop/urls']"));
        assertTrue(object.getText().contains("queue"), object.getText());
        assertEquals("1", object.findElement(By.className("size")).getText());
        WebElement proc = browser.findElement(By.cssSelector("#process-list tr[data-process='" + processId + "']"));
        assertTrue(proc.getText().startsWith("on-the-page " + Chatty.class.getName()), proc.getText());
        assertEquals("ended", proc.findElement(By.className("state")).getText());
        assertEquals(
                ended.get("pid").asText(), proc.findElement(By.className("pid")).getText());
        assertEquals("0", proc.findElement(By.className("exit")).getText());
    }

    /**
     * Runs {@code check} again when the page re-rendered under it (it does every two seconds), so
     * that the elements it held went stale; the fifth stale one fails.
     */
    private static void acrossRerenders(Check check) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                check.run();
                return;
            } catch (StaleElementReferenceException rerendered) {
                if (attempt == 5) throw rerendered;
            }
        }
    }

    interface Check {
        void run() throws Exception;
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
