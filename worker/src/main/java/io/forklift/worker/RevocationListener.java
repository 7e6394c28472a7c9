package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Redis;
import io.forklift.redis.Revocations;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the revoked channel and posts a {@link WorkerEvent.Revoked} for each task a client
 * cancelled or terminated, so the dispatcher renews at once and stops the task if it runs here.
 * Reconnects with backoff; a revocation missed meanwhile is still learned at the next renewal.
 */
final class RevocationListener implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RevocationListener.class);

    private final Revocations revocations;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private volatile boolean stopping;

    RevocationListener(Redis redis, BlockingQueue<WorkerEvent> events) {
        this(new Revocations(redis, (queue, id) -> events.add(new WorkerEvent.Revoked(queue, id))));
    }

    /** Listens with {@code revocations}, e.g. on the process-signals channel. */
    RevocationListener(Revocations revocations) {
        this.revocations = revocations;
    }

    void stop() {
        stopping = true;
        revocations.stop();
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                revocations.listen();
                backoff.reset();
            } catch (RuntimeException e) {
                if (stopping) return;
                log.debug("revocation listener: {}; reconnecting (renewals still find revoked tasks)", e.getMessage());
                if (!backoff.pause()) return;
            }
        }
    }
}
