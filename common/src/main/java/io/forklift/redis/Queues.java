package io.forklift.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The queues as a whole, outside the task transitions: which exist, their caps, depths and dead
 * lists, and waiting for a wake token.
 */
public final class Queues {
    private final Redis redis;
    private final Keys keys;

    public Queues(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /**
     * A queue's depth by state (ready counts the capped pools' lanes too), its --max-running (0 = none), and how many of its tasks have ended since it
     * was created (succeeded, failed or dead-lettered by a worker; a counter, for rates).
     */
    public record Depth(String name, long ready, long delayed, long leased, long dead, int cap, long completed) {}

    /** Adds queues to the registry that status and housekeeping walk. */
    public void register(Collection<String> queues) {
        if (queues.isEmpty()) return;
        redis.call(j -> j.sadd(keys.queues(), queues.toArray(String[]::new)));
    }

    /** What a pool's cap is signed for with the authkey (kind {@code Authkey.SETTING}). */
    public static String poolCapBinding(String queue, String pool) {
        return queue + "/pool/" + pool;
    }

    /** A cap as stored (a queue's --max-running, or a pool's cap): the number, and its signature by the authkey (null when written unsigned). */
    public record Cap(String value, String signature) {}

    /**
     * Registers a queue and sets its operator limit, --max-running (at most {@code cap} of its tasks
     * running at once, all pools together; 0 clears it), with the signature that lets workers of a
     * cluster with an authkey honour it; returns the limit set before, or null.
     */
    public Cap setMaxRunning(String queue, int cap, String signature) {
        return redis.call(j -> {
            Response<java.util.List<String>> before;
            try (AbstractPipeline p = j.pipelined()) {
                before = p.hmget(keys.meta(queue), "concurrency", "concurrency_sig");
                if (cap == 0) {
                    p.hdel(keys.meta(queue), "concurrency", "concurrency_sig");
                } else {
                    p.hset(keys.meta(queue), "concurrency", Integer.toString(cap));
                    if (signature == null) p.hdel(keys.meta(queue), "concurrency_sig");
                    else p.hset(keys.meta(queue), "concurrency_sig", signature);
                }
                p.sadd(keys.queues(), queue);
                p.sync();
            }
            List<String> was = before.get();
            return was.get(0) == null ? null : new Cap(was.get(0), was.get(1));
        });
    }

    /**
     * Writes pools' caps (queue -> pool -> cap, with its signature by the authkey, null when unsigned) and
     * registers their queues, in one round trip.
     */
    public void declarePools(Map<String, Map<String, Cap>> capsByQueue) {
        if (capsByQueue.isEmpty()) return;
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                capsByQueue.forEach((queue, caps) -> caps.forEach((pool, cap) -> {
                    p.hset(keys.pools(queue), pool, cap.value());
                    if (cap.signature() == null) p.hdel(keys.pools(queue), pool + ":sig");
                    else p.hset(keys.pools(queue), pool + ":sig", cap.signature());
                }));
                p.sadd(keys.queues(), capsByQueue.keySet().toArray(String[]::new));
                p.sync();
            }
            return null;
        });
    }

    /** Forgets the caps of pools that will submit no more (their client closed). */
    public void forgetPools(Map<String, List<String>> poolsByQueue) {
        if (poolsByQueue.isEmpty()) return;
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                poolsByQueue.forEach((q, pools) -> {
                    for (String pool : pools) p.hdel(keys.pools(q), pool, pool + ":sig");
                });
                p.sync();
            }
            return null;
        });
    }

    /** The stored caps of each queue's pools (pool -> cap and signature), in one round trip. */
    public Map<String, Map<String, Cap>> poolCaps(List<String> queues) {
        return redis.call(j -> {
            Map<String, Response<Map<String, String>>> read = new java.util.LinkedHashMap<>();
            try (AbstractPipeline p = j.pipelined()) {
                for (String q : queues) read.put(q, p.hgetAll(keys.pools(q)));
                p.sync();
            }
            Map<String, Map<String, Cap>> caps = new java.util.LinkedHashMap<>();
            read.forEach((q, r) -> {
                Map<String, Cap> pools = new java.util.LinkedHashMap<>();
                r.get().forEach((field, value) -> {
                    if (!field.endsWith(":sig"))
                        pools.put(field, new Cap(value, r.get().get(field + ":sig")));
                });
                caps.put(q, pools);
            });
            return caps;
        });
    }

    /** The caps of {@code queues} as stored, in one round trip; a queue without one maps to null. */
    public Map<String, Cap> caps(List<String> queues) {
        return redis.call(j -> {
            Map<String, Response<List<String>>> read = new java.util.LinkedHashMap<>();
            try (AbstractPipeline p = j.pipelined()) {
                for (String q : queues) read.put(q, p.hmget(keys.meta(q), "concurrency", "concurrency_sig"));
                p.sync();
            }
            Map<String, Cap> caps = new java.util.LinkedHashMap<>();
            read.forEach((q, r) -> caps.put(
                    q,
                    r.get().get(0) == null
                            ? null
                            : new Cap(r.get().get(0), r.get().get(1))));
            return caps;
        });
    }

    /** Every registered queue, sorted by name. */
    public List<String> names() {
        Set<String> names = redis.call(j -> j.smembers(keys.queues()));
        return new ArrayList<>(new TreeSet<>(names));
    }

    /** The depths of {@code queues}, in one round trip. */
    public List<Depth> depths(List<String> queues) {
        return redis.call(j -> {
            List<Response<?>[]> perQueue = new ArrayList<>(queues.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (String q : queues) {
                    perQueue.add(new Response<?>[] {
                        p.llen(keys.ready(q)),
                        p.zcard(keys.delayed(q)),
                        p.zcard(keys.inflight(q)),
                        p.llen(keys.dead(q)),
                        p.hget(keys.meta(q), "concurrency"),
                        p.hget(keys.meta(q), "completed"),
                        p.lrange(keys.lanes(q), 0, -1)
                    });
                }
                p.sync();
            }
            long[] laned = laneDepths(j, queues, perQueue);
            List<Depth> out = new ArrayList<>(queues.size());
            for (int i = 0; i < queues.size(); i++) {
                Response<?>[] r = perQueue.get(i);
                String cap = (String) r[4].get();
                String completed = (String) r[5].get();
                out.add(new Depth(
                        queues.get(i),
                        (Long) r[0].get() + laned[i],
                        (Long) r[1].get(),
                        (Long) r[2].get(),
                        (Long) r[3].get(),
                        cap == null ? 0 : Integer.parseInt(cap),
                        completed == null ? 0 : Long.parseLong(completed)));
            }
            return out;
        });
    }

    /** The tasks waiting in each queue's capped pools' lanes (response 6 of each queue: the lanes), in one round trip. */
    private long[] laneDepths(redis.clients.jedis.UnifiedJedis j, List<String> queues, List<Response<?>[]> perQueue) {
        long[] out = new long[queues.size()];
        List<List<Response<Long>>> lens = new ArrayList<>(queues.size());
        boolean any = false;
        try (AbstractPipeline p = j.pipelined()) {
            for (int i = 0; i < queues.size(); i++) {
                List<Response<Long>> mine = new ArrayList<>();
                @SuppressWarnings("unchecked")
                List<String> pools = (List<String>) perQueue.get(i)[6].get();
                for (String pool : pools) mine.add(p.llen(keys.lane(queues.get(i), pool)));
                any |= !mine.isEmpty();
                lens.add(mine);
            }
            if (any) p.sync();
        }
        for (int i = 0; i < out.length; i++) {
            for (Response<Long> r : lens.get(i)) out[i] += r.get();
        }
        return out;
    }

    /**
     * Blocks until a wake token arrives on one of the queues' wake lists (taking it) or
     * {@code timeout} passes; returns whether a token came.
     */
    public boolean awaitWake(List<String> queues, Duration timeout) {
        List<String> wakeKeys = queues.stream().map(keys::wake).toList();
        List<String[]> groups = redis.isCluster() ? ClusterSlots.groups(wakeKeys) : List.of();
        if (groups.size() <= 1) {
            String[] all = wakeKeys.toArray(String[]::new);
            return redis.call(j -> j.blpop(timeout.toMillis() / 1000.0, all)) != null;
        }
        // A cluster refuses one BLPOP over several slots: block on each slot's lists in turn, a
        // short slice each, so a token on any of them is seen within one round of slices.
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int turn = 0; ; turn++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            String[] g = groups.get(turn % groups.size());
            double seconds = Math.max(1, Math.min(left / 1_000_000, Replies.SLICE.toMillis())) / 1000.0;
            if (redis.call(j -> j.blpop(seconds, g)) != null) return true;
        }
    }

    /** Up to {@code limit} dead-letter records of a queue, oldest first, as stored (JSON). */
    public List<String> deadRecords(String queue, int limit) {
        return redis.call(j -> j.lrange(keys.dead(queue), 0, limit - 1L));
    }

    public long deadCount(String queue) {
        return redis.call(j -> j.llen(keys.dead(queue)));
    }

    /** Deletes a queue's dead list; returns how many records it held. */
    public long purgeDead(String queue) {
        return redis.call(j -> {
            long n = j.llen(keys.dead(queue));
            j.unlink(keys.dead(queue));
            return n;
        });
    }
}
