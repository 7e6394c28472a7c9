package io.forklift.manager;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * Python's {@code Manager().Barrier(parties)}, with {@link java.util.concurrent.CyclicBarrier}'s
 * names: {@code parties} processes or threads wait until all have arrived, then all pass and the
 * barrier is ready for its next round. It breaks for every party waiting
 * ({@link BrokenBarrierException}) when one times out, aborts, is interrupted, or dies (its arrival
 * is leased, renewed while its process lives); {@link #reset()} mends it.
 */
public interface SharedBarrier extends SharedObject {
    /** {@code wait()}: the arrival index, {@code parties - 1} for the first to arrive, 0 for the last. */
    int await() throws InterruptedException, BrokenBarrierException;

    /** {@code wait(timeout)}: at the timeout this party gets {@link TimeoutException}, the others a broken barrier. */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /** {@code reset()}: parties waiting get {@link BrokenBarrierException}; the barrier is whole and empty. */
    void reset();

    /** {@code abort()}: breaks the barrier for every party, now and later, until a reset. */
    void abort();

    /** {@code broken}. */
    boolean isBroken();

    /** {@code parties}. */
    int getParties();

    /** {@code n_waiting}. */
    int getNumberWaiting();
}
