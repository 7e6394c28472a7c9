package io.forklift.coordinator;

import io.forklift.redis.HousekeepingScripts;
import io.forklift.redis.Outage;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.TaskScripts;
import io.forklift.wire.Authkey;
import io.forklift.wire.Owed;
import io.forklift.wire.ReplySigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's housekeeping, run every interval by whichever coordinator holds the leader lease
 * ({@code leader.lua}): visits the active queues ({@link ActivityIndex}: served by a live worker or
 * holding tasks, so a tick costs what the cluster does, not what it ever named), gives back the
 * tasks whose lease ran out
 * ({@code requeue_expired.lua}), dead-lettering those started max-attempts times and delivering,
 * signed, the failure replies their clients are owed, and moves retries whose backoff is over to the
 * front of ready ({@code promote_delayed.lua}); on its first pass as leader and every
 * {@link #PRUNE_EVERY} after, the {@link Pruner} forgets long-gone workers and caps the dead lists of
 * the queues visited since.
 * Every step is idempotent, so two coordinators racing at a lease hand-over still requeue a task once.
 */
public final class Housekeeper {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    private static final int BATCH = 1000;
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final Redis redis;
    private final HousekeepingScripts scripts;
    private final TaskScripts tasks;
    private final ReplySigner signer;
    private final Queues queues;
    private final ActivityIndex activity;
    private final java.util.Set<String> visitedSincePrune = new java.util.TreeSet<>();
    private final String id;
    private final Duration interval;
    private final int maxAttempts;
    private final Duration resultTtl;
    private final Pruner pruner;
    private long prunedAtNanos;
    private boolean prunedYet;
    private final Map<String, AtomicLong> requeued = new ConcurrentHashMap<>(); // per queue, read by metrics
    private final Map<String, AtomicLong> deadLettered = new ConcurrentHashMap<>();
    private volatile boolean leader;
    private final Outage outage = new Outage();
    private final Duration outageGrace;
    private long requeueFromNanos = System.nanoTime();

    /** {@code authkey} signs the failure replies it delivers; null when the cluster runs unsigned. */
    public Housekeeper(Redis redis, String id, HousekeepingConfig config, Authkey authkey) {
        this.redis = redis;
        this.scripts = new HousekeepingScripts(redis.keys());
        this.tasks = new TaskScripts(redis.keys());
        this.signer = new ReplySigner(authkey, config.resultTtl());
        this.queues = new Queues(redis);
        this.activity = new ActivityIndex(redis, config.interval());
        this.id = id;
        this.interval = config.interval();
        this.maxAttempts = config.maxAttempts();
        this.resultTtl = config.resultTtl();
        this.outageGrace = config.outageGrace();
        this.pruner = new Pruner(redis, config.deadMax());
    }

    /** One pass; called at a fixed delay. Never throws, so the schedule goes on. */
    public void tick() {
        try {
            boolean leading = redis.run(scripts.lead(id, interval.multipliedBy(3)));
            long lasted = outage.endsAfterMillis();
            if (lasted >= 0) {
                // Workers reconnect with backoff; a lease that ran out while Redis was away is theirs to
                // renew first, or finished work would run again.
                requeueFromNanos = System.nanoTime() + outageGrace.toNanos();
                log.info(
                        "Redis at {} answers again after {} ms; leases that ran out meanwhile are requeued from {} s on, "
                                + "once their workers had time to renew them",
                        redis.where(),
                        lasted,
                        outageGrace.toSeconds());
            }
            if (leading != leader) {
                log.info(
                        leading ? "coordinator {} now runs housekeeping" : "coordinator {} is no longer the leader",
                        id);
            }
            leader = leading;
            if (leading) {
                boolean requeue = System.nanoTime() - requeueFromNanos >= 0;
                List<String> names = activity.toVisit();
                for (String queue : names) {
                    if (requeue) requeueExpired(queue);
                    promoteDelayed(queue);
                }
                visitedSincePrune.addAll(names);
                activity.retireIdle(names);
                if (!prunedYet || System.nanoTime() - prunedAtNanos >= PRUNE_EVERY.toNanos()) {
                    pruner.prune(List.copyOf(visitedSincePrune), queues::names);
                    visitedSincePrune.clear();
                    prunedYet = true;
                    prunedAtNanos = System.nanoTime();
                }
            }
        } catch (RuntimeException e) {
            if (outage.begins()) {
                log.error("housekeeping failed ({}); retrying every {} ms", e.getMessage(), interval.toMillis());
            }
        }
    }

    private void requeueExpired(String queue) {
        HousekeepingScripts.Requeued pass;
        do {
            pass = redis.run(scripts.requeueExpired(queue, maxAttempts, BATCH));
            deliver(queue, pass.owed());
            if (pass.total() > 0) {
                log.warn(
                        "queue '{}': {} tasks whose lease ran out requeued, {} dead-lettered",
                        queue,
                        pass.requeued(),
                        pass.deadLettered());
            }
            if (pass.requeued() > 0) count(requeued, queue).addAndGet(pass.requeued());
            if (pass.deadLettered() > 0) count(deadLettered, queue).addAndGet(pass.deadLettered());
        } while (pass.total() == BATCH);
    }

    /** Signs the failure replies scripts owe clients of {@code queue} and delivers each once. */
    private void deliver(String queue, List<Owed> owed) {
        if (owed.isEmpty()) return;
        List<TaskScripts.Delivery> replies = new ArrayList<>(owed.size());
        for (Owed o : owed) replies.add(new TaskScripts.Delivery(o.id(), o.client(), signer.owed(o, id)));
        long delivered = redis.run(tasks.deliver(queue, resultTtl, replies));
        log.info("queue '{}': delivered {} failure replies owed to clients", queue, delivered);
    }

    private void promoteDelayed(String queue) {
        while (redis.run(scripts.promoteDelayed(queue, BATCH)) == BATCH) {
            // a full batch: more may be due
        }
    }

    public boolean isLeader() {
        return leader;
    }

    /** Tasks this coordinator requeued because their lease ran out, in all queues. */
    public long requeued() {
        return requeued.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long requeued(String queue) {
        AtomicLong n = requeued.get(queue);
        return n == null ? 0 : n.get();
    }

    /** Tasks this coordinator dead-lettered because their lease ran out max-attempts times, in all queues. */
    public long deadLettered() {
        return deadLettered.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long deadLettered(String queue) {
        AtomicLong n = deadLettered.get(queue);
        return n == null ? 0 : n.get();
    }

    /** The queues this coordinator requeued or dead-lettered tasks of (the only ones with housekeeping counts). */
    public java.util.Set<String> counted() {
        java.util.Set<String> out = new java.util.TreeSet<>(requeued.keySet());
        out.addAll(deadLettered.keySet());
        return out;
    }

    private static AtomicLong count(Map<String, AtomicLong> counts, String queue) {
        return counts.computeIfAbsent(queue, q -> new AtomicLong());
    }
}
