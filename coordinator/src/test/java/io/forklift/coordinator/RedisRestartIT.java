package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.Forklift;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of Redis (AOF, fsync always) mid-run and a restart 2 s later: the worker and the client
 * reconnect, every acknowledged task completes and calls back exactly once, and new submits work.
 */
@Tag("chaos")
@Timeout(180)
class RedisRestartIT {
    private static final int TASKS = 30;

    @Test
    void nothingAcknowledgedIsLostAcrossARedisCrash(@TempDir Path dir) throws Exception {
        try (OwnRedis own = OwnRedis.start(dir, "restart:", 2)) {
            EmbeddedRedis server = own.server;
            Redis conn = own.conn;
            Forklift fl = own.client;
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            Pool pool = fl.pool("jobs", 2);
            Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            for (int n = 0; n < TASKS + 5; n++) {
                if (n == TASKS) {
                    // The crash, once every task so far is stored and some have finished.
                    Ledger.await(
                            Duration.ofSeconds(30),
                            () -> callbacks.size() >= 5
                                    && own.raw().hlen(conn.keys().msgs("jobs")) + callbacks.size() >= TASKS);
                    server.kill();
                    TimeUnit.SECONDS.sleep(2); // Redis stays down: the fault under test
                    server.restart();
                }
                pool.applyAsync(
                        Recorded.class,
                        new Recorded.Arg(ledger.path(), n, 200),
                        r -> callbacks
                                .computeIfAbsent(r, k -> new AtomicInteger())
                                .incrementAndGet(),
                        e -> failures.incrementAndGet());
            }
            long restartedAt = System.currentTimeMillis();
            Ledger.await(Duration.ofSeconds(90), () -> callbacks.size() + failures.get() >= TASKS + 5);
            long recoveredMs = System.currentTimeMillis() - restartedAt;

            assertEquals(0, failures.get(), "no task may fail");
            for (int n = 0; n < TASKS + 5; n++) assertEquals(1, callbacks.get(n).get(), "callbacks of task " + n);
            System.out.printf(
                    "redis restart: %d tasks, 0 lost, 0 duplicate callbacks, all done %d ms after the restart%n",
                    TASKS + 5, recoveredMs);
        }
    }
}
