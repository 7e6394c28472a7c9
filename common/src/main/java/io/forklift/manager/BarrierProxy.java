package io.forklift.manager;

import io.forklift.redis.BarrierScripts;
import io.forklift.redis.BarrierScripts.Break;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ScriptRefusal;
import io.forklift.redis.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A proxy of a shared barrier (barrier_wait.lua, barrier_break.lua, barrier_renew.lua). A party
 * that is not the last blocks on its own wake list, where the last to arrive pushes
 * {@code pass <index>} and a break pushes {@code broken}; between blocks (2/3 of a lease) it renews
 * its arrival, and that renewal is also how a dead party's lapsed arrival breaks the barrier.
 */
final class BarrierProxy implements SharedBarrier {
    private static final BarrierScripts SCRIPTS = new BarrierScripts();
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final int parties;
    private final long leaseMillis;

    BarrierProxy(ObjectStore store, ObjectRef ref, int parties, long leaseMillis) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.parties = parties;
        this.leaseMillis = leaseMillis;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return awaitUntil(Deadline.forever());
        } catch (TimeoutException e) {
            throw new AssertionError("a wait without a timeout timed out", e);
        }
    }

    @Override
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        return awaitUntil(Deadline.after(timeout));
    }

    private int awaitUntil(Deadline deadline) throws InterruptedException, BrokenBarrierException, TimeoutException {
        String waiter = store.newId();
        BarrierScripts.Arrived a;
        try {
            a = store.redis.run(SCRIPTS.await(keys, waiter));
        } catch (ScriptRefusal r) {
            if (r.code().equals("BROKEN")) throw broken();
            throw ObjectStore.refusal(ref, r);
        }
        if (a.passed()) return 0;
        boolean gone = false;
        while (true) {
            Duration block = deadline.block();
            long renewBy = leaseMillis * 2 / 3;
            if (block.toMillis() > renewBy) block = Duration.ofMillis(renewBy);
            if (gone) block = Duration.ofMillis(Math.min(block.toMillis(), 100));
            Waits.Popped p = store.waits.pop(List.of(keys.woken(waiter)), block);
            if (p != null) return outcome(p.value());
            if (gone) throw broken(); // no longer waiting and nothing says why: its wake list expired
            boolean interrupted = Thread.interrupted();
            if (interrupted || deadline.expired()) {
                // Python's Barrier and CyclicBarrier: a party that gives up breaks the barrier for all
                String got = store.run(ref, SCRIPTS.breakIt(keys, Break.TIMEOUT, waiter));
                if (got.startsWith("pass ")) return outcome(got);
                if (interrupted) throw new InterruptedException();
                throw new TimeoutException("barrier " + ref + " did not fill within the timeout; it is broken now");
            }
            gone = store.run(ref, SCRIPTS.renew(keys, List.of(waiter))).contains(waiter);
        }
    }

    private int outcome(String woke) throws BrokenBarrierException {
        if (woke.startsWith("pass ")) return Integer.parseInt(woke.substring(5));
        throw broken();
    }

    private BrokenBarrierException broken() {
        return new BrokenBarrierException(ref + " is broken: a party timed out, aborted, was interrupted or died "
                + "(its lease ran out); reset() mends it");
    }

    @Override
    public void reset() {
        store.run(ref, SCRIPTS.breakIt(keys, Break.RESET, null));
    }

    @Override
    public void abort() {
        store.run(ref, SCRIPTS.breakIt(keys, Break.ABORT, null));
    }

    @Override
    public boolean isBroken() {
        return "1".equals(store.reads.hget(keys.meta(), "broken"));
    }

    @Override
    public int getParties() {
        return parties;
    }

    @Override
    public int getNumberWaiting() {
        return (int) store.reads.llen(keys.line());
    }

    @Override
    public String toString() {
        return "Barrier[" + ref + ", " + parties + " parties]";
    }
}
