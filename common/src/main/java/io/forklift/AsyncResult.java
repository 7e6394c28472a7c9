package io.forklift;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending result of {@link Pool#applyAsync} or {@link Pool#mapAsync}, as in
 * {@code multiprocessing.pool.AsyncResult}. When callbacks were given, they run on the client's
 * single callback thread, one at a time, before {@link #get()} returns — as Python's result handler
 * does. A callback that throws is logged; the others still run.
 */
public final class AsyncResult<R> {
    private static final Logger log = LoggerFactory.getLogger(AsyncResult.class);

    private final String id;
    private final CompletableFuture<R> done = new CompletableFuture<>();
    private final Consumer<? super R> callback;
    private final Consumer<? super Throwable> errorCallback;
    private final Executor callbackThread;
    private final Predicate<String> canceller;

    /** {@code canceller} cancels the task of this id in Redis; null for a result combined from several tasks. */
    AsyncResult(
            String id,
            Consumer<? super R> callback,
            Consumer<? super Throwable> errorCallback,
            Executor callbackThread,
            Predicate<String> canceller) {
        this.id = id;
        this.callback = callback;
        this.errorCallback = errorCallback;
        this.callbackThread = callbackThread;
        this.canceller = canceller;
    }

    /** The task id (for a map, the id of its first chunk). */
    public String id() {
        return id;
    }

    /** Waits for the result; a remote failure is thrown as {@link RemoteTaskException}. */
    public R get() throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** As {@link #get()}, giving up after {@code timeout} with {@link TimeoutException}. */
    public R get(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Waits up to {@code timeout}; returns whether the result is ready. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException | CancellationException notReadyOrFailed) {
            // ready() tells the caller which
        }
        return ready();
    }

    /**
     * Cancels the task: one that has not started is withdrawn; a running one loses its lease, so
     * its worker stops the child at its next lease renewal (within a third of the lease) and its
     * result is never committed. Either way this result fails with {@link CancellationException}
     * and the error callback runs once. A task still on its way to Redis (just submitted) is stored
     * first, then withdrawn. Returns false, changing nothing, if the task has already ended (its reply
     * is on its way).
     *
     * @throws UnsupportedOperationException for the result of a {@code map}: cancel its pool with
     *                                       {@link Pool#terminate()} instead
     */
    public boolean cancel() {
        if (canceller == null) {
            throw new UnsupportedOperationException(
                    "result " + id + " combines several tasks; use Pool.terminate() to withdraw them");
        }
        return !ready() && canceller.test(id);
    }

    public boolean ready() {
        return done.isDone();
    }

    /** Whether the task ended without an error; throws {@link IllegalStateException} if it has not ended. */
    public boolean successful() {
        if (!ready())
            throw new IllegalStateException("task " + id + " has not finished; call ready() or waitFor() first");
        return !done.isCompletedExceptionally();
    }

    /** A {@link CompletableFuture} view: completing it does not affect this result. */
    public CompletableFuture<R> toCompletableFuture() {
        return done.copy();
    }

    /** The future itself, for Forklift's own combinators (map, imap). */
    CompletableFuture<R> future() {
        return done;
    }

    boolean hasCallbacks() {
        return callback != null || errorCallback != null;
    }

    /** Ends this result from any thread: callbacks (if any) run on the callback thread first. */
    void settle(R value, Throwable error) {
        if (hasCallbacks()) callbackThread.execute(() -> settleHere(value, error));
        else settleHere(value, error);
    }

    /** Ends this result on the calling thread, which must be the callback thread if there are callbacks. */
    void settleHere(R value, Throwable error) {
        try {
            if (error == null && callback != null) callback.accept(value);
            if (error != null && errorCallback != null) errorCallback.accept(error);
        } catch (RuntimeException | Error thrownByCallback) {
            // Python's result handler would die here; one bad callback must not stop the others.
            log.error("callback of task {} threw; the result is kept", id, thrownByCallback);
        } finally {
            if (error == null) done.complete(value);
            else done.completeExceptionally(error);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new ForkliftException(t.getMessage(), t);
    }
}
