package io.forklift.cli.bench;

import io.forklift.Forklift;
import io.forklift.manager.Manager;
import io.forklift.manager.SharedLock;
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
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The lock figures of {@code forklift bench --manager}: release → next holder running (two threads
 * handing one lock back and forth, the next one always blocked in Redis when the release comes),
 * the commands idle waiters on a held lock send per second (INFO commandstats), and
 * uncontended acquire + release from one thread.
 */
final class LockBench {
    private final Forklift fl;
    private final Redis redis;
    private final PrintStream progress;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-locks");
        t.setDaemon(true);
        return t;
    });
    /** When the last release began (System.nanoTime()), read by the next holder. */
    private volatile long releasedAt;

    LockBench(Forklift fl, Redis redis, PrintStream progress) {
        this.fl = fl;
        this.redis = redis;
        this.progress = progress;
    }

    void run(Map<String, Object> figures) throws Exception {
        Manager m = fl.manager("bench-locks");
        progress.println("lock: uncontended acquire + release, one thread …");
        uncontended(m.lock("warm"), 5_000);
        figures.put("lock_uncontended_s", Math.round(uncontended(m.lock("uncontended"), 20_000)));
        figures.put("baseline_round_trips_s", Math.round(roundTrips(m.value("baseline", 0L), 20_000)));
        progress.println("lock: release -> next holder running, 2,000 hand-offs …");
        Histogram h = handOff(m.lock("handoff"), 2_000);
        figures.put("lock_handoff_p50_ms", h.getValueAtPercentile(50) / 1000.0);
        figures.put("lock_handoff_p99_ms", h.getValueAtPercentile(99) / 1000.0);
        progress.println("lock: 50 idle waiters on a held lock for 12 s …");
        figures.put("lock_idle_waiter_commands_s", idleWaiters(m.lock("idle"), 50, Duration.ofSeconds(12)));
        m.clear();
        threads.shutdownNow();
    }

    private double uncontended(SharedLock lock, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!lock.tryAcquire()) throw new IllegalStateException("an uncontended lock was refused");
            lock.release();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** For comparison: one plain round trip (a Value's GET) at a time, from one thread. */
    private double roundTrips(io.forklift.manager.SharedValue<Long> v, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) v.get();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Two threads alternate; each hands the lock to the other, which is waiting in line. */
    private Histogram handOff(SharedLock lock, int n) throws Exception {
        Histogram h = new Histogram(10_000_000L, 3);
        lock.acquire();
        CompletableFuture<?> other = CompletableFuture.runAsync(() -> pingPong(lock, n, h, false), threads);
        pingPong(lock, n, h, true);
        other.get(5, TimeUnit.MINUTES);
        return h;
    }

    private void pingPong(SharedLock lock, int n, Histogram h, boolean holding) {
        try {
            for (int i = 0; i < n / 2; i++) {
                if (!holding) {
                    lock.acquire();
                    h.recordValue((System.nanoTime() - releasedAt) / 1000);
                }
                holding = false;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the other thread is blocked by now
                releasedAt = System.nanoTime();
                lock.release();
            }
            if (holding) lock.release();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commands per second per waiter that Redis saw while {@code n} threads waited for a held lock. */
    private double idleWaiters(SharedLock lock, int n, Duration window) throws Exception {
        lock.acquire();
        List<CompletableFuture<?>> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waiters.add(CompletableFuture.runAsync(
                    () -> {
                        try {
                            if (lock.acquire(window.plusSeconds(30))) lock.release();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    threads));
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // every waiter is in line by now
        long before = commands();
        long t0 = System.nanoTime();
        LockSupport.parkNanos(window.toNanos());

        long calls = commands() - before - 1; // less the INFO that read the first figure
        double seconds = (System.nanoTime() - t0) / 1e9;
        lock.release();
        for (CompletableFuture<?> w : waiters) w.get(1, TimeUnit.MINUTES);
        return Math.round(calls / seconds / n * 1000) / 1000.0;
    }

    /**
     * Commands clients sent: commandstats counts the commands a script runs too, so only the ones
     * a waiter sends itself are summed (EVALSHA, BLPOP, CLIENT UNBLOCK, and the reconnect kind).
     */
    private long commands() {
        long total = 0;
        for (String line : redis.info("commandstats").split("\r?\n")) {
            int at = line.indexOf("calls=");
            boolean sent =
                    line.matches("cmdstat_(evalsha|eval|blpop|blmove|client\\|.*|ping|hello|info|script\\|.*):.*");
            if (sent && at > 0) {
                total += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
            }
        }
        return total;
    }
}
