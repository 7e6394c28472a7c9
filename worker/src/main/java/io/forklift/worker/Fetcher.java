package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Keys;
import io.forklift.redis.Outage;
import io.forklift.redis.Redis;
import io.forklift.redis.Script;
import io.forklift.redis.ScriptCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The worker's Redis round trips, one at a time on its own thread: each {@link Trip} completes a
 * batch of finished tasks, renews leases and claims new ones in a single pipelined round trip, then posts a
 * {@link WorkerEvent.TripDone}. While a trip is out, the dispatcher keeps children busy and more
 * completions gather, so batches grow with load. A failed trip is retried by the dispatcher after
 * a backoff here; an outage is logged once, and its length when it ends.
 */
final class Fetcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    private final WorkerConfig config;
    private final Redis redis;
    private final Keys keys;
    private final BlockingQueue<WorkerEvent> events;
    private final ArrayBlockingQueue<Trip> trips = new ArrayBlockingQueue<>(1);
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private final Outage outage = new Outage();
    private volatile boolean stopping;

    Fetcher(WorkerConfig config, Redis redis, BlockingQueue<WorkerEvent> events) {
        this.config = config;
        this.redis = redis;
        this.keys = redis.keys();
        this.events = events;
    }

    /** Hands over a trip; the caller must not send another before this one's TripDone. */
    void send(Trip trip) {
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
                trip = trips.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (trip != null) events.add(new WorkerEvent.TripDone(travel(trip)));
        }
    }

    private Trip.Outcome travel(Trip trip) {
        List<ScriptCall> calls = new ArrayList<>(trip.completions().size() + 1);
        trip.completions().forEach((queue, args) -> calls.add(new ScriptCall(Script.COMPLETE, List.of(keys.inflight(queue),
                keys.ready(queue), keys.wake(queue), keys.dead(queue), keys.msgs(queue), keys.attempts(queue), keys.owners(queue),
                keys.delayed(queue)), args)));
        trip.renewals().forEach((queue, args) -> calls.add(new ScriptCall(Script.RENEW,
                List.of(keys.inflight(queue), keys.owners(queue)), args)));
        trip.releases().forEach((queue, args) -> calls.add(new ScriptCall(Script.RELEASE,
                List.of(keys.inflight(queue), keys.ready(queue), keys.owners(queue), keys.attempts(queue), keys.wake(queue)), args)));
        String queue = trip.claimQueue();
        if (trip.claimCount() > 0) {
            calls.add(new ScriptCall(Script.CLAIM, List.of(keys.ready(queue), keys.inflight(queue), keys.meta(queue), keys.wake(queue),
                    keys.msgs(queue), keys.attempts(queue), keys.owners(queue), keys.dead(queue)),
                    List.of(Integer.toString(trip.claimCount()), config.workerId(), Long.toString(config.lease().toMillis()),
                            Integer.toString(config.maxPayloadBytes()), queue, keys.replyPrefix(queue),
                            Long.toString(config.resultTtl().toMillis()))));
        }
        try {
            List<Object> results = redis.runAll(calls);
            endOutage();
            List<String> stale = new ArrayList<>();
            int i = 0;
            for (; i < trip.completions().size(); i++) {
                for (Object id : (List<?>) results.get(i)) stale.add((String) id);
            }
            List<String> lost = new ArrayList<>();
            for (int end = i + trip.renewals().size(); i < end; i++) {
                for (Object id : (List<?>) results.get(i)) lost.add((String) id);
            }
            List<Trip.Claimed> claimed = new ArrayList<>();
            if (trip.claimCount() > 0) {
                List<?> flat = (List<?>) results.get(results.size() - 1);
                for (int k = 0; k < flat.size(); k += 3) {
                    claimed.add(new Trip.Claimed(queue, (String) flat.get(k), ((Long) flat.get(k + 1)).intValue(), (String) flat.get(k + 2)));
                }
            }
            return new Trip.Outcome(trip, claimed, stale, lost, null);
        } catch (RuntimeException e) {
            startOutage(e);
            return new Trip.Outcome(trip, List.of(), List.of(), List.of(), e);
        }
    }

    private void startOutage(RuntimeException e) {
        if (outage.begins()) {
            log.error("Redis round trip failed ({}); finished results are kept and retried with backoff", e.getMessage());
        }
        backoff.pause();
    }

    private void endOutage() {
        long lasted = outage.endsAfterMillis();
        if (lasted >= 0) {
            log.info("Redis at {} answers again after {} ms", redis.where(), lasted);
            backoff.reset();
        }
    }
}
