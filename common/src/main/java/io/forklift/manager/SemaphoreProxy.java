package io.forklift.manager;

import java.time.Duration;

/** A proxy of a shared semaphore or bounded semaphore; the holding and waiting are {@link Acquirer}'s. */
final class SemaphoreProxy implements SharedSemaphore {
    private final ObjectStore store;
    private final Acquirer acquirer;
    private final int permits;

    SemaphoreProxy(ObjectStore store, ObjectRef ref, long leaseMillis, int permits) {
        this.store = store;
        this.acquirer = new Acquirer(store, ref, leaseMillis);
        this.permits = permits;
    }

    @Override
    public ObjectRef ref() {
        return acquirer.ref();
    }

    @Override
    public void acquire() throws InterruptedException {
        acquirer.acquire(1, Deadline.forever());
    }

    @Override
    public boolean acquire(Duration timeout) throws InterruptedException {
        return acquirer.acquire(1, Deadline.after(timeout));
    }

    @Override
    public boolean tryAcquire() {
        try {
            return acquirer.acquire(1, null);
        } catch (InterruptedException e) {
            throw new AssertionError("a try does not wait", e);
        }
    }

    @Override
    public boolean release() {
        return acquirer.release(1);
    }

    @Override
    public int availablePermits() {
        String free = store.reads.hget(store.keys(ref()).meta(), "free");
        if (free == null) throw new ObjectDeletedException(ref());
        return Integer.parseInt(free);
    }

    @Override
    public int permits() {
        return permits;
    }

    @Override
    public String toString() {
        return (ref().kind().equals("semaphore") ? "Semaphore" : "BoundedSemaphore") + "[" + ref() + "]";
    }
}
