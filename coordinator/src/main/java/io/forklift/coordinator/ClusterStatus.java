package io.forklift.coordinator;

import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.wire.WorkerHeartbeat;
import java.util.List;

/**
 * A snapshot of a cluster read from Redis: each known queue's depth by state and its cap, and the
 * heartbeat of each worker whose heartbeat has not expired.
 */
public record ClusterStatus(List<Queues.Depth> queues, List<WorkerHeartbeat> workers) {
    public static ClusterStatus read(Redis redis) {
        Queues queues = new Queues(redis);
        return new ClusterStatus(queues.depths(queues.names()), new Workers(redis).live());
    }
}
