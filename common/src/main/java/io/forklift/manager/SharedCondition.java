package io.forklift.manager;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * Python's {@code Manager().Condition(lock)}, a {@link Condition} of a {@link SharedLock}: {@code
 * await} gives the lock up and starts waiting in one atomic step, and returns holding it again;
 * {@code signal} and {@code signalAll} move waiters, oldest first, to the lock's line, so they run
 * in the order they began to wait once the signaller releases. The caller must hold the lock
 * ({@link IllegalMonitorStateException} otherwise). A re-taken hold has a new fence.
 */
public interface SharedCondition extends Condition {
    /** {@code wait_for(predicate, timeout)}: awaits until {@code predicate} holds; its last value. */
    boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException;

    /** {@code wait(timeout)}: false when it timed out (it holds the lock again either way). */
    boolean await(Duration timeout) throws InterruptedException;

    /** {@code notify(n)}. */
    void signal(int n);
}
