package io.forklift.coordinator.http;

import io.forklift.manager.ObjectStore;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Manager calls that may block ({@code get}, {@code put} on a full queue, {@code join}, {@code
 * wait}) run, so they hold none of the request threads. The Manager's blocking calls are synchronous
 * and each holds a Redis connection while it waits, so there are as many waiters as the object
 * store has blocking connections ({@value ObjectStore#MAX_WAITERS}) and no more: one more caller is
 * told so at once (503) instead of queueing behind them. (Java 17 has no virtual threads; task
 * results, by long poll or stream, wait on one shared pump instead and take no thread each.)
 */
final class ObjectWaiters implements AutoCloseable {
    private final AtomicInteger names = new AtomicInteger();
    private final ThreadPoolExecutor pool =
            new ThreadPoolExecutor(0, ObjectStore.MAX_WAITERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "http-object-wait-" + names.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /** Runs {@code call} on a waiter and answers {@code ex} with its value or its error. */
    void run(Exchange ex, ObjectRoutes.Checked<Object> call) {
        try {
            pool.execute(() -> ParkedCall.answer(ex, call));
        } catch (RejectedExecutionException full) {
            throw new ApiException(
                    503,
                    "busy",
                    "this coordinator already has " + ObjectStore.MAX_WAITERS
                            + " object calls waiting; retry, or send blocking calls to another coordinator",
                    Map.of("waiting", pool.getActiveCount()));
        }
    }

    /** Object calls waiting now. */
    int waiting() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
