package io.forklift.manager;

import io.forklift.redis.LockScripts;
import io.forklift.redis.LockScripts.Rejoined;
import io.forklift.redis.Waits;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A condition of a shared lock (cond_wait.lua, cond_notify.lua). A waiter blocks on its own wake
 * list as a lock waiter does; a signal moves it to the lock's line, and the hand-off wakes it with
 * the lock. At its timeout (or interrupt) it goes to the lock's line itself, since await must
 * return holding the lock.
 */
final class ConditionProxy implements SharedCondition {
    private final Acquirer lock;
    private final String name;
    private final LockScripts scripts;

    ConditionProxy(Acquirer lock, String name) {
        this.lock = lock;
        this.name = ObjectRef.checkName("condition", name);
        this.scripts = lock.store().locks.scripts;
    }

    private LockHold held() {
        LockHold h = lock.mine();
        if (h == null || h.lost()) {
            throw new IllegalMonitorStateException(lock.ref() + " is not held by this thread"
                    + (h == null ? "" : " (its hold ran out)") + "; a condition is used while holding its lock");
        }
        return h;
    }

    /** Waits on the condition until signalled or {@code deadline}; returns holding the lock. Whether signalled. */
    private boolean awaitUntil(Deadline deadline, boolean interruptible) throws InterruptedException {
        LockHold h = held();
        try {
            return awaitFor(h.holder(), h.fence(), h.count(), deadline, interruptible, true)
                    .signalled();
        } catch (IllegalMonitorStateException lost) {
            h.markLost();
            throw lost;
        }
    }

    /** How a wait ended: whether signalled (not timed out), and the fence of the hold it returns with. */
    record Rewoken(boolean signalled, long fence) {}

    /**
     * Gives up {@code holder}'s hold of fence {@code fence} ({@code count} re-entries), waits on the
     * condition until signalled or {@code deadline}, and returns once the holder holds the lock again,
     * with a new fence. {@code here}: this process renews the hold (else its caller does).
     */
    Rewoken awaitFor(String holder, long fence, int count, Deadline deadline, boolean interruptible, boolean here)
            throws InterruptedException {
        ObjectStore store = lock.store();
        String waiter = store.newId();
        String kind = lock.ref().kind();
        if (!store.run(lock.ref(), scripts.condWait(lock.keys(), kind, holder, fence, waiter, name))) {
            throw new IllegalMonitorStateException("the hold on " + lock.ref() + " ran out before await");
        }
        if (here) store.locks.remove(lock.mine());
        boolean interrupted = false;
        Boolean signalled = null; // known once the wait on the condition itself has ended
        long renewBy = lock.leaseMillis() * 2 / 3;
        Acquirer.Took took = null;
        while (took == null) {
            Duration block = signalled == null ? deadline.block() : Waits.MAX_BLOCK;
            if (block.toMillis() > renewBy) block = Duration.ofMillis(renewBy);
            Waits.Popped p = store.waits.pop(List.of(lock.keys().woken(waiter)), block);
            if (p != null) {
                took = lock.install(holder, LockScripts.grantOf(p.value()), count, here);
                break;
            }
            interrupted |= interruptible && Thread.interrupted();
            LockScripts.Renewed r = store.run(lock.ref(), scripts.renew(lock.keys(), kind, Map.of(), List.of(waiter)));
            boolean gone = r.gone().contains(waiter);
            if (gone || signalled == null && (interrupted || deadline.expired())) {
                Rejoined j = store.run(lock.ref(), scripts.rejoin(lock.keys(), kind, waiter));
                if (signalled == null) signalled = j.signalled();
                if (j.grant() != null) {
                    took = lock.install(holder, j.grant(), count, here);
                } else if (!j.inLine()) { // dropped from the line (this process paused past a lease): take it anew
                    for (int i = 0; i < count; i++) took = lock.take(holder, 1, Deadline.forever(), here);
                }
            }
        }
        if (interrupted) throw new InterruptedException();
        return new Rewoken(signalled == null || signalled, took.fence());
    }

    @Override
    public void await() throws InterruptedException {
        awaitUntil(Deadline.forever(), true);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(Deadline.after(timeout), true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitUntil(Deadline.forever(), false);
        } catch (InterruptedException e) {
            throw new AssertionError("not interruptible", e);
        }
    }

    @Override
    public long awaitNanos(long nanos) throws InterruptedException {
        long t0 = System.nanoTime();
        awaitUntil(Deadline.after(Duration.ofNanos(Math.max(nanos, 0))), true);
        return nanos - (System.nanoTime() - t0);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return await(Duration.ofNanos(unit.toNanos(time)));
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return await(Duration.ofMillis(Math.max(deadline.getTime() - System.currentTimeMillis(), 0)));
    }

    @Override
    public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        Deadline deadline = Deadline.after(timeout);
        long end = System.nanoTime() + timeout.toNanos();
        boolean ok = predicate.getAsBoolean();
        while (!ok && !deadline.expired()) {
            await(Duration.ofNanos(Math.max(end - System.nanoTime(), 0)));
            ok = predicate.getAsBoolean();
        }
        return ok;
    }

    @Override
    public void signal() {
        signal(1);
    }

    @Override
    public void signal(int n) {
        if (n < 1) throw new IllegalArgumentException("signal at least 1 waiter, got " + n);
        notify(n);
    }

    @Override
    public void signalAll() {
        notify(0);
    }

    private void notify(int n) {
        LockHold h = held();
        try {
            notifyFor(h.holder(), h.fence(), n);
        } catch (IllegalMonitorStateException lost) {
            h.markLost();
            throw lost;
        }
    }

    /** Moves up to {@code n} waiters (0: all) to the lock's line, for the holder of fence {@code fence}; how many. */
    long notifyFor(String holder, long fence, int n) {
        long moved = lock.store()
                .run(lock.ref(), scripts.condNotify(lock.keys(), lock.ref().kind(), holder, fence, name, n));
        if (moved < 0) {
            throw new IllegalMonitorStateException("the hold on " + lock.ref() + " by '" + holder + "' with fence "
                    + fence + " ran out (or never was); nothing was signalled");
        }
        return moved;
    }

    @Override
    public String toString() {
        return "Condition[" + name + " of " + lock.ref() + "]";
    }
}
