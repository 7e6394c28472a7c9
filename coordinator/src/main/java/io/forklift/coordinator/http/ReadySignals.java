package io.forklift.coordinator.http;

import io.forklift.redis.Backoff;
import io.forklift.redis.ReadyChannel;
import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who waits on which key, and one subscription that wakes them: the scripts that make a key ready
 * (a put, a take making room, an event set, a Process's end) name it on the ready channel, and this
 * coordinator wakes the first caller parked on that key (in arrival order, the first not retrying
 * already) to retry its own non-blocking call, or the first n when the message says n may get
 * through (a queue holding n values), so a burst of puts lets a crowd through at once rather than
 * one caller after another. A caller that got through passes the wake on ({@link #passOn}), so
 * each value put wakes one caller, not all of them. A message can be missed
 * (while the subscription is reconnecting, or when another coordinator's caller won the race), so
 * every key's first caller is also woken every {@link #FALLBACK}, and once the subscription is back.
 * Costs one thread and one connection per coordinator, however many callers wait.
 */
final class ReadySignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadySignals.class);
    /** How long a missed message can delay a caller. */
    static final Duration FALLBACK = Duration.ofSeconds(1);

    /** A caller parked on a key. */
    interface Waiter {
        /** Retries its call soon, off the caller's thread. */
        void wake();

        /** Whether it has no retry running or due (a wake would start one). */
        boolean idle();
    }

    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Waiter>> waiting = new ConcurrentHashMap<>();
    private final ReadyChannel channel;
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private final Thread thread;
    private volatile boolean stopping;

    ReadySignals(Redis redis, ScheduledExecutorService timer) {
        this.channel = new ReadyChannel(redis, this::ready, this::subscribed);
        this.thread = new Thread(this::run, "http-ready-signals");
        this.thread.setDaemon(true);
        this.thread.start();
        timer.scheduleWithFixedDelay(
                this::wakeEveryKey, FALLBACK.toMillis(), FALLBACK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Parks {@code w} on {@code key}, last in line; it must try its call after this, not before. */
    void add(String key, Waiter w) {
        waiting.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(w);
    }

    void remove(String key, Waiter w) {
        waiting.computeIfPresent(key, (k, ws) -> {
            ws.remove(w);
            return ws.isEmpty() ? null : ws;
        });
    }

    /**
     * A caller left {@code key}: the next in line not retrying tries, or all do. When every caller
     * is retrying already, none is made to try again unless {@code again} (the caller left without
     * trying, so a readiness it was woken for may be unseen); one that got through used its
     * readiness, and any later one is named on the channel.
     */
    void passOn(String key, boolean all, boolean again) {
        ConcurrentLinkedQueue<Waiter> ws = waiting.get(key);
        if (ws == null) return;
        if (all) ws.forEach(Waiter::wake);
        else wake(key, 1, again);
    }

    /** Callers parked now. */
    int waiting() {
        int n = 0;
        for (ConcurrentLinkedQueue<Waiter> ws : waiting.values()) n += ws.size();
        return n;
    }

    private void wakeFirst(String key) {
        wake(key, 1, true);
    }

    /** What the channel names: {@code n} callers of {@code key} may get through. */
    private void ready(String key, int n) {
        wake(key, n, true);
    }

    /**
     * Wakes the first {@code n} callers on {@code key} not already retrying, so that quick readiness
     * overlaps; when every caller is retrying and {@code again}, the first tries once more after its
     * try (the readiness may have come after it read).
     */
    private void wake(String key, int n, boolean again) {
        ConcurrentLinkedQueue<Waiter> ws = waiting.get(key);
        if (ws == null) return;
        Waiter first = null;
        int woken = 0;
        for (Waiter w : ws) {
            if (first == null) first = w;
            if (w.idle()) {
                w.wake();
                if (++woken == n) return;
            }
        }
        if (woken == 0 && again && first != null) first.wake();
    }

    private void wakeEveryKey() {
        try {
            for (String key : new ArrayList<>(waiting.keySet())) wakeFirst(key);
        } catch (RuntimeException e) {
            log.error("waking parked HTTP callers failed; the next round tries again", e);
        }
    }

    private void run() {
        while (!stopping) {
            try {
                channel.listen(); // returns only when stopped
            } catch (RuntimeException e) {
                if (stopping) return;
                log.warn(
                        "the ready channel is cut off ({}); parked HTTP callers retry every {} until it is back",
                        e.getMessage(),
                        FALLBACK);
            }
            if (!stopping && !backoff.pause()) return;
        }
    }

    private void subscribed() {
        backoff.reset();
        wakeEveryKey(); // what was published while unsubscribed was missed
    }

    @Override
    public void close() {
        stopping = true;
        channel.stop();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
