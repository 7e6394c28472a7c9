package io.forklift.manager;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/** A proxy of a shared lock or rlock; the holding and waiting are {@link Acquirer}'s. */
final class LockProxy extends AcquirerProxy implements SharedLock {
    LockProxy(ObjectStore store, ObjectRef ref, long leaseMillis) {
        super(store, ref, leaseMillis);
    }

    Acquirer acquirer() {
        return acquirer;
    }

    @Override
    public Held hold() throws InterruptedException {
        acquire();
        return new Held(this, acquirer.mine());
    }

    @Override
    public FencingToken fence() {
        LockHold h = acquirer.mine();
        if (h == null) throw new IllegalMonitorStateException(ref() + " is not held by this thread");
        return new FencingToken(h);
    }

    @Override
    public boolean isHeldByCurrentThread() {
        LockHold h = acquirer.mine();
        return h != null && !h.lost();
    }

    @Override
    public Duration lease() {
        return Duration.ofMillis(acquirer.leaseMillis());
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                acquire();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // lock() is not interruptible: keep waiting, restore the flag after
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire();
    }

    @Override
    public boolean tryLock() {
        return tryAcquire();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(Duration.ofNanos(unit.toNanos(time)));
    }

    /** A hold that ran out releases nothing: {@link #release()} says so; unlock stays quiet, as Lock allows. */
    @Override
    public void unlock() {
        release();
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("a shared condition needs a name every process can open: "
                + "use m.condition(lock, name), or m.condition(lock) for the lock's default one");
    }

    @Override
    public String toString() {
        return (ref().kind().equals("rlock") ? "RLock" : "Lock") + "[" + ref() + "]";
    }
}
