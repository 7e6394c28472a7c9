package io.forklift.manager;

import io.forklift.redis.BarrierScripts;
import io.forklift.redis.BarrierScripts.Break;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ScriptRefusal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A party's arrival at a barrier, waited on by short non-blocking steps instead of a thread blocked
 * on its wake list: for a caller that waits parked (an HTTP call). The last party's arrival, and a
 * break, push the outcome onto each waiter's wake list ({@link #wakeKey}) and name it on the ready
 * channel; a step reads it there, and renews the arrival every two thirds of a lease (a renewal is
 * also how a dead party breaks the barrier). Steps of one arrival must not overlap.
 */
public final class CallerArrival {
    private static final BarrierScripts SCRIPTS = new BarrierScripts();
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final String waiter;
    private volatile long leaseMillis;
    private volatile boolean arrived;
    private volatile boolean passed;
    private volatile long renewAt;

    private CallerArrival(ObjectStore store, ObjectRef ref) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.waiter = store.newId();
    }

    /** A party of barrier {@code name} of {@code manager}, to arrive at its first step. */
    public static CallerArrival of(Manager manager, String name) {
        return new CallerArrival(manager.store(), ObjectRef.of(manager.name(), name, ObjectKind.BARRIER));
    }

    /** Arrives (a read of the lease and one script); throws if the barrier is broken or gone. */
    private void arrive() throws BrokenBarrierException {
        String lease = store.reads.hget(keys.meta(), "lease");
        if (lease == null) throw new ObjectDeletedException(ref);
        leaseMillis = Long.parseLong(lease);
        try {
            passed = store.redis.run(SCRIPTS.await(keys, waiter)).passed();
        } catch (ScriptRefusal r) {
            if (r.code().equals("BROKEN")) throw broken(ref);
            throw ObjectStore.refusal(ref, r);
        }
        arrived = true;
        renewLater();
    }

    /** Whether it has arrived (a party that never arrived has nothing to undo). */
    public boolean arrived() {
        return arrived;
    }

    /** The list whose readiness (this party's outcome pushed there) a parked caller waits on. */
    public String wakeKey() {
        return keys.woken(waiter);
    }

    /** How soon a step is due even with no outcome: this arrival's renewal. */
    public Duration nextLook() {
        return Duration.ofNanos(Math.max(renewAt - System.nanoTime(), 0));
    }

    /** This party's index once every party arrived, or null while it waits; throws once it is broken. */
    public Integer step() throws BrokenBarrierException {
        if (!arrived) arrive();
        if (passed) return 0;
        String woke = store.reads.lindex(wakeKey(), 0);
        if (woke != null) return outcome(woke);
        if (System.nanoTime() - renewAt < 0) return null;
        boolean gone = store.run(ref, SCRIPTS.renew(keys, List.of(waiter))).contains(waiter);
        renewLater();
        if (!gone) return null;
        woke = store.reads.lindex(wakeKey(), 0); // pushed in the same script that ended its wait
        if (woke != null) return outcome(woke);
        throw broken(ref); // no longer waiting and nothing says why: its wake list expired
    }

    /**
     * The wait timed out or its caller went away: the barrier breaks for every party, as Python's
     * does, unless the round completed first (this party's index then).
     */
    public int giveUp() throws BrokenBarrierException, TimeoutException {
        if (!arrived) arrive();
        if (passed) return 0;
        String got = store.run(ref, SCRIPTS.breakIt(keys, Break.TIMEOUT, waiter));
        if (got.startsWith("pass ")) return outcome(got);
        throw new TimeoutException("barrier " + ref + " did not fill within the timeout; it is broken now");
    }

    private int outcome(String woke) throws BrokenBarrierException {
        if (woke.startsWith("pass ")) return Integer.parseInt(woke.substring(5));
        throw broken(ref);
    }

    private void renewLater() {
        renewAt = System.nanoTime()
                + Duration.ofMillis(Math.max(leaseMillis * 2 / 3, 1)).toNanos();
    }

    private static BrokenBarrierException broken(ObjectRef ref) {
        return new BrokenBarrierException(ref + " is broken: a party timed out, aborted, was interrupted or died "
                + "(its lease ran out); reset() mends it");
    }
}
