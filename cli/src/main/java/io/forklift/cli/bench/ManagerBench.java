package io.forklift.cli.bench;

import io.forklift.Forklift;
import io.forklift.manager.Manager;
import io.forklift.manager.SharedQueue;
import io.forklift.manager.SharedValue;
import io.forklift.redis.Redis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code forklift bench --manager}: shared objects against one Redis. Queue throughput with 8
 * producers and 8 consumers (batched with putAll/drainTo, then one value at a time), the wake-up
 * latency of a blocked get after a put, SharedValue.addAndGet from 8 threads, the commands Redis
 * sees per second from 50 idle blocked getters (INFO commandstats), and how late timeouts return.
 */
final class ManagerBench {
    private static final int THREADS = 8;

    private final Forklift fl;
    private final Redis redis;
    private final PrintStream progress;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-manager");
        t.setDaemon(true);
        return t;
    });

    ManagerBench(Forklift fl, Redis redis, PrintStream progress) {
        this.fl = fl;
        this.redis = redis;
        this.progress = progress;
    }

    void run(Map<String, Object> figures, int items) throws Exception {
        Manager m = fl.manager("bench");
        progress.println("warming up …");
        queueThroughput(m.queue("warm", 0, Integer.class), 20_000, true);
        progress.printf("queue, putAll/drainTo: %,d values, %d producers, %d consumers …%n", items, THREADS, THREADS);
        figures.put(
                "queue_batched_items_s",
                Math.round(queueThroughput(m.queue("batched", 0, Integer.class), items, true)));
        int single = Math.max(items / 4, 1000);
        progress.printf("queue, one at a time: %,d values …%n", single);
        figures.put(
                "queue_single_items_s",
                Math.round(queueThroughput(m.queue("single", 0, Integer.class), single, false)));
        progress.println("wake-up latency of a blocked get: 2,000 puts …");
        Histogram wake = wakeUp(m.queue("wake", 0, Long.class), 2000);
        figures.put("wakeup_p50_ms", wake.getValueAtPercentile(50) / 1000.0);
        figures.put("wakeup_p99_ms", wake.getValueAtPercentile(99) / 1000.0);
        progress.println("SharedValue.addAndGet from 8 threads …");
        figures.put("value_add_ops_s", Math.round(addAndGet(m.value("counter", 0L), items / 2)));
        progress.println("50 idle waiters for 12 s …");
        figures.put(
                "idle_waiter_commands_s", idleWaiters(m.queue("idle", 0, Integer.class), 50, Duration.ofSeconds(12)));
        progress.println("timeouts: 20 gets of 200 ms on an empty queue …");
        figures.put("timeout_max_late_ms", timeoutLateness(m.queue("idle", 0, Integer.class), 20));
        m.clear();
        threads.shutdownNow();
    }

    /** Values per second from the first put to the last get. */
    private double queueThroughput(SharedQueue<Integer> q, int items, boolean batched) throws Exception {
        int per = items / THREADS;
        AtomicInteger taken = new AtomicInteger();
        int total = per * THREADS;
        List<CompletableFuture<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < THREADS; p++) {
            all.add(CompletableFuture.runAsync(
                    () -> call(() -> {
                        if (batched) {
                            List<Integer> batch = new ArrayList<>(100);
                            for (int i = 0; i < per; i++) {
                                batch.add(i);
                                if (batch.size() == 100 || i == per - 1) {
                                    q.putAll(batch);
                                    batch.clear();
                                }
                            }
                        } else {
                            for (int i = 0; i < per; i++) q.put(i);
                        }
                    }),
                    threads));
            all.add(CompletableFuture.runAsync(
                    () -> call(() -> {
                        List<Integer> got = new ArrayList<>(100);
                        while (taken.get() < total) {
                            got.clear();
                            int n = batched ? q.drainTo(got, 100) : 0;
                            if (n == 0 && q.poll(100, TimeUnit.MILLISECONDS) != null) n = 1;
                            taken.addAndGet(n);
                        }
                    }),
                    threads));
        }
        for (CompletableFuture<?> f : all) f.get(10, TimeUnit.MINUTES);
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    /** Put-to-return time of a get that is blocked when the put comes. */
    private Histogram wakeUp(SharedQueue<Long> q, int n) throws Exception {
        Histogram h = new Histogram(10_000_000L, 3);
        java.util.concurrent.SynchronousQueue<Long> handoff = new java.util.concurrent.SynchronousQueue<>();
        CompletableFuture<?> getter = CompletableFuture.runAsync(
                () -> call(() -> {
                    for (int i = 0; i < n; i++) {
                        long sent = q.take();
                        handoff.put(System.nanoTime() - sent);
                    }
                }),
                threads);
        for (int i = 0; i < n; i++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // let the getter block again
            q.put(System.nanoTime());
            h.recordValue(handoff.take() / 1000);
        }
        getter.get(1, TimeUnit.MINUTES);
        return h;
    }

    private double addAndGet(SharedValue<Long> v, int ops) throws Exception {
        int per = ops / THREADS;
        List<CompletableFuture<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            all.add(CompletableFuture.runAsync(
                    () -> call(() -> {
                        for (int i = 0; i < per; i++) v.addAndGet(1);
                    }),
                    threads));
        }
        for (CompletableFuture<?> f : all) f.get(10, TimeUnit.MINUTES);
        return per * THREADS / ((System.nanoTime() - t0) / 1e9);
    }

    /** Commands per second per waiter that Redis saw while {@code n} getters waited on an empty queue. */
    private double idleWaiters(SharedQueue<Integer> q, int n, Duration window) throws Exception {
        List<CompletableFuture<?>> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waiters.add(CompletableFuture.runAsync(
                    () -> call(() -> q.poll(window.toMillis() + 3000, TimeUnit.MILLISECONDS)), threads));
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // every waiter is blocked by now
        long before = commands();
        long t0 = System.nanoTime();
        LockSupport.parkNanos(window.toNanos());
        long calls = commands() - before - 1; // less the INFO that read the first figure
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (CompletableFuture<?> w : waiters) w.get(1, TimeUnit.MINUTES);
        return Math.round(calls / seconds / n * 1000) / 1000.0;
    }

    private long commands() {
        long total = 0;
        for (String line : redis.info("commandstats").split("\r?\n")) {
            int at = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && at > 0) {
                total += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
            }
        }
        return total;
    }

    private long timeoutLateness(SharedQueue<Integer> q, int n) throws Exception {
        long worst = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            q.poll(200, TimeUnit.MILLISECONDS);
            worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) - 200);
        }
        return worst;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void call(Body body) {
        try {
            body.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
