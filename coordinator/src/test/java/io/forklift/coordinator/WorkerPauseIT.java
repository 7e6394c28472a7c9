package io.forklift.coordinator;

import static io.forklift.coordinator.FaultCluster.LEASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.WorkerHeartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGSTOP of a worker daemon for longer than its lease, then SIGCONT: its tasks run elsewhere, its
 * late completions are rejected (and counted in its heartbeat), every task calls back once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class WorkerPauseIT {
    private static final int TASKS = 8;

    @Test
    void aWorkerPausedPastItsLeaseHasItsLateResultsRejected(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            cluster.submit(TASKS, 1000);
            cluster.awaitVictimBusy(1);
            signal("STOP", cluster.victim.pid());
            // Its children finish their tasks meanwhile, but the stopped daemon cannot complete them.
            Ledger.await(Duration.ofSeconds(60), () -> cluster.housekeeper.requeued() >= 1);
            TimeUnit.MILLISECONDS.sleep(LEASE.toMillis()); // keep it stopped past the lease: the fault under test
            signal("CONT", cluster.victim.pid());
            cluster.awaitAll(TASKS);
            Ledger.await(Duration.ofSeconds(30), () -> rejected(cluster.victim.heartbeat(cluster.redis)) >= 1);

            assertEquals(0, cluster.failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> reruns = cluster.reruns();
            assertFalse(reruns.isEmpty(), "the paused worker's tasks ran again elsewhere");
            reruns.forEach(e ->
                    assertFalse(cluster.victimChildren.contains(e.pid()), "a rerun happens on the other worker: " + e));
            assertTrue(cluster.victim.process().isAlive(), "the paused worker keeps serving after SIGCONT");
            WorkerHeartbeat beat = cluster.victim.heartbeat(cluster.redis).orElseThrow();
            System.out.printf(
                    "worker pause: %d tasks, %d re-run, stale completions rejected %s, leases lost %s%n",
                    TASKS, reruns.size(), beat.staleCompletions(), beat.leasesLost());
        }
    }

    /** Late results the paused worker had rejected, or leases it found lost before completing. */
    private static long rejected(Optional<WorkerHeartbeat> beat) {
        return beat.map(b -> b.staleCompletions() + b.leasesLost()).orElse(0L);
    }

    static void signal(String name, long pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                        .inheritIO()
                        .start()
                        .waitFor());
    }
}
