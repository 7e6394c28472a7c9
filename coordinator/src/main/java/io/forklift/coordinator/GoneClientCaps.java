package io.forklift.coordinator;

import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Processes;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets the pool caps of clients that went away without closing (killed): a client holds its
 * liveness lease while it has capped pools, so a cap whose client (the pool id up to its last dot)
 * holds none is left over, and goes once its pool holds no task ({@code pool_forget.lua}). Without
 * this a queue's caps grow with every client ever killed, and with an authkey each claim carries
 * them all. Part of the {@link Pruner}'s pass, over the queues housekeeping visits.
 */
final class GoneClientCaps {
    private static final Logger log = LoggerFactory.getLogger(GoneClientCaps.class);

    private final Redis redis;
    private final Queues queues;
    private final Processes processes;
    private final HousekeepingScripts scripts;

    GoneClientCaps(Redis redis) {
        this.redis = redis;
        this.queues = new Queues(redis);
        this.processes = new Processes(redis);
        this.scripts = new HousekeepingScripts(redis.keys());
    }

    /** One pass over {@code visited}: two round trips, plus one per queue holding a gone client's cap. */
    void forget(List<String> visited) {
        if (visited.isEmpty()) return;
        Map<String, Map<String, Queues.Cap>> caps = queues.poolCaps(visited);
        Set<String> clients = new TreeSet<>();
        caps.values().forEach(pools -> pools.keySet().forEach(pool -> clients.add(clientOf(pool))));
        if (clients.isEmpty()) return;
        Set<String> alive = processes.ownersAlive(clients);
        caps.forEach((queue, pools) -> {
            List<String> gone = new ArrayList<>();
            for (String pool : pools.keySet()) if (!alive.contains(clientOf(pool))) gone.add(pool);
            if (gone.isEmpty()) return;
            List<String> forgotten = redis.run(scripts.poolForget(queue, gone));
            if (!forgotten.isEmpty()) {
                log.info(
                        "queue '{}': forgot the caps of {} pools whose client went away without closing (no lease)"
                                + " and that hold no task: {}",
                        queue,
                        forgotten.size(),
                        forgotten);
            }
        });
    }

    /** A pool id is {@code <client id>.<n>}. */
    private static String clientOf(String pool) {
        int dot = pool.lastIndexOf('.');
        return dot < 0 ? pool : pool.substring(0, dot);
    }
}
