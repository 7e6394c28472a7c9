package io.forklift;

import io.forklift.redis.Backoff;
import io.forklift.redis.Outage;
import io.forklift.redis.Redis;
import io.forklift.redis.ScriptBatch;
import io.forklift.redis.TaskScripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's submit thread: takes task messages from an outbox and stores them with
 * {@code submit.lua}, as many as have gathered per round trip, so submitting N tasks in a loop costs
 * about N / batch round trips. A batch Redis refuses fails each of its tasks' results. While Redis
 * is unreachable, a task is retried with backoff until its {@code submitWait} has passed (zero: it
 * fails at once); the outage is logged once, and its length when it ends.
 */
final class Submitter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);
    private static final int MAX_BATCH = 1000;

    /**
     * One task waiting to be stored, until {@code deadlineNanos} if Redis is unreachable; {@code
     * resent}: a round trip that failed may have stored it already.
     */
    record Outgoing(String queue, String pool, String id, String json, long deadlineNanos, boolean resent) {
        Outgoing maybeStored() {
            return resent ? this : new Outgoing(queue, pool, id, json, deadlineNanos, true);
        }
    }

    private final Redis redis;
    private final TaskScripts scripts;
    private final ReplyRouter router;
    private final long waitNanos;
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
    private final Outage outage = new Outage();
    private final Object progress = new Object();
    private long handedOver; // tasks given to send(), and of those, stored or failed (under progress)
    private long settled;
    private volatile boolean stopping;
    private volatile boolean reachable = true; // the last round trip answered: callers may store their own task

    Submitter(Redis redis, ReplyRouter router, Duration submitWait) {
        this.redis = redis;
        this.scripts = new TaskScripts(redis.keys());
        this.router = router;
        this.waitNanos = submitWait.toNanos();
    }

    /** Hands over a task of {@code pool} (a capped pool's id, "" for none) to be stored. */
    void send(String queue, String pool, String id, String json) {
        if (stopping) throw new IllegalStateException("this Forklift client is closed");
        synchronized (progress) {
            handedOver++;
        }
        outbox.add(new Outgoing(queue, pool, id, json, System.nanoTime() + waitNanos, false));
    }

    /**
     * Stores a task on the caller's thread, for a caller that waits for its result anyway: one
     * thread hand-off less per round trip. Only when every task handed over before it is stored
     * (so one thread's tasks keep their order) and Redis answered last time; otherwise, or if this
     * round trip fails, the task goes to the submit thread as {@link #send} would.
     */
    void sendFromCaller(String queue, String pool, String id, String json) {
        boolean mine;
        synchronized (progress) {
            mine = !stopping && reachable && settled == handedOver;
            if (mine) handedOver++;
        }
        if (!mine) {
            send(queue, pool, id, json);
            return;
        }
        Outgoing task = new Outgoing(queue, pool, id, json, System.nanoTime() + waitNanos, false);
        try {
            store(List.of(task));
            settled(1);
        } catch (RedisUnavailableException e) {
            reachable = false; // the submit thread logs the outage, retries with backoff and fails it in time
            outbox.add(task.maybeStored());
        } catch (RuntimeException e) {
            refused(List.of(task), e);
        }
    }

    /**
     * Waits until every task handed over before this call is stored or has failed, so a
     * revocation that follows finds it in Redis. Bounded by the submit wait and the Redis timeout.
     */
    void flush() {
        long deadline = System.nanoTime() + waitNanos + redis.timeout().toNanos() * 2;
        synchronized (progress) {
            long target = handedOver;
            try {
                while (settled < target && System.nanoTime() - deadline < 0) {
                    progress.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code n} handed-over tasks were stored or failed. */
    private void settled(int n) {
        synchronized (progress) {
            settled += n;
            progress.notifyAll();
        }
    }

    /** Stops after storing what is already in the outbox (waiting out submitWait if Redis is down). */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Outgoing first = outbox.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (stopping) return;
                        continue;
                    }
                    batch.add(first);
                }
                outbox.drainTo(batch, MAX_BATCH - batch.size());
                store(batch);
                outageEnded();
                reachable = true;
                settled(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RedisUnavailableException e) {
                outageStarted(e);
                long now = System.nanoTime();
                RedisUnavailableException why = unanswered(e);
                int before = batch.size();
                batch.removeIf(t -> {
                    if (now - t.deadlineNanos() < 0) return false;
                    router.fail(t.id(), why);
                    return true;
                });
                settled(before - batch.size());
                batch.replaceAll(Outgoing::maybeStored);
                if (!batch.isEmpty() && !backoff.pause()) return;
            } catch (RuntimeException e) {
                refused(batch, e);
                batch.clear();
            }
        }
    }

    /** Redis answered the submit with an error (out of memory, say): its tasks fail with it. */
    private void refused(List<Outgoing> tasks, RuntimeException e) {
        log.error("submitting {} tasks failed: {}", tasks.size(), e.getMessage());
        for (Outgoing t : tasks) router.fail(t.id(), e);
        settled(tasks.size());
    }

    /**
     * A submit that was sent and timed out waiting for the answer may still be stored (a hung Redis
     * runs what it had buffered when it resumes): the error says so, as nothing here can tell.
     */
    private static RedisUnavailableException unanswered(RedisUnavailableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException && "Read timed out".equals(t.getMessage())) {
                return new RedisUnavailableException(
                        e.getMessage() + ". The submit was sent but not answered: Redis may still store "
                                + "it once it recovers, and then the task runs, though this program no longer hears of it",
                        e);
            }
        }
        return e;
    }

    private void outageStarted(RedisUnavailableException e) {
        if (!outage.begins()) return;
        log.error(
                "submits cannot reach Redis ({}); {}",
                e.getMessage(),
                waitNanos == 0
                        ? "they fail at once (ForkliftOptions.submitWait is zero)"
                        : "each is retried for up to " + Duration.ofNanos(waitNanos) + " (ForkliftOptions.submitWait)");
    }

    private void outageEnded() {
        long lasted = outage.endsAfterMillis();
        if (lasted < 0) return;
        log.info("submits reach Redis at {} again after {} ms", redis.where(), lasted);
        backoff.reset();
    }

    /** One round trip; a batch with a task a failed one may have stored skips the tasks already stored. */
    private void store(List<Outgoing> batch) {
        boolean retrying = batch.stream().anyMatch(Outgoing::resent);
        Map<List<String>, List<TaskScripts.Stored>> byLane = new LinkedHashMap<>(); // (queue, pool) -> tasks
        for (Outgoing t : batch) {
            byLane.computeIfAbsent(List.of(t.queue(), t.pool()), l -> new ArrayList<>())
                    .add(new TaskScripts.Stored(t.id(), t.json()));
        }
        ScriptBatch trip = new ScriptBatch();
        byLane.forEach((lane, tasks) -> trip.add(scripts.submit(lane.get(0), retrying, lane.get(1), tasks)));
        trip.runAcknowledged(redis);
    }
}
