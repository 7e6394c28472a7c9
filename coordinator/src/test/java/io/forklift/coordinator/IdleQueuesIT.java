package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Keys;
import io.forklift.redis.QueueRemoval;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Idle cost follows activity, not the number of queues (issue 16, part 4): with 2,000 idle queues a
 * few housekeeping ticks and metric samples cost tens of Redis commands, not the two scripts per
 * queue per tick they cost before (over 20,000 here); an expired lease in one of them is still
 * requeued after its worker died, and one no heartbeat announced is found by the sweep; /metrics keeps one series set per busy queue, bounded; and a queue
 * can be deleted, but not while it holds tasks unless forced.
 */
@ExtendWith(RedisExtension.class)
class IdleQueuesIT {
    private static final int QUEUES = 2000;
    private static final String BUSY = "idle-0777";

    @Test
    void idleQueuesCostLittleAndAnExpiredLeaseIsStillRequeued(TestRedis testRedis) throws Exception {
        String prefix = testRedis.prefix("idle");
        try (Redis redis = Redis.connect(testRedis.uri(), prefix, Duration.ofSeconds(5), 2)) {
            Keys k = redis.keys();
            UnifiedJedis raw = testRedis.raw();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < QUEUES; i++) names.add(String.format("idle-%04d", i));
            new Queues(redis).register(names);
            Housekeeper housekeeper = new Housekeeper(
                    redis, "idle-it", HousekeepingConfig.of(Duration.ofSeconds(1), 3, Duration.ofMinutes(1)), null);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ClusterMetrics metrics = new ClusterMetrics(registry, "idle-it", redis, housekeeper, 3);
            housekeeper.tick(); // takes the lease and does the first prune
            metrics.sample();

            long before = commands(redis);
            for (int i = 0; i < 5; i++) {
                housekeeper.tick();
                metrics.sample();
            }
            long spent = commands(redis) - before - 1; // less this INFO
            // Before the index: 2 scripts per queue per tick and 6 reads per queue per sample, 40,000 here.
            assertTrue(spent < 1000, "5 idle ticks over " + QUEUES + " queues cost " + spent + " Redis commands");

            // A worker serving BUSY leases a task, then dies: its heartbeat expires before the lease does.
            raw.set(
                    k.worker("gone"),
                    "{\"id\":\"gone\",\"queues\":[\"" + BUSY + "\"]}",
                    SetParams.setParams().px(800));
            raw.zadd(k.workers(), System.currentTimeMillis(), "gone");
            raw.hset(k.msgs(BUSY), "t1", "{}");
            raw.hset(k.attempts(BUSY), "t1", "1");
            raw.hset(k.owners(BUSY), "t1", "1:gone");
            raw.zadd(k.inflight(BUSY), System.currentTimeMillis() + 1500, "t1");
            housekeeper.tick(); // learns BUSY from the heartbeat
            assertTrue(raw.sismember(k.activeQueues(), BUSY), "a served queue is indexed");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (raw.zcard(k.inflight(BUSY)) > 0) {
                assertTrue(System.nanoTime() < deadline, "the expired lease was not requeued within 20 s");
                Thread.sleep(200);
                housekeeper.tick();
            }
            assertEquals(List.of("t1"), raw.lrange(k.ready(BUSY), 0, -1), "requeued to ready");
            assertEquals(1, housekeeper.requeued(BUSY));

            // A lease no heartbeat announced (pushed by hand, or from before the index) is found by the
            // sweep, which covers the registry within about a minute's worth of ticks (60 here).
            String unseen = "idle-1500";
            raw.hset(k.attempts(unseen), "t2", "1");
            raw.zadd(k.inflight(unseen), 1, "t2");
            int ticks = 0;
            while (raw.zcard(k.inflight(unseen)) > 0) {
                assertTrue(++ticks <= 70, "the sweep did not find the lease in " + ticks + " ticks");
                housekeeper.tick();
            }
            assertEquals(List.of("t2"), raw.lrange(k.ready(unseen), 0, -1));

            // The busy queue keeps series of its own; the idle rest have none (at most 3, then "(other)").
            metrics.sample();
            String scrape = registry.scrape();
            assertTrue(scrape.contains("queue=\"" + BUSY + "\""), scrape);
            long queueLines = scrape.lines()
                    .filter(l -> l.startsWith("forklift_queue_tasks{"))
                    .count();
            assertTrue(queueLines <= 4 * 4, "queue series: " + queueLines);

            // A queue holding a task is not deleted without --force; an empty one is, with its other keys.
            QueueRemoval removal = new QueueRemoval(redis);
            HousekeepingScripts.Deleted refused = removal.delete(BUSY, false).found();
            assertFalse(refused.deleted());
            assertEquals(1, refused.ready());
            assertTrue(raw.exists(k.ready(BUSY)) && raw.exists(k.msgs(BUSY)), "nothing deleted on refusal");
            raw.hset(k.resultsPrefix(BUSY) + "123", "t0", "{}");
            raw.rpush(k.reply(BUSY, "c1"), "{}");
            QueueRemoval.Outcome forced = removal.delete(BUSY, true);
            assertTrue(forced.found().deleted());
            assertEquals(2, forced.keysRemoved(), "the results hash and the reply list, found by SCAN");
            assertEquals(0, raw.keys(prefix + "{" + BUSY + "}*").size(), "no key of the queue is left");
            assertFalse(raw.sismember(k.queues(), BUSY));
            assertFalse(raw.sismember(k.activeQueues(), BUSY));
            assertTrue(removal.delete("idle-0001", false).found().deleted(), "an empty queue is deleted");
            assertFalse(raw.sismember(k.queues(), "idle-0001"));

            // A task waiting in a capped pool's lane, not in the ready list, counts as ready too.
            String laned = "idle-0002";
            raw.rpush(k.lanes(laned), "p1");
            raw.rpush(k.lane(laned, "p1"), "t3");
            raw.hset(k.msgs(laned), "t3", "{}");
            HousekeepingScripts.Deleted kept = removal.delete(laned, false).found();
            assertFalse(kept.deleted(), "a queue with a task in a lane is kept");
            assertEquals(1, kept.ready());
            assertTrue(removal.delete(laned, true).found().deleted());
            assertEquals(0, raw.keys(prefix + "{" + laned + "}*").size(), "no key of the laned queue is left");
        }
    }

    private static long commands(Redis redis) {
        return Long.parseLong(Redis.infoField(redis.info("stats"), "total_commands_processed"));
    }
}
