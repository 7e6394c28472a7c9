package io.forklift.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/** A client's side of results: its reply lists, and the per-minute results hashes to recover from. */
public final class Replies {
    private final Redis redis;
    private final Keys keys;
    private final String clientId;

    public Replies(Redis redis, String clientId) {
        this.redis = redis;
        this.keys = redis.keys();
        this.clientId = clientId;
    }

    /**
     * Pops up to {@code max} replies from this client's reply list of one of {@code queues},
     * blocking up to {@code block} for the first; empty when none came.
     */
    public List<String> pop(Collection<String> queues, int max, Duration block) {
        String[] lists = queues.stream().map(q -> keys.reply(q, clientId)).toArray(String[]::new);
        KeyValue<String, List<String>> popped =
                redis.call(j -> j.blmpop(block.toMillis() / 1000.0, ListDirection.LEFT, max, lists));
        return popped == null ? List.of() : popped.getValue();
    }

    /** The stored results of {@code ids} found in the results hashes of {@code queues} for the given minutes. */
    public List<String> findResults(Collection<String> queues, long firstMinute, long lastMinute, List<String> ids) {
        String[] fields = ids.toArray(String[]::new);
        List<String> found = new ArrayList<>();
        redis.call(j -> {
            for (String queue : queues) {
                for (long minute = firstMinute; minute <= lastMinute; minute++) {
                    for (String r : j.hmget(keys.resultsPrefix(queue) + minute, fields)) {
                        if (r != null) found.add(r);
                    }
                }
            }
            return null;
        });
        return found;
    }
}
