package io.forklift.coordinator.http;

import io.forklift.RedisUnavailableException;
import io.forklift.redis.Backoff;
import io.forklift.redis.ReplyLists;
import io.forklift.redis.ReplyLists.Inbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that waits on Redis for every HTTP client blocked on this coordinator (long polls and
 * event streams), so a thousand waiting clients cost a thousand small objects, not a thousand
 * threads or Redis connections: it pops from whichever of their reply lists has replies
 * ({@code BLMPOP} over all of them) and hands what it popped to a waiter of that inbox. Replies no
 * waiter takes (it gave up or disconnected meanwhile) go back to the front of their list. A new
 * waiter pushes a token on this coordinator's wake list, so a blocked pop starts again with it.
 */
final class ReplyPump implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplyPump.class);
    private static final Duration BLOCK = Duration.ofSeconds(1);
    static final int MAX_BATCH = 1000;

    /** A blocked HTTP client: the inboxes it waits on, and how it takes replies. */
    interface Waiter {
        List<Inbox> inboxes();

        /** Takes replies popped from {@code inbox} (as stored); false, taking none, when it is gone. */
        boolean offer(Inbox inbox, List<String> replies);
    }

    private final ReplyLists lists;
    private final String wakeKey;
    private final ConcurrentHashMap<Inbox, CopyOnWriteArrayList<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private final Thread thread;
    private volatile boolean inRedis;
    private volatile boolean stopping;

    ReplyPump(ReplyLists lists, String wakeKey) {
        this.lists = lists;
        this.wakeKey = wakeKey;
        this.thread = new Thread(this::run, "http-reply-pump");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Waiters now blocked on this coordinator. */
    int waiters() {
        java.util.Set<Waiter> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        waiting.values().forEach(all::addAll);
        return all.size();
    }

    void add(Waiter w) {
        for (Inbox inbox : w.inboxes())
            waiting.computeIfAbsent(inbox, i -> new CopyOnWriteArrayList<>()).add(w);
        synchronized (this) {
            notifyAll();
        }
        if (inRedis && wakePending.compareAndSet(false, true)) {
            try {
                lists.wake(wakeKey);
            } catch (RuntimeException e) {
                wakePending.set(false); // the pump's next pop (within a second) includes the waiter anyway
            }
        }
    }

    void remove(Waiter w) {
        for (Inbox inbox : w.inboxes()) {
            waiting.computeIfPresent(inbox, (i, ws) -> {
                ws.remove(w);
                return ws.isEmpty() ? null : ws;
            });
        }
    }

    /** Replies a waiter took but could not pass on: back to the front of their list. */
    void giveBack(Inbox inbox, List<String> replies) {
        try {
            lists.giveBack(new ReplyLists.Popped(inbox, replies));
        } catch (RuntimeException e) {
            log.warn(
                    "{} replies for client {} could not go back to their list ({}); they stay in the results "
                            + "hashes, where the client finds them by id",
                    replies.size(),
                    inbox.client(),
                    e.getMessage());
        }
    }

    private void run() {
        while (!stopping) {
            try {
                List<Inbox> inboxes = new ArrayList<>(waiting.keySet());
                if (inboxes.isEmpty()) {
                    synchronized (this) {
                        if (waiting.isEmpty() && !stopping) wait(BLOCK.toMillis());
                    }
                    continue;
                }
                wakePending.set(false);
                inRedis = true;
                ReplyLists.Popped popped;
                try {
                    popped = lists.popOrWait(inboxes, wakeKey, MAX_BATCH, BLOCK);
                } finally {
                    inRedis = false;
                }
                backoff.reset();
                if (popped != null) hand(popped);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RedisUnavailableException e) {
                log.warn("the HTTP reply pump cannot reach Redis ({}); retrying with backoff", e.getMessage());
                if (!backoff.pause()) return;
            } catch (RuntimeException e) {
                log.error("the HTTP reply pump failed; continuing", e);
                if (!backoff.pause()) return;
            }
        }
    }

    private void hand(ReplyLists.Popped popped) {
        List<Waiter> ws = waiting.get(popped.inbox());
        if (ws != null) {
            for (Waiter w : ws) {
                if (w.offer(popped.inbox(), popped.replies())) return;
            }
        }
        giveBack(popped.inbox(), popped.replies());
    }

    @Override
    public void close() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(BLOCK.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
