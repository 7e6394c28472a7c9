package io.forklift.coordinator;

import io.forklift.redis.ActiveQueues;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.wire.WorkerHeartbeat;
import java.util.List;

/**
 * A snapshot of a cluster read from Redis: queues' depths by state and caps, and the heartbeat of
 * each worker whose heartbeat has not expired.
 */
public record ClusterStatus(List<Queues.Depth> queues, List<WorkerHeartbeat> workers) {
    /** Every registered queue: for a person asking ({@code forklift status}, the status page). */
    public static ClusterStatus read(Redis redis) {
        Queues queues = new Queues(redis);
        return new ClusterStatus(queues.depths(queues.names()), new Workers(redis).live());
    }

    /**
     * Only the active queues (served by a live worker or holding tasks; see {@link ActivityIndex}):
     * what a periodic reader takes, so its cost follows activity, not every queue ever named.
     */
    public static ClusterStatus readActive(Redis redis) {
        return new ClusterStatus(new Queues(redis).depths(new ActiveQueues(redis).names()), new Workers(redis).live());
    }
}
