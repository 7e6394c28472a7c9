package io.forklift.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Lua transitions of locks, rlocks and semaphores as typed calls (lock_acquire, lock_release,
 * lock_renew, lock_cancel, lock_guard, fence_publish): the only code that knows their KEYS and
 * ARGV order and reply shapes. {@code kind} is the kind the caller holds the object as; a script
 * refuses another with WRONGKIND.
 */
public final class LockScripts {
    /** A hold granted: its fencing token and the objects ({@code <manager>/<name>}) the lock guards. */
    public record Grant(long fence, List<String> guarded) {
        static Grant parse(String token) {
            String[] parts = token.split("\t");
            return new Grant(Long.parseLong(parts[0]), List.of(Arrays.copyOfRange(parts, 1, parts.length)));
        }
    }

    /** What an acquire call got. */
    public sealed interface Acquired {
        record Granted(Grant grant) implements Acquired {}

        /** An rlock's holder entered again: {@code count} re-entries now. */
        record Reentered(long fence, int count) implements Acquired {}

        /** In line; the earliest hold ends in {@code earliestEndMs} (-1: none). */
        record Waiting(long earliestEndMs) implements Acquired {}

        record Refused() implements Acquired {}
    }

    /**
     * @param waiter id to wait in line with, or null to only try
     */
    public ScriptCall<Acquired> acquire(ObjectKeys o, String kind, String holder, int permits, String waiter) {
        List<String> args = List.of(o.base(), kind, holder, Integer.toString(permits), waiter == null ? "" : waiter);
        return new ScriptCall<>(Script.LOCK_ACQUIRE, o.lockKeys(), args, r -> {
            List<?> l = (List<?>) r;
            long code = (Long) l.get(0);
            if (code == 1) return new Acquired.Granted(Grant.parse((String) l.get(1)));
            if (code == 2) return new Acquired.Reentered((Long) l.get(1), ((Long) l.get(2)).intValue());
            if (code == 0) return new Acquired.Waiting((Long) l.get(1));
            return new Acquired.Refused();
        });
    }

    /** A release: {@code released} false when the hold had run out (lost); {@code left} re-entries or permits. */
    public record Released(boolean released, int left) {}

    /** @param fence the fence this holder got, or null when it holds none (a semaphore gains a permit) */
    public ScriptCall<Released> release(ObjectKeys o, String kind, String holder, Long fence, int permits) {
        List<String> args =
                List.of(o.base(), kind, holder, fence == null ? "" : fence.toString(), Integer.toString(permits));
        return new ScriptCall<>(Script.LOCK_RELEASE, o.lockKeys(), args, r -> {
            List<?> l = (List<?>) r;
            return (Long) l.get(0) == 1L ? new Released(true, ((Long) l.get(1)).intValue()) : new Released(false, 0);
        });
    }

    /** A renewal: when the earliest hold ends, the holders whose hold was gone, the waiters no longer waiting. */
    public record Renewed(long earliestEndMs, List<String> lost, List<String> gone) {}

    /** Renews {@code holds} (holder -> fence) and {@code waiters} of this process on one lock. */
    public ScriptCall<Renewed> renew(ObjectKeys o, String kind, Map<String, Long> holds, List<String> waiters) {
        List<String> args = new ArrayList<>(List.of(o.base(), kind, Integer.toString(holds.size())));
        holds.forEach((h, f) -> {
            args.add(h);
            args.add(f.toString());
        });
        args.addAll(waiters);
        return new ScriptCall<>(Script.LOCK_RENEW, o.lockKeys(), args, r -> {
            List<?> l = (List<?>) r;
            int lost = ((Long) l.get(1)).intValue();
            List<String> rest =
                    l.subList(2, l.size()).stream().map(String.class::cast).toList();
            return new Renewed((Long) l.get(0), rest.subList(0, lost), rest.subList(lost, rest.size()));
        });
    }

    /** A waiter that gave up: it got its grant meanwhile ({@code grant} set), left the line, or was gone already. */
    public record Cancelled(Grant grant, boolean wasWaiting) {}

    public ScriptCall<Cancelled> cancel(ObjectKeys o, String kind, String waiter) {
        List<String> args = List.of(o.base(), kind, waiter, "leave");
        return new ScriptCall<>(Script.LOCK_CANCEL, o.lockKeys(), args, r -> {
            List<?> l = (List<?>) r;
            long code = (Long) l.get(0);
            if (code == 1) return new Cancelled(Grant.parse((String) l.get(1)), true);
            return new Cancelled(null, code == 0);
        });
    }

    /** A condition waiter's end: granted ({@code grant}), or back in the lock's line; whether it had been signalled. */
    public record Rejoined(Grant grant, boolean inLine, boolean signalled) {}

    /** Condition.await: gives up the hold and waits on condition {@code name}; false when the hold had run out. */
    public ScriptCall<Boolean> condWait(
            ObjectKeys o, String kind, String holder, long fence, String waiter, String name) {
        List<String> args = List.of(o.base(), kind, holder, Long.toString(fence), waiter, name);
        return new ScriptCall<>(Script.COND_WAIT, o.lockKeys(), args, r -> (Long) r == 1L);
    }

    /** signal ({@code n} 1) or signalAll ({@code n} 0); how many were moved to the lock's line, -1 when not held. */
    public ScriptCall<Long> condNotify(ObjectKeys o, String kind, String holder, long fence, String name, int n) {
        List<String> args = List.of(o.base(), kind, holder, Long.toString(fence), name, Integer.toString(n));
        return new ScriptCall<>(Script.COND_NOTIFY, o.lockKeys(), args, Long.class::cast);
    }

    /** A condition waiter whose wait timed out (or was dropped) goes back to waiting for the lock. */
    public ScriptCall<Rejoined> rejoin(ObjectKeys o, String kind, String waiter) {
        List<String> args = List.of(o.base(), kind, waiter, "lock");
        return new ScriptCall<>(Script.LOCK_CANCEL, o.lockKeys(), args, r -> {
            List<?> l = (List<?>) r;
            long code = (Long) l.get(0);
            if (code == 1) return new Rejoined(Grant.parse((String) l.get(1)), false, "signalled".equals(l.get(2)));
            if (code == 2) return new Rejoined(null, true, "signalled".equals(l.get(1)));
            return new Rejoined(null, false, false);
        });
    }

    /** Records that the lock guards {@code object} ({@code <manager>/<name>}), if {@code fence} is still the newest. */
    public ScriptCall<Long> guard(ObjectKeys lock, long fence, String object) {
        return new ScriptCall<>(
                Script.LOCK_GUARD,
                List.of(lock.meta(), lock.fence(), lock.guards()),
                List.of(Long.toString(fence), object),
                Long.class::cast);
    }

    /** A new holder's fence into an object its lock guards; 0 when the object no longer exists. */
    public ScriptCall<Long> publish(ObjectKeys object, String lock, long fence) {
        return new ScriptCall<>(
                Script.FENCE_PUBLISH,
                List.of(object.meta(), object.fences()),
                List.of(lock, Long.toString(fence)),
                Long.class::cast);
    }

    /** The grant a releasing script pushed onto a waiter's wake list. */
    public static Grant grantOf(String token) {
        return Grant.parse(token);
    }

    /** The wake list a waiter blocks on. */
    public static String woken(ObjectKeys o, String waiter) {
        return o.woken(waiter);
    }
}
