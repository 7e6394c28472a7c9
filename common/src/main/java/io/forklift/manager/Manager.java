package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.redis.DataScripts;
import io.forklift.redis.DataScripts.Initial;
import io.forklift.redis.DataScripts.Opened;
import io.forklift.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code multiprocessing.Manager()}, over Redis: a namespace of named shared objects that
 * every program and task of the cluster can open by name: {@code fl.manager("shop").queue("urls")}.
 * Opening a name creates the object, or opens the one there; a name holding another kind throws
 * {@link WrongKindException}. Objects outlive the program that made them, until {@link #delete} or
 * {@link #clear}. Values are JSON: the {@code Class} overloads say what to read them back as;
 * without one they come back as JSON's own types (String, Integer/Long/Double, Boolean, List, Map).
 */
public final class Manager {
    private final ObjectStore store;
    private final String name;
    private final Duration lease;

    Manager(ObjectStore store, String name, Duration lease) {
        this.store = store;
        this.name = name;
        this.lease = lease;
    }

    ObjectStore store() {
        return store;
    }

    public String name() {
        return name;
    }

    /**
     * This manager with another lease for the pipes it creates: a process that dies holding a pipe end
     * is seen gone within it (default 6 s).
     */
    public Manager withLease(Duration lease) {
        if (lease.toMillis() < 100) throw new IllegalArgumentException("lease must be at least 100 ms, got " + lease);
        return new Manager(store, name, lease);
    }

    /** {@code Queue()}: unbounded if new; an existing queue keeps its maxsize. */
    public <E> SharedQueue<E> queue(String name) {
        return queue(name, 0);
    }

    /** {@code Queue(maxsize)}; {@code maxsize} 0 for none. An existing queue with another maxsize throws. */
    public <E> SharedQueue<E> queue(String name, int maxsize) {
        return queueOf(name, maxsize, ObjectKind.QUEUE, ValueCodec.OBJECT);
    }

    public <E> SharedQueue<E> queue(String name, int maxsize, Class<E> type) {
        return queueOf(name, maxsize, ObjectKind.QUEUE, Json.MAPPER.constructType(type));
    }

    /** {@code JoinableQueue()}: {@code taskDone()} and {@code join()} besides. */
    public <E> JoinableQueue<E> joinableQueue(String name) {
        return joinableQueue(name, 0, Object.class);
    }

    @SuppressWarnings("unchecked")
    public <E> JoinableQueue<E> joinableQueue(String name, int maxsize, Class<? super E> type) {
        return (JoinableQueue<E>) queueOf(name, maxsize, ObjectKind.JOINABLE, Json.MAPPER.constructType(type));
    }

    private <E> QueueProxy<E> queueOf(String name, int maxsize, ObjectKind kind, JavaType type) {
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must be 0 (none) or more, got " + maxsize);
        Map<String, String> settings = maxsize > 0 ? Map.of("maxsize", Integer.toString(maxsize)) : Map.of();
        Opened o = open(name, kind, new DataScripts.Open(kind.wire(), Initial.NONE, true, settings, List.of()));
        int stored = Integer.parseInt(o.meta().getOrDefault("maxsize", "0"));
        if (maxsize > 0 && stored != maxsize) {
            throw new IllegalArgumentException(ref(name, kind) + " exists with maxsize " + stored + ", not " + maxsize
                    + "; open it with m.queue(\"" + name + "\") or delete it first");
        }
        return kind == ObjectKind.JOINABLE
                ? new JoinableQueueProxy<>(store, ref(name, kind), type)
                : new QueueProxy<>(store, ref(name, kind), type);
    }

    /** {@code Pipe(duplex)}: two {@link Connection}s; this process holds both ends until it closes them. */
    public Pipe pipe(String name, boolean duplex) {
        open(name, ObjectKind.PIPE, CallerPipes.spec(duplex, lease));
        return new Pipe(connection(name, "left"), connection(name, "right"));
    }

    /** End {@code end} (left, right) of pipe {@code name}, held here until closed; {@link IllegalStateException} if it is. */
    public Connection connection(String name, String end) {
        return PipeEndProxy.bind(store, ref(name, ObjectKind.PIPE).withEnd(end));
    }

    /** {@code dict()}: a {@link java.util.concurrent.ConcurrentMap} whose keys are JSON scalars. */
    public <K, V> SharedMap<K, V> dict(String name) {
        return dict(name, Object.class, Object.class);
    }

    @SuppressWarnings("unchecked")
    public <K, V> SharedMap<K, V> dict(String name, Class<? super K> keyType, Class<? super V> valueType) {
        open(name, ObjectKind.DICT, new DataScripts.Open("dict", Initial.NONE, false, Map.of(), List.of()));
        return new MapProxy<>(
                store,
                ref(name, ObjectKind.DICT),
                Json.MAPPER.constructType(keyType),
                Json.MAPPER.constructType(valueType));
    }

    /** {@code list()}. */
    public <E> SharedList<E> list(String name) {
        return list(name, List.of());
    }

    /** {@code list(initial)}: {@code initial} is written only when the list is new. */
    public <E> SharedList<E> list(String name, Collection<? extends E> initial) {
        ObjectRef ref = ref(name, ObjectKind.LIST);
        open(
                name,
                ObjectKind.LIST,
                new DataScripts.Open("list", Initial.LIST, false, Map.of(), store.codec.encodeAll(initial, ref)));
        return new ListProxy<>(store, ref, ValueCodec.OBJECT);
    }

    public <E> SharedList<E> list(String name, Class<E> type) {
        open(name, ObjectKind.LIST, new DataScripts.Open("list", Initial.NONE, false, Map.of(), List.of()));
        return new ListProxy<>(store, ref(name, ObjectKind.LIST), Json.MAPPER.constructType(type));
    }

    /** {@code Namespace()}: named attributes. */
    public Namespace namespace(String name) {
        open(name, ObjectKind.NAMESPACE, new DataScripts.Open("namespace", Initial.NONE, false, Map.of(), List.of()));
        return new NamespaceProxy(store, ref(name, ObjectKind.NAMESPACE));
    }

    /** {@code Value(typecode, initial)}: {@code initial} is written only when the value is new; its class is the value's type. */
    @SuppressWarnings("unchecked")
    public <T> SharedValue<T> value(String name, T initial) {
        ObjectRef ref = ref(name, ObjectKind.VALUE);
        open(
                name,
                ObjectKind.VALUE,
                new DataScripts.Open(
                        "value", Initial.STRING, false, Map.of(), List.of(store.codec.encode(initial, ref))));
        return new ValueProxy<>(store, ref, Json.MAPPER.constructType(initial.getClass()));
    }

    /** {@code Array(typecode, size)}: {@code size} elements of {@code type}, all 0. An existing array keeps its own. */
    public SharedArray array(String name, ArrayType type, int size) {
        if (size < 0) throw new IllegalArgumentException("size must be 0 or more, got " + size);
        List<String> zeros = new ArrayList<>(java.util.Collections.nCopies(size, "0"));
        Opened o = open(
                name,
                ObjectKind.ARRAY,
                new DataScripts.Open(
                        "array",
                        Initial.LIST,
                        false,
                        Map.of("type", type.name(), "length", Integer.toString(size)),
                        zeros));
        return new ArrayProxy(
                store, ref(name, ObjectKind.ARRAY), ArrayType.valueOf(o.meta().get("type")));
    }

    /** {@code Event()}. */
    public SharedEvent event(String name) {
        open(name, ObjectKind.EVENT, new DataScripts.Open("event", Initial.NONE, false, Map.of(), List.of()));
        return new EventProxy(store, ref(name, ObjectKind.EVENT));
    }

    /** {@code Lock()}, its holds leased for 6 s: a holder that dies frees it within that. */
    public SharedLock lock(String name) {
        return lock(name, ObjectStore.DEFAULT_LEASE);
    }

    /** {@code Lock()} with its own lease; an existing lock keeps the lease it was made with. */
    public SharedLock lock(String name, Duration lease) {
        return new LockProxy(store, ref(name, ObjectKind.LOCK), openLock(name, ObjectKind.LOCK, lease, 1));
    }

    /** {@code RLock()}: its holder may take it again, and releases it as often as it took it. */
    public SharedLock rlock(String name) {
        return rlock(name, ObjectStore.DEFAULT_LEASE);
    }

    public SharedLock rlock(String name, Duration lease) {
        return new LockProxy(store, ref(name, ObjectKind.RLOCK), openLock(name, ObjectKind.RLOCK, lease, 1));
    }

    /** {@code Semaphore(permits)}. */
    public SharedSemaphore semaphore(String name, int permits) {
        ObjectKind kind = ObjectKind.SEMAPHORE;
        long lease = openLock(name, kind, ObjectStore.DEFAULT_LEASE, permits);
        return new SemaphoreProxy(store, ref(name, kind), lease, permits);
    }

    /** {@code BoundedSemaphore(permits)}: releasing above {@code permits} throws. */
    public SharedSemaphore boundedSemaphore(String name, int permits) {
        ObjectKind kind = ObjectKind.BOUNDED_SEMAPHORE;
        long lease = openLock(name, kind, ObjectStore.DEFAULT_LEASE, permits);
        return new SemaphoreProxy(store, ref(name, kind), lease, permits);
    }

    /** {@code Barrier(parties)}; each waiting party's arrival is leased for 6 s (a dead party breaks it). */
    public SharedBarrier barrier(String name, int parties) {
        if (parties <= 0) {
            throw new IllegalArgumentException(
                    "Barrier '" + name + "' needs 1 or more parties, got " + parties + " (Python: ValueError)");
        }
        long lease = ObjectStore.DEFAULT_LEASE.toMillis();
        String p = Integer.toString(parties);
        Map<String, String> settings = Map.of("parties", p, "lease", Long.toString(lease), "generation", "0");
        ObjectKind kind = ObjectKind.BARRIER;
        Opened o = open(name, kind, new DataScripts.Open(kind.wire(), Initial.NONE, false, settings, List.of()));
        if (!o.meta().get("parties").equals(p)) {
            throw new IllegalArgumentException(ref(name, kind) + " exists with "
                    + o.meta().get("parties") + " parties, not " + parties + "; use that count or delete it first");
        }
        return new BarrierProxy(
                store, ref(name, kind), parties, Long.parseLong(o.meta().get("lease")));
    }

    /** {@code Condition(lock)}: the lock's default condition. */
    public SharedCondition condition(SharedLock lock) {
        return condition(lock, "default");
    }

    /** A named condition of {@code lock}, a lock or rlock of this manager; every process opening the name shares it. */
    public SharedCondition condition(SharedLock lock, String name) {
        if (!(lock instanceof LockProxy proxy) || !lock.ref().manager().equals(this.name)) {
            throw new IllegalArgumentException("a condition's lock must be a lock of the same manager ('" + this.name
                    + "'); " + lock.ref() + " is not: open the lock with this manager's lock(…)");
        }
        return new ConditionProxy(proxy.acquirer(), name);
    }

    /** Creates or opens a lock-like object; returns its lease in ms (an existing one keeps its own). */
    private long openLock(String name, ObjectKind kind, Duration lease, int permits) {
        if (permits <= 0) {
            throw new IllegalArgumentException(kind.python() + " '" + name + "' needs 1 or more permits, got " + permits
                    + " (Python: ValueError)");
        }
        Duration floor = store.redis.timeout().multipliedBy(3);
        if (lease.compareTo(floor) < 0) {
            throw new IllegalArgumentException("the lease of " + kind.python() + " '" + name + "' (" + lease
                    + ") must be at least 3 renewals' worth of round trips: 3 x the client's Redis timeout ("
                    + store.redis.timeout() + ") = " + floor + "; lengthen the lease or shorten the timeout");
        }
        String p = Integer.toString(permits);
        Map<String, String> settings = Map.of("lease", Long.toString(lease.toMillis()), "permits", p, "free", p);
        Opened o = open(name, kind, new DataScripts.Open(kind.wire(), Initial.NONE, false, settings, List.of()));
        if (!o.meta().get("permits").equals(p)) {
            throw new IllegalArgumentException(ref(name, kind) + " exists with "
                    + o.meta().get("permits") + " permits, not " + permits + "; use that count or delete it first");
        }
        return Long.parseLong(o.meta().get("lease"));
    }

    /** Deletes an object and everything in it; returns whether there was one. Proxies of it then throw {@link ObjectDeletedException}. */
    public boolean delete(String name) {
        ObjectRef.checkName("object", name);
        String kind = store.redis.run(store.data.delete(store.keys.object(this.name, name)));
        store.reads.unregister(this.name, name);
        return kind != null;
    }

    /** Deletes every object of this manager; returns how many there were. */
    public int clear() {
        int n = 0;
        for (String object : names().keySet()) {
            if (delete(object)) n++;
        }
        return n;
    }

    /** This manager's objects: name -> kind ({@code queue}, {@code dict}…), sorted by name. */
    public Map<String, String> names() {
        return new LinkedHashMap<>(store.reads.registry(name));
    }

    private ObjectRef ref(String object, ObjectKind kind) {
        return ObjectRef.of(name, object, kind);
    }

    Opened open(String object, ObjectKind kind, DataScripts.Open open) {
        ObjectRef ref = ref(ObjectRef.checkName("object", object), kind);
        Opened opened = store.run(ref, store.data.open(store.keys(ref), open));
        store.reads.register(name, object, kind.wire()); // each time: a crash may have come between the two
        return opened;
    }
}
