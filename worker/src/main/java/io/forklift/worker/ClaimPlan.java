package io.forklift.worker;

import io.forklift.redis.TaskScripts.Lease;
import java.util.List;
import java.util.Map;

/**
 * What the next round trip claims under the queues' caps on running tasks (see claim.lua). Children
 * idle now have nothing they may start: buffered tasks without a slot ask for one, one per idle child,
 * and the claim's first {@code starts} tasks are for the rest of them. Beyond those the worker
 * prefetches within its buffer, and no more than its own runs can pass their slots to, so it hoards
 * no task another worker's idle child could start; while its runs are short ({@code followStarts}),
 * that counts the runs this claim starts: each gets {@link Handoffs#FOLLOWERS} to wait behind it in its
 * child, which its buffer holds beside {@code prefetch}.
 */
record ClaimPlan(Map<String, List<Lease>> asks, int count, int starts) {
    static final ClaimPlan NONE = new ClaimPlan(Map.of(), 0, 0);

    /** The plan for a claim from {@code queue}, after every startable buffered task went to a child; NONE if not {@code wanted}. */
    static ClaimPlan of(
            HeldTasks held, ChildPool children, int prefetch, String queue, boolean wanted, boolean followStarts) {
        if (!wanted || children.aliveCount() == 0) return NONE;
        int idle = children.idleCount();
        // tasks waiting inside each child; --prefetch 0 leases only what the children can start
        int line = followStarts && prefetch > 0 ? Handoffs.FOLLOWERS : 0;
        int buffer = children.aliveCount() * (1 + line) + prefetch - held.count();
        Map<String, List<Lease>> asks = held.asks(idle);
        int starts = idle - count(asks);
        int count = Math.max(0, Math.min(buffer, starts * (1 + line) + held.successors(queue, Math.max(1, line))));
        return new ClaimPlan(asks, count, Math.min(starts, count));
    }

    static int count(Map<String, List<Lease>> leases) {
        return leases.values().stream().mapToInt(List::size).sum();
    }
}
