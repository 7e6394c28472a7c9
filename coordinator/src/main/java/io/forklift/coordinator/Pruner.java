package io.forklift.coordinator;

import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what Redis holds of the past bounded, as part of housekeeping: forgets workers whose
 * heartbeat stopped over {@link HousekeepingConfig#FORGET_WORKERS_AFTER} ago (a worker killed with
 * kill -9 never removes itself) together with their fence fields in every queue, and caps each dead
 * list at the newest {@code deadMax} records, and forgets the pool caps of clients that went away
 * without closing ({@link GoneClientCaps}). Logs what it dropped. Fence fields go before the
 * {@code workers} entry, so a pass cut short is finished by the next one. Run by the leader only,
 * from the housekeeping thread.
 */
final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    private static final int BATCH = 1000;

    private final Redis redis;
    private final HousekeepingScripts scripts;
    private final Workers workers;
    private final int deadMax;
    private final GoneClientCaps goneClientCaps;

    Pruner(Redis redis, int deadMax) {
        this.redis = redis;
        this.scripts = new HousekeepingScripts(redis.keys());
        this.workers = new Workers(redis);
        this.deadMax = deadMax;
        this.goneClientCaps = new GoneClientCaps(redis);
    }

    /**
     * One pass: over {@code visited} (the queues housekeeping visited since the last pass; only a
     * visited queue gains dead letters), or over {@code all} registered queues when long-gone
     * workers' fence fields are to go (rare: at most once per worker that died without a clean exit).
     */
    void prune(List<String> visited, Supplier<List<String>> all) {
        // The scores are the workers' own clocks, so the cut-off is a wall clock too; an hour absorbs any skew.
        long cutoff = System.currentTimeMillis() - HousekeepingConfig.FORGET_WORKERS_AFTER.toMillis();
        List<String> gone = workers.silentSince(cutoff, BATCH);
        List<String> queues = gone.isEmpty() ? visited : all.get();
        long fences = 0;
        for (String queue : queues) {
            HousekeepingScripts.Pruned pruned = redis.run(scripts.pruneQueue(queue, deadMax, gone));
            fences += pruned.fences();
            if (pruned.deadDropped() > 0) {
                log.warn(
                        "queue '{}': dropped the {} oldest dead letters, keeping the newest {} (--dead-max)",
                        queue,
                        pruned.deadDropped(),
                        deadMax);
            }
        }
        goneClientCaps.forget(queues);
        if (!gone.isEmpty()) {
            workers.forget(gone);
            log.info(
                    "forgot {} workers whose heartbeat stopped over {} ago (killed without a clean exit): {}; "
                            + "removed {} fence fields of theirs",
                    gone.size(),
                    describe(HousekeepingConfig.FORGET_WORKERS_AFTER),
                    gone,
                    fences);
        }
    }

    private static String describe(Duration d) {
        return d.toHours() > 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
