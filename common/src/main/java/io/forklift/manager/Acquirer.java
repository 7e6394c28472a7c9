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

    /** Takes {@code permits}; {@code deadline} null only tries. Whether it got them. */
    boolean acquire(int permits, Deadline deadline) throws InterruptedException {
        String holder = store.holderId();
        while (true) {
            String waiter = deadline == null ? null : store.newId();
            Acquired a = store.run(ref, scripts.acquire(keys, ref.kind(), holder, permits, waiter));
            if (a instanceof Acquired.Granted g) return install(holder, g.grant(), permits);
            if (a instanceof Acquired.Reentered r) {
                LockHold h = mine();
                if (h != null) h.count(r.count());
                return true;
            }
            if (a instanceof Acquired.Refused) return false;
            Boolean got = await(holder, waiter, permits, ((Acquired.Waiting) a).earliestEndMs(), deadline);
            if (got != null) return got;
            // null: this waiter was dropped from the line (its process paused past a lease): join again
        }
    }

    /** Blocks for the grant; true granted, false timed out, null dropped from the line. */
    private Boolean await(String holder, String waiter, int permits, long earliestEnd, Deadline deadline)
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
            if (p != null) return install(holder, LockScripts.grantOf(p.value()), permits);
            boolean interrupted = Thread.interrupted();
            if (interrupted || deadline.expired()) {
                LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, ref.kind(), waiter));
                if (c.grant() != null) {
                    install(holder, c.grant(), permits);
                    if (!interrupted) return true;
                    release(permits);
                }
                if (interrupted) throw new InterruptedException();
                return false;
            }
            LockScripts.Renewed r = store.run(ref, scripts.renew(keys, ref.kind(), Map.of(), List.of(waiter)));
            earliestEnd = r.earliestEndMs();
            if (r.gone().contains(waiter)) {
                LockScripts.Cancelled c = store.run(ref, scripts.cancel(keys, ref.kind(), waiter));
                if (c.grant() != null) return install(holder, c.grant(), permits);
                return null;
            }
        }
    }

    /** Publishes the grant's fence into the objects the lock guards, then keeps the hold renewed. */
    boolean install(String holder, Grant grant, int permits) {
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
        LockHold held = mine();
        if (held != null && held.fence() == grant.fence()) {
            held.count(held.count() + permits); // a semaphore's holder taking more keeps its fence
        } else {
            store.locks.add(new LockHold(ref, holder, grant.fence(), permits, grant.guarded()), leaseMillis);
        }
        return true;
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
