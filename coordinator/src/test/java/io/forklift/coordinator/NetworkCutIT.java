package io.forklift.coordinator;

import static io.forklift.coordinator.FaultCluster.LEASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.embedded.EmbeddedRedis;
import io.forklift.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker on another "host" (its own network namespace) cut off from Redis for longer than its
 * lease, then healed: its tasks run again on the other worker, it stops its own copies at its own
 * lease deadline (its children are killed, never completing), and every task calls back once.
 */
@Tag("chaos")
@Timeout(180)
class NetworkCutIT {
    private static final int TASKS = 8;

    @Test
    void aWorkerCutOffFromRedisStopsItsTasksAtItsLeaseDeadlineAndTheyRunElsewhere(@TempDir Path dir) throws Exception {
        int subnet = (int) (ProcessHandle.current().pid() % 250);
        try (NetNamespace ns =
                        NetNamespace.create("fl" + ProcessHandle.current().pid(), subnet);
                EmbeddedRedis server =
                        EmbeddedRedis.start(null, 0, "--bind", "127.0.0.1", ns.hostIp, "--protected-mode", "no")) {
            // Everyone uses the veth address: from this side it is local, so only the victim's traffic crosses the
            // link.
            TestRedis redis = new TestRedis("redis://" + ns.hostIp + ":" + server.port(), "netcut:", server);
            try (FaultCluster cluster = new FaultCluster(redis, dir, 3, ns.exec())) {
                cluster.submit(TASKS, 4000);
                cluster.awaitVictimBusy(2);
                Set<Long> cutChildren = Set.copyOf(cluster.victimChildren);
                long cutAt = System.nanoTime();
                ns.cut();

                Ledger.await(Duration.ofSeconds(60), () -> cluster.housekeeper.requeued() >= 1);
                long detectionMs = (System.nanoTime() - cutAt) / 1_000_000;
                // The victim cannot renew: by its own clock its leases run out, so it kills those children.
                Ledger.await(
                        Duration.ofSeconds(30),
                        () -> cutChildren.stream()
                                .noneMatch(pid -> ProcessHandle.of(pid)
                                        .map(ProcessHandle::isAlive)
                                        .orElse(false)));
                long stoppedMs = (System.nanoTime() - cutAt) / 1_000_000;
                TimeUnit.MILLISECONDS.sleep(LEASE.toMillis()); // stay cut past the lease: the fault under test
                ns.heal();
                long healedMs = (System.nanoTime() - cutAt) / 1_000_000;
                cluster.awaitAll(TASKS);

                assertEquals(0, cluster.failures.get(), "no task may fail: " + cluster.errors);
                for (int n = 0; n < TASKS; n++)
                    assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
                List<Ledger.Execution> reruns = cluster.reruns();
                assertFalse(reruns.isEmpty(), "the cut-off worker's tasks ran again elsewhere");
                reruns.forEach(
                        e -> assertFalse(cutChildren.contains(e.pid()), "a rerun happens on the other worker: " + e));
                String log = Files.readString(dir.resolve("victim.log"));
                assertTrue(
                        log.contains("its lease ran out before Redis could renew it"),
                        "the victim says why it stopped its tasks");
                assertTrue(
                        stoppedMs < LEASE.toMillis() + 3000,
                        "the victim stops its tasks at its lease deadline, not " + stoppedMs + " ms after the cut");
                System.out.printf(
                        "network cut: %d tasks, %d re-run elsewhere (%s), requeued after %d ms, the victim's children stopped after %d ms, "
                                + "healed after %d ms, executions %d, lost 0, duplicate callbacks 0%n",
                        TASKS,
                        reruns.size(),
                        reruns.stream().map(e -> Integer.toString(e.n())).collect(Collectors.joining(",")),
                        detectionMs,
                        stoppedMs,
                        healedMs,
                        cluster.ledger.executions().size());
            }
        }
    }
}
