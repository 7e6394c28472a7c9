package io.forklift.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each lease this worker holds runs out by its own clock: a lease counts from the moment the
 * round trip that took or renewed it was sent, which is never later than Redis started it. A worker
 * cut off from Redis stops a task once its lease has run out here, because by then housekeeping
 * may have given it to another worker. Used from the dispatcher thread only.
 */
final class LeaseDeadlines {
    private final long leaseNanos;
    private final Map<String, Long> deadlines = new HashMap<>();

    LeaseDeadlines(java.time.Duration lease) {
        this.leaseNanos = lease.toNanos();
    }

    /** Tasks claimed by a round trip sent at {@code sentNanos}. */
    void leased(Collection<String> ids, long sentNanos) {
        for (String id : ids) deadlines.put(id, sentNanos + leaseNanos);
    }

    /** Leases renewed by a round trip sent at {@code sentNanos}; tasks that ended meanwhile stay forgotten. */
    void renewed(Collection<String> ids, long sentNanos) {
        for (String id : ids) deadlines.computeIfPresent(id, (k, old) -> Math.max(old, sentNanos + leaseNanos));
    }

    /** The task is no longer leased here (completed, given back, or lost). */
    /** Whether this worker holds the lease of task {@code id} (running or prefetched). */
    boolean holds(String id) {
        return deadlines.containsKey(id);
    }

    void forget(String id) {
        deadlines.remove(id);
    }

    /** Tasks whose lease ran out by {@code nowNanos}; they are forgotten. */
    List<String> expired(long nowNanos) {
        List<String> out = new ArrayList<>();
        deadlines.entrySet().removeIf(e -> {
            boolean over = nowNanos - e.getValue() >= 0;
            if (over) out.add(e.getKey());
            return over;
        });
        return out;
    }
}
