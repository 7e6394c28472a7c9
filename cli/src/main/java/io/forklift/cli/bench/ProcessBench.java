package io.forklift.cli.bench;

import io.forklift.Forklift;
import io.forklift.ForkliftProcess;
import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code forklift bench --process}: Processes on the bench worker, one at a time. start() → the
 * Process's first printed line here, both with the worker's spare JVM ready (a pause after each)
 * and back to back (the next spare still starting); the end recorded in Redis → join() returning;
 * terminate() → join() returning.
 */
final class ProcessBench {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Forklift fl;
    private final Processes registry;
    private final PrintStream progress;

    ProcessBench(Forklift fl, Redis redis, PrintStream progress) {
        this.fl = fl;
        this.registry = new Processes(redis);
        this.progress = progress;
    }

    void run(Map<String, Object> figures, int runs) throws Exception {
        progress.printf("processes: %d started after a pause, %d back to back, %d terminated …%n", runs, runs, runs);
        Histogram ready = new Histogram(60_000_000L, 3);
        Histogram backToBack = new Histogram(60_000_000L, 3);
        Histogram wake = new Histogram(60_000_000L, 3);
        Histogram terminate = new Histogram(60_000_000L, 3);
        for (int i = 0; i < runs; i++) {
            Thread.sleep(3000); // the spare JVM started for the next Process is ready by now
            ready.recordValue(firstLine(0, wake));
        }
        for (int i = 0; i < runs; i++) backToBack.recordValue(firstLine(0, wake));
        for (int i = 0; i < runs; i++) terminate.recordValue(terminated());
        figures.put("process_first_line_p50_ms", ready.getValueAtPercentile(50) / 1000.0);
        figures.put("process_first_line_max_ms", ready.getMaxValue() / 1000.0);
        figures.put("process_back_to_back_first_line_p50_ms", backToBack.getValueAtPercentile(50) / 1000.0);
        figures.put("process_join_wake_p50_ms", wake.getValueAtPercentile(50) / 1000.0);
        figures.put("process_terminate_to_joined_p50_ms", terminate.getValueAtPercentile(50) / 1000.0);
    }

    /** Microseconds from start() to its first line here; records end → join in {@code wake}. */
    private long firstLine(long sleepMillis, Histogram wake) throws InterruptedException {
        CountDownLatch printed = new CountDownLatch(1);
        long t0 = System.nanoTime();
        long[] at = {0};
        ForkliftProcess p = fl.process(Say.class, sleepMillis)
                .output(line -> {
                    if (at[0] == 0) at[0] = System.nanoTime();
                    printed.countDown();
                })
                .start();
        if (!printed.await(WAIT.toSeconds(), TimeUnit.SECONDS) || !p.join(WAIT))
            throw new IllegalStateException("process " + p.id() + " did not print and end within " + WAIT);
        long joined = System.currentTimeMillis();
        String endedAt = registry.read(p.id()).get("endedAt"); // Redis's clock: right for a Redis on this host
        if (endedAt != null) wake.recordValue(Math.max(0, joined - Long.parseLong(endedAt)) * 1000);
        return (at[0] - t0) / 1000;
    }

    /** Microseconds from terminate() of a running Process to its join() returning with -15. */
    private long terminated() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        ForkliftProcess p = fl.process(Say.class, 600_000L)
                .output(line -> running.countDown())
                .start();
        if (!running.await(WAIT.toSeconds(), TimeUnit.SECONDS))
            throw new IllegalStateException("process " + p.id() + " did not start within " + WAIT);
        long t0 = System.nanoTime();
        p.terminate();
        if (!p.join(WAIT) || p.exitCode() != -15)
            throw new IllegalStateException("process " + p.id() + " ended with " + p.exitCode() + ", not -15");
        return (System.nanoTime() - t0) / 1000;
    }
}
