package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.ArrayType;
import io.forklift.manager.CallerArrival;
import io.forklift.manager.CallerHolds;
import io.forklift.manager.CallerPipes;
import io.forklift.manager.FencingToken;
import io.forklift.manager.JoinableQueue;
import io.forklift.manager.Manager;
import io.forklift.manager.Namespace;
import io.forklift.manager.ObjectDeletedException;
import io.forklift.manager.ObjectKind;
import io.forklift.manager.ObjectRef;
import io.forklift.manager.ObjectStore;
import io.forklift.manager.SharedArray;
import io.forklift.manager.SharedBarrier;
import io.forklift.manager.SharedEvent;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedMap;
import io.forklift.manager.SharedQueue;
import io.forklift.manager.SharedValue;
import io.forklift.manager.WrongKindException;
import io.forklift.redis.Keys;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The proxies of recently used objects, so a call costs its own script and not an open besides (a
 * proxy is a name and a kind; it holds nothing of the object's). Bounded ({@value #MAX} proxies,
 * least recently used out first). A proxy whose object was deleted or made again as another kind
 * throws; {@link #forget} drops it then, and the next call opens the object anew.
 */
final class ObjectCache {
    static final int MAX = 4096;
    private final ObjectStore store;
    private final ObjectReads reads;
    private final Keys keys;
    private final Map<String, Object> proxies = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > MAX;
        }
    };

    ObjectCache(ObjectStore store, Redis redis) {
        this.store = store;
        this.reads = new ObjectReads(redis);
        this.keys = redis.keys();
    }

    /** The objects of one manager, opened through this cache. */
    Opener of(String manager) {
        return new Opener(store.manager(manager));
    }

    synchronized void forget(String manager, String name) {
        proxies.keySet().removeIf(k -> k.startsWith(manager + "/" + name + "/"));
    }

    /** Whether {@code e} means a cached proxy is stale. */
    static boolean stale(Throwable e) {
        return e instanceof ObjectDeletedException || e instanceof WrongKindException;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Manager m, String name, String kind, Supplier<T> open) {
        String key = m.name() + "/" + name + "/" + kind;
        synchronized (this) {
            Object p = proxies.get(key);
            if (p != null) return (T) p;
        }
        T opened = open.get(); // outside the lock: an open is a Redis round trip
        synchronized (this) {
            proxies.put(key, opened);
        }
        return opened;
    }

    /** A manager's objects as the ops open them, with {@link Manager}'s signatures. */
    final class Opener {
        private final Manager m;

        Opener(Manager m) {
            this.m = m;
        }

        String name() {
            return m.name();
        }

        SharedQueue<JsonNode> queue(String n) {
            return cached(m, n, "queue", () -> m.queue(n, 0, JsonNode.class));
        }

        JoinableQueue<JsonNode> joinableQueue(String n) {
            return cached(m, n, "joinable", () -> m.joinableQueue(n, 0, JsonNode.class));
        }

        SharedMap<Object, JsonNode> dict(String n) {
            return cached(m, n, "dict", () -> m.dict(n, Object.class, JsonNode.class));
        }

        SharedList<JsonNode> list(String n) {
            return cached(m, n, "list", () -> m.list(n, JsonNode.class));
        }

        Namespace namespace(String n) {
            return cached(m, n, "namespace", () -> m.namespace(n));
        }

        SharedValue<ValueOps.AnyJson> value(String n) {
            return cached(m, n, "value", () -> m.value(n, ValueOps.AnyJson.of(null)));
        }

        SharedArray array(String n) {
            return cached(m, n, "array", () -> m.array(n, ArrayType.DOUBLE, 0));
        }

        /** An existing barrier, with the parties it was made with. */
        SharedBarrier barrier(String n) {
            return cached(m, n, "barrier", () -> {
                String parties = reads.hget(keys.object(m.name(), n).meta(), "parties");
                if (parties == null) throw new ObjectDeletedException(ObjectRef.of(m.name(), n, ObjectKind.BARRIER));
                return m.barrier(n, Integer.parseInt(parties));
            });
        }

        /** A party of barrier {@code n}, which arrives at its first step, to wait on parked. */
        CallerArrival party(String n) {
            barrier(n); // no barrier, or one of another kind, answers now as every barrier call does
            return CallerArrival.of(m, n);
        }

        CallerHolds holds() {
            return new CallerHolds(m);
        }

        CallerPipes pipes() {
            return new CallerPipes(m);
        }

        /** The fence a write's body carries, or null for an unfenced write. */
        FencingToken fence(ObjectBody b) {
            ObjectBody.Fence f = b.fence(m.name());
            return f == null ? null : holds().fence(f.lock(), f.token());
        }

        SharedEvent event(String n) {
            return cached(m, n, "event", () -> m.event(n));
        }
    }
}
