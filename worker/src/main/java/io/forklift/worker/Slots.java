package io.forklift.worker;

import io.forklift.redis.TaskScripts.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This worker's side of the queues' caps on running tasks (see claim.lua): which prefetched tasks
 * hold a slot already, the slots of runs that ended since the last round trip was sent, and the
 * prefetched tasks started on those slots, which the next trip reports with the completions that
 * free them, in one script, so the count of running tasks never rises between the two. A prefetched
 * task holds no slot while it waits, so it keeps none from another worker's idle child. Used from
 * the dispatcher thread only.
 */
final class Slots {
    private final Set<String> slotted = new HashSet<>();
    private final Map<String, Integer> freed = new HashMap<>();
    private Map<String, List<Lease>> started = new LinkedHashMap<>();

    /** Claimed with a slot, or granted one by a claim: it may start. */
    void slotted(String id) {
        slotted.add(id);
    }

    boolean holdsSlot(String id) {
        return slotted.contains(id);
    }

    /** The task left the buffer without starting (its lease lost, or given back). */
    void forget(String id) {
        slotted.remove(id);
    }

    /**
     * A run ended and its completion waits for the next trip: its slot may pass on, to a task of the
     * same queue and pool ({@link Trip.Claimed#slotKey()}), so no pool's count rises in between.
     */
    void freed(String slotKey) {
        freed.merge(slotKey, 1, Integer::sum);
    }

    /** Whether a buffered task may start now: on its own slot, or on one freed in its queue and pool, which it then takes. */
    boolean tryStart(Trip.Claimed task) {
        if (slotted.remove(task.id())) return true;
        int free = freed.getOrDefault(task.slotKey(), 0);
        if (free == 0) return false;
        freed.put(task.slotKey(), free - 1);
        started.computeIfAbsent(task.queue(), q -> new ArrayList<>()).add(task.lease());
        return true;
    }

    /**
     * The starts for a trip that carries every completion gathered so far; slots freed and not passed
     * on go back to Redis with those completions.
     */
    Map<String, List<Lease>> takeStarted() {
        freed.clear();
        Map<String, List<Lease>> taken = started;
        started = new LinkedHashMap<>();
        return taken;
    }

    /** A trip failed: its starts go again with its completions, which are restored too. */
    void restore(Map<String, List<Lease>> starts) {
        starts.forEach((q, leases) ->
                started.computeIfAbsent(q, k -> new ArrayList<>()).addAll(leases));
    }
}
