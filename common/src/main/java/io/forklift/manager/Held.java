package io.forklift.manager;

/**
 * A hold on a {@link SharedLock}, for try-with-resources: {@code try (Held held = lock.hold()) {…}}.
 * {@link #fence()} is the token to pass to fenced writes. Closing it releases the lock; a hold
 * whose lease ran out meanwhile releases nothing and {@link #release()} says so by returning false.
 */
public final class Held implements AutoCloseable {
    private final SharedLock lock;
    private final LockHold hold;
    private boolean released;

    Held(SharedLock lock, LockHold hold) {
        this.lock = lock;
        this.hold = hold;
    }

    public FencingToken fence() {
        return new FencingToken(hold);
    }

    /** Whether this process has learnt that the hold ran out (its lease, while it was paused or cut off). */
    public boolean lost() {
        return hold.lost();
    }

    /** Releases once; false when the hold had run out and another process may have held the lock since. */
    public boolean release() {
        if (released) return !hold.lost();
        released = true;
        return lock.release(); // this thread's hold: a Held is closed by the thread that took it
    }

    @Override
    public void close() {
        release();
    }
}
