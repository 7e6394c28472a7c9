package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Protocol;

/**
 * An idle worker waits in Redis with its claim queued behind the wait on the same connection, so a
 * submit's token reaches it with the task already leased; a drain ends that wait at once rather than
 * after the idle check.
 */
@ExtendWith(RedisExtension.class)
class ParkedClaimIT {
    @Test
    void anIdleWorkerWaitsWithItsClaimBehindTheBlockAndADrainEndsTheWait(TestRedis redis) throws Exception {
        TestWorker worker = TestWorker.start(redis, "park-w1", "park", 2, "--idle-check", "PT120S");
        try {
            Pool pool = worker.pool(4);
            assertEquals(4, pool.applyAsync(Square.class, 2).get(Duration.ofSeconds(60)));
            String parked = awaitClient(worker, "cmd=blpop");
            assertTrue(!parked.contains(" qbuf=0 "), "the claim waits in the connection's query buffer: " + parked);

            for (int i = 0; i < 20; i++) {
                assertEquals(i * i, pool.applyAsync(Square.class, i).get(Duration.ofSeconds(60)));
            }
            long t0 = System.nanoTime();
            assertEquals(0, worker.stop());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(seconds < 30, "the drain took " + seconds + " s: it waited out the 120 s idle check");
        } finally {
            worker.close();
        }
    }

    /** The CLIENT LIST line of the first connection whose line contains {@code part}, once there is one. */
    private static String awaitClient(TestWorker worker, String part) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Object list = worker.raw().sendCommand(Protocol.Command.CLIENT, "LIST");
            String text = new String((byte[]) list, StandardCharsets.UTF_8);
            String line = Arrays.stream(text.split("\n"))
                    .filter(l -> l.contains(part))
                    .findFirst()
                    .orElse(null);
            if (line != null) return line;
            assertTrue(System.nanoTime() < deadline, "no connection with " + part + " in:\n" + text);
            Thread.onSpinWait();
        }
    }
}
