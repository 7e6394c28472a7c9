package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.child.LineCutter;
import io.forklift.worker.tasks.Flood;
import io.forklift.worker.tasks.Square;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task printing one line of 300 MB, through System.out or straight to System.err, or printing
 * without end, costs the worker no memory to speak of: each line is cut with a marker, the worker's
 * resident memory stays where it was, and it keeps serving (issue 11: one 300 MB line grew a worker
 * to 1.37 GB and killed its stderr thread).
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(240)
class OutputFloodIT {
    private static final long FLOOD = 300L << 20;
    private static final long ALLOWED_GROWTH_KB = 64 * 1024;

    @Test
    void hugeAndEndlessLinesAreCutAndTheWorkersMemoryStaysFlat(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "flood-w1", "flood", 1)) {
            Pool pool = worker.pool(1);
            assertEquals(4, pool.apply(Square.class, 2), "warmed up");
            long before = rssKb(worker.process().pid());

            assertEquals(FLOOD, pool.apply(Flood.class, "out|" + FLOOD));
            assertEquals(FLOOD, pool.apply(Flood.class, "err|" + FLOOD));
            RemoteTaskException endless = assertThrows(
                    RemoteTaskException.class,
                    () -> pool.withTaskTimeout(Duration.ofSeconds(5))
                            .applyAsync(Flood.class, "endless")
                            .get(Duration.ofSeconds(60)));
            assertEquals("io.forklift.TaskTimeoutException", endless.remoteType());
            assertEquals(9, pool.apply(Square.class, 3), "the worker keeps serving");

            long after = rssKb(worker.process().pid());
            System.out.printf("worker RSS before the floods %d kB, after %d kB%n", before, after);
            assertTrue(
                    after - before < ALLOWED_GROWTH_KB,
                    "worker RSS grew from " + before + " kB to " + after + " kB over 600 MB of output");
            // ASCII only: the log is read as Latin-1
            String marker = "[line cut: longer than " + LineCutter.DEFAULT_LIMIT + " bytes";
            Await.until(
                    Duration.ofSeconds(20),
                    "both floods' lines cut in " + worker.log(),
                    () -> log(worker.log()).stream()
                                    .filter(l -> l.contains("xxxx") && l.contains("line cut"))
                                    .count()
                            >= 3);
            List<String> log = log(worker.log());
            assertTrue(log.stream().anyMatch(l -> l.contains(marker)), "TaskOutput's cut of the System.out line");
            assertTrue(
                    log.stream().filter(l -> l.endsWith("after the flood")).count() == 2,
                    "the line after each flood arrives whole");
            assertTrue(log.stream().allMatch(l -> l.length() < 3 * LineCutter.DEFAULT_LIMIT), "no line kept whole");
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    private static List<String> log(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
