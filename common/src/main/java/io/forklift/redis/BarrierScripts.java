package io.forklift.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lua transitions of barriers (barrier_wait, barrier_break, barrier_renew) as typed calls: the
 * only code that knows their KEYS and ARGV order and reply shapes.
 */
public final class BarrierScripts {
    /** An arrival: {@code passed} when it was the last party (index 0), else waiting with {@code index}. */
    public record Arrived(boolean passed, int index) {}

    public ScriptCall<Arrived> await(ObjectKeys o, String waiter) {
        return new ScriptCall<>(Script.BARRIER_WAIT, keys(o), List.of(o.base(), waiter), r -> {
            List<?> l = (List<?>) r;
            return new Arrived((Long) l.get(0) == 1L, ((Long) l.get(1)).intValue());
        });
    }

    /** How a barrier is broken: a waiter's timeout, abort(), or reset(). */
    public enum Break {
        TIMEOUT,
        ABORT,
        RESET
    }

    /** Replies 'pass <index>' (a timed-out waiter whose round completed first), 'broken' or 'reset'. */
    public ScriptCall<String> breakIt(ObjectKeys o, Break how, String waiter) {
        List<String> args =
                List.of(o.base(), how.name().toLowerCase(java.util.Locale.ROOT), waiter == null ? "" : waiter);
        return new ScriptCall<>(Script.BARRIER_BREAK, keys(o), args, String.class::cast);
    }

    /** Renews this process's waiters; replies those no longer waiting (passed or broken). */
    public ScriptCall<List<String>> renew(ObjectKeys o, List<String> waiters) {
        List<String> args = new ArrayList<>(List.of(o.base()));
        args.addAll(waiters);
        return new ScriptCall<>(
                Script.BARRIER_RENEW,
                keys(o),
                args,
                r -> ((List<?>) r).stream().map(String.class::cast).toList());
    }

    private static List<String> keys(ObjectKeys o) {
        return List.of(o.meta(), o.line(), o.waits());
    }
}
