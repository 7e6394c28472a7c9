package io.forklift.manager;

import java.time.Duration;

/**
 * Python's {@code JoinableQueue}: every value put is unfinished until a consumer calls
 * {@link #taskDone()} for it; {@link #join()} waits until none is (on a Redis blocking command).
 */
public interface JoinableQueue<E> extends SharedQueue<E> {
    /** {@code task_done()}; more calls than values put throw {@link IllegalStateException} (Python's ValueError). */
    void taskDone();

    /** {@code join()}: waits until every value put has been marked done. */
    void join() throws InterruptedException;

    /** As {@link #join()}, for at most {@code timeout}; whether everything was done. */
    boolean join(Duration timeout) throws InterruptedException;
}
