package io.forklift;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.wire.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A pool of worker processes across the cluster, as {@code multiprocessing.Pool}: its tasks go to
 * one queue and at most {@code processes} of them run at once. Tasks are named by class; the class
 * must be registered on the workers (see {@link Task}).
 *
 * <p>{@link #close()} stops new submissions while submitted tasks finish and their callbacks run;
 * {@link #join()} waits for them; {@link #terminate()} withdraws the tasks no worker has started.
 * Unlike Python's {@code with Pool()}, try-with-resources calls {@code close()}, which loses nothing.
 */
public final class Pool implements AutoCloseable {
    private final Forklift forklift;
    private final String queue;
    private final int processes;
    private final Duration taskTimeout;
    private final RetryPolicy retries;
    private final PoolLifecycle lifecycle;

    /** A pool; {@code capId} names its own cap ("" for none: its tasks are not limited). */
    Pool(Forklift forklift, String queue, int processes, String capId) {
        this(forklift, queue, processes, Duration.ZERO, RetryPolicy.NONE, new PoolLifecycle(queue, capId));
    }

    private Pool(
            Forklift forklift,
            String queue,
            int processes,
            Duration taskTimeout,
            RetryPolicy retries,
            PoolLifecycle lifecycle) {
        this.forklift = forklift;
        this.queue = queue;
        this.processes = processes;
        this.taskTimeout = taskTimeout;
        this.retries = retries;
        this.lifecycle = lifecycle;
    }

    /**
     * A pool on the same queue whose failing tasks run again, up to {@code maxAttempts} runs in all,
     * after {@code backoff}, then twice that, and so on (with jitter, capped at 10 minutes). A task
     * that fails its last run, or fails in a way that does not retry, goes to the queue's dead list
     * and its error callback fires once. Retries wait in a delayed set that a running
     * {@code forklift coordinator} promotes. {@code pool.withRetries(5, ...).applyAsync(...)} sets
     * retries for one task; a derived pool lives and dies with this one (close, join, terminate).
     */
    public Pool withRetries(int maxAttempts, Duration backoff) {
        return with(retries.attempts(maxAttempts, backoff));
    }

    /**
     * Only failures of these types, or their subclasses, retry; others go to the dead list at once.
     * Forklift's own failures count too: {@link TaskTimeoutException}, {@link ChildProcessDiedException}.
     */
    @SafeVarargs
    public final Pool retryOn(Class<? extends Throwable>... types) {
        return with(retries.retryingOn(names(types)));
    }

    /** Failures of these types, or their subclasses, never retry (as Celery's {@code dont_autoretry_for}). */
    @SafeVarargs
    public final Pool noRetryOn(Class<? extends Throwable>... types) {
        return with(retries.notRetryingOn(names(types)));
    }

    public RetryPolicy retries() {
        return retries;
    }

    /**
     * A pool on the same queue whose tasks a worker stops after {@code timeout}: it kills the
     * child's whole process tree and the task fails with {@code io.forklift.TaskTimeoutException}.
     * The new pool lives and dies with this one.
     */
    public Pool withTaskTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("task timeout must be positive, got " + timeout);
        return new Pool(forklift, queue, processes, timeout, retries, lifecycle);
    }

    /** The hard time limit of this pool's tasks; zero for none. */
    public Duration taskTimeout() {
        return taskTimeout;
    }

    public String queue() {
        return queue;
    }

    public int processes() {
        return processes;
    }

    /** Runs the task on a worker and waits for its result; a remote failure throws {@link RemoteTaskException}. */
    public <A, R> R apply(Class<? extends Task<A, R>> task, A arg) throws InterruptedException {
        JavaType[] types = TaskTypes.of(task);
        AsyncResult<R> result = submit(task.getName(), List.of(arg), false, types[1], null, null, true);
        return forklift.awaitOwn(result);
    }

    public <A, R> AsyncResult<R> applyAsync(Class<? extends Task<A, R>> task, A arg) {
        return applyAsync(task, arg, null, null);
    }

    /**
     * Submits the task and returns at once. {@code callback} gets the result, {@code errorCallback}
     * the failure (a {@link RemoteTaskException} with the remote stack trace); either may be null.
     * Both run in this program, on its single callback thread.
     */
    public <A, R> AsyncResult<R> applyAsync(
            Class<? extends Task<A, R>> task,
            A arg,
            Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback) {
        JavaType[] types = TaskTypes.of(task);
        return submit(task.getName(), List.of(arg), false, types[1], callback, errorCallback, false);
    }

    /**
     * Submits a task by its registered name, for tasks whose class this program does not have
     * (such as the built-in {@code exec}); the result arrives as a JSON tree.
     */
    public AsyncResult<JsonNode> applyAsync(
            String taskName,
            Object arg,
            Consumer<? super JsonNode> callback,
            Consumer<? super Throwable> errorCallback) {
        return submit(
                taskName,
                List.of(arg),
                false,
                Json.MAPPER.constructType(JsonNode.class),
                callback,
                errorCallback,
                false);
    }

    /** Applies the task to every argument, in chunks of a size chosen as Python does, and waits for all results in order. */
    public <A, R> List<R> map(Class<? extends Task<A, R>> task, Iterable<? extends A> args)
            throws InterruptedException {
        return mapAsync(task, args, 0, null, null).get();
    }

    public <A, R> List<R> map(Class<? extends Task<A, R>> task, Iterable<? extends A> args, int chunksize)
            throws InterruptedException {
        return mapAsync(task, args, chunksize, null, null).get();
    }

    /**
     * As {@link #map}, returning at once. {@code chunksize} arguments travel and run as one task; 0
     * chooses it as Python does (about four chunks per process). The first failed chunk fails the whole.
     */
    public <A, R> AsyncResult<List<R>> mapAsync(
            Class<? extends Task<A, R>> task,
            Iterable<? extends A> args,
            int chunksize,
            Consumer<? super List<R>> callback,
            Consumer<? super Throwable> errorCallback) {
        List<CompletableFuture<List<R>>> chunks = submitChunks(task, list(args), chunksize);
        AsyncResult<List<R>> all = forklift.combined("map-" + queue, callback, errorCallback);
        java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (e != null || !settled.compareAndSet(false, true)) return;
            List<R> results = new ArrayList<>();
            for (CompletableFuture<List<R>> c : chunks) results.addAll(c.join());
            all.settle(results, null);
        });
        // The first failed chunk fails the whole map at once, as in Python.
        for (CompletableFuture<List<R>> c : chunks) {
            c.whenComplete((v, e) -> {
                if (e != null && settled.compareAndSet(false, true)) all.settle(null, e);
            });
        }
        return all;
    }

    /** As {@code Pool.starmap}: each element is a list of arguments, sent as a JSON array and read as the task's argument type. */
    public <A, R> List<R> starmap(Class<? extends Task<A, R>> task, Iterable<? extends List<?>> argLists, int chunksize)
            throws InterruptedException {
        JavaType[] types = TaskTypes.of(task);
        List<A> args = new ArrayList<>();
        for (List<?> tuple : argLists) args.add(Json.MAPPER.convertValue(tuple, types[0]));
        return map(task, args, chunksize);
    }

    /** Results in argument order, each as soon as it and those before it are done. */
    public <A, R> ResultIterator<R> imap(Class<? extends Task<A, R>> task, Iterable<? extends A> args, int chunksize) {
        return ChunkIterator.ordered(submitChunks(task, list(args), Math.max(1, chunksize)));
    }

    /** Results in the order they finish. */
    public <A, R> ResultIterator<R> imapUnordered(
            Class<? extends Task<A, R>> task, Iterable<? extends A> args, int chunksize) {
        return ChunkIterator.unordered(submitChunks(task, list(args), Math.max(1, chunksize)));
    }

    /**
     * No more tasks may be submitted, through this pool or any pool derived from it or it from;
     * those submitted go on, and their callbacks still run.
     */
    @Override
    public void close() {
        lifecycle.close();
    }

    /**
     * Waits until every task submitted through this pool, or a pool derived from it or it from, has
     * ended; call {@link #close()} or {@link #terminate()} first, or it throws {@link IllegalStateException}.
     */
    public void join() throws InterruptedException {
        lifecycle.join();
    }

    /**
     * As {@code multiprocessing.Pool.terminate()}: closes the pool and stops its work at once. Tasks
     * not started are withdrawn; running ones lose their lease, so their workers kill their
     * children's process trees (within a moment: the revocation is announced to the worker) and
     * their results are never committed. Every unsettled result, of this pool and the pools derived
     * with it, fails with {@link java.util.concurrent.CancellationException}; error callbacks run once.
     */
    public void terminate() {
        lifecycle.close();
        forklift.terminate(lifecycle);
    }

    private <A, R> List<CompletableFuture<List<R>>> submitChunks(
            Class<? extends Task<A, R>> task, List<? extends A> args, int chunksize) {
        int size = chunksize > 0 ? chunksize : autoChunksize(args.size());
        JavaType[] types = TaskTypes.of(task);
        JavaType listOfR = Json.MAPPER.getTypeFactory().constructCollectionType(List.class, types[1]);
        List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
        for (int from = 0; from < args.size(); from += size) {
            List<? extends A> chunk = args.subList(from, Math.min(args.size(), from + size));
            AsyncResult<List<R>> r = submit(task.getName(), chunk, true, listOfR, null, null, false);
            chunks.add(r.future());
        }
        return chunks;
    }

    /** Python's rule: about four chunks per process. */
    private int autoChunksize(int n) {
        int chunk = n / (processes * 4);
        return n % (processes * 4) == 0 ? Math.max(1, chunk) : chunk + 1;
    }

    private <R> AsyncResult<R> submit(
            String taskName,
            List<?> args,
            boolean chunked,
            JavaType resultType,
            Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback,
            boolean callerWaits) {
        lifecycle.started();
        try {
            ArrayNode node = Json.MAPPER.createArrayNode();
            for (Object a : args) {
                JsonNode value = Json.MAPPER.valueToTree(a);
                node.add(value == null ? Json.MAPPER.nullNode() : value);
            }
            Json.checkDepth(node, "the arguments of " + taskName);
            return forklift.submit(this, taskName, node, chunked, resultType, callback, errorCallback, callerWaits);
        } catch (RuntimeException notSubmitted) {
            lifecycle.ended();
            throw notSubmitted;
        }
    }

    PoolLifecycle lifecycle() {
        return lifecycle;
    }

    private Pool with(RetryPolicy policy) {
        return new Pool(forklift, queue, processes, taskTimeout, policy, lifecycle);
    }

    private static List<String> names(Class<?>[] types) {
        if (types.length == 0) throw new IllegalArgumentException("name at least one exception class");
        return java.util.Arrays.stream(types).map(Class::getName).toList();
    }

    private static <T> List<T> list(Iterable<T> items) {
        if (items instanceof List<T> l) return l;
        List<T> out = new ArrayList<>();
        items.forEach(out::add);
        return out;
    }
}
