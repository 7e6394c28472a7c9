package io.forklift.coordinator;

import io.forklift.redis.Queues;
import java.time.Duration;
import java.util.List;

/**
 * Walks every registered queue slowly, a bounded slice per housekeeping tick, so a queue that came
 * to hold work without being indexed (tasks pushed by hand, data written before the index existed,
 * a worker that died before any coordinator read its heartbeat) is found within about a
 * {@link #CYCLE}, or {@code queues / MAX_PER_TICK} ticks when there are very many. The cost of a
 * tick stays at most {@link #MAX_PER_TICK} cheap reads however many queues were ever named.
 */
final class QueueSweep {
    static final Duration CYCLE = Duration.ofMinutes(1);
    static final int MAX_PER_TICK = 100;

    private final Queues queues;
    private final Duration interval;
    private List<String> names = List.of();
    private int next;

    QueueSweep(Queues queues, Duration interval) {
        this.queues = queues;
        this.interval = interval;
    }

    /** The next slice of the registry; the registry is read again at the start of each cycle. */
    List<String> nextSlice() {
        if (next >= names.size()) {
            names = queues.names();
            next = 0;
        }
        int from = next;
        next = Math.min(names.size(), from + perTick(names.size(), interval));
        return names.subList(from, next);
    }

    /** Enough per tick to cover {@code total} queues in one {@link #CYCLE}; at least 1, at most {@link #MAX_PER_TICK}. */
    static int perTick(int total, Duration interval) {
        long ticks = Math.max(1, CYCLE.toMillis() / Math.max(1, interval.toMillis()));
        return (int) Math.max(1, Math.min(MAX_PER_TICK, (total + ticks - 1) / ticks));
    }
}
