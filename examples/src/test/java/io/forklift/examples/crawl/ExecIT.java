package io.forklift.examples.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.Exec;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * exec tasks: the Python (standard library) page fetcher runs through one and fetches demo pages,
 * with the URL on stdin or as a placeholder argument; a command outside the allow-list is refused
 * and leaves no trace of running; arguments an entry does not allow (the tar checkpoint trick) are
 * refused before anything runs; a non-zero exit fails the task with its exit code and the end of its
 * stderr.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ExecIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Path dir;
    private String python;
    private String failing;
    private String tar;
    private String echo;
    private String pythonWithUrl;
    private LocalWorker worker;
    private Forklift forklift;
    private Pool pool;
    private DemoSite site;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        dir = Files.createTempDirectory("exec-it-");
        Path script = dir.resolve("fetch_page.py");
        try (var in = Crawler.class.getResourceAsStream("fetch_page.py")) {
            Files.copy(in, script);
        }
        Path fail = dir.resolve("fail.sh");
        Files.writeString(fail, "echo 'something broke' >&2\nexit 3\n");
        python = "python3 " + script;
        pythonWithUrl = python + " {url:http://127\\.0\\.0\\.1:[0-9]+/\\S*}";
        failing = "sh " + fail;
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("file.txt"), "data\n");
        tar = "tar -cf " + dir.resolve("out.tar") + " -C " + dir + " data";
        Path echoScript = dir.resolve("echo.sh");
        Files.writeString(echoScript, "printf '%s' \"$1\"\n");
        echo = "sh " + echoScript + " {word}";
        worker = LocalWorker.start(
                "exec-it",
                dir.resolve("worker.log"),
                List.of(
                        "--redis",
                        redis.uri(),
                        "--prefix",
                        redis.prefix(),
                        "--queues",
                        "exec",
                        "--processes",
                        "2",
                        "--exec-allow",
                        python,
                        "--exec-allow",
                        failing,
                        "--exec-allow",
                        pythonWithUrl,
                        "--exec-allow",
                        tar,
                        "--exec-allow",
                        echo));
        try (Redis conn = Redis.connect(redis.uri(), redis.prefix(), Duration.ofSeconds(2), 1)) {
            worker.awaitChildren(conn, 2, WAIT);
        }
        forklift = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
        pool = forklift.pool("exec", 2);
        site = DemoSite.start(50, 7);
    }

    @AfterAll
    void stop() throws Exception {
        if (site != null) site.close();
        if (forklift != null) forklift.close();
        if (worker != null) worker.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void thePythonFetcherFetchesPagesThroughExec() throws Exception {
        JsonNode result = pool.applyAsync(
                        Exec.class,
                        Exec.Request.of(python, Map.of("url", site.root().toString())))
                .get(WAIT);
        PageResult page = Json.MAPPER.convertValue(result, PageResult.class);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("href"), page.body());
        assertEquals("exec-it", page.workerId());
        JsonNode missing = pool.applyAsync(
                        Exec.class,
                        Exec.Request.of(
                                python,
                                Map.of(
                                        "url",
                                        site.root().resolve("/nothing-here").toString())))
                .get(WAIT);
        assertEquals(404, missing.get("status").asInt());
    }

    @Test
    void aCommandOutsideTheAllowListIsRefusedAndNothingRuns() throws Exception {
        Path marker = dir.resolve("should-not-exist");
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Exec.class, new Exec.Request("touch " + marker, List.of(), null))
                        .get(WAIT));
        assertEquals(Exec.ExecRefusedException.class.getName(), e.remoteType());
        assertTrue(
                e.getMessage().contains("not allow-listed") && e.getMessage().contains("--exec-allow"), e.getMessage());
        assertFalse(Files.exists(marker), "the refused command left no trace");
    }

    @Test
    void thePythonFetcherTakesItsUrlAsAPlaceholderArgumentThatMustMatchItsRegex() throws Exception {
        JsonNode result = pool.applyAsync(
                        Exec.class,
                        Exec.Request.withArgs(pythonWithUrl, site.root().toString()))
                .get(WAIT);
        assertEquals(200, result.get("status").asInt(), result.toString());
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Exec.class, Exec.Request.withArgs(pythonWithUrl, "http://169.254.169.254/"))
                        .get(WAIT));
        assertEquals(Exec.ExecRefusedException.class.getName(), e.remoteType());
        assertTrue(e.getMessage().contains("'http://169.254.169.254/' does not match {url:"), e.getMessage());
    }

    /**
     * The allow-list bypass of issue 11: with 'tar -cf out.tar -C dir data' allowed, a request that
     * appends {@code --checkpoint-action=exec=...} ran a shell. Now the entry is the whole argv.
     */
    @Test
    void argumentsTheEntryDoesNotAllowAreRefusedAndNothingRuns() throws Exception {
        Path pwned = dir.resolve("pwned");
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(
                                Exec.class,
                                new Exec.Request(
                                        tar,
                                        List.of(
                                                "--checkpoint=1",
                                                "--checkpoint-action=exec=sh -c \"id > " + pwned + "\""),
                                        null))
                        .get(WAIT));
        assertEquals(Exec.ExecRefusedException.class.getName(), e.remoteType());
        assertTrue(
                e.getMessage().contains("entry '" + tar + "'")
                        && e.getMessage().contains("takes no arguments")
                        && e.getMessage().contains("--checkpoint=1"),
                e.getMessage());
        assertFalse(Files.exists(pwned), "the checkpoint action ran a shell");
        assertFalse(Files.exists(dir.resolve("out.tar")), "tar itself ran");

        RemoteTaskException missing = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Exec.class, Exec.Request.withArgs(echo)).get(WAIT));
        assertTrue(missing.getMessage().contains("takes 1 argument(s) [{word}]"), missing.getMessage());
        assertEquals(
                "hello",
                pool.applyAsync(Exec.class, Exec.Request.withArgs(echo, "hello"))
                        .get(WAIT)
                        .asText());
        RemoteTaskException option = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Exec.class, Exec.Request.withArgs(echo, "--version"))
                        .get(WAIT));
        assertTrue(option.getMessage().contains("'--version' for {word} starts with '-'"), option.getMessage());
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeAndTheEndOfStderr() throws Exception {
        RemoteTaskException e = assertThrows(
                RemoteTaskException.class,
                () -> pool.applyAsync(Exec.class, new Exec.Request(failing, List.of(), null))
                        .get(WAIT));
        assertEquals(Exec.ExecFailedException.class.getName(), e.remoteType());
        assertTrue(
                e.getMessage().contains("exited with 3") && e.getMessage().contains("something broke"), e.getMessage());
    }
}
