package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Die;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Short tasks go two to a child ({@link Handoffs}), with a real worker, child JVMs and Redis: a
 * task waiting in a child behind one that kills the child is not lost and not failed; it runs on the
 * replacement as the same attempt, and every other task completes once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class HandoffIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern WENT_BACK =
            Pattern.compile("child \\d+ ended before task (\\S+), which waited behind its run");
    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        worker = TestWorker.start(redis, "handoff-w1", "handoff", 1); // one child: what follows waits in it
        pool = worker.pool(4);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void aTaskWaitingBehindOneThatKillsItsChildRunsOnTheReplacementAndNothingIsLost() throws Exception {
        int rounds = 0;
        while (wentBack().isEmpty() && rounds < 10) {
            rounds++;
            // Die with any other word is a no-op, a short kind, once the child runs it warm: each round warms
            // the child it runs on (a replacement's first runs are slow, and a loaded machine's runs vary)
            // until the worker hands Die tasks to follow one another, which it does only while Die's runs
            // average short: then the crashing one, a Die too, gets followers.
            for (int batch = 0; batch < 10; batch++) {
                double followedBefore = followed();
                List<AsyncResult<String>> warm = new ArrayList<>();
                for (int i = 0; i < 200; i++)
                    warm.add(pool.applyAsync(Die.class, "warm-" + rounds + "-" + batch + "-" + i));
                for (AsyncResult<String> w : warm) w.get(WAIT);
                if (followed() > followedBefore) break;
            }
            AsyncResult<String> crash = pool.applyAsync(Die.class, "napexit");
            List<AsyncResult<String>> after = new ArrayList<>();
            for (int i = 0; i < 10; i++) after.add(pool.applyAsync(Die.class, "after-" + rounds + "-" + i));

            RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> crash.get(WAIT));
            assertEquals("io.forklift.ChildProcessDiedException", e.remoteType());
            for (int i = 0; i < after.size(); i++) {
                assertEquals("survived after-" + rounds + "-" + i, after.get(i).get(WAIT), "a task after the crash");
            }
        }
        List<String> back = wentBack();
        System.out.printf(
                "rounds until a waiting task went back to the buffer: %d; tasks that went back: %s%n", rounds, back);
        assertTrue(!back.isEmpty(), "in " + rounds + " rounds no task waited behind the crashing one");
        assertTrue(followed() >= back.size(), "forklift_tasks_followed_total counts each task that waited in a child");
        String log = Files.readString(worker.log());
        for (String id : back) {
            assertTrue(
                    !log.contains("could not take task " + id) && !log.contains("while running task " + id),
                    "task " + id + " went back untouched, not failed");
        }
    }

    /** The worker's forklift_tasks_followed_total, read from its /metrics. */
    private double followed() throws Exception {
        int port = worker.heartbeat().orElseThrow().metricsPort();
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^forklift_tasks_followed_total\\{[^}]*\\} (\\S+)$")
                .matcher(metrics.body());
        assertTrue(m.find(), "no forklift_tasks_followed_total in /metrics");
        return Double.parseDouble(m.group(1));
    }

    private List<String> wentBack() throws java.io.IOException {
        Matcher m = WENT_BACK.matcher(Files.readString(worker.log()));
        List<String> ids = new ArrayList<>();
        while (m.find()) ids.add(m.group(1));
        return ids;
    }
}
