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
    /** The longest block on one slot's lists when a client's queues span several slots. */
    static final Duration SLICE = Duration.ofMillis(100);

    private int turn; // which slot's lists to block on next; one listener thread calls pop

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
        List<String> lists = queues.stream().map(q -> keys.reply(q, clientId)).toList();
        List<String[]> groups = redis.isCluster() ? ClusterSlots.groups(lists) : List.of();
        if (groups.size() > 1) return popAcrossSlots(groups, max, block);
        KeyValue<String, List<String>> popped = redis.call(
                j -> j.blmpop(block.toMillis() / 1000.0, ListDirection.LEFT, max, lists.toArray(String[]::new)));
        return popped == null ? List.of() : popped.getValue();
    }

    /**
     * In a cluster, reply lists of queues in different slots cannot share one BLMPOP: each slot's
     * lists are popped without blocking, and when all are empty the call blocks on one slot's lists
     * (a different one each time) for at most {@link #SLICE}. The caller calls again in a loop, so a
     * reply waits at most one slice per slot before it is seen.
     */
    private List<String> popAcrossSlots(List<String[]> groups, int max, Duration block) {
        List<String> out = new ArrayList<>();
        redis.call(j -> {
            for (String[] g : groups) {
                KeyValue<String, List<String>> kv = j.lmpop(ListDirection.LEFT, max, g);
                if (kv != null) out.addAll(kv.getValue());
            }
            return null;
        });
        if (!out.isEmpty()) return out;
        String[] g = groups.get(Math.floorMod(turn++, groups.size()));
        double seconds = Math.min(block.toMillis(), SLICE.toMillis()) / 1000.0;
        KeyValue<String, List<String>> kv = redis.call(j -> j.blmpop(seconds, ListDirection.LEFT, max, g));
        return kv == null ? List.of() : kv.getValue();
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
