package io.forklift;

/**
 * The life of a pool and of every pool derived from it ({@code withRetries}, {@code retryOn},
 * {@code withTaskTimeout}, …): one closed flag and one count of tasks not yet settled, so closing,
 * joining or terminating any of them acts on all of their tasks, as one {@code multiprocessing.Pool}.
 */
final class PoolLifecycle {
    private final String queue;
    private final String capId;
    private final Object lock = new Object();
    private long outstanding;
    private volatile boolean closed;

    PoolLifecycle(String queue, String capId) {
        this.queue = queue;
        this.capId = capId;
    }

    String queue() {
        return queue;
    }

    /** The id under which the pool's own cap is stored and its tasks counted; "" for a pool without one. */
    String capId() {
        return capId;
    }

    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /** Counts a task about to be submitted; throws if the pool is closed. */
    void started() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(
                        "pool '" + queue + "' is closed; create a new pool to submit more tasks");
            }
            outstanding++;
        }
    }

    /** Called once per counted task when its result is settled, or when it was never submitted. */
    void ended() {
        synchronized (lock) {
            if (--outstanding == 0) lock.notifyAll();
        }
    }

    /** Waits until every counted task has settled; the pool must be closed first. */
    void join() throws InterruptedException {
        if (!closed) {
            throw new IllegalStateException(
                    "pool '" + queue + "' is still open; call close() or terminate() before join()");
        }
        synchronized (lock) {
            while (outstanding > 0) lock.wait();
        }
    }
}
