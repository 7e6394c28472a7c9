package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.TaskScripts;
import io.forklift.redis.WakeClaim;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits in Redis, so an idle worker does not poll: when armed, blocks on the wake lists of the served
 * queues (a submit leaves a token there) and posts a {@link WorkerEvent.Wake} when a token comes or
 * after {@code --idle-check} without one (a safety net for a token another worker took). Serving one
 * queue, it can also park a claim behind the wait ({@link WakeClaim}): the token then brings the
 * tasks with it, a round trip sooner.
 */
final class Waker implements Runnable, Waking {
    private static final Logger log = LoggerFactory.getLogger(Waker.class);

    private final Queues queues;
    private final List<String> served;
    private final Duration idleCheck;
    private final BlockingQueue<WorkerEvent> events;
    private final Fetcher fetcher;
    private final WakeClaim wakeClaim; // null when serving several queues
    private final Semaphore armed = new Semaphore(0);
    private final AtomicReference<Parked> parked = new AtomicReference<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private volatile boolean stopping;

    /** A claim to run as the wait ends: its trip, and the script call built (and fenced) when parked. */
    private record Parked(Trip trip, io.forklift.redis.ScriptCall<TaskScripts.Claimed> claim) {}

    Waker(Redis redis, List<String> queues, Duration idleCheck, BlockingQueue<WorkerEvent> events, Fetcher fetcher) {
        this.queues = new Queues(redis);
        this.served = List.copyOf(queues);
        this.idleCheck = idleCheck;
        this.events = events;
        this.fetcher = fetcher;
        this.wakeClaim = served.size() == 1 ? new WakeClaim(redis, served.get(0)) : null;
    }

    /** Asks for one wake-up; arming twice before it fires still gives one. */
    @Override
    public void arm() {
        if (armed.availablePermits() == 0) armed.release();
    }

    @Override
    public boolean park(Trip trip) {
        if (wakeClaim == null) return false;
        parked.set(new Parked(trip, fetcher.claimOnWake(trip)));
        arm();
        return true;
    }

    /** Returns at once: the unblock goes from a thread of its own, so a Redis outage never stalls the caller. */
    @Override
    public void unpark() {
        if (wakeClaim == null) return;
        Thread t = new Thread(wakeClaim::unpark, "worker-unpark");
        t.setDaemon(true);
        t.start();
    }

    void stop() {
        stopping = true;
        armed.release();
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                armed.acquire();
                armed.drainPermits();
                if (stopping) return;
                Parked claim = parked.getAndSet(null);
                if (claim != null) {
                    events.add(claimOnWake(claim));
                    continue;
                }
                queues.awaitWake(served, idleCheck);
                backoff.reset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.debug("waker: Redis did not answer ({}); the fetcher reports outages", e.getMessage());
                if (!backoff.pause()) return;
            }
            events.add(new WorkerEvent.Wake());
        }
    }

    /** Waits with the claim behind; a failure is the claim's (it may have run), for the dispatcher to handle. */
    private WorkerEvent.ClaimedOnWake claimOnWake(Parked p) {
        long sentNanos = System.nanoTime(); // the claim runs later: its leases count from here, as a trip's do
        try {
            TaskScripts.Claimed reply = wakeClaim.await(idleCheck, p.claim());
            return new WorkerEvent.ClaimedOnWake(
                    p.trip(), reply == null ? null : fetcher.outcomeOnWake(p.trip(), reply), sentNanos);
        } catch (RuntimeException e) {
            log.debug("waker: the claim behind the wait failed ({}); the fetcher reports outages", e.getMessage());
            return new WorkerEvent.ClaimedOnWake(p.trip(), Trip.Outcome.failed(p.trip(), e), sentNanos);
        }
    }
}
