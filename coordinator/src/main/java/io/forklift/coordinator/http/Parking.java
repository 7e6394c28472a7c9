package io.forklift.coordinator.http;

import io.forklift.redis.Redis;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where HTTP calls that wait are parked ({@link ParkedCall}): the {@link ReadySignals} that wake
 * them and the few threads their retries run on (each retry is one short non-blocking call, so a
 * handful serve any number of parked callers). A new kind of waiting call needs only a key that its
 * counterpart's script names on the ready channel (includes/ready.lua, or a state list turned on)
 * and a non-blocking attempt: see {@link ObjectOp#parked}.
 */
final class Parking implements AutoCloseable {
    /** Threads that run retries: enough to overlap Redis round trips while a crowd is let through. */
    static final int TRY_THREADS = 16;

    private final AtomicInteger names = new AtomicInteger();
    private final ExecutorService tries =
            new ThreadPoolExecutor(TRY_THREADS, TRY_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "http-parked-try-" + names.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private final ScheduledExecutorService timer;
    private final ReadySignals signals;

    /** {@code redis}: one connection of it stays subscribed to the ready channel. */
    Parking(Redis redis, ScheduledExecutorService timer) {
        this.timer = timer;
        this.signals = new ReadySignals(redis, timer);
        ((ThreadPoolExecutor) tries).allowCoreThreadTimeOut(true);
    }

    /** Answers {@code ex} once {@code wait} gets through or times out; see {@link ParkedCall}. */
    void start(Exchange ex, ParkedCall.Wait wait) {
        ParkedCall.start(ex, wait, signals, tries, timer);
    }

    /** Calls parked now. */
    int waiting() {
        return signals.waiting();
    }

    @Override
    public void close() {
        signals.close();
        tries.shutdownNow();
    }
}
