package io.forklift;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * Results of {@link Pool#imap} or {@link Pool#imapUnordered} as they arrive. {@link #next()} blocks;
 * {@link #next(Duration)} gives up with {@link TimeoutException}, as Python's {@code next(timeout)}.
 * A failed task is thrown from the call that reaches it.
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R> {
    R next(Duration timeout) throws InterruptedException, TimeoutException;

    @Override
    default Iterator<R> iterator() {
        return this;
    }
}
