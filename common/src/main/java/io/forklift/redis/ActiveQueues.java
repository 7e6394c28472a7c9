package io.forklift.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The index of active queues ({@code active-queues}): the queues housekeeping and cluster metrics
 * visit each tick, so their cost follows activity rather than every queue ever named. The
 * housekeeping leader keeps it outside the task scripts (which touch one queue's slot each, so could
 * not write a cross-queue key on Redis Cluster): it adds the queues live workers serve and any queue
 * a sweep finds holding tasks, and removes a queue once no live worker serves it and it holds no
 * task ready, leased or delayed.
 */
public final class ActiveQueues {
    private final Redis redis;
    private final Keys keys;

    public ActiveQueues(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** The queues in the index, sorted by name. */
    public List<String> names() {
        java.util.Set<String> names = redis.call(j -> j.smembers(keys.activeQueues()));
        return new ArrayList<>(new TreeSet<>(names));
    }

    public void add(Collection<String> queues) {
        if (queues.isEmpty()) return;
        redis.call(j -> j.sadd(keys.activeQueues(), queues.toArray(String[]::new)));
    }

    public void remove(Collection<String> queues) {
        if (queues.isEmpty()) return;
        redis.call(j -> j.srem(keys.activeQueues(), queues.toArray(String[]::new)));
    }

    /**
     * Those of {@code queues} holding tasks ready (in the ready list or a capped pool's lane), leased or delayed, in one round trip: an EXISTS
     * over each queue's four keys, which share its slot.
     */
    public List<String> holdingWork(List<String> queues) {
        if (queues.isEmpty()) return List.of();
        return redis.call(j -> {
            List<Response<Long>> found = new ArrayList<>(queues.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (String q : queues)
                    found.add(p.exists(keys.ready(q), keys.lanes(q), keys.inflight(q), keys.delayed(q)));
                p.sync();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < queues.size(); i++) if (found.get(i).get() > 0) out.add(queues.get(i));
            return out;
        });
    }
}
