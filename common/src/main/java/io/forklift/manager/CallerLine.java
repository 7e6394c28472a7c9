package io.forklift.manager;

import io.forklift.manager.CallerHolds.Hold;
import io.forklift.redis.LockScripts;
import io.forklift.redis.LockScripts.Acquired;
import io.forklift.redis.ObjectKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A caller's place in the line of a lock, rlock or semaphore (or on one of a lock's conditions),
 * moved on by short non-blocking steps instead of a thread blocked on its wake list: for a caller
 * that waits parked (an HTTP call). The releasing script pushes the grant onto the place's wake
 * list ({@link #wakeKey}) and names that key on the ready channel; a step looks there, renews the
 * place every two thirds of a lease and at the earliest hold's end (which reaps a lapsed hold, as a
 * blocked Java waiter does), and joins again under the same id if the place was reaped. Steps of
 * one place must not overlap. A caller that stops waiting calls {@link #giveUp} or {@link #abandon},
 * so that no grant stays with nobody to use it.
 */
public final class CallerLine {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private volatile Acquirer lock; // opened by the first step (a read of the lease), off the caller's thread
    private final LockScripts scripts;
    private final String holder;
    private final int count;
    private final String waiter;
    private final String condition; // null: waits for the lock itself
    private volatile boolean joined;
    private volatile Boolean signalled; // a condition wait's outcome, once its wait on the condition ended
    private volatile long renewAt; // System.nanoTime() by which the place is renewed (or a hold's end reaped)

    CallerLine(ObjectStore store, ObjectRef ref, String holder, int count, String condition) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.scripts = store.locks.scripts;
        this.holder = holder;
        this.count = count;
        this.condition = condition;
        this.waiter = store.newId();
    }

    /** The list whose readiness (a grant pushed there) a parked caller waits on. */
    public String wakeKey() {
        return keys.woken(waiter);
    }

    String waiter() {
        return waiter;
    }

    /** A condition wait: whether it was notified (not timed out); true while it has not ended. */
    public boolean notified() {
        return signalled == null || signalled;
    }

    /** How soon a step is due even with no grant: this place's renewal, or the earliest hold's end. */
    public Duration nextLook() {
        return Duration.ofNanos(Math.max(renewAt - System.nanoTime(), 0));
    }

    /** The hold now (granted, or an rlock re-entered), or null while waiting. The first step joins the line. */
    public Hold step() {
        if (!joined) return join();
        if (store.reads.llen(wakeKey()) > 0) return taken(store.run(ref, scripts.cancel(keys, kind(), waiter)));
        if (System.nanoTime() - renewAt < 0) return null;
        LockScripts.Renewed r = store.run(ref, scripts.renew(keys, kind(), Map.of(), List.of(waiter)));
        renewAfter(r.earliestEndMs());
        if (!r.gone().contains(waiter)) return null;
        return taken(store.run(ref, scripts.cancel(keys, kind(), waiter))); // granted, or dropped
    }

    /**
     * The deadline passed: a lock waiter leaves the line (the hold if it was granted meanwhile, else
     * null: timed out). A condition waiter stops waiting on its condition and waits for the lock
     * (Python's wait re-takes the lock before it returns): null until it holds it.
     */
    public Hold giveUp() {
        if (condition == null) {
            if (!joined) return tryOnly();
            LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, kind(), waiter));
            return c.grant() == null ? null : hold(opened().install(holder, c.grant(), count, false));
        }
        if (signalled != null) return step();
        LockScripts.Rejoined j = store.run(ref, scripts.rejoin(keys, kind(), waiter));
        signalled = j.signalled();
        if (j.grant() != null) return hold(opened().install(holder, j.grant(), count, false));
        if (!j.inLine()) return rejoin();
        return null;
    }

    /** The caller went away: its place is left, and a hold granted to it ({@code unanswered}, or meanwhile) given back. */
    public void abandon(Hold unanswered) {
        Hold h = unanswered;
        if (h == null && (joined || condition != null)) {
            LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, kind(), waiter));
            if (c.grant() != null) h = new Hold(holder, c.grant().fence(), count, lease());
        }
        if (h == null) return;
        int times = kind().equals("rlock") ? count : 1; // an rlock's re-entries are released one by one
        for (int i = 0; i < times; i++) store.run(ref, scripts.release(keys, kind(), holder, h.fence(), count));
    }

    /** A try that joins no line: the deadline passed before the first step. */
    private Hold tryOnly() {
        opened();
        Acquired a = store.run(ref, scripts.acquire(keys, kind(), holder, count, null));
        if (a instanceof Acquired.Granted g) return hold(opened().install(holder, g.grant(), count, false));
        if (a instanceof Acquired.Reentered r) return new Hold(holder, r.fence(), r.count(), lease());
        return null;
    }

    private Hold join() {
        if (condition != null) { // the hold was given up when the wait began: now on the condition
            joined = true;
            renewAfter(-1);
            return null;
        }
        return joinLine();
    }

    private Hold joinLine() {
        opened();
        Acquired a = store.run(ref, scripts.acquire(keys, kind(), holder, count, waiter));
        if (a instanceof Acquired.Granted g) return hold(opened().install(holder, g.grant(), count, false));
        if (a instanceof Acquired.Reentered r) return new Hold(holder, r.fence(), r.count(), lease());
        joined = true;
        renewAfter(((Acquired.Waiting) a).earliestEndMs());
        return null;
    }

    /** After a cancel: the grant, or (the place was reaped while this coordinator was paused) a new place. */
    private Hold taken(LockScripts.Cancelled c) {
        if (c.grant() != null) return hold(opened().install(holder, c.grant(), count, false));
        return rejoin();
    }

    /** Joins the lock's line again under the same id (so the same wake key), keeping a condition's outcome. */
    private Hold rejoin() {
        if (condition != null && signalled == null) signalled = true; // reaped from the condition: Java counts it woken
        return joinLine();
    }

    private void renewAfter(long earliestEndMs) {
        long by = opened().leaseMillis() * 2 / 3;
        if (earliestEndMs >= 0) by = Math.min(by, earliestEndMs + 2);
        renewAt = System.nanoTime() + Duration.ofMillis(Math.max(by, 1)).toNanos();
    }

    private Acquirer opened() {
        if (lock == null) lock = Acquirer.open(store, ref);
        return lock;
    }

    private Hold hold(Acquirer.Took t) {
        return new Hold(holder, t.fence(), t.count(), lease());
    }

    private Duration lease() {
        return Duration.ofMillis(opened().leaseMillis());
    }

    private String kind() {
        return ref.kind();
    }
}
