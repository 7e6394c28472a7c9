package io.forklift.manager;

import java.time.Duration;

/**
 * What a lock's and a semaphore's proxies share: Python's acquire/release on one permit, all of it
 * done by the proxy's {@link Acquirer}.
 */
abstract class AcquirerProxy {
    final Acquirer acquirer;

    AcquirerProxy(ObjectStore store, ObjectRef ref, long leaseMillis) {
        this.acquirer = new Acquirer(store, ref, leaseMillis);
    }

    public ObjectRef ref() {
        return acquirer.ref();
    }

    public void acquire() throws InterruptedException {
        acquirer.acquire(1, Deadline.forever());
    }

    public boolean acquire(Duration timeout) throws InterruptedException {
        return acquirer.acquire(1, Deadline.after(timeout));
    }

    public boolean tryAcquire() {
        try {
            return acquirer.acquire(1, null);
        } catch (InterruptedException e) {
            throw new AssertionError("a try does not wait", e);
        }
    }

    public boolean release() {
        return acquirer.release(1);
    }
}
