package io.forklift.coordinator;

import static io.forklift.coordinator.FaultCluster.LEASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.WorkerHeartbeat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGSTOP of a worker daemon for a third of its lease (under L/2), then SIGCONT: its leases were
 * renewed in time, so nothing runs twice, nothing is requeued, no completion is stale.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class WorkerShortPauseIT {
    private static final int TASKS = 8;

    @Test
    void aWorkerPausedUnderHalfItsLeaseRunsEachTaskOnce(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            cluster.submit(TASKS, 1000);
            cluster.awaitVictimBusy(1);
            long pauseMs = LEASE.toMillis() / 3;
            WorkerPauseIT.signal("STOP", cluster.victim.pid());
            TimeUnit.MILLISECONDS.sleep(pauseMs); // the fault under test: stopped for L/3
            WorkerPauseIT.signal("CONT", cluster.victim.pid());
            cluster.awaitAll(TASKS);

            assertEquals(0, cluster.failures.get(), "no task may fail: " + cluster.errors);
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> runs = cluster.ledger.executions();
            Map<Integer, Integer> executions = new TreeMap<>();
            runs.forEach(e -> executions.merge(e.n(), 1, Integer::sum));
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, executions.getOrDefault(n, 0), "executions of task " + n + ": " + runs);
            assertTrue(
                    runs.stream().anyMatch(e -> cluster.victimChildren.contains(e.pid())),
                    "the paused worker ran tasks: " + runs);
            assertEquals(0, cluster.housekeeper.requeued(), "no lease ran out");
            WorkerHeartbeat beat = cluster.victim.heartbeat(cluster.redis).orElseThrow();
            assertEquals(0, beat.staleCompletions(), "no stale completions: " + beat);
            assertEquals(0, beat.leasesLost(), "no lost leases: " + beat);
            System.out.printf(
                    "worker short pause: %d tasks, paused %d ms of a %d ms lease, executions %s, %d callbacks each, "
                            + "requeued %d, stale completions %s, leases lost %s%n",
                    TASKS,
                    pauseMs,
                    LEASE.toMillis(),
                    executions.values(),
                    1,
                    cluster.housekeeper.requeued(),
                    beat.staleCompletions(),
                    beat.leasesLost());
        }
    }
}
