package io.forklift.manager;

import io.forklift.redis.PipeScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's holds on pipe ends alive: every third of a pipe's lease, one script call per
 * pipe renews all the holds this process has on it. A hold found gone (this process was paused past
 * its lease and the other end saw it closed) marks its end lost. One daemon thread, started with
 * the first hold; {@link #releaseAll()} ends every hold, as a process's exit closes its pipes.
 */
final class HoldRenewer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HoldRenewer.class);
    private static final long TICK_MS = 100;

    private final ObjectStore store;
    /** Per pipe: its holds here, and when they are next renewed (System.nanoTime()). */
    private final Map<ObjectRef, Held> pipes = new ConcurrentHashMap<>();

    private ScheduledExecutorService timer;

    private record Held(Map<String, PipeEndProxy> ends, long periodNanos, long[] due) {}

    HoldRenewer(ObjectStore store) {
        this.store = store;
    }

    /** Starts renewing {@code end}'s hold (already bound) every third of {@code leaseMillis}. */
    synchronized void add(PipeEndProxy end, long leaseMillis) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "forklift-pipe-holds");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::renewDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
        long period = TimeUnit.MILLISECONDS.toNanos(leaseMillis) / 3;
        pipes.computeIfAbsent(
                        end.pipe(),
                        p -> new Held(new ConcurrentHashMap<>(), period, new long[] {System.nanoTime() + period}))
                .ends()
                .put(end.hold(), end);
    }

    void remove(PipeEndProxy end) {
        Held held = pipes.get(end.pipe());
        if (held != null) held.ends().remove(end.hold());
    }

    /** Closes every end this process holds (a task's end, or this process's). */
    void releaseAll() {
        for (Held held : pipes.values()) {
            for (PipeEndProxy end : new ArrayList<>(held.ends().values())) end.close();
        }
    }

    private void renewDue() {
        long now = System.nanoTime();
        pipes.forEach((pipe, held) -> {
            if (held.ends().isEmpty() || now - held.due()[0] < 0) return;
            held.due()[0] = now + held.periodNanos();
            try {
                List<String> lost = store.run(
                        pipe,
                        store.pipes.hold(
                                store.keys(pipe),
                                PipeScripts.HoldOp.RENEW,
                                new ArrayList<>(held.ends().keySet())));
                for (String hold : lost) {
                    PipeEndProxy end = held.ends().remove(hold);
                    if (end != null) end.lost();
                }
            } catch (RuntimeException e) {
                // Redis unreachable or the pipe deleted: try again next period; a hold that expires meanwhile is lost.
                log.warn("could not renew the holds on {}: {}", pipe, e.getMessage());
            }
        });
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
