package io.forklift.coordinator;

import io.forklift.redis.ActiveQueues;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.wire.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the index of active queues ({@link ActiveQueues}) for the housekeeping leader and says which
 * queues a tick visits. A queue is active while a live worker serves it (only a worker leases or
 * delays tasks, and its heartbeat names its queues before it claims anything) or while it holds
 * tasks ready, leased or delayed. A queue leaves the index only when no live worker serves it and
 * it holds none, so leases cannot appear in it unseen; the {@link QueueSweep} finds any that did
 * anyway. The task scripts are left alone: on Redis Cluster they could not write a cross-queue key.
 */
final class ActivityIndex {
    private final ActiveQueues index;
    private final Workers workers;
    private final QueueSweep sweep;
    private static final Logger log = LoggerFactory.getLogger(ActivityIndex.class);
    private Set<String> served = Set.of();
    private boolean unreadable;

    ActivityIndex(Redis redis, Duration interval) {
        this.index = new ActiveQueues(redis);
        this.workers = new Workers(redis);
        this.sweep = new QueueSweep(new Queues(redis), interval);
    }

    /**
     * The queues to visit this tick, sorted: the index, with the queues live workers serve and
     * those of this tick's sweep slice that hold work added to it first.
     */
    List<String> toVisit() {
        Set<String> servedNow = new TreeSet<>();
        try {
            for (WorkerHeartbeat w : workers.live()) servedNow.addAll(w.queues());
            unreadable = false;
        } catch (IllegalStateException e) {
            // A heartbeat written by hand that is not JSON must not stop requeueing: go by the index
            // (and the sweep) until it expires or is fixed.
            if (!unreadable)
                log.warn("worker heartbeats not read ({}); visiting the indexed queues only", e.getMessage());
            unreadable = true;
        }
        served = servedNow;
        Set<String> visit = new TreeSet<>(index.names());
        Set<String> found = new TreeSet<>(servedNow);
        found.addAll(index.holdingWork(sweep.nextSlice()));
        found.removeAll(visit);
        index.add(found);
        visit.addAll(found);
        return new ArrayList<>(visit);
    }

    /**
     * Removes from the index those of {@code visited} no live worker serves that hold no task;
     * returns them.
     */
    List<String> retireIdle(List<String> visited) {
        List<String> unserved = new ArrayList<>();
        for (String q : visited) if (!served.contains(q)) unserved.add(q);
        List<String> idle = new ArrayList<>(unserved);
        idle.removeAll(index.holdingWork(unserved));
        index.remove(idle);
        return idle;
    }
}
