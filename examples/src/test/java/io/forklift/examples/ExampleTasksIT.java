package io.forklift.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.RemoteTaskException;
import io.forklift.daemon.LocalWorker;
import io.forklift.examples.crawl.FetchPage;
import io.forklift.examples.tutorial.Square;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example tasks do not run on a worker that merely has the examples on its class path, as every
 * worker the forklift command starts has (issue 11: FetchPage fetched the worker's own loopback
 * /metrics); the unknown-task error names the task, not every task the worker knows. Given the
 * examples jar with --tasks, the worker runs them.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class ExampleTasksIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void examplesRunOnlyFromATasksFolder(TestRedis redis) throws Exception {
        Path log = Path.of("target", "it-logs", "example-tasks-it.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        List<String> args =
                List.of("--redis", redis.uri(), "--prefix", redis.prefix(), "--queues", "ex", "--processes", "1");
        try (Redis conn = Redis.connect(redis.uri(), redis.prefix(), Duration.ofSeconds(2), 1);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            try (LocalWorker plain = LocalWorker.start("examples-off", log, args)) {
                plain.awaitChildren(conn, 1, WAIT);
                RemoteTaskException e = assertThrows(
                        RemoteTaskException.class,
                        () -> fl.pool("ex", 1)
                                .applyAsync(FetchPage.class, "http://127.0.0.1:9/metrics")
                                .get(WAIT));
                assertEquals("io.forklift.UnknownTaskException", e.remoteType());
                assertTrue(e.getMessage().contains("'" + FetchPage.class.getName() + "'"), e.getMessage());
                assertFalse(
                        e.getMessage().contains(Square.class.getName())
                                || e.getMessage().contains("io.forklift.Exec"),
                        "the error lists the worker's tasks: " + e.getMessage());
            }
            List<String> withTasks = new java.util.ArrayList<>(args);
            withTasks.addAll(List.of(
                    "--tasks",
                    ExampleTasks.folder(Path.of("target", "it-tasks")).toString()));
            try (LocalWorker opted = LocalWorker.start("examples-on", log, withTasks)) {
                opted.awaitChildren(conn, 1, WAIT);
                assertEquals(49, fl.pool("ex", 1).applyAsync(Square.class, 7).get(WAIT));
            }
        }
    }
}
