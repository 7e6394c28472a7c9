package io.forklift.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A queue's dead-letter list: read it, give its tasks another run, or empty it. */
public final class DeadLetters {
    private final Redis redis;
    private final Queues queues;
    private final String queue;

    public DeadLetters(Redis redis, String queue) {
        this.redis = redis;
        this.queues = new Queues(redis);
        this.queue = Keys.checkQueue(queue);
    }

    /** Up to {@code limit} records, oldest first, as JSON trees (an unreadable record as a text node). */
    public List<JsonNode> list(int limit) {
        List<JsonNode> records = new ArrayList<>();
        for (String raw : queues.deadRecords(queue, limit)) {
            try {
                records.add(Json.MAPPER.readTree(raw));
            } catch (IOException unreadable) {
                records.add(Json.MAPPER.getNodeFactory().textNode(raw));
            }
        }
        return records;
    }

    public long size() {
        return queues.deadCount(queue);
    }

    /** Requeues up to {@code limit} dead tasks with their attempts reset; returns how many. */
    public long retry(int limit) {
        return redis.run(new HousekeepingScripts(redis.keys()).deadRetry(queue, limit))
                .retried();
    }

    /** Deletes every dead-letter record of the queue; returns how many there were. */
    public long purge() {
        return queues.purgeDead(queue);
    }
}
