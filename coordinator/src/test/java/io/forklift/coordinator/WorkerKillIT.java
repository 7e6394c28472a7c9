package io.forklift.coordinator;

import static io.forklift.coordinator.FaultCluster.INTERVAL;
import static io.forklift.coordinator.FaultCluster.LEASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker daemon mid-task: its tasks run again on the other worker once their lease
 * runs out and housekeeping requeues them; every submitted task calls back exactly once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class WorkerKillIT {
    private static final int TASKS = 16;

    @Test
    void tasksOfAKilledWorkerRunElsewhereAndCallBackOnce(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            cluster.submit(TASKS, 1500);
            cluster.awaitVictimBusy(2);
            long killedAt = System.currentTimeMillis();
            cluster.victim.process().destroyForcibly();
            cluster.victim.process().waitFor();
            cluster.awaitAll(TASKS);

            assertEquals(0, cluster.failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> runs = cluster.ledger.executions();
            List<Ledger.Execution> reruns = cluster.reruns();
            assertFalse(reruns.isEmpty(), "the killed worker's tasks ran again: " + runs);
            Set<Integer> ranTwice = new HashSet<>();
            for (Ledger.Execution e : reruns) {
                assertTrue(
                        runs.stream()
                                .anyMatch(first -> first.n() == e.n()
                                        && first.attempt() == 1
                                        && cluster.victimChildren.contains(first.pid())),
                        "only tasks that were on the killed worker run again: " + e);
                assertFalse(cluster.victimChildren.contains(e.pid()), "a rerun happens elsewhere: " + e);
                ranTwice.add(e.n());
            }
            long detectionMs =
                    reruns.stream().mapToLong(Ledger.Execution::millis).min().orElseThrow() - killedAt;
            assertTrue(
                    detectionMs <= LEASE.toMillis() + INTERVAL.toMillis() + 3000,
                    "requeued within lease + interval (+3 s slack): took " + detectionMs + " ms");
            System.out.printf(
                    "worker kill: %d tasks, %d re-run %s, detection %d ms, housekeeping requeued %d%n",
                    TASKS, ranTwice.size(), ranTwice, detectionMs, cluster.housekeeper.requeued());
        }
    }
}
