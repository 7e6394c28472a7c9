package io.forklift;

import io.forklift.redis.Backoff;
import io.forklift.redis.Redis;
import io.forklift.redis.Replies;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's reply thread: pops replies from this client's reply list of every queue it used
 * (many per round trip) and completes the waiting results. Callbacks do not run here; they run on
 * the callback thread, so a callback that blocks on another result cannot stall delivery.
 */
final class ReplyRouter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final int MAX_BATCH = 1000;

    private final Redis redis;
    private final String clientId;
    private final Authkey authkey;
    private final Replies replies;
    private final Executor callbackThread;
    private final Set<String> queues = new CopyOnWriteArraySet<>();
    private final ConcurrentHashMap<String, PendingTask<?>> waiting = new ConcurrentHashMap<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopping;
    private Thread thread;

    ReplyRouter(Redis redis, String clientId, Authkey authkey, Executor callbackThread) {
        this.redis = redis;
        this.clientId = clientId;
        this.authkey = authkey;
        this.replies = new Replies(redis, clientId);
        this.callbackThread = callbackThread;
    }

    /** Adds the queue's reply list of this client; the thread starts with the first queue. */
    synchronized void listen(String queue) {
        queues.add(queue);
        if (thread == null) {
            thread = new Thread(this, "forklift-replies");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops listening and waits for the thread to end. */
    void stop() throws InterruptedException {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) t.join();
    }

    /** Registers a task before it is submitted. */
    void expect(String taskId, PendingTask<?> task) {
        waiting.put(taskId, task);
    }

    /** The task never reached Redis, or its pool was terminated. */
    void fail(String taskId, Throwable error) {
        PendingTask<?> task = waiting.remove(taskId);
        if (task == null) return;
        Runnable settle = task.fail(error);
        if (task.hasCallbacks()) callbackThread.execute(settle);
        else settle.run();
    }

    /** The queue of a task still waited for; null once it is settled. */
    String queueOf(String taskId) {
        PendingTask<?> task = waiting.get(taskId);
        return task == null ? null : task.pool.queue();
    }

    /** Ids of the tasks of {@code pool} (and the pools derived with it) still waited for. */
    java.util.List<String> waitingFor(PoolLifecycle pool) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        waiting.forEach((id, task) -> {
            if (task.pool == pool) ids.add(id);
        });
        return ids;
    }

    @Override
    public void run() {
        boolean outage = false;
        long outageStartedMillis = 0;
        while (!stopping) {
            try {
                List<String> popped = replies.pop(queues, MAX_BATCH, BLOCK);
                if (outage) {
                    log.info(
                            "reply listener reconnected to Redis at {} after {} ms",
                            redis.where(),
                            System.currentTimeMillis() - outageStartedMillis);
                    outage = false;
                    backoff.reset();
                    recoverFromResults(outageStartedMillis);
                }
                if (!popped.isEmpty()) deliver(popped);
            } catch (RedisUnavailableException e) {
                if (!outage) {
                    log.warn(
                            "reply listener lost Redis at {}: {}; retrying with backoff",
                            redis.where(),
                            e.getMessage());
                    outageStartedMillis = System.currentTimeMillis();
                }
                outage = true;
                if (!backoff.pause()) return;
            } catch (RuntimeException e) {
                log.error("reply listener failed; continuing", e);
                if (!backoff.pause()) return;
            }
        }
    }

    /**
     * A reply popped just as the connection broke never arrives, but its result is also stored in
     * the queue's per-minute results hash: look up every task still waited for in the hashes of the
     * minutes around the outage, and settle those found.
     */
    private void recoverFromResults(long outageStartedMillis) {
        if (waiting.isEmpty()) return;
        List<String> ids = new ArrayList<>(waiting.keySet());
        long firstMinute = outageStartedMillis / 60_000 - 2;
        long lastMinute = System.currentTimeMillis() / 60_000 + 1;
        List<String> found = replies.findResults(queues, firstMinute, lastMinute, ids);
        if (!found.isEmpty()) log.info("recovered {} results whose replies were lost in the outage", found.size());
        deliver(found);
    }

    /**
     * A reply as stored, checked: with an authkey, one not signed for this client (pushed by hand,
     * altered, meant for another client) is refused and counted; null for a reply that is refused
     * or unreadable.
     */
    private Reply read(String stored) {
        String json;
        try {
            json = Reply.open(authkey, clientId, stored);
        } catch (Authkey.BadSignatureException e) {
            refused.incrementAndGet();
            log.warn(
                    "refused a reply ({} bytes): {}; the task's real result still counts",
                    stored.length(),
                    e.getMessage());
            return null;
        }
        try {
            return Json.MAPPER.readValue(json, Reply.class);
        } catch (Exception e) {
            String id = idOf(json);
            log.error("an unreadable reply ({} bytes) for task {}: {}", json.length(), id, e.getMessage());
            if (id != null) {
                fail(
                        id,
                        RemoteTaskException.of(
                                id,
                                RemoteError.of(
                                        ResultTooLargeException.class,
                                        "the result of task "
                                                + id + " could not be read here (" + e.getMessage()
                                                + "): too large or too deeply nested;"
                                                + " return a reference to large data instead")));
            }
            return null;
        }
    }

    /** The task id a reply names, read before whatever made it unreadable; null when even that fails. */
    private static String idOf(String json) {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) return null;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if ("id".equals(field))
                    return value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            }
        } catch (Exception unreadable) {
            // the id comes first in every reply Forklift writes; past it, give up
        }
        return null;
    }

    /** Replies refused by their signature since this client connected. */
    long refusedReplies() {
        return refused.get();
    }

    /** Settles the tasks of one batch of replies; their callbacks go to the callback thread in one hand-off. */
    private void deliver(List<String> replies) {
        List<Runnable> callbacks = new ArrayList<>();
        for (String stored : replies) {
            Reply reply = read(stored);
            if (reply == null) continue;
            PendingTask<?> task = waiting.remove(reply.id());
            if (task == null) continue; // terminated pool, or a reply delivered before
            Runnable settle;
            if (reply.ok()) {
                settle = task.succeed(reply.result());
            } else {
                RemoteError error = reply.error() != null
                        ? reply.error()
                        : RemoteError.of("unknown", "the task failed without an error");
                settle = task.fail(RemoteTaskException.of(reply.id(), error));
            }
            if (task.hasCallbacks()) callbacks.add(settle);
            else settle.run();
        }
        if (!callbacks.isEmpty()) callbackThread.execute(() -> callbacks.forEach(Runnable::run));
    }
}
