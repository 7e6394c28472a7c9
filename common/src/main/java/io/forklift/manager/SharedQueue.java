package io.forklift.manager;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.BlockingQueue;

/**
 * Python's {@code multiprocessing.Queue}, shared through Redis, as a {@link BlockingQueue}: code
 * written for a {@code BlockingQueue} takes one as it is. A blocked {@code get} or {@code put} waits
 * on a Redis blocking command, never a sleep loop, and its timeout holds to a few milliseconds.
 * Each value taken is taken by exactly one caller: it moves to that call's processing list and is
 * acknowledged there, so a taker that dies mid-call loses nothing (the value returns to the head of
 * the queue once the taker's deadline passes). Values are JSON; {@code null} is refused, as by
 * every {@code BlockingQueue}.
 */
public interface SharedQueue<E> extends BlockingQueue<E>, SharedObject {
    /** {@code put(obj, timeout=…)}: waits up to {@code timeout} for room; {@link QueueFullException} after it. */
    void put(E e, Duration timeout) throws InterruptedException;

    /** {@code put_nowait(obj)}: {@link QueueFullException} if full. */
    void putNowait(E e);

    /** Puts all, in order, waiting for room as needed; one round trip per batch that fits. */
    void putAll(Collection<? extends E> values) throws InterruptedException;

    /** {@code get()}: waits as long as it takes. */
    E get() throws InterruptedException;

    /** {@code get(timeout=…)}: {@link QueueEmptyException} when nothing came within {@code timeout}. */
    E get(Duration timeout) throws InterruptedException;

    /** {@code get_nowait()}: {@link QueueEmptyException} if empty. */
    E getNowait();

    /** {@code qsize()}: values waiting (not those a taker holds unacknowledged). */
    int qsize();

    /** {@code full()}. */
    boolean isFull();

    /** The queue's maxsize; 0 for none. */
    int maxsize();

    /** {@code close()}: this proxy puts no more (puts then throw {@link IllegalStateException}); the queue stays. */
    void close();
}
