package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;

/** SCRIPT FLUSH mid-run: every party reloads its scripts on NOSCRIPT and nothing is lost or doubled. */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(120)
class ScriptFlushIT {
    private static final int TASKS = 20;

    @Test
    void scriptsAreReloadedAndEveryTaskCallsBackOnce(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            cluster.submit(TASKS, 300);
            cluster.awaitVictimBusy(1);
            cluster.raw().sendCommand(Protocol.Command.SCRIPT, "FLUSH");
            cluster.awaitAll(TASKS);

            assertEquals(0, cluster.failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            assertEquals(TASKS, cluster.ledger.executions().size(), "each task ran once");
        }
    }
}
