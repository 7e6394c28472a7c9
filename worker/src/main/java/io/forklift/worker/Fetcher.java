package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Outage;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.ScriptBatch;
import io.forklift.redis.ScriptCall;
import io.forklift.redis.TaskScripts;
import io.forklift.redis.TaskScripts.Lease;
import io.forklift.wire.Owed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Redis round trips, one at a time on its own thread: each {@link Trip} completes a
 * batch of finished tasks, renews leases and claims new ones in a single pipelined round trip, then
 * posts a {@link WorkerEvent.TripDone}. While a trip is out, the dispatcher keeps children busy and
 * more completions gather, so batches grow with load. A failed trip is retried by the dispatcher
 * after a backoff here; an outage is logged once, and its length when it ends.
 */
final class Fetcher implements Runnable, Trip.Sender {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    private final WorkerConfig config;
    private final Redis redis;
    private final TaskScripts scripts;
    private final BlockingQueue<WorkerEvent> events;
    private final ArrayBlockingQueue<Trip> trips = new ArrayBlockingQueue<>(1);
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final Outage outage = new Outage();
    private final FenceTokens fences = new FenceTokens();
    private final QueueCaps caps; // with an authkey only: without one, claim.lua reads the stored cap
    private long fencedOutLoggedNanos;
    private volatile boolean stopping;
    private final boolean reportsOutages;

    Fetcher(WorkerConfig config, Redis redis, BlockingQueue<WorkerEvent> events) {
        this(config, redis, events, true);
    }

    /**
     * {@code reportsOutages} false: outages are logged at debug only, for a second fetcher of the same
     * daemon (the Processes' one) whose queue fetcher already reports them on the same Redis.
     */
    Fetcher(WorkerConfig config, Redis redis, BlockingQueue<WorkerEvent> events, boolean reportsOutages) {
        this.reportsOutages = reportsOutages;
        this.config = config;
        this.redis = redis;
        this.scripts = new TaskScripts(redis.keys());
        this.caps =
                config.authkey() == null ? null : new QueueCaps(new Queues(redis), config.queues(), config.authkey());
        this.events = events;
    }

