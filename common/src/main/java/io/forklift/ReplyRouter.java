package io.forklift;

import io.forklift.redis.Backoff;
import io.forklift.redis.Redis;
import io.forklift.redis.Replies;
import io.forklift.wire.Authkey;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's reply thread: pops replies from this client's reply list of every queue it used
 * (many per round trip) and completes the waiting results. Callbacks do not run here; they run on
 * the callback thread, so a callback that blocks on another result cannot stall delivery.
 *
 * <p>One reader pops at a time ({@code reading}): this thread while results are waited for, or a
 * caller of {@code apply} waiting for its own result while this thread does not read ({@link
 * #awaitOwn}). Such a caller pops its reply itself, so the reply's arrival wakes it directly instead
 * of waking this thread, which then wakes the caller: one thread hand-off fewer per round trip. With
 * nothing waited for, this thread sleeps in the JVM rather than in a blocking pop, so an idle client
 * sends Redis nothing.
 */
final class ReplyRouter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReplyRouter.class);
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final int MAX_BATCH = 1000;
    /**
     * How long a caller reads for its own reply before leaving it to this thread, and its blocking pops
     * meanwhile: short, as a caller in a pop sees its interrupt or a terminate() only when the pop returns.
     */
    private static final Duration CALLER_READS = Duration.ofSeconds(1);

    private static final Duration CALLER_BLOCK = Duration.ofMillis(100);

    private final Redis redis;
    private final ReplyOpener opener;
    private final Replies replies;
    private final Executor callbackThread;
    private final Set<String> queues = new CopyOnWriteArraySet<>();
    private final ConcurrentHashMap<String, PendingTask<?>> waiting = new ConcurrentHashMap<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private final Semaphore reading = new Semaphore(1); // who pops: this thread or a caller in awaitOwn
    private final AtomicLong readByCallers = new AtomicLong();
    private final AtomicLong callerLostRedisAt = new AtomicLong(); // when a caller's pop failed; 0: none since
    private volatile boolean idle; // this thread sleeps until a result is waited for
    private volatile boolean stopping;
    private volatile Thread thread;

    ReplyRouter(Redis redis, String clientId, Authkey authkey, Executor callbackThread) {
        this.redis = redis;
        this.opener = new ReplyOpener(authkey, clientId, this::fail);
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
        if (t != null) {
            LockSupport.unpark(t);
            t.join();
        }
    }

    /** Registers a task before it is submitted. */
    void expect(String taskId, PendingTask<?> task) {
        waiting.put(taskId, task);
        if (idle) LockSupport.unpark(thread);
    }

    /**
     * Registers a task whose caller will wait for it in {@link #awaitOwn}: this thread is not woken for
     * it, so the caller may read its reply itself.
     */
    void expectOwn(String taskId, PendingTask<?> task) {
        waiting.put(taskId, task);
    }

    /**
     * Waits for {@code result}: pops replies on this caller's thread while no one else reads (for up to
     * {@link #CALLER_READS}), delivering whatever comes, then leaves the rest to the reply thread. A
     * failed pop leaves the reading to the reply thread too, which rides out outages: the caller sees
     * its task's result or failure only, as before, never Redis's.
     */
    <R> R awaitOwn(AsyncResult<R> result) throws InterruptedException {
        if (!result.ready() && reading.tryAcquire()) {
            try {
                long until = System.nanoTime() + CALLER_READS.toNanos();
                while (!result.ready() && !stopping && System.nanoTime() < until) {
                    if (Thread.interrupted()) throw new InterruptedException();
                    List<String> popped = replies.pop(queues, MAX_BATCH, CALLER_BLOCK);
                    if (!popped.isEmpty()) {
                        readByCallers.addAndGet(popped.size());
                        deliver(popped);
                    }
                }
            } catch (RuntimeException redisTrouble) {
                // the reply thread reads from here on, with its backoff, and recovers what a broken pop lost
                callerLostRedisAt.compareAndSet(0, System.currentTimeMillis());
            } finally {
                reading.release();
                if (!waiting.isEmpty()) LockSupport.unpark(thread);
            }
        }
        return result.get();
    }

    /** Replies popped by callers waiting for their own result (for tests). */
    long readByCallers() {
        return readByCallers.get();
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
            long callerLost = callerLostRedisAt.getAndSet(0);
            if (callerLost != 0 && !outage) { // a reply a caller popped as its connection broke may be lost
                outage = true;
                outageStartedMillis = callerLost;
            }
            if (waiting.isEmpty()) {
                sleepUntilWaitedFor();
                continue;
            }
            try {
                if (!reading.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) continue; // a caller reads
            } catch (InterruptedException e) {
                return;
            }
            if (waiting.isEmpty()) { // a caller read what was waited for
                reading.release();
                continue;
            }
            boolean failed = true;
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
                failed = false;
            } catch (RedisUnavailableException e) {
                if (!outage) {
                    log.warn(
                            "reply listener lost Redis at {}: {}; retrying with backoff",
                            redis.where(),
                            e.getMessage());
                    outageStartedMillis = System.currentTimeMillis();
                }
                outage = true;
            } catch (RuntimeException e) {
                log.error("reply listener failed; continuing", e);
            } finally {
                reading.release();
            }
            if (failed && !backoff.pause()) return;
        }
    }

    /** Sleeps until {@link #expect} registers a task (or a while, in case its wake-up came in between). */
    private void sleepUntilWaitedFor() {
        idle = true;
        if (waiting.isEmpty()) LockSupport.parkNanos(BLOCK.toNanos());
        idle = false;
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

    /** Replies refused by their signature since this client connected. */
    long refusedReplies() {
        return opener.refused();
    }

    /** Settles the tasks of one batch of replies; their callbacks go to the callback thread in one hand-off. */
    private void deliver(List<String> replies) {
        List<Runnable> callbacks = new ArrayList<>();
        for (String stored : replies) {
            Reply reply = opener.open(stored);
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
