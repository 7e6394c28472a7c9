package io.forklift.manager;

import io.forklift.redis.LockScripts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's holds on locks, rlocks and semaphores alive: every third of a lock's lease,
 * one lock_renew call per lock renews all the holds this process has on it. A hold found gone (the
 * process was paused or cut off past its lease) is marked lost, so its release returns false. One
 * daemon thread, started with the first hold. It also keeps the registry of holds, by lock and holder.
 */
final class LockRenewer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LockRenewer.class);
    private static final long TICK_MS = 50;

    final LockScripts scripts = new LockScripts();
    private final ObjectStore store;
    private final Map<ObjectRef, Holds> locks = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    /** One lock's holds here, its renewal period and when it is next due (System.nanoTime()). */
    private static final class Holds {
        final Map<String, LockHold> holds = new ConcurrentHashMap<>();
        final long periodNanos;
        volatile long due;
        volatile boolean failing; // logged once per outage

        Holds(long leaseMillis) {
            periodNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis) / 3;
            due = System.nanoTime() + periodNanos;
        }
    }

    LockRenewer(ObjectStore store) {
        this.store = store;
    }

    LockHold get(ObjectRef lock, String holder) {
        Holds r = locks.get(lock);
        return r == null ? null : r.holds.get(holder);
    }

    synchronized void add(LockHold hold, long leaseMillis) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "forklift-lock-holds");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::renewDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
        locks.computeIfAbsent(hold.lock(), l -> new Holds(leaseMillis)).holds.put(hold.holder(), hold);
    }

    void remove(LockHold hold) {
        Holds r = locks.get(hold.lock());
        if (r != null) r.holds.remove(hold.holder(), hold);
    }

    /**
     * Releases every hold this process has, as its exit would (else they end with their lease): a
     * child calls it after each task, so a task that ends holding a lock does not keep it.
     */
    void releaseAll() {
        locks.forEach((lock, r) -> r.holds.values().forEach(h -> {
            boolean rlock = lock.kind().equals("rlock");
            try {
                for (int i = 0; !h.lost() && i < (rlock ? h.count() : 1); i++) {
                    int permits = rlock ? 1 : h.count();
                    store.run(lock, scripts.release(store.keys(lock), lock.kind(), h.holder(), h.fence(), permits));
                }
            } catch (RuntimeException e) {
                log.warn(
                        "could not release the hold of {} on {}; it ends with its lease: {}",
                        h.holder(),
                        lock,
                        e.getMessage());
            }
            h.markLost(); // the thread's own release now returns false instead of releasing twice
            r.holds.remove(h.holder(), h);
        }));
    }

    private void renewDue() {
        long now = System.nanoTime();
        locks.forEach((lock, r) -> {
            if (r.holds.isEmpty() || now - r.due < 0) return;
            r.due = now + r.periodNanos;
            Map<String, LockHold> sent = new HashMap<>(r.holds);
            sent.values().removeIf(hold -> hold.lost() || hold.ending());
            if (sent.isEmpty()) return;
            Map<String, Long> fences = new HashMap<>();
            sent.forEach((h, hold) -> fences.put(h, hold.fence()));
            try {
                LockScripts.Renewed got =
                        store.run(lock, scripts.renew(store.keys(lock), lock.kind(), fences, List.of()));
                if (r.failing) log.info("renewing the holds on {} again", lock);
                r.failing = false;
                for (String h : got.lost()) {
                    LockHold hold = sent.get(h);
                    if (hold.ending()) continue; // released while this renewal was on its way
                    // this exact hold (the thread may hold the lock again with a newer fence); it stays
                    // registered, so that its holder's release finds it and returns false
                    hold.markLost();
                    log.warn(
                            "the hold of {} on {} ran out (fence {}): this process was paused or cut off past"
                                    + " its lease",
                            h,
                            lock,
                            hold.fence());
                }
            } catch (RuntimeException e) {
                // Redis unreachable or the lock deleted: try again next tick; a hold that expires meanwhile is lost.
                r.due = now + TimeUnit.MILLISECONDS.toNanos(4 * TICK_MS);
                if (!r.failing) log.warn("could not renew the holds on {}: {}", lock, e.getMessage());
                r.failing = true;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }
}
