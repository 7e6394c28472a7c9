package io.forklift.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Shared objects' plain commands: reads that need no script (one command each: LLEN, HGET,
 * HGETALL, LRANGE, GET…) and the managers' registries. Writes go through the scripts.
 */
public final class ObjectReads {
    private final Redis redis;
    private final Keys keys;

    public ObjectReads(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    public long llen(String key) {
        return redis.call(j -> j.llen(key));
    }

    public List<String> lrange(String key, long from, long to) {
        return redis.call(j -> j.lrange(key, from, to));
    }

    public String lindex(String key, long index) {
        return redis.call(j -> j.lindex(key, index));
    }

    public String get(String key) {
        return redis.call(j -> j.get(key));
    }

    public String hget(String key, String field) {
        return redis.call(j -> j.hget(key, field));
    }

    public boolean hexists(String key, String field) {
        return redis.call(j -> j.hexists(key, field));
    }

    public long hlen(String key) {
        return redis.call(j -> j.hlen(key));
    }

    /** Every field and value of a hash, in Redis's order. */
    public Map<String, String> hgetAll(String key) {
        return redis.call(j -> new LinkedHashMap<>(j.hgetAll(key)));
    }

    /** Records {@code name} as an object of {@code kind} in its manager's registry. */
    public void register(String manager, String name, String kind) {
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                p.hset(keys.managerObjects(manager), name, kind);
                p.sadd(keys.managers(), manager);
                p.sync();
            }
            return null;
        });
    }

    public void unregister(String manager, String name) {
        redis.call(j -> j.hdel(keys.managerObjects(manager), name));
    }

    /** A manager's registry: object name -> kind, sorted by name. */
    public Map<String, String> registry(String manager) {
        return redis.call(j -> new TreeMap<>(j.hgetAll(keys.managerObjects(manager))));
    }

    /** Every manager that has had an object, sorted. */
    public Set<String> managers() {
        return redis.call(j -> new TreeSet<>(j.smembers(keys.managers())));
    }

    /** What {@code forklift objects} shows of one object. {@code idleSeconds} -1 when it is gone. */
    public record Listed(String manager, String name, String kind, long size, long idleSeconds) {}

    /**
     * The objects of {@code manager}, in one round trip: kind, size (values, entries, elements,
     * pending messages, a lock's holders or a barrier's waiting parties) and seconds since a script last used it (OBJECT IDLETIME of its meta hash,
     * which every script of the object reads).
     */
    public List<Listed> list(String manager) {
        Map<String, String> registry = registry(manager);
        return redis.call(j -> {
            List<Response<?>[]> replies = new ArrayList<>();
            try (AbstractPipeline p = j.pipelined()) {
                registry.forEach((name, kind) -> {
                    ObjectKeys o = keys.object(manager, name);
                    List<Response<?>> r = new ArrayList<>(List.of(p.objectIdletime(o.meta())));
                    r.addAll(sizes(p, o, kind));
                    replies.add(r.toArray(Response<?>[]::new));
                });
                p.sync();
            }
            List<Listed> out = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, String> e : registry.entrySet()) {
                Response<?>[] r = replies.get(i++);
                Long idle = (Long) r[0].get();
                long size = 0;
                for (int k = 1; k < r.length; k++) size += sizeOf(r[k].get());
                out.add(new Listed(manager, e.getKey(), e.getValue(), size, idle == null ? -1 : idle));
            }
            return out;
        });
    }

    /** The commands whose replies add up to an object's size. */
    private static List<Response<?>> sizes(AbstractPipeline p, ObjectKeys o, String kind) {
        return switch (kind) {
            case "queue", "joinable" -> List.of(p.llen(o.items()));
            case "dict", "namespace" -> List.of(p.hlen(o.hash()));
            case "list", "array" -> List.of(p.llen(o.list()));
            case "event" -> List.of(p.llen(o.flag()));
            case "value" -> List.of(p.exists(o.value()));
            case "lock", "rlock", "semaphore", "bounded_semaphore" -> List.of(p.zcard(o.holders()));
            case "barrier" -> List.of(p.llen(o.line()));
            default -> List.of(p.llen(o.inbox("left")), p.llen(o.inbox("right")));
        };
    }

    private static long sizeOf(Object reply) {
        return reply instanceof Boolean b ? (b ? 1 : 0) : (Long) reply;
    }
}
