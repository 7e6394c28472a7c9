package io.forklift.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.wire.Json;
import io.forklift.wire.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Worker heartbeats in Redis: {@code worker:<id>} holds the newest {@link WorkerHeartbeat} as JSON
 * and expires unless renewed; {@code workers} scores each worker id by its last beat.
 */
public final class Workers {
    private final Redis redis;
    private final Keys keys;

    public Workers(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** Publishes a beat that expires after {@code ttl} unless the next one comes first. */
    public void publish(WorkerHeartbeat beat, Duration ttl) {
        String json = json(beat);
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.set(keys.worker(beat.id()), json, SetParams.setParams().px(ttl.toMillis()));
                p.zadd(keys.workers(), beat.beatAt(), beat.id());
                p.sync();
            }
            return null;
        });
    }

    /** Removes a worker's presence at its clean exit. */
    public void clear(String workerId) {
        redis.call(j -> {
            j.del(keys.worker(workerId));
            return j.zrem(keys.workers(), workerId);
        });
    }

    /** The worker's newest beat; empty when it has expired (the worker is gone) or never came. */
    public Optional<WorkerHeartbeat> read(String workerId) {
        return Optional.ofNullable(redis.call(j -> j.get(keys.worker(workerId))))
                .map(Workers::parse);
    }

    /**
     * Up to {@code limit} ids in the {@code workers} set whose last beat is older than
     * {@code beatBeforeMs} (epoch ms, the workers' own clocks, which wrote the scores): workers
     * killed without a clean exit (kill -9, a lost host) that nothing else removes.
     */
    public List<String> silentSince(long beatBeforeMs, int limit) {
        return redis.call(j -> j.zrangeByScore(keys.workers(), Double.NEGATIVE_INFINITY, beatBeforeMs - 1, 0, limit));
    }

    /** Removes {@code ids} from the {@code workers} set; a worker that beats again is added back by its beat. */
    public long forget(List<String> ids) {
        if (ids.isEmpty()) return 0;
        return redis.call(j -> j.zrem(keys.workers(), ids.toArray(String[]::new)));
    }

    /** Every worker whose heartbeat has not expired, in the order of their last beat. */
    public List<WorkerHeartbeat> live() {
        return redis.call(j -> {
            List<String> ids = j.zrange(keys.workers(), 0, -1);
            List<Response<String>> beats = new ArrayList<>(ids.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (String id : ids) beats.add(p.get(keys.worker(id)));
                p.sync();
            }
            List<WorkerHeartbeat> live = new ArrayList<>();
            for (Response<String> b : beats) {
                if (b.get() != null) live.add(parse(b.get()));
            }
            return live;
        });
    }

    private static String json(WorkerHeartbeat beat) {
        try {
            return Json.MAPPER.writeValueAsString(beat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a heartbeat as JSON", e);
        }
    }

    private static WorkerHeartbeat parse(String json) {
        try {
            return Json.MAPPER.readValue(json, WorkerHeartbeat.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a worker heartbeat is not readable JSON: " + e.getOriginalMessage(), e);
        }
    }
}
