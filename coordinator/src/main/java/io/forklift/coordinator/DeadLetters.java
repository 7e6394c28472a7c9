package io.forklift.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.Authkey;
import io.forklift.wire.DeadLetter;
import io.forklift.wire.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A queue's dead-letter list: read it, give its tasks another run, or empty it. */
public final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

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

    /**
     * Requeues up to {@code limit} dead tasks, oldest first, with their attempts reset; returns how
     * many. With an authkey, each message is verified (whatever its age) and signed again with a fresh
     * validity of {@code messageTtl}; a record without a message to run, or whose message does not
     * verify, stays on the dead list.
     */
    public long retry(int limit, Authkey authkey, Duration messageTtl) {
        return retry(queues.deadRecords(queue, limit), null, authkey, messageTtl);
    }

    /** As {@link #retry(int, Authkey, Duration)}, for the one record (of the newest {@code scan}) of task {@code id}. */
    public long retry(String id, int scan, Authkey authkey, Duration messageTtl) {
        return retry(queues.deadRecords(queue, scan), id, authkey, messageTtl);
    }

    private long retry(List<String> raws, String onlyId, Authkey authkey, Duration messageTtl) {
        List<HousekeepingScripts.Retry> retries = new ArrayList<>();
        long until = System.currentTimeMillis() + messageTtl.toMillis();
        for (String raw : raws) {
            DeadLetter record = record(raw);
            if (record == null
                    || record.id() == null
                    || (onlyId != null && !onlyId.equals(record.id()))
                    || record.message() == null
                    || record.message().isEmpty()) continue;
            String message = record.message();
            if (authkey != null) {
                try {
                    message = authkey.sign(
                            Authkey.TASK,
                            queue,
                            until,
                            authkey.open(Authkey.TASK, queue, message).payload());
                } catch (Authkey.BadSignatureException e) {
                    log.warn(
                            "dead letter {} stays: its message is not signed with this cluster's authkey ({})",
                            record.id(),
                            e.getMessage());
                    continue;
                }
            }
            retries.add(new HousekeepingScripts.Retry(raw, record.id(), message, record.pool()));
        }
        return retries.isEmpty() ? 0 : redis.run(new HousekeepingScripts(redis.keys()).deadRetry(queue, retries));
    }

    private static DeadLetter record(String raw) {
        try {
            return Json.MAPPER.readValue(raw, DeadLetter.class);
        } catch (IOException unreadable) {
            return null;
        }
    }

    /** Deletes every dead-letter record of the queue; returns how many there were. */
    public long purge() {
        return queues.purgeDead(queue);
    }
}
