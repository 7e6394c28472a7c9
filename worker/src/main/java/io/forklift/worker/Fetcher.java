package io.forklift.worker;

import io.forklift.redis.Backoff;
import io.forklift.redis.Keys;
import io.forklift.redis.Outage;
import io.forklift.redis.Redis;
import io.forklift.redis.Script;
import io.forklift.redis.ScriptCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    // Fences claims against this process's own late round trips; a restart with the same worker id starts later
    private final String fenceEpoch = String.format("%013d", System.currentTimeMillis());
    private long tripNumber;
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
        String number = Long.toString(++tripNumber);
        String fence =
                fenceEpoch + "0".repeat(12 - number.length()) + number; // zero-padded: later trips compare greater
        List<ScriptCall> calls = new ArrayList<>(trip.completions().size() + 1);
        trip.completions()
                .forEach((queue, args) -> calls.add(new ScriptCall(
                        Script.COMPLETE,
                        List.of(
                                keys.inflight(queue),
                                keys.ready(queue),
                                keys.wake(queue),
                                keys.dead(queue),
                                keys.msgs(queue),
                                keys.attempts(queue),
                                keys.owners(queue),
                                keys.delayed(queue)),
                        args)));
        trip.renewals()
                .forEach((queue, args) -> calls.add(
                        new ScriptCall(Script.RENEW, List.of(keys.inflight(queue), keys.owners(queue)), args)));
        trip.releases()
                .forEach((queue, args) -> calls.add(new ScriptCall(
                        Script.RELEASE,
                        List.of(
                                keys.inflight(queue),
                                keys.ready(queue),
                                keys.owners(queue),
                                keys.attempts(queue),
                                keys.wake(queue)),
                        args)));
        // One claim call per queue with leases to give back (claiming none), the claiming queue's last
        Set<String> claimQueues = new LinkedHashSet<>(trip.held().keySet());
        if (trip.claimCount() > 0) {
            claimQueues.remove(trip.claimQueue());
            claimQueues.add(trip.claimQueue());
        }
        for (String q : claimQueues) {
            int count = q.equals(trip.claimQueue()) ? trip.claimCount() : 0;
            calls.add(claimCall(q, count, fence, trip.held().get(q)));
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
            i += trip.releases().size();
            long givenBack = 0;
            List<Trip.Claimed> claimed = new ArrayList<>();
            for (String q : claimQueues) {
                List<?> flat = (List<?>) results.get(i++);
                givenBack += (Long) flat.get(0);
                for (int k = 1; k < flat.size(); k += 3) {
                    claimed.add(new Trip.Claimed(
                            q, (String) flat.get(k), ((Long) flat.get(k + 1)).intValue(), (String) flat.get(k + 2)));
                }
            }
            return new Trip.Outcome(trip, claimed, stale, lost, givenBack, null);
        } catch (RuntimeException e) {
            startOutage(e);
            return new Trip.Outcome(trip, List.of(), List.of(), List.of(), 0, e);
        }
    }

    /** A {@code claim.lua} call; {@code held} is non-null when leases this worker does not know of are to be given back first. */
    private ScriptCall claimCall(String queue, int count, String fence, List<String> held) {
        List<String> args = new ArrayList<>(List.of(
                Integer.toString(count),
                config.workerId(),
                Long.toString(config.lease().toMillis()),
                Integer.toString(config.maxPayloadBytes()),
                queue,
                keys.replyPrefix(queue),
                Long.toString(config.resultTtl().toMillis()),
                fence,
                held == null ? "0" : "1"));
        if (held != null) args.addAll(held);
        return new ScriptCall(
                Script.CLAIM,
                List.of(
                        keys.ready(queue),
                        keys.inflight(queue),
                        keys.meta(queue),
                        keys.wake(queue),
                        keys.msgs(queue),
                        keys.attempts(queue),
                        keys.owners(queue),
                        keys.dead(queue),
                        keys.fences(queue)),
                args);
    }

    private void startOutage(RuntimeException e) {
        if (outage.begins()) {
            log.error(
                    "Redis round trip failed ({}); finished results are kept and retried with backoff", e.getMessage());
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
