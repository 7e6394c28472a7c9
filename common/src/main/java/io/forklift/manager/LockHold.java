package io.forklift.manager;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One holder's hold on a lock, rlock or semaphore in this process: its fence, its count (an rlock's
 * re-entries, a semaphore's permits), the objects its lock guards, and whether the renewer found it
 * gone (its lease ran out). Shared by every proxy of the lock in this process.
 */
final class LockHold {
    private final ObjectRef lock;
    private final String holder;
    private final long fence;
    private final Set<String> guarded = ConcurrentHashMap.newKeySet();
    private volatile int count;
    private volatile boolean lost;
    private volatile boolean ending;

    LockHold(ObjectRef lock, String holder, long fence, int count, Iterable<String> guarded) {
        this.lock = lock;
        this.holder = holder;
        this.fence = fence;
        this.count = count;
        guarded.forEach(this.guarded::add);
    }

    ObjectRef lock() {
        return lock;
    }

    String lockName() {
        return lock.manager() + "/" + lock.name();
    }

    String holder() {
        return holder;
    }

    long fence() {
        return fence;
    }

    Set<String> guarded() {
        return guarded;
    }

    int count() {
        return count;
    }

    void count(int count) {
        this.count = count;
    }

    boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /** Whether its holder is giving it back whole: a renewal that finds it gone then is no news. */
    boolean ending() {
        return ending;
    }

    void markEnding() {
        ending = true;
    }
}
