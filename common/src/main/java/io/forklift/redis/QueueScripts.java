package io.forklift.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared queue's Lua transitions as typed calls: put, take into a processing list, acknowledge,
 * and a joinable queue's task_done. The only code that knows their KEYS and ARGV order and reply
 * shapes. Objects are named by their {@link ObjectKeys}.
 */
public final class QueueScripts {
    /** Most expired takers one take puts back; the next take puts back the rest. */
    private static final int RECOVER_PER_CALL = 16;

    /** Puts values at the tail, as many as maxsize leaves room for; replies how many, from the first on. */
    public ScriptCall<Integer> put(ObjectKeys o, List<String> values) {
        return new ScriptCall<>(
                Script.QUEUE_PUT, List.of(o.meta(), o.items(), o.room(), o.done()), values, r -> ((Long) r).intValue());
    }

    /**
     * Takes up to {@code max} values into {@code taker}'s processing list ({@code max} 0: only
     * registers the taker, which blocks next). {@code deadline}: how long the taker may take to
     * acknowledge, blocking included; after it, the values go back to the queue. {@code blocks}: the
     * taker blocks next if it takes nothing, so it is registered even then; a taker that does not
     * block leaves nothing behind an empty take. Replies the values.
     */
    public ScriptCall<List<String>> take(ObjectKeys o, String taker, int max, Duration deadline, boolean blocks) {
        List<String> args = List.of(
                taker,
                Integer.toString(max),
                o.takingPrefix(),
                Long.toString(deadline.toMillis()),
                Integer.toString(RECOVER_PER_CALL),
                blocks ? "0" : "1");
        return new ScriptCall<>(
                Script.QUEUE_TAKE, List.of(o.meta(), o.items(), o.takers(), o.room()), args, QueueScripts::strings);
    }

    /** Acknowledges a taker's values; false when they had been put back already (drop them). */
    public ScriptCall<Boolean> ack(ObjectKeys o, String taker) {
        return new ScriptCall<>(
                Script.QUEUE_ACK,
                List.of(o.meta(), o.items(), o.takers(), o.room(), o.taking(taker)),
                List.of(taker),
                r -> (Long) r == 1L);
    }

    /** {@code count} values are done; replies the unfinished count left. */
    public ScriptCall<Long> taskDone(ObjectKeys o, int count) {
        return new ScriptCall<>(
                Script.QUEUE_TASK_DONE,
                List.of(o.meta(), o.done()),
                List.of(Integer.toString(count)),
                Long.class::cast);
    }

    static List<String> strings(Object reply) {
        List<?> raw = (List<?>) reply;
        List<String> out = new ArrayList<>(raw.size());
        for (Object o : raw) out.add((String) o);
        return out;
    }
}
