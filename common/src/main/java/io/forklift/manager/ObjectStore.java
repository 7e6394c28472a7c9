package io.forklift.manager;

import io.forklift.redis.DataScripts;
import io.forklift.redis.Keys;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.PipeScripts;
import io.forklift.redis.QueueScripts;
import io.forklift.redis.Redis;
import io.forklift.redis.ScriptCall;
import io.forklift.redis.ScriptRefusal;
import io.forklift.redis.Waits;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal: what every proxy of one process shares. Two connection pools of its own (calls, and
 * blocking waits: a blocked caller pins one of up to {@value #MAX_WAITERS} connections), the typed
 * scripts, the value codec, and the renewer of this process's pipe-end holds. A {@link
 * io.forklift.Forklift} opens one on its first {@code manager(...)}; a task's child opens one on the
 * first shared object a task receives. Script refusals become the exceptions callers expect here.
 */
public final class ObjectStore implements AutoCloseable {
    /** Blocked callers this process may have at once; more wait for a connection up to the client timeout. */
    public static final int MAX_WAITERS = 256;
    /** Pipe-end holds and queue takers' acknowledgement deadlines. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(6);

    /** The kind each interface a task may declare stands for. */
    private static final java.util.Map<Class<?>, ObjectKind> DECLARED = java.util.Map.ofEntries(
            java.util.Map.entry(JoinableQueue.class, ObjectKind.JOINABLE),
            java.util.Map.entry(SharedQueue.class, ObjectKind.QUEUE),
            java.util.Map.entry(Connection.class, ObjectKind.PIPE),
            java.util.Map.entry(SharedMap.class, ObjectKind.DICT),
            java.util.Map.entry(SharedList.class, ObjectKind.LIST),
            java.util.Map.entry(Namespace.class, ObjectKind.NAMESPACE),
            java.util.Map.entry(SharedValue.class, ObjectKind.VALUE),
            java.util.Map.entry(SharedArray.class, ObjectKind.ARRAY),
            java.util.Map.entry(SharedEvent.class, ObjectKind.EVENT),
            java.util.Map.entry(SharedLock.class, ObjectKind.LOCK),
            java.util.Map.entry(SharedSemaphore.class, ObjectKind.SEMAPHORE),
            java.util.Map.entry(SharedBarrier.class, ObjectKind.BARRIER));

    final Redis redis;
    final Waits waits;
    final Keys keys;
    final ObjectReads reads;
    final QueueScripts queues = new QueueScripts();
    final PipeScripts pipes = new PipeScripts();
    final DataScripts data = new DataScripts();
    final ValueCodec codec;
    final HoldRenewer holds;
    final LockRenewer locks;
    private final String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private final AtomicLong sequence = new AtomicLong();

    private ObjectStore(Redis redis, Redis blocking, int maxPayloadBytes) {
        this.redis = redis;
        this.waits = new Waits(blocking, redis);
        this.keys = redis.keys();
        this.reads = new ObjectReads(redis);
        this.codec = new ValueCodec(maxPayloadBytes);
        this.holds = new HoldRenewer(this);
        this.locks = new LockRenewer(this);
    }

    /** Connects its own pools to the Redis at {@code uri}, keys under {@code prefix}. */
    public static ObjectStore connect(String uri, String prefix, Duration timeout, int maxPayloadBytes) {
        Redis redis = Redis.connect(uri, prefix, timeout, 16);
        Redis blocking =
                Redis.connect(uri, prefix, timeout, MAX_WAITERS, Waits.MAX_BLOCK.plus(timeout.multipliedBy(2)));
        ObjectStore store = new ObjectStore(redis, blocking, maxPayloadBytes);
        ObjectBinding.offer(store);
        return store;
    }

    /** Its blocking waits, for other blocking calls of this process to share the same bounded pool. */
    public Waits waits() {
        return waits;
    }

    /** The manager named {@code name}: a namespace of shared objects. */
    public Manager manager(String name) {
        return new Manager(this, ObjectRef.checkName("manager", name), DEFAULT_LEASE);
    }

    /**
     * A live proxy of {@code ref} as {@code declared} (the type a task declares for its argument):
     * the reference's kind must be the one that type stands for, else {@link WrongKindException}.
     */
    SharedObject bind(ObjectRef ref, com.fasterxml.jackson.databind.JavaType declared) {
        Class<?> raw = declared.getRawClass();
        ObjectRef.checkName("manager", ref.manager());
        ObjectRef.checkName("object", ref.name());
        ObjectKind kind = ObjectKind.of(ref.kind());
        ObjectKind wanted = DECLARED.get(raw);
        if (wanted == null) {
            throw new IllegalArgumentException("declare a shared object as one of its interfaces (SharedQueue, "
                    + "JoinableQueue, Connection, SharedMap, SharedList, Namespace, SharedValue, SharedArray, "
                    + "SharedEvent, SharedLock, SharedSemaphore, SharedBarrier), not " + raw.getName());
        }
        boolean fits = kind == wanted
                || wanted == ObjectKind.QUEUE && kind == ObjectKind.JOINABLE
                || wanted == ObjectKind.LOCK && kind == ObjectKind.RLOCK
                || wanted == ObjectKind.SEMAPHORE && kind == ObjectKind.BOUNDED_SEMAPHORE;
        if (!fits) throw new WrongKindException(ref.manager(), ref.name(), wanted.python(), kind.python());
        com.fasterxml.jackson.databind.JavaType p0 =
                declared.containedTypeCount() > 0 ? declared.containedType(0) : ValueCodec.OBJECT;
        return switch (kind) {
            case QUEUE -> new QueueProxy<>(this, ref, p0);
            case JOINABLE -> new JoinableQueueProxy<>(this, ref, p0);
            case PIPE -> {
                if (ref.end() == null) throw new IllegalArgumentException(ref + " names no end (left or right)");
                yield PipeEndProxy.bind(this, ref);
            }
            case DICT ->
                new MapProxy<>(
                        this,
                        ref,
                        p0,
                        declared.containedTypeCount() > 1 ? declared.containedType(1) : ValueCodec.OBJECT);
            case LIST -> new ListProxy<>(this, ref, p0);
            case NAMESPACE -> new NamespaceProxy(this, ref);
            case VALUE -> new ValueProxy<>(this, ref, p0);
            case ARRAY ->
                new ArrayProxy(this, ref, ArrayType.valueOf(reads.hget(keys(ref).meta(), "type")));
            case EVENT -> new EventProxy(this, ref);
            case LOCK, RLOCK -> new LockProxy(this, ref, leaseOf(ref));
            case BARRIER -> {
                String parties = reads.hget(keys(ref).meta(), "parties");
                yield new BarrierProxy(this, ref, Integer.parseInt(parties), leaseOf(ref));
            }
            case SEMAPHORE, BOUNDED_SEMAPHORE ->
                new SemaphoreProxy(
                        this,
                        ref,
                        leaseOf(ref),
                        Integer.parseInt(reads.hget(keys(ref).meta(), "permits")));
        };
    }

    private long leaseOf(ObjectRef ref) {
        String lease = reads.hget(keys(ref).meta(), "lease");
        if (lease == null) throw new ObjectDeletedException(ref);
        return Long.parseLong(lease);
    }

    /** This thread of this process, as a lock's holder. */
    String holderId() {
        return id + "." + Long.toString(Thread.currentThread().getId(), 36);
    }

    ObjectKeys keys(ObjectRef ref) {
        return keys.object(ref.manager(), ref.name());
    }

    /** A fresh id for one take call or one pipe-end hold, unique across processes. */
    String newId() {
        return id + "." + Long.toString(sequence.incrementAndGet(), 36);
    }

    /** Runs a script of the object {@code ref}, turning its refusals into the caller's exceptions. */
    <T> T run(ObjectRef ref, ScriptCall<T> call) {
        try {
            return redis.run(call);
        } catch (ScriptRefusal r) {
            throw refusal(ref, r);
        }
    }

    /** The exception for a refusal that every kind shares; kind-specific codes are left to the proxy. */
    static RuntimeException refusal(ObjectRef ref, ScriptRefusal r) {
        return switch (r.code()) {
            case "NOOBJECT" -> new ObjectDeletedException(ref);
            case "WRONGKIND" ->
                new WrongKindException(
                        ref.manager(),
                        ref.name(),
                        ObjectKind.of(ref.kind()).python(),
                        ObjectKind.of(r.detail()).python());
            case "FENCED" -> new StaleFenceException(ref, Long.parseLong(r.detail()));
            case "RANGE" -> new IndexOutOfBoundsException("index out of range for " + ref + " of size " + r.detail());
            case "TOOMANY" ->
                new IllegalStateException(
                        "task_done() called more times than values were put on " + ref + " (Python's ValueError)");
            case "OVERFLOW" ->
                new ArithmeticException("the result " + r.detail() + " does not fit the element type of " + ref
                        + "; nothing was written");
            case "NOTNUMBER" ->
                new IllegalStateException(
                        ref + " holds " + r.detail() + ", not a number of that sort; nothing was written");
            default -> r;
        };
    }

    /** Closes the pipe ends this process holds (as a process's exit closes them), then the pools. */
    @Override
    public void close() {
        try {
            holds.releaseAll();
            locks.releaseAll();
        } catch (RuntimeException e) {
            // Redis unreachable: the holds expire at the end of their lease instead.
        }
        holds.close();
        locks.close();
        ObjectBinding.withdraw(this);
        waits.close();
        redis.close();
    }
}
