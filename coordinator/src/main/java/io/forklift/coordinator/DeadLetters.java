package io.forklift.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.redis.Script;
import io.forklift.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A queue's dead-letter list: read it, give its tasks another run, or empty it. */
public final class DeadLetters {
    private final Redis redis;
    private final String queue;

    public DeadLetters(Redis redis, String queue) {
        this.redis = redis;
        this.queue = Keys.checkQueue(queue);
    }

    /** Up to {@code limit} records, oldest first, as JSON trees (an unreadable record as a text node). */
    public List<JsonNode> list(int limit) {
        List<JsonNode> records = new ArrayList<>();
        for (String raw : redis.jedis().lrange(redis.keys().dead(queue), 0, limit - 1L)) {
            try {
                records.add(Json.MAPPER.readTree(raw));
            } catch (IOException unreadable) {
                records.add(Json.MAPPER.getNodeFactory().textNode(raw));
            }
        }
        return records;
    }

    public long size() {
        return redis.jedis().llen(redis.keys().dead(queue));
    }

    /** Requeues up to {@code limit} dead tasks with their attempts reset; returns how many. */
    public long retry(int limit) {
        Keys k = redis.keys();
        List<?> counts = (List<?>) redis.run(
                Script.DEAD_RETRY,
                List.of(k.dead(queue), k.ready(queue), k.msgs(queue), k.attempts(queue), k.wake(queue)),
                List.of(Integer.toString(limit)));
        return (Long) counts.get(0);
    }

    /** Deletes every dead-letter record of the queue; returns how many there were. */
    public long purge() {
        long n = size();
        redis.jedis().unlink(redis.keys().dead(queue));
        return n;
    }
}
