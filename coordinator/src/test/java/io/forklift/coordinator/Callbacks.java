package io.forklift.coordinator;

import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The submitter's side of a fault test's ledger: each {@link Recorded} task it submits, the
 * callbacks it heard per task number and when, and the failures.
 */
final class Callbacks {
    final Map<Integer, AtomicInteger> byTask = new ConcurrentHashMap<>();
    final Queue<Long> nanos = new ConcurrentLinkedQueue<>();
    final AtomicInteger failures = new AtomicInteger();
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    /** Submits tasks 0..count-1, each recording itself in {@code ledger} and sleeping {@code sleepMs}. */
    void submit(Pool pool, Ledger ledger, int count, long sleepMs) {
        for (int n = 0; n < count; n++) {
            pool.applyAsync(
                    Recorded.class,
                    new Recorded.Arg(ledger.path(), n, sleepMs),
                    r -> {
                        byTask.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
                        nanos.add(System.nanoTime());
                    },
                    e -> {
                        errors.add(e);
                        failures.incrementAndGet();
                    });
        }
    }

    /** Tasks that called back at least once. */
    int tasks() {
        return byTask.size();
    }

    /** Callbacks beyond the first of each task. */
    int duplicates() {
        return byTask.values().stream().mapToInt(c -> c.get() - 1).sum();
    }

    /** Milliseconds from {@code startNanos} to the first callback after it. */
    long firstAfterMillis(long startNanos) {
        return (nanos.stream().filter(t -> t > startNanos).min(Long::compare).orElseThrow() - startNanos) / 1_000_000;
    }
}
