package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.testkit.EmbeddedCluster;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A benchmark, not a check (its name does not end in IT, so CI does not run it): no-op tasks over 6
 * queues through the same worker daemons and client, once against one Redis and once against a
 * Redis Cluster of 3 masters (2 queues each, by their hash slots), side by side in one run. Prints
 * tasks/s of each and their ratio. Run: {@code -Dit.test=ClusterThroughputBench}; sizes with
 * {@code -Dbench.tasks=N -Dbench.workers=W -Dbench.processes=P}. The cluster is the test suite's (no AOF);
 * the one master has AOF with fsync always and no replica.
 */
@Timeout(900)
class ClusterThroughputBench {
    private static final List<String> QUEUES = List.of("q0", "q1", "q2", "q3", "q4", "q5");
    private static final int TASKS = Integer.getInteger("bench.tasks", 12_000);
    private static final int WORKERS = Integer.getInteger("bench.workers", 2);
    private static final int PROCESSES = Integer.getInteger("bench.processes", 4);

    @Test
    void sixQueuesOnThreeMastersAgainstOneMaster() throws Exception {
        double single;
        try (EmbeddedRedis one = EmbeddedRedis.start()) {
            single = run("one master", new TestRedis(one.uri(), "bench1:", one));
        }
        double spread;
        try (EmbeddedCluster cluster = EmbeddedCluster.start(3)) {
            TreeMap<Integer, List<String>> byMaster = new TreeMap<>();
            for (String q : QUEUES) {
                int slot = JedisClusterCRC16.getSlot("{" + q + "}");
                byMaster.computeIfAbsent(slot * 3 / 16384, m -> new ArrayList<>())
                        .add(q);
            }
            System.out.println("bench: queues by master " + byMaster);
            spread = run("3 masters", new TestRedis(cluster.uri(), "bench3:", null));
        }
        System.out.printf(
                "bench: 6 queues, %d tasks, %d workers x %d processes, %d cores: one master %.0f tasks/s, "
                        + "3-master cluster %.0f tasks/s, ratio %.2f%n",
                TASKS, WORKERS, PROCESSES, Runtime.getRuntime().availableProcessors(), single, spread, spread / single);
        assertTrue(single > 0 && spread > 0);
    }

    /** Tasks/s from the first submit to the last callback, after a warm-up of 5 % of the tasks. */
    private static double run(String label, TestRedis redis) throws Exception {
        List<TestWorker> workers = new ArrayList<>();
        // submits ride out a stall of the loaded machine instead of failing their tasks
        try (Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri())
                .withPrefix(redis.prefix())
                .withSubmitWait(java.time.Duration.ofMinutes(1)))) {
            for (int w = 0; w < WORKERS; w++) {
                workers.add(
                        TestWorker.start(redis, "bench-" + label.charAt(0) + w, String.join(",", QUEUES), PROCESSES));
            }
            List<Pool> pools = new ArrayList<>();
            for (String q : QUEUES) pools.add(fl.pool(q, 4 * PROCESSES * WORKERS));
            burst(pools, TASKS / 20);
            long start = System.nanoTime();
            burst(pools, TASKS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = TASKS / seconds;
            System.out.printf("bench: %s: %d tasks in %.2f s, %.0f tasks/s%n", label, TASKS, seconds, rate);
            return rate;
        } finally {
            for (TestWorker w : workers) w.close();
        }
    }

    private static void burst(List<Pool> pools, int tasks) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            pools.get(i % pools.size()).applyAsync(Square.class, i, r -> done.countDown(), e -> {
                failed.incrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.MINUTES), "tasks did not finish");
        assertTrue(failed.get() == 0, failed.get() + " tasks failed");
    }
}
