package io.forklift.manager;

import java.time.Duration;

/** Python's {@code Event}, shared through Redis; waiters block on a Redis blocking command and all wake at {@link #set()}. */
public interface SharedEvent extends SharedObject {
    void set();

    void clear();

    boolean isSet();

    /** {@code wait()}: until it is set. */
    void waitFor() throws InterruptedException;

    /** {@code wait(timeout)}: whether it was set within {@code timeout}. */
    boolean waitFor(Duration timeout) throws InterruptedException;
}
