package io.forklift.manager;

import io.forklift.redis.LockScripts;
import io.forklift.redis.ScriptRefusal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Holds on a manager's locks, rlocks and semaphores taken for a caller that lives elsewhere (an HTTP
 * client), named by a holder id the caller keeps. Nothing in this process renews them: the caller
 * renews its hold within the lease ({@link #renew}), and a hold it stops renewing lapses exactly as
 * a dead Java holder's does, with the next holder getting a larger fence. {@link #fence} turns a
 * caller's (lock, token) back into the {@link FencingToken} that fenced writes take.
 */
public final class CallerHolds {
    /** A hold: its holder, its fencing token, its count (re-entries or permits) and the lock's lease. */
    public record Hold(String holder, long fence, int count, Duration lease) {}

    /** What a lock or semaphore is now: permits free, permits it was made with, and its lease. */
    public record State(int free, int permits, Duration lease) {}

    private final Manager manager;
    private final ObjectStore store;

    public CallerHolds(Manager manager) {
        this.manager = manager;
        this.store = manager.store();
    }

    /**
     * A place for {@code holder} in the line of {@code name} for {@code permits}, not joined yet: its
     * first {@link CallerLine#step} joins (or is granted at once), for a caller that waits parked.
     */
    public CallerLine line(String name, ObjectKind kind, String holder, int permits) {
        return new CallerLine(store, ObjectRef.of(manager.name(), name, kind), holder, permits, null);
    }

    /**
     * Condition {@code condition} of lock {@code name}: gives up {@code holder}'s hold now (fence
     * {@code fence}, {@code count} re-entries) and answers its place on the condition, whose steps
     * answer the hold once notified and holding the lock again. Throws {@link
     * IllegalMonitorStateException} when it does not hold the lock.
     */
    public CallerLine conditionLine(
            String name, ObjectKind kind, String condition, String holder, long fence, int count) {
        Acquirer a = acquirer(name, kind);
        CallerLine line = new CallerLine(store, a.ref(), holder, count, ObjectRef.checkName("condition", condition));
        if (!store.run(
                a.ref(), store.locks.scripts.condWait(a.keys(), kind.wire(), holder, fence, line.waiter(), condition)))
            throw new IllegalMonitorStateException("the hold on " + a.ref() + " by '" + holder + "' with fence " + fence
                    + " ran out (or never was) before wait; a condition is used while holding its lock");
        return line;
    }

    /** Renews {@code holder}'s hold of fence {@code fence} for another lease; false when it had lapsed. */
    public boolean renew(String name, ObjectKind kind, String holder, long fence) {
        ObjectRef ref = ObjectRef.of(manager.name(), name, kind);
        LockScripts.Renewed r = store.run(
                ref, store.locks.scripts.renew(store.keys(ref), kind.wire(), Map.of(holder, fence), List.of()));
        return !r.lost().contains(holder);
    }

    /**
     * Gives back {@code permits} of {@code holder}'s hold of fence {@code fence}; the count left.
     * {@code fence} null (a semaphore only) adds permits, as Python's release by a non-holder does.
     * Throws {@link IllegalMonitorStateException} when the holder holds no such hold (it never did,
     * or its lease lapsed) and {@link IllegalStateException} above a bounded semaphore's bound.
     */
    public int release(String name, ObjectKind kind, String holder, Long fence, int permits) {
        ObjectRef ref = ObjectRef.of(manager.name(), name, kind);
        LockScripts.Released r;
        try {
            r = store.redis.run(store.locks.scripts.release(store.keys(ref), kind.wire(), holder, fence, permits));
        } catch (ScriptRefusal e) {
            if (e.code().equals("OVERBOUND")) {
                throw new IllegalStateException(ref + " released too many times: it would go above its bound of "
                        + e.detail() + " permits (Python: ValueError); nothing changed");
            }
            if (e.code().equals("NOTHELD")) throw notHeld(ref, holder, fence);
            throw ObjectStore.refusal(ref, e);
        }
        if (!r.released()) throw notHeld(ref, holder, fence);
        return r.left();
    }

    /** Notifies up to {@code n} waiters (0: all) of {@code condition}, for the holder of fence {@code fence}; how many. */
    public long signal(String name, ObjectKind kind, String condition, String holder, long fence, int n) {
        return new ConditionProxy(acquirer(name, kind), condition).notifyFor(holder, fence, n);
    }

    /** The fence a caller holding token {@code token} of {@code lock} ({@code <manager>/<name>}) writes with. */
    public FencingToken fence(String lock, long token) {
        int slash = lock.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("a fence's lock is '<manager>/<name>', got '" + lock + "'");
        ObjectRef ref = ObjectRef.of(lock.substring(0, slash), lock.substring(slash + 1), ObjectKind.LOCK);
        // a hold known here by its token alone: its first write to each object records the guard again
        return new FencingToken(new LockHold(ref, "", token, 1, List.of()));
    }

    public State state(String name, ObjectKind kind) {
        ObjectRef ref = ObjectRef.of(manager.name(), name, kind);
        Map<String, String> meta = store.reads.hgetAll(store.keys(ref).meta());
        if (meta.get("lease") == null) throw new ObjectDeletedException(ref);
        return new State(
                Integer.parseInt(meta.get("free")),
                Integer.parseInt(meta.get("permits")),
                Duration.ofMillis(Long.parseLong(meta.get("lease"))));
    }

    private Acquirer acquirer(String name, ObjectKind kind) {
        return Acquirer.open(store, ObjectRef.of(manager.name(), name, kind));
    }

    private static IllegalMonitorStateException notHeld(ObjectRef ref, String holder, Long fence) {
        return new IllegalMonitorStateException(ref + " is not held by '" + holder + "'"
                + (fence == null ? "" : " with fence " + fence)
                + ": it never was, or its lease lapsed (not renewed in time) and another may have held it since;"
                + " nothing was released (Python: RuntimeError)");
    }
}
