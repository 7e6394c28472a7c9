package io.forklift.worker;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the heartbeat publishes; written by the fetcher, read by the heartbeat. */
final class WorkerStats {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong leasesLost = new AtomicLong();

    void leaseLost() {
        leasesLost.incrementAndGet();
    }

    long leasesLost() {
        return leasesLost.get();
    }

    void taskStarted() {
        started.incrementAndGet();
    }

    void taskEnded(boolean ok) {
        (ok ? succeeded : failed).incrementAndGet();
    }

    void staleRejected(int n) {
        stale.addAndGet(n);
    }

    long started() {
        return started.get();
    }

    long succeeded() {
        return succeeded.get();
    }

    long failed() {
        return failed.get();
    }

    long stale() {
        return stale.get();
    }
}
