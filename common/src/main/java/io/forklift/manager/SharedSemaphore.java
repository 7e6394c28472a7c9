package io.forklift.manager;

import java.time.Duration;

/**
 * Python's {@code Manager().Semaphore(n)} and {@code BoundedSemaphore(n)}, shared through Redis,
 * with {@link java.util.concurrent.Semaphore}'s names alongside. Permits taken are a leased hold of
 * the taking thread, renewed while its process lives, so a dead process's permits come back within
 * one lease. Waiters are served first come, first served. A thread that holds none may release and
 * so add a permit; a bounded semaphore refuses to go above its bound ({@link IllegalStateException},
 * Python's {@code ValueError}).
 */
public interface SharedSemaphore extends SharedObject {
    void acquire() throws InterruptedException;

    boolean acquire(Duration timeout) throws InterruptedException;

    boolean tryAcquire();

    /** Returns one permit: this thread's own if it holds one; false when its hold had run out meanwhile. */
    boolean release();

    /** Permits no one holds now. */
    int availablePermits();

    /** The permits it was made with. */
    int permits();
}
