package io.forklift;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.TaskScripts;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A connection to a Forklift cluster: the entry point, like importing {@code multiprocessing}.
 *
 * <pre>{@code
 * try (Forklift fl = Forklift.connect("redis://localhost:6379");
 *      Pool pool = fl.pool("crawl", 5)) {
 *     String page = pool.apply(Fetch.class, "https://example.com");
 * }
 * }</pre>
 *
 * Thread-safe; share one per program. It runs three daemon threads: one stores submissions in
 * batches, one receives results, one runs callbacks one at a time. {@link #close()} stores what was
 * submitted, then stops them.
 */
public final class Forklift implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Forklift.class);
    private final ForkliftOptions options;
    private final Redis redis;
    private final TaskScripts scripts;
    private final String clientId;
    private final AtomicLong sequence = new AtomicLong();
    private final ClientLease lease;
    private final PoolCaps caps;
    private final ReplyRouter router;
    private final Submitter submitter;
    private final Thread submitThread;
    private final ExecutorService callbackThread;
    private io.forklift.manager.ObjectStore objects;
    private ProcessHub processHub;

    private Forklift(ForkliftOptions options) {
        this.options = options;
        this.redis = Redis.connect(options.redisUri(), options.prefix(), options.timeout(), 8);
        this.scripts = new TaskScripts(redis.keys());
        this.clientId = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        this.callbackThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "forklift-callbacks");
            t.setDaemon(true);
            return t;
        });
        this.router = new ReplyRouter(redis, clientId, options.authkey(), callbackThread);
        this.submitter = new Submitter(redis, router, options.submitWait());
        this.submitThread = new Thread(submitter, "forklift-submit");
        this.submitThread.setDaemon(true);
        this.lease = new ClientLease(new io.forklift.redis.Processes(redis), clientId);
        this.caps = new PoolCaps(new Queues(redis), lease, options.authkey(), clientId);
    }

    public static Forklift connect(String redisUri) {
        return connect(ForkliftOptions.of(redisUri));
    }

    /** Connects and checks that Redis answers; throws {@link RedisUnavailableException} if not. */
    public static Forklift connect(ForkliftOptions options) {
        Forklift fl = new Forklift(options);
        try {
            fl.redis.ping();
        } catch (RuntimeException e) {
            fl.redis.close();
            throw e;
        }
        fl.submitThread.start();
        return fl;
    }

    /**
     * Python's {@code Pool(processes)}: a pool whose tasks go to queue {@code queue} and of which at most
     * {@code processes} run at once across the whole cluster (0: no limit of its own). The cap is this
     * pool's: other pools on the same queue have their own, and only an operator's
     * {@code forklift queue set --max-running} limits the queue as a whole. A task holds a slot from
     * when a child may start it until it ends.
     */
    public Pool pool(String queue, int processes) {
        Keys.checkQueue(queue);
        if (processes < 0)
            throw new IllegalArgumentException("processes must be 0 (no limit) or more, got " + processes);
        String capId = "";
        if (processes > 0) capId = caps.declare(queue, processes);
        else new Queues(redis).register(List.of(queue));
        router.listen(queue);
        return new Pool(this, queue, processes, capId);
    }

    /**
     * Python's {@code Manager()}: the shared objects (queues, pipes, dicts, lists, values, arrays,
     * events) of the namespace {@code name}, which every program and task of the cluster can open.
     * Their calls use connection pools of their own, opened on the first call of this method.
     */
    public synchronized io.forklift.manager.Manager manager(String name) {
        if (objects == null) {
            objects = io.forklift.manager.ObjectStore.connect(
                    options.redisUri(), options.prefix(), options.timeout(), options.maxPayloadBytes());
        }
        return objects.manager(name);
    }

    /**
     * Python's {@code Process(target=task, args=(arg,))}, not started yet: name it, make it a daemon,
     * then {@link ForkliftProcess#start()}. A worker of the cluster runs it in a fresh JVM of its own,
     * and what it prints appears in this program's terminal.
     */
    public <A> ForkliftProcess process(Class<? extends Task<A, ?>> task, A arg) {
        return processHub().create(task.getName(), arg);
    }

    /** As {@link #process(Class, Object)}, by the task's registered name. */
    public ForkliftProcess process(String taskName, Object arg) {
        return processHub().create(taskName, arg);
    }

    /** Python's {@code multiprocessing.current_process()}: this program, or the task or Process running this code. */
    public static ProcessInfo currentProcess() {
        return ProcessInfo.current();
    }

    private synchronized ProcessHub processHub() {
        if (processHub == null) {
            router.listen(Keys.PROCESS_QUEUE);
            processHub = new ProcessHub(this, redis, new Pool(this, Keys.PROCESS_QUEUE, 1, ""));
        }
        return processHub;
    }

    /** Replies that callers of {@code apply} popped themselves (for tests). */
    long repliesReadByCallers() {
        return router.readByCallers();
    }

    /**
     * Replies this client refused since it connected: with an authkey, a reply not signed for this
     * client (pushed by hand, altered, or meant for another) settles nothing and is counted here.
     */
    public long refusedReplies() {
        return router.refusedReplies();
    }

    /** This client's id; its results arrive on its own reply list of each queue. */
    public String clientId() {
        return clientId;
    }

    /** Waits for a result submitted with {@code callerWaits}, reading its reply on this thread if it can. */
    <R> R awaitOwn(AsyncResult<R> result) throws InterruptedException {
        return router.awaitOwn(result);
    }

    public ForkliftOptions options() {
        return options;
    }

    /**
     * Queues one task for submission. The message is built and size-checked here, in the caller's
     * thread, so a too-large payload throws before anything is written.
     */
    <R> AsyncResult<R> submit(
            Pool pool,
            String taskName,
            ArrayNode args,
            boolean chunked,
            JavaType resultType,
            Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback,
            boolean callerWaits) {
        return submit(pool, taskName, args, chunked, resultType, callback, errorCallback, null, callerWaits, null);
    }

    /**
     * As above; {@code process}: a Process's task; {@code callerWaits}: the caller stores it and waits for
     * its result with {@link #awaitOwn}; {@code beforeSend}: gets its id.
     */
    <R> AsyncResult<R> submit(
            Pool pool,
            String taskName,
            ArrayNode args,
            boolean chunked,
            JavaType resultType,
            Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback,
            io.forklift.wire.ProcessSpec process,
            boolean callerWaits,
            Consumer<String> beforeSend) {
        String id = TaskMessages.id(clientId, sequence.incrementAndGet());
        String json = TaskMessages.write(
                options,
                id,
                pool.queue(),
                taskName,
                args,
                chunked,
                clientId,
                pool.taskTimeout(),
                pool.retries(),
                process);
        AsyncResult<R> result = new AsyncResult<>(id, callback, errorCallback, callbackThread, this::cancel);
        PendingTask<R> pending = new PendingTask<>(result, pool.lifecycle(), taskName, resultType);
        if (callerWaits) router.expectOwn(id, pending); // the caller reads its reply (awaitOwn)
        else router.expect(id, pending);
        if (beforeSend != null) beforeSend.accept(id);
        if (callerWaits) submitter.sendFromCaller(pool.queue(), pool.lifecycle().capId(), id, json);
        else submitter.send(pool.queue(), pool.lifecycle().capId(), id, json);
        return result;
    }

    /**
     * {@link Pool#terminate()}: once what was handed to the submit thread is stored, revokes every
     * task the pool still waits for (withdrawn if not started; a running one loses its lease and its
     * worker stops it) and fails its result.
     */
    void terminate(PoolLifecycle pool) {
        submitter.flush();
        List<String> ids = router.waitingFor(pool);
        if (ids.isEmpty()) return;
        redis.run(scripts.revoke(pool.queue(), ids));
        for (String id : ids) {
            router.fail(id, new CancellationException("task " + id + " was cancelled by Pool.terminate()"));
        }
    }

    /** A result with callbacks, settled by Forklift's own combinators (map). */
    <R> AsyncResult<R> combined(String id, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
        return new AsyncResult<>(id, callback, errorCallback, callbackThread, null);
    }

    /**
     * {@link AsyncResult#cancel()}: withdraws or revokes the task in Redis, then fails its result here.
     * A task still on its way to Redis is stored first, or the revocation would find nothing and call it ended.
     */
    private boolean cancel(String id) {
        String queue = router.queueOf(id);
        if (queue == null) return false; // settled already
        submitter.flush();
        TaskScripts.Revoked outcome =
                redis.run(scripts.revoke(queue, List.of(id))).get(id);
        if (outcome == TaskScripts.Revoked.ENDED) return false;
        router.fail(
                id,
                new CancellationException("task " + id + " was cancelled by AsyncResult.cancel() "
                        + (outcome == TaskScripts.Revoked.REVOKED
                                ? "while it ran; its worker stops it and its result is discarded"
                                : "before it started")));
        return true;
    }

    Redis redis() {
        return redis;
    }

    ClientLease lease() {
        return lease;
    }

    /**
     * Stores what was submitted and stops. As Python does at exit, it first waits for the non-daemonic
     * Processes this client started and terminates its daemonic ones.
     */
    @Override
    public void close() {
        ProcessHub hub;
        synchronized (this) {
            hub = processHub;
        }
        if (hub != null) hub.close();
        submitter.stop();
        try {
            submitThread.join();
            lease.close(); // first, or a renewal could write back the caps forgotten next
            caps.forgetAll();
            router.stop();
            callbackThread.shutdown();
            callbackThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                if (objects != null) objects.close();
            }
            redis.close();
        }
    }
}
