package io.forklift.manager;

import io.forklift.redis.LockScripts;
import io.forklift.redis.LockScripts.Acquired;
import io.forklift.redis.LockScripts.Grant;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ScriptBatch;
import io.forklift.redis.ScriptRefusal;
import io.forklift.redis.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Takes and gives back holds of one lock, rlock or semaphore for the calling thread. A waiter joins
 * the lock's line and blocks on its own wake list (BLPOP), where the releasing script pushes its
 * grant: no polling. Between blocks (at most 2/3 of a lease, or until the earliest hold's lease ends)
 * it renews its place and reaps a dead holder's hold, so a lock whose holder died reaches the line
 * within one lease. A grant's fence is published into every object the lock guards before the
 * caller may use the lock.
 */
final class Acquirer {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final LockScripts scripts;
    private final long leaseMillis;

    Acquirer(ObjectStore store, ObjectRef ref, long leaseMillis) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.scripts = store.locks.scripts;
        this.leaseMillis = leaseMillis;
    }

    /** The existing lock {@code ref}, with its lease read from Redis. */
    static Acquirer open(ObjectStore store, ObjectRef ref) {
        String lease = store.reads.hget(store.keys(ref).meta(), "lease");
        if (lease == null) throw new ObjectDeletedException(ref);
        return new Acquirer(store, ref, Long.parseLong(lease));
    }

    ObjectRef ref() {
        return ref;
    }

    ObjectStore store() {
        return store;
    }

    ObjectKeys keys() {
        return keys;
    }

    long leaseMillis() {
        return leaseMillis;
    }

    LockHold mine() {
        return store.locks.get(ref, store.holderId());
    }

    /** Takes {@code permits} for this thread; {@code deadline} null only tries. Whether it got them. */
    boolean acquire(int permits, Deadline deadline) throws InterruptedException {
        return take(store.holderId(), permits, deadline, true) != null;
    }

    /**
     * Takes {@code permits} for {@code holder}; {@code deadline} null only tries. Null when not
     * granted. {@code renewHere}: this process renews the hold (a thread of it is the holder);
     * otherwise the holder is elsewhere (an HTTP caller) and renews it itself.
     */
    Took take(String holder, int permits, Deadline deadline, boolean renewHere) throws InterruptedException {
        while (true) {
            String waiter = deadline == null ? null : store.newId();
            Acquired a = store.run(ref, scripts.acquire(keys, ref.kind(), holder, permits, waiter));
            if (a instanceof Acquired.Granted g) return install(holder, g.grant(), permits, renewHere);
            if (a instanceof Acquired.Reentered r) {
                LockHold h = renewHere ? mine() : null;
                if (h != null) h.count(r.count());
                return new Took(r.fence(), r.count());
            }
            if (a instanceof Acquired.Refused) return null;
            Took got = await(holder, waiter, permits, ((Acquired.Waiting) a).earliestEndMs(), deadline, renewHere);
            if (got != NOT_GRANTED) return got;
            // this waiter was dropped from the line (its process paused past a lease): join again
        }
    }

    /** A hold taken: its fence, and its count (an rlock's re-entries, a semaphore holder's permits). */
    record Took(long fence, int count) {}

    private static final Took NOT_GRANTED = new Took(-1, 0);

    /** Blocks for the grant; the hold, null timed out, {@link #NOT_GRANTED} dropped from the line. */
    private Took await(String holder, String waiter, int permits, long earliestEnd, Deadline deadline, boolean here)
            throws InterruptedException {
        String woken = LockScripts.woken(keys, waiter);
        while (true) {
            Duration block = deadline.block();
            // wake at the earliest hold's end (to reap it if its holder died), and to renew this wait
            // (its deadline is a lease after the last renewal) every two thirds of a lease
            long renewBy = leaseMillis * 2 / 3;
            long cap = earliestEnd >= 0 ? Math.min(renewBy, earliestEnd + 2) : renewBy;
            if (block.toMillis() > cap) block = Duration.ofMillis(Math.max(cap, 1));
            Waits.Popped p = store.waits.pop(List.of(woken), block);
            if (p != null) return install(holder, LockScripts.grantOf(p.value()), permits, here);
            boolean interrupted = Thread.interrupted();
            if (interrupted || deadline.expired()) {
                LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, ref.kind(), waiter));
                if (c.grant() != null) {
                    Took took = install(holder, c.grant(), permits, here);
                    if (!interrupted) return took;
                    if (here) release(permits);
                    else store.run(ref, scripts.release(keys, ref.kind(), holder, took.fence(), permits));
                }
                if (interrupted) throw new InterruptedException();
                return null;
            }
            LockScripts.Renewed r = store.run(ref, scripts.renew(keys, ref.kind(), Map.of(), List.of(waiter)));
            earliestEnd = r.earliestEndMs();
            if (r.gone().contains(waiter)) {
                LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, ref.kind(), waiter));
                if (c.grant() != null) return install(holder, c.grant(), permits, here);
                return NOT_GRANTED;
            }
        }
    }

    /** Publishes the grant's fence into the objects the lock guards, then ({@code here}) keeps the hold renewed. */
    Took install(String holder, Grant grant, int permits, boolean here) {
        if (!grant.guarded().isEmpty()) {
            ScriptBatch batch = new ScriptBatch();
            for (String object : grant.guarded()) {
                int slash = object.indexOf('/');
                ObjectKeys target = store.keys.object(object.substring(0, slash), object.substring(slash + 1));
                batch.add(scripts.publish(target, ref.manager() + "/" + ref.name(), grant.fence()));
            }
            try {
                batch.run(store.redis);
            } catch (RuntimeException e) {
                // without the fence published, older holders' writes could land after this holder reads
                store.run(ref, scripts.release(keys, ref.kind(), holder, grant.fence(), permits));
                throw e;
            }
        }
        if (!here) return new Took(grant.fence(), permits);
        LockHold held = mine();
        if (held != null && held.fence() == grant.fence()) {
            held.count(held.count() + permits); // a semaphore's holder taking more keeps its fence
            return new Took(grant.fence(), held.count());
        }
        store.locks.add(new LockHold(ref, holder, grant.fence(), permits, grant.guarded()), leaseMillis);
        return new Took(grant.fence(), permits);
    }

    /**
     * Gives back {@code permits} of this thread's hold, or (a semaphore, no hold here) adds them.
     * False when the hold had run out. Throws {@link IllegalMonitorStateException} for a lock or
     * rlock this thread does not hold.
     */
    boolean release(int permits) {
        String holder = store.holderId();
        LockHold h = store.locks.get(ref, holder);
        boolean semaphore = ref.kind().endsWith("semaphore");
        if (h == null && !semaphore) {
            throw new IllegalMonitorStateException(ref + " is not held by this thread (" + holder
                    + "); only its holder may release it (Python: RuntimeError, release unlocked lock)");
        }
        if (h != null && h.lost()) {
            store.locks.remove(h); // the renewer found it gone: nothing to give back
            return false;
        }
        // a whole release racing the renewer's round trip would otherwise read as a hold that ran out
        if (h != null && (ref.kind().equals("lock") || h.count() <= permits)) h.markEnding();
        LockScripts.Released r;
        try {
            r = store.redis.run(scripts.release(keys, ref.kind(), holder, h == null ? null : h.fence(), permits));
        } catch (ScriptRefusal e) {
            if (e.code().equals("OVERBOUND")) {
                throw new IllegalStateException(ref + " released too many times: it would go above its bound of "
                        + e.detail() + " permits (Python: ValueError); nothing changed");
            }
            throw ObjectStore.refusal(ref, e);
        } catch (RuntimeException e) {
            if (h != null) { // Redis unreachable: stop renewing, so the hold ends with its lease
                h.markLost();
                store.locks.remove(h);
            }
            throw e;
        }
        if (h == null) return true;
        if (!r.released()) {
            h.markLost();
            store.locks.remove(h);
            return false;
        }
        if (r.left() > 0) {
            h.count(r.left());
        } else {
            store.locks.remove(h);
        }
        return true;
    }
}
