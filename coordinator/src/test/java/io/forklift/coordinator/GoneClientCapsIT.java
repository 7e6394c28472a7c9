package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * Pool caps live as long as their client: a client holds its liveness lease while it has capped
 * pools and writes its caps again at each renewal; a client killed without a close leaves its caps,
 * and housekeeping forgets each once the lease has run out and the pool holds no task.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class GoneClientCapsIT {
    private static final String QUEUE = "capped";

    @Test
    void aKilledClientsCapsGoOnceItsLeaseIsGoneAndItsPoolHoldsNoTask(TestRedis testRedis, @TempDir Path dir)
            throws Exception {
        String prefix = testRedis.prefix("gonecaps");
        UnifiedJedis raw = testRedis.raw();
        try (Redis redis = Redis.connect(testRedis.uri(), prefix, Duration.ofSeconds(5), 2)) {
            Keys k = redis.keys();
            String ready = prefix + "holder-ready";
            Path log = dir.resolve("holder.log");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process holder = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            CappedPoolHolder.class.getName(),
                            testRedis.uri(),
                            prefix,
                            QUEUE,
                            ready)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                assertNotNull(raw.blpop(60.0, ready), "the holder opened its pools; see " + log);
                List<String> pools = capIds(raw, k);
                assertEquals(2, pools.size(), "two caps: " + pools);
                String client = pools.get(0).substring(0, pools.get(0).lastIndexOf('.'));
                String waiting = client + ".1"; // the first pool: 3 tasks wait in its lane
                String empty = client + ".2";
                assertEquals(Set.copyOf(pools), Set.of(waiting, empty));
                // applyAsync hands tasks to the client's submit thread, which stores them in a moment
                awaitTrue(
                        Duration.ofSeconds(10),
                        "3 tasks wait in the lane",
                        () -> raw.llen(k.lane(QUEUE, waiting)) == 3);
                long ttl = raw.pttl(k.processOwner(client));
                assertTrue(ttl > 0 && ttl <= 10_000, "the client holds its lease: pttl " + ttl);

                housekeeping(redis).tick();
                assertEquals(pools, capIds(raw, k), "a live client's caps stay");

                holder.destroyForcibly(); // SIGKILL: no close()
                holder.waitFor();
                long killedAt = System.nanoTime();
                awaitTrue(Duration.ofSeconds(20), "the lease runs out", () -> !raw.exists(k.processOwner(client)));
                long lapsedMs = (System.nanoTime() - killedAt) / 1_000_000;

                housekeeping(redis).tick();
                assertEquals(List.of(waiting), capIds(raw, k), "the empty pool's cap goes, the waiting one's stays");
                assertEquals("3", raw.hget(k.pools(QUEUE), waiting));
                assertEquals(3, raw.llen(k.lane(QUEUE, waiting)), "its tasks still wait under their cap");

                // the lane drains (here by hand; no worker serves this queue): the last cap goes too
                raw.del(k.lane(QUEUE, waiting));
                raw.lrem(k.lanes(QUEUE), 0, waiting);
                housekeeping(redis).tick();
                assertEquals(List.of(), capIds(raw, k));
                System.out.printf(
                        "gone client caps: lease gone %d ms after SIGKILL; empty pool's cap forgotten at the next pass,"
                                + " the pool with 3 waiting tasks kept until they were gone%n",
                        lapsedMs);
            } finally {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void aLiveClientWritesItsCapAgainAndACloseRemovesCapAndLease(TestRedis testRedis) throws Exception {
        String prefix = testRedis.prefix("livecaps");
        UnifiedJedis raw = testRedis.raw();
        try (Redis redis = Redis.connect(testRedis.uri(), prefix, Duration.ofSeconds(5), 2)) {
            Keys k = redis.keys();
            String pool;
            String client;
            try (Forklift fl =
                    Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(prefix))) {
                fl.pool(QUEUE, 4);
                pool = capIds(raw, k).get(0);
                client = pool.substring(0, pool.lastIndexOf('.'));
                assertTrue(raw.exists(k.processOwner(client)), "the lease is taken with the first capped pool");
                // as if housekeeping forgot it while this program stalled past its lease
                raw.hdel(k.pools(QUEUE), pool);
                awaitTrue(Duration.ofSeconds(10), "the cap is written again", () -> raw.hexists(k.pools(QUEUE), pool));
                assertEquals("4", raw.hget(k.pools(QUEUE), pool));
            }
            assertFalse(raw.exists(k.processOwner(client)), "close gives the lease up");
            assertEquals(List.of(), capIds(raw, k), "close removes the caps");
        }
    }

    /** A housekeeper whose first tick leads and prunes (a pass forgets gone clients' caps). */
    private static Housekeeper housekeeping(Redis redis) {
        return new Housekeeper(
                redis,
                "gone-caps-it",
                new HousekeepingConfig(Duration.ofSeconds(1), 3, Duration.ofMinutes(1), Duration.ZERO, 10),
                null);
    }

    /** Polls: a lease running out and a renewal tick are timers, with no event to wait on. */
    private static void awaitTrue(Duration timeout, String what, java.util.function.BooleanSupplier check)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0)
                org.junit.jupiter.api.Assertions.fail(what + ": not within " + timeout);
            Thread.sleep(50);
        }
    }

    private static List<String> capIds(UnifiedJedis raw, Keys k) {
        Set<String> ids = new TreeSet<>();
        for (String field : raw.hkeys(k.pools(QUEUE))) if (!field.endsWith(":sig")) ids.add(field);
        return List.copyOf(ids);
    }
}
