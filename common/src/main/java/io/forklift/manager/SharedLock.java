package io.forklift.manager;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

/**
 * Python's {@code Manager().Lock()} and {@code RLock()}, shared through Redis, and a {@link Lock}.
 * A holder is one thread of one process; its hold is leased and renewed in the background while the
 * process lives, so a holder killed with kill -9 frees the lock within one lease. Waiters block in
 * Redis and are served first come, first served. Each hold gets a fencing token ({@link Held#fence()},
 * {@link #fence()}) that fenced writes carry, and the written object refuses once a newer one exists.
 */
public interface SharedLock extends Lock, SharedObject {
    /** {@code acquire()}: waits as long as it takes. */
    void acquire() throws InterruptedException;

    /** {@code acquire(timeout=…)}: whether it got the lock in time. */
    boolean acquire(Duration timeout) throws InterruptedException;

    /** {@code acquire(block=False)}. */
    boolean tryAcquire();

    /**
     * {@code release()}: true when released; false when this thread's hold had run out (its lease
     * passed while it was paused), so another holder may have had the lock since, and nothing changed.
     * Releasing a lock this thread does not hold throws {@link IllegalMonitorStateException}
     * (Python's {@code RuntimeError}).
     */
    boolean release();

    /** Acquires and returns the hold, for try-with-resources. */
    Held hold() throws InterruptedException;

    /** The fencing token of this thread's hold; {@link IllegalMonitorStateException} when it holds none. */
    FencingToken fence();

    boolean isHeldByCurrentThread();

    /** The lease of every hold, renewed every third of it. */
    Duration lease();
}
