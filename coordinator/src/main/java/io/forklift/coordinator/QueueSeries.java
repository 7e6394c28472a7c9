package io.forklift.coordinator;

import io.forklift.redis.Queues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which queues get series of their own in /metrics: the {@code top} busiest (most tasks ready,
 * leased and delayed, then most dead), with the rest summed into one row named {@link #OTHER}, so
 * the number of series stays bounded however many queues there are.
 */
final class QueueSeries {
    /** Not a valid queue name (parentheses are refused), so it cannot collide with a real queue. */
    static final String OTHER = "(other)";

    private QueueSeries() {}

    static List<Queues.Depth> bounded(List<Queues.Depth> depths, int top) {
        if (depths.size() <= top) return depths;
        List<Queues.Depth> ranked = new ArrayList<>(depths);
        ranked.sort(Comparator.comparingLong((Queues.Depth d) -> d.ready() + d.leased() + d.delayed())
                .thenComparingLong(Queues.Depth::dead)
                .reversed()
                .thenComparing(Queues.Depth::name));
        List<Queues.Depth> out = new ArrayList<>(ranked.subList(0, top));
        long ready = 0, delayed = 0, leased = 0, dead = 0, completed = 0;
        for (Queues.Depth d : ranked.subList(top, ranked.size())) {
            ready += d.ready();
            delayed += d.delayed();
            leased += d.leased();
            dead += d.dead();
            completed += d.completed();
        }
        out.add(new Queues.Depth(OTHER, ready, delayed, leased, dead, 0, completed));
        return out;
    }
}
