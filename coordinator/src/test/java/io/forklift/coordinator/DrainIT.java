package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of a worker whose tasks outlast its grace period: it stops claiming, gives its running
 * tasks back when the grace period ends (the attempt not counted), and exits 0; the other worker
 * runs them, and each task calls back once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class DrainIT {
    private static final int TASKS = 8;
    private static final long GRACE_MS = 1000;

    @Test
    void tasksThatOutlastTheGracePeriodAreGivenBackUncounted(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir, "--grace", "PT1S")) {
            cluster.submit(TASKS, 4000);
            cluster.awaitVictimBusy(2);
            long t0 = System.nanoTime();
            cluster.victim.process().destroy(); // SIGTERM
            int exit = cluster.victim.process().waitFor();
            long drainMs = (System.nanoTime() - t0) / 1_000_000;
            cluster.awaitAll(TASKS);

            assertEquals(0, exit, "a drained worker exits 0");
            assertTrue(drainMs < GRACE_MS + 5000, "the worker stopped soon after its grace period: " + drainMs + " ms");
            assertEquals(0, cluster.failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> runs = cluster.ledger.executions();
            List<Ledger.Execution> onVictim = runs.stream()
                    .filter(e -> cluster.victimChildren.contains(e.pid()))
                    .toList();
            assertFalse(onVictim.isEmpty());
            for (Ledger.Execution cut : onVictim) {
                assertTrue(
                        runs.stream()
                                .anyMatch(e -> e.n() == cut.n()
                                        && !cluster.victimChildren.contains(e.pid())
                                        && e.attempt() == 1),
                        "task " + cut.n() + " ran again elsewhere as attempt 1 (a release does not count): " + runs);
            }
            assertTrue(runs.stream().allMatch(e -> e.attempt() == 1), "no attempt was counted: " + runs);
            System.out.printf(
                    "drain: %d tasks, %d given back at the end of a %d ms grace period, worker exited %d after %d ms%n",
                    TASKS, onVictim.size(), GRACE_MS, exit, drainMs);
        }
    }
}
