package io.forklift.cli.bench;

import io.forklift.Pool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** The bench's two runs through a pool: as many tasks as fast as possible, then sequential {@code apply} calls. */
final class PoolRuns {
    private PoolRuns() {}

    /** Submits {@code n} tasks as fast as possible; tasks per second from first submit to last callback. */
    static double throughput(Pool pool, int n) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        AtomicLong failures = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pool.applyAsync(NoOp.class, i, r -> done.countDown(), e -> {
                failures.incrementAndGet();
                done.countDown();
            });
        }
        long minutes = Math.max(10, n / 60_000); // at least 1,000 tasks/s
        if (!done.await(minutes, TimeUnit.MINUTES))
            throw new IllegalStateException("tasks did not finish in " + minutes + " minutes");
        long elapsed = System.nanoTime() - t0;
        if (failures.get() > 0) throw new IllegalStateException(failures.get() + " of " + n + " no-op tasks failed");
        return n / (elapsed / 1e9);
    }

    /** Makes {@code n} sequential {@code apply} calls, recording each in microseconds. */
    static void roundTrips(Pool pool, Histogram into, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            pool.apply(NoOp.class, i);
            into.recordValue((System.nanoTime() - t0) / 1000);
        }
    }
}
