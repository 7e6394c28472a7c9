package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits in Redis, so an idle worker does not poll: when armed, blocks on the wake lists of the served
 * queues (a submit leaves a token there) and posts a {@link WorkerEvent.Wake} when a token comes or
 * after {@code --idle-check} without one (a safety net for a token another worker took).
 */
final class Waker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Waker.class);

    private final Queues queues;
    private final List<String> served;
    private final Duration idleCheck;
    private final BlockingQueue<WorkerEvent> events;
    private final Semaphore armed = new Semaphore(0);
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private volatile boolean stopping;

    Waker(Redis redis, List<String> queues, Duration idleCheck, BlockingQueue<WorkerEvent> events) {
        this.queues = new Queues(redis);
        this.served = List.copyOf(queues);
        this.idleCheck = idleCheck;
        this.events = events;
    }

    /** Asks for one wake-up; arming twice before it fires still gives one. */
    void arm() {
        if (armed.availablePermits() == 0) armed.release();
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
}
