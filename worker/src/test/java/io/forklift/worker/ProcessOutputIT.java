package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.ForkliftProcess;
import io.forklift.redis.Processes;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Flood;
import io.forklift.worker.tasks.Speak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Process that prints without measure: one line of 1 GiB reaches its starter cut, with the
 * worker's memory flat; past {@link ProcessWatch#MAX_LINES} lines the rest is counted and reported
 * as dropped; the starter's stream in Redis is trimmed as it is printed.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(240)
class ProcessOutputIT {
    private static final long GIB = 1L << 30;
    private static final long ALLOWED_GROWTH_KB = 64 * 1024;

    @Test
    void aGibibyteLineIsCutAndTooManyLinesAreCappedWithAMarker(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "pout-w1", "pout", 1, "--max-processes", "2")) {
            var fl = worker.client();
            ForkliftProcess warm = fl.process(Speak.class, new Speak.Plan(1, 0, false))
                    .output(l -> {})
                    .start();
            assertTrue(warm.join(Duration.ofSeconds(60)));
            long before = rssKb(worker.process().pid());

            List<String> flood = new ArrayList<>();
            long t0 = System.nanoTime();
            ForkliftProcess p =
                    fl.process(Flood.class, "err|" + GIB).output(flood::add).start();
            assertTrue(p.join(Duration.ofSeconds(180)));
            long floodMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, p.exitCode());
            long after = rssKb(worker.process().pid());
            assertEquals(2, flood.size(), flood.size() + " lines");
            assertTrue(
                    flood.get(0).contains("[line cut: longer than"),
                    "cut: " + flood.get(0).length() + " chars");
            assertTrue(flood.get(0).length() < 40_000, "cut short");
            assertTrue(flood.get(1).endsWith(") after the flood"), flood.get(1));
            assertTrue(
                    after - before < ALLOWED_GROWTH_KB,
                    "worker RSS grew from " + before + " kB to " + after + " kB over 1 GiB printed");

            int n = (int) ProcessWatch.MAX_LINES + 20_000;
            List<String> lines = new ArrayList<>();
            ForkliftProcess chatty = fl.process(Speak.class, new Speak.Plan(n, 0, false))
                    .output(lines::add)
                    .start();
            assertTrue(chatty.join(Duration.ofSeconds(180)));
            String last = lines.get(lines.size() - 1);
            assertTrue(
                    last.endsWith("… 20001 lines dropped (over " + ProcessWatch.MAX_LINES + " in one process)"), last);
            int previous = -1;
            for (String line : lines.subList(0, lines.size() - 1)) {
                int i = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                assertTrue(i > previous, "in order: " + i + " after " + previous);
                previous = i;
            }
            assertEquals(ProcessWatch.MAX_LINES - 1, previous, "the first MAX_LINES lines came");
            long streamLength = worker.raw().xlen(worker.redis().keys().processOutput(fl.clientId()));
            assertTrue(streamLength <= Processes.OUTPUT_CAP, "stream trimmed: " + streamLength);
            System.out.printf(
                    "figure: 1 GiB printed in one line by a Process: here cut in %d ms; worker RSS %d kB -> %d kB;"
                            + " %d lines printed: %d arrived then the dropped-lines marker%n",
                    floodMs, before, after, n + 1, lines.size() - 1);
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }
}