    /** Hands over a trip; the caller must not send another before this one's TripDone. */
    @Override
    public void send(Trip trip) {
        if (!trips.offer(trip)) throw new IllegalStateException("a trip is already under way");
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        while (!stopping) {
            Trip trip;
            try {
                trip = trips.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (trip != null) events.add(new WorkerEvent.TripDone(travel(trip, true)));
        }
    }

    /** The dispatcher's own round trip, while no child waits on it: two thread hand-offs fewer. */
    @Override
    public Trip.Outcome travelNow(Trip trip) {
        try {
            return travel(trip, false);
        } catch (RuntimeException e) {
            return Trip.Outcome.failed(trip, e);
        }
    }

    private Trip.Outcome travel(Trip trip, boolean backOffOnFailure) {
        String fence = fences.next();
        ScriptBatch batch = new ScriptBatch();
        List<ScriptBatch.Result<List<String>>> stale = new ArrayList<>();
        // A queue's starts go with its completions, in one script: the slots pass on with no gap between.
        Set<String> completeQueues = new LinkedHashSet<>(trip.completions().keySet());
        completeQueues.addAll(trip.started().keySet());
        for (String queue : completeQueues) {
            stale.add(batch.add(scripts.complete(
                    queue,
                    config.workerId(),
                    config.resultTtl(),
                    trip.started().getOrDefault(queue, List.of()),
                    trip.completions().getOrDefault(queue, List.of()))));
        }
        List<ScriptBatch.Result<List<String>>> lost = new ArrayList<>();
        trip.renewals()
                .forEach((queue, leases) ->
                        lost.add(batch.add(scripts.renew(queue, config.workerId(), config.lease(), leases))));
        trip.releases().forEach((queue, leases) -> batch.add(scripts.release(queue, config.workerId(), leases)));
        trip.deliveries().forEach((queue, owed) -> batch.add(scripts.deliver(queue, config.resultTtl(), owed)));
        // One claim call per queue with leases to give back (claiming none), the claiming queue's last
        Set<String> claimQueues = new LinkedHashSet<>(trip.held().keySet());
        claimQueues.addAll(trip.asks().keySet());
        if (trip.claimCount() > 0) {
            claimQueues.remove(trip.claimQueue());
            claimQueues.add(trip.claimQueue());
        }
        Map<String, ScriptBatch.Result<TaskScripts.Claimed>> claims = new LinkedHashMap<>();
        for (String q : claimQueues) {
            int count = q.equals(trip.claimQueue()) ? trip.claimCount() : 0;
            claims.put(
                    q,
                    batch.add(claim(
                            q,
                            count,
                            fence,
                            trip.held().get(q),
                            count == 0 ? 0 : trip.starts(),
                            trip.asks().getOrDefault(q, List.of()))));
        }
        try {
            batch.run(redis);
            endOutage();
        } catch (RuntimeException e) {
            startOutage(e, backOffOnFailure);
            return Trip.Outcome.failed(trip, e);
        }
        Map<String, TaskScripts.Claimed> replies = new LinkedHashMap<>();
        claims.forEach((q, r) -> replies.put(q, r.get()));
        return outcome(trip, replies, flatten(stale), flatten(lost));
    }

    /**
     * The claim of a trip that only claims, to wait behind the waker's block ({@link
     * io.forklift.redis.WakeClaim}); its fence is taken now, so any trip sent after it is newer.
     */
    ScriptCall<TaskScripts.Claimed> claimOnWake(Trip trip) {
        return claim(trip.claimQueue(), trip.claimCount(), fences.next(), null, trip.starts(), List.of());
    }

    /**
     * What a claim that waited behind the waker's block brought, as its trip's outcome; null if it was
     * fenced out: a trip sent after it claimed first (this worker's own, or a namesake's, which that
     * trip reports).
     */
    Trip.Outcome outcomeOnWake(Trip trip, TaskScripts.Claimed reply) {
        if (reply.fencedOut()) return null;
        return outcome(trip, Map.of(trip.claimQueue(), reply), List.of(), List.of());
    }

    /** Synchronized: the dispatcher builds a claim to park while this thread may build a trip. */
    private synchronized ScriptCall<TaskScripts.Claimed> claim(
            String queue, int count, String fence, List<String> held, int starts, List<Lease> asks) {
        return scripts.claim(new TaskScripts.Claim(
                queue,
                count,
                config.workerId(),
                config.lease(),
                config.maxPayloadBytes(),
                config.authkey() != null,
                fence,
                config.authkey() == null ? null : caps.cap(queue),
                config.authkey() == null ? null : caps.poolCaps(queue),
                held,
                starts,
                asks));
    }

    private Trip.Outcome outcome(
            Trip trip, Map<String, TaskScripts.Claimed> replies, List<String> stale, List<String> lost) {
        long givenBack = 0;
        List<Trip.Claimed> claimed = new ArrayList<>();
        List<String> granted = new ArrayList<>();
        Map<String, List<Owed>> owed = new LinkedHashMap<>();
        for (Map.Entry<String, TaskScripts.Claimed> e : replies.entrySet()) {
            TaskScripts.Claimed c = e.getValue();
            if (c.fencedOut()) fencedOut(e.getKey());
            givenBack += Math.max(0, c.givenBack());
            if (!c.owed().isEmpty()) owed.put(e.getKey(), c.owed());
            granted.addAll(c.granted());
            for (TaskScripts.ClaimedTask t : c.tasks()) {
                claimed.add(new Trip.Claimed(e.getKey(), t.pool(), t.id(), t.attempt(), t.slotted(), t.json()));
            }
        }
        if (givenBack > 0) {
            log.warn(
                    "gave back {} tasks claimed by a round trip whose reply was lost (queues {})",
                    givenBack,
                    replies.keySet());
        }
        return new Trip.Outcome(trip, claimed, granted, owed, stale, lost, givenBack, null);
    }

    private static List<String> flatten(List<ScriptBatch.Result<List<String>>> results) {
        List<String> out = new ArrayList<>();
        for (ScriptBatch.Result<List<String>> r : results) out.addAll(r.get());
        return out;
    }

    /** Another process claims under this worker's id with newer round trips; say so, once a minute at most. */
    private void fencedOut(String queue) {
        long now = System.nanoTime();
        if (now - fencedOutLoggedNanos < java.util.concurrent.TimeUnit.MINUTES.toNanos(1) && fencedOutLoggedNanos != 0)
            return;
        fencedOutLoggedNanos = now;
        log.error(
                "another process is claiming from queue '{}' as worker {} with newer round trips: this worker is fenced "
                        + "out and claims nothing; stop one of the two or give them different --id",
                queue,
                config.workerId());
    }

    private void startOutage(RuntimeException e, boolean backOff) {
        if (outage.begins()) {
            String message = "Redis round trip failed ({}); finished results are kept and retried with backoff";
            if (reportsOutages) log.error(message, e.getMessage());
            else log.debug(message, e.getMessage());
        }
        if (backOff) backoff.pause();
    }

    private void endOutage() {
        long lasted = outage.endsAfterMillis();
        if (lasted >= 0) {
            if (reportsOutages) log.info("Redis at {} answers again after {} ms", redis.where(), lasted);
            else log.debug("Redis at {} answers again after {} ms", redis.where(), lasted);
            backoff.reset();
        }
    }
}
