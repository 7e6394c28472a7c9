package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two more coordinators racing the cluster's own housekeeper: one holds the leader lease at a
 * time, and each expired task of a killed worker is requeued once and calls back once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class TwoCoordinatorsIT {
    private static final int TASKS = 12;

    @Test
    void eachExpiredTaskIsRequeuedOnce(TestRedis redis, @TempDir Path dir) throws Exception {
        ScheduledExecutorService racers = Executors.newScheduledThreadPool(2);
        try (FaultCluster cluster = new FaultCluster(redis, dir)) {
            Housekeeper second = new Housekeeper(
                    cluster.redis,
                    "second",
                    HousekeepingConfig.of(FaultCluster.INTERVAL, 3, Duration.ofMinutes(5)),
                    null);
            Housekeeper third = new Housekeeper(
                    cluster.redis,
                    "third",
                    HousekeepingConfig.of(FaultCluster.INTERVAL, 3, Duration.ofMinutes(5)),
                    null);
            racers.scheduleWithFixedDelay(second::tick, 0, 100, TimeUnit.MILLISECONDS);
            racers.scheduleWithFixedDelay(third::tick, 0, 100, TimeUnit.MILLISECONDS);
            cluster.submit(TASKS, 1500);
            cluster.awaitVictimBusy(2);
            cluster.victim.process().destroyForcibly();
            cluster.victim.process().waitFor();
            cluster.awaitAll(TASKS);

            long requeued = cluster.housekeeper.requeued() + second.requeued() + third.requeued();
            long reruns = cluster.reruns().size();
            assertNotEquals(0, reruns, "the killed worker's tasks ran again");
            assertEquals(reruns, requeued, "each expired task requeued exactly once, by whichever coordinator led");
            assertEquals(0, cluster.failures.get());
            for (int n = 0; n < TASKS; n++)
                assertEquals(1, cluster.callbacks.get(n).get(), "callbacks of task " + n);
            System.out.printf(
                    "three coordinators: %d requeued (%d + %d + %d), %d re-run%n",
                    requeued, cluster.housekeeper.requeued(), second.requeued(), third.requeued(), reruns);
        } finally {
            racers.shutdownNow();
        }
    }
}
