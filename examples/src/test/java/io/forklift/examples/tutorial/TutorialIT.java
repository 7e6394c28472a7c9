package io.forklift.examples.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The three tutorial examples against a real worker: results right, tasks in its children, callbacks here. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TutorialIT {
    private static final List<Integer> SQUARES =
            IntStream.range(0, 40).map(x -> x * x).boxed().toList();

    private Redis redis;
    private LocalWorker worker;
    private List<Long> children;
    private Forklift forklift;

    @BeforeAll
    void start(TestRedis test) throws Exception {
        Path log = Path.of("target", "it-logs", "tutorial-it.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        redis = Redis.connect(test.uri(), test.prefix(), Duration.ofSeconds(2), 2);
        worker = LocalWorker.start(
                "tutorial-it",
                log,
                List.of(
                        "--redis",
                        test.uri(),
                        "--prefix",
                        test.prefix(),
                        "--queues",
                        Tutorial.QUEUE,
                        "--processes",
                        "2",
                        "--tasks", // the example tasks register only from a tasks folder
                        io.forklift.examples.ExampleTasks.folder(Path.of("target", "it-tasks"))
                                .toString()));
        children = worker.awaitChildren(redis, 2, Duration.ofSeconds(60));
        forklift = Forklift.connect(ForkliftOptions.of(test.uri()).withPrefix(test.prefix()));
    }

    @AfterAll
    void stop() throws Exception {
        if (forklift != null) forklift.close();
        if (worker != null) worker.close();
        if (redis != null) redis.close();
    }

    @Test
    void applyAsyncCallbacksRunHereWhileTheTasksRunInTheWorkersChildren() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ApplyAsyncExample.run(forklift, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        Matcher m = Pattern.compile(
                        "f\\((\\d+)\\) = (\\d+) +ran in child pid (\\d+) on tutorial-it; callback in pid (\\d+)")
                .matcher(out);
        Set<Integer> xs = new HashSet<>();
        long here = ProcessHandle.current().pid();
        while (m.find()) {
            int x = Integer.parseInt(m.group(1));
            xs.add(x);
            assertEquals(x * x, Integer.parseInt(m.group(2)));
            assertTrue(
                    children.contains(Long.parseLong(m.group(3))),
                    "ran in " + m.group(3) + ", children are " + children);
            assertEquals(here, Long.parseLong(m.group(4)), "the callback ran outside the submitting JVM");
        }
        assertEquals(Set.copyOf(IntStream.range(0, 10).boxed().toList()), xs, out);
        assertFalse(out.contains("failed"), out);
    }

    @Test
    void mapReturnsTheSquaresInOrder() throws Exception {
        assertEquals(
                SQUARES.subList(0, 20),
                MapExample.run(forklift, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @Test
    void imapUnorderedReturnsEverySquareAndDrawsAProgressBar() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Integer> arrived = ImapUnorderedExample.run(
                forklift,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(SQUARES, arrived.stream().sorted().toList());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("40/40 tasks"), "progress: " + progress);
    }
}
