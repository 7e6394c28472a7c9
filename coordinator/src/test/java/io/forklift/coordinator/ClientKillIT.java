package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;

/**
 * CLIENT KILL of every connection, three times while tasks run: the client, both workers and
 * housekeeping reconnect, and every task runs and calls back exactly once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(120)
class ClientKillIT {
    private static final int TASKS = 40;

    @Test
    void everyoneReconnectsAndNothingIsLostOrDoubled(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            cluster.submit(TASKS, 300);
            cluster.awaitVictimBusy(1);
            long killed = 0;
            long firstKill = System.nanoTime();
            for (int round = 0; round < 3; round++) {
                // SKIPME (on by default) spares the connection that sends it
                killed += (Long) cluster.raw().sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal");
                TimeUnit.MILLISECONDS.sleep(700);
            }
            long killsMs = (System.nanoTime() - firstKill) / 1_000_000;
            cluster.awaitAll(TASKS);
            long settledMs = (System.nanoTime() - firstKill) / 1_000_000;

            List<Ledger.Execution> runs = cluster.ledger.executions();
            int duplicateCallbacks = 0;
            for (int n = 0; n < TASKS; n++)
                duplicateCallbacks += cluster.callbacks.get(n).get() - 1;
            long duplicateExecutions = runs.size()
                    - runs.stream().map(Ledger.Execution::n).distinct().count();
            System.out.printf(
                    "client kill x3: %d connections killed; %d tasks submitted, %d called back, %d failed, "
                            + "%d duplicate executions, %d duplicate callbacks; kills over %d ms, all done %d ms after the first (%d x 300 ms tasks on 4 children)%n",
                    killed,
                    TASKS,
                    cluster.callbacks.size(),
                    cluster.failures.get(),
                    duplicateExecutions,
                    duplicateCallbacks,
                    killsMs,
                    settledMs,
                    TASKS);
            assertTrue(settledMs > killsMs, "tasks were still running after the last kill");
            assertTrue(killed >= 6, "the kills reached the workers and the client: " + killed + " connections");
            assertEquals(0, cluster.failures.get(), "no task may fail: " + cluster.errors);
            assertEquals(TASKS, cluster.callbacks.size(), "lost tasks");
            assertEquals(0, duplicateCallbacks, "duplicate callbacks: " + cluster.callbacks);
            assertEquals(
                    0,
                    duplicateExecutions,
                    "each task ran once: " + runs + "\nvictim:\n" + java.nio.file.Files.readString(cluster.victim.log())
                            + "\nsurvivor:\n" + java.nio.file.Files.readString(cluster.survivor.log()));
        }
    }
}
