package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Chatty;
import io.forklift.worker.tasks.WhoAmI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task's {@code System.out} cannot corrupt the frames between child and worker: a task printing
 * a lot, forged result frames and raw bytes included, returns its own result, the child goes on, and
 * every printed line reaches the worker's log prefixed with the task's id.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TaskOutputIT {
    private static final String QUEUE = "output";
    private static final int LINES = 20_000;

    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        // One child, so the task after the chatty one runs in the same child.
        worker = TestWorker.start(redis, "task-output-it", QUEUE, 1);
        pool = worker.pool(1);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void printingDoesNotDisturbResultsAndEveryLineIsLoggedUnderItsTask() throws Exception {
        Chatty.Printed printed = pool.apply(Chatty.class, LINES);
        assertTrue(
                worker.children().contains(printed.pid()),
                "ran in " + printed.pid() + ", children are " + worker.children());

        WhoAmI.Seen next = pool.apply(WhoAmI.class, 0);
        assertEquals(printed.pid(), next.pid(), "the chatty task's child was replaced");
        Chatty.Printed again = pool.apply(Chatty.class, 10);
        assertNotEquals(printed.taskId(), again.taskId());
        assertEquals(printed.pid(), again.pid());

        String first = "[task " + printed.taskId() + "] ";
        String second = "[task " + again.taskId() + "] ";
        // The worker logs a child's output from a thread of its own, so the last lines may lag the result.
        Await.until(
                Duration.ofSeconds(20),
                "both tasks' last lines in " + worker.log(),
                () -> logLines().stream()
                                .filter(l -> l.endsWith(first + Chatty.TAIL) || l.endsWith(second + Chatty.TAIL))
                                .count()
                        == 2);

        List<String> log = logLines();
        assertEquals(
                LINES,
                log.stream().filter(l -> l.contains(first + Chatty.LINE)).count(),
                "numbered lines of the first task");
        assertEquals(
                10,
                log.stream().filter(l -> l.contains(second + Chatty.LINE)).count(),
                "numbered lines of the second task");
        assertEquals(
                LINES + 10,
                log.stream().filter(l -> l.contains(Chatty.LINE)).count(),
                "numbered lines logged without their task's prefix");
        assertTrue(log.stream().anyMatch(l -> l.endsWith(first + Chatty.LINE + 0)));
        assertTrue(log.stream().anyMatch(l -> l.endsWith(first + Chatty.LINE + (LINES - 1))));
        assertTrue(
                log.stream().anyMatch(l -> l.contains(first) && l.contains(Chatty.FORGED)),
                "the forged frame was not logged as text");
    }

    /** The worker's log; Latin-1 maps every byte to a char, so stray bytes cannot fail the read. */
    private List<String> logLines() {
        try (Stream<String> lines = Files.lines(worker.log(), StandardCharsets.ISO_8859_1)) {
            return lines.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
