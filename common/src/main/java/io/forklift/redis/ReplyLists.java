package io.forklift.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * The reply lists of many clients at once, for a gateway that waits on behalf of its own clients
 * (the coordinator's HTTP API): pop from whichever has replies, give back what could not be handed
 * on, look results up by task id, and wake a blocked pop.
 */
public final class ReplyLists {
    private final Redis redis;
    private final Keys keys;

    public ReplyLists(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** One client's reply list of one queue. */
    public record Inbox(String queue, String client) {}

    /** Replies popped from one inbox, oldest first, as stored (signed, or JSON). */
    public record Popped(Inbox inbox, List<String> replies) {}

    /**
     * Pops up to {@code max} replies from the first of {@code inboxes} that has any, without
     * blocking; null when all are empty.
     */
    public Popped popNow(List<Inbox> inboxes, int max) {
        if (inboxes.isEmpty()) return null;
        List<String> keys = inboxes.stream().map(this::key).toList();
        // a cluster refuses one LMPOP over several slots: one per slot, until one has replies
        List<String[]> groups = redis.isCluster()
                ? ClusterSlots.groups(keys)
                : java.util.Collections.singletonList(keys.toArray(String[]::new));
        for (String[] lists : groups) {
            KeyValue<String, List<String>> popped = redis.call(j -> j.lmpop(ListDirection.LEFT, max, lists));
            if (popped != null) return new Popped(inboxOf(inboxes, popped.getKey()), popped.getValue());
        }
        return null;
    }

    /**
     * Pops up to {@code max} replies from the first of {@code inboxes} that has any, blocking up to
     * {@code block} (whole milliseconds, at most a second below the connection's timeout) until one
     * does or a token arrives on {@code wakeKey}. Null when the time passed or a wake token came.
     */
    public Popped popOrWait(List<Inbox> inboxes, String wakeKey, int max, Duration block) {
        if (redis.isCluster()) { // the inboxes and the wake list are in several slots: see popAcrossSlots
            return popAcrossSlots(inboxes, wakeKey, max, block);
        }
        Map<String, Inbox> byKey = new LinkedHashMap<>();
        byKey.put(wakeKey, null);
        for (Inbox inbox : inboxes) byKey.put(key(inbox), inbox);
        String[] lists = byKey.keySet().toArray(String[]::new);
        KeyValue<String, List<String>> popped =
                redis.call(j -> j.blmpop(block.toMillis() / 1000.0, ListDirection.LEFT, max, lists));
        if (popped == null || popped.getKey().equals(wakeKey)) return null;
        return new Popped(byKey.get(popped.getKey()), popped.getValue());
    }

    /**
     * In a cluster: pops each slot's inboxes without blocking, and when all are empty blocks on the
     * wake list alone for at most {@link Replies#SLICE}; the caller's loop then looks again, so a
     * reply waits at most one slice.
     */
    private Popped popAcrossSlots(List<Inbox> inboxes, String wakeKey, int max, Duration block) {
        Popped now = popNow(inboxes, max);
        if (now != null) return now;
        double seconds = Math.max(1, Math.min(block.toMillis(), Replies.SLICE.toMillis())) / 1000.0;
        redis.call(j -> j.blpop(seconds, wakeKey));
        return null;
    }

    /** Puts replies that could not be handed on back at the front of their list, in their order. */
    public void giveBack(Popped popped) {
        if (popped.replies().isEmpty()) return;
        List<String> reversed = new ArrayList<>(popped.replies());
        Collections.reverse(reversed);
        redis.call(j -> j.lpush(key(popped.inbox()), reversed.toArray(String[]::new)));
    }

    /** Ends a blocked {@link #popOrWait} on {@code wakeKey}. */
    public void wake(String wakeKey) {
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.rpush(wakeKey, "1");
                p.pexpire(wakeKey, 60_000);
                p.sync();
            }
            return null;
        });
    }

    /**
     * The stored results of {@code ids} in {@code queue}'s results hashes of the minutes
     * {@code firstMinute..lastMinute} (epoch minutes), in one round trip: id → reply as stored, for
     * the ids found.
     */
    public Map<String, String> results(String queue, List<String> ids, long firstMinute, long lastMinute) {
        Map<String, String> found = new LinkedHashMap<>();
        if (ids.isEmpty()) return found;
        String[] fields = ids.toArray(String[]::new);
        return redis.call(j -> {
            List<Response<List<String>>> minutes = new ArrayList<>();
            try (AbstractPipeline p = j.pipelined()) {
                for (long minute = lastMinute; minute >= firstMinute; minute--) {
                    minutes.add(p.hmget(keys.resultsPrefix(queue) + minute, fields));
                }
                p.sync();
            }
            for (Response<List<String>> minute : minutes) {
                List<String> values = minute.get();
                for (int i = 0; i < fields.length; i++) {
                    if (values.get(i) != null) found.putIfAbsent(fields[i], values.get(i));
                }
            }
            return found;
        });
    }

    /** Of {@code ids}, those whose message is still stored in {@code queue}: submitted and not ended. */
    public List<String> stored(String queue, List<String> ids) {
        List<String> stored = new ArrayList<>();
        if (ids.isEmpty()) return stored;
        List<Response<Boolean>> exists = new ArrayList<>(ids.size());
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                for (String id : ids) exists.add(p.hexists(keys.msgs(queue), id));
                p.sync();
            }
            return null;
        });
        for (int i = 0; i < ids.size(); i++) {
            if (exists.get(i).get()) stored.add(ids.get(i));
        }
        return stored;
    }

    private String key(Inbox inbox) {
        return keys.reply(inbox.queue(), inbox.client());
    }

    private Inbox inboxOf(Collection<Inbox> inboxes, String key) {
        for (Inbox i : inboxes) {
            if (key(i).equals(key)) return i;
        }
        throw new IllegalStateException("Redis popped from " + key + ", which was not asked for");
    }
}
