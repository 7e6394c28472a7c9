package io.forklift.manager;

/** A proxy of a shared semaphore or bounded semaphore; the holding and waiting are {@link Acquirer}'s. */
final class SemaphoreProxy extends AcquirerProxy implements SharedSemaphore {
    private final ObjectStore store;
    private final int permits;

    SemaphoreProxy(ObjectStore store, ObjectRef ref, long leaseMillis, int permits) {
        super(store, ref, leaseMillis);
        this.store = store;
        this.permits = permits;
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
