package io.forklift.manager;

/**
 * Python's {@code Manager().Value(typecode, value)}, shared through Redis (a string of JSON), with
 * the operations of {@link java.util.concurrent.atomic.AtomicLong} and its kin, each one script.
 */
public interface SharedValue<T> extends SharedObject {
    /** {@code v.value}. */
    T get();

    /** {@code v.value = x}. */
    void set(T value);

    T getAndSet(T value);

    /** Sets {@code update} if the value equals {@code expect} (compared as JSON); whether it did. */
    boolean compareAndSet(T expect, T update);

    /** Adds atomically (numeric values only); returns the new value. */
    T addAndGet(Number delta);

    T incrementAndGet();

    /** A fenced {@code set}: refused ({@link StaleFenceException}) once a newer fence of its lock was issued. */
    void set(T value, FencingToken fence);

    T getAndSet(T value, FencingToken fence);

    boolean compareAndSet(T expect, T update, FencingToken fence);

    T addAndGet(Number delta, FencingToken fence);
}
