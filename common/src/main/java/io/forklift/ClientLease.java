package io.forklift;

import io.forklift.redis.Processes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This client's liveness lease in Redis ({@code Keys.processOwner}), so the cluster can tell a client
 * that went away from one that is alive: workers end a dead client's daemonic Processes, housekeeping
 * forgets a dead client's pool caps. Taken when first needed (a Process, a capped pool), renewed every
 * third of its length with whatever the holders asked to repeat alongside, given up at close.
 */
final class ClientLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientLease.class);
    /** A client silent this long is taken for gone. */
    static final Duration LENGTH = Duration.ofSeconds(10);

    private final Processes processes;
    private final String clientId;
    private final List<Runnable> alongside = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService renewer; // null until held

    ClientLease(Processes processes, String clientId) {
        this.processes = processes;
        this.clientId = clientId;
    }

    /** Takes the lease if not held yet; {@code repeat} (or null) runs again at each renewal. */
    synchronized void hold(Runnable repeat) {
        if (repeat != null) alongside.add(repeat);
        if (renewer != null) return;
        processes.holdOwner(clientId, LENGTH);
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forklift-client-lease");
            t.setDaemon(true);
            return t;
        });
        long every = LENGTH.toMillis() / 3;
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            processes.holdOwner(clientId, LENGTH);
            for (Runnable r : alongside) r.run();
        } catch (RuntimeException e) {
            log.debug("could not renew this client's lease: {}", e.getMessage()); // the next tick tries again
        }
    }

    /** Gives the lease up (best effort: unrenewed, it runs out by itself). */
    @Override
    public synchronized void close() {
        if (renewer == null) return;
        renewer.shutdownNow();
        renewer = null;
        try {
            processes.dropOwner(clientId);
        } catch (RuntimeException e) {
            log.debug("client lease not dropped at close: {}", e.getMessage());
        }
    }
}
