package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.forklift.RedisUnavailableException;
import io.forklift.RetryPolicy;
import io.forklift.redis.TaskScripts.Completion;
import io.forklift.wire.Json;
import io.forklift.wire.TaskMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A {@link Dispatcher} on its own thread with a real {@link ChildPool} of {@link FakeChild}ren and
 * no fetcher: the trips it sends wait in {@link #trips} for the test to answer, as Redis would.
 * Serves queue {@code q}; tasks are {@code t.Echo} (or {@code t.Other}), submitted by {@code client1}.
 */
final class DispatcherHarness implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(5);

    final BlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Trip> trips = new LinkedBlockingQueue<>();
    final BlockingQueue<FakeChild.Handed> handed = FakeChild.handedQueue();
    final AtomicInteger wakerArmed = new AtomicInteger();
    /** Claims parked behind the waker's wait, when {@link #parking}; the test answers them with {@link #claimedOnWake}. */
    final BlockingQueue<Trip> parked = new LinkedBlockingQueue<>();

    final AtomicInteger unparks = new AtomicInteger();
    volatile boolean parking;
    final Dispatcher dispatcher;
    final Thread loop;
    private final ChildPool children;

    DispatcherHarness(int processes, int prefetch) {
        WorkerConfig config = new WorkerConfig(
                "redis://unused:6379",
                "t:",
                List.of("q"),
                processes,
                0,
                prefetch,
                null,
                "w1",
                Duration.ofSeconds(3),
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                List.of(),
                List.of(),
                1 << 20,
                1 << 20,
                null,
                -1,
                null);
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(), "w1");
        children = new ChildPool(FakeChild.starter(handed), processes, 0, events, metrics);
        dispatcher = new Dispatcher(
                config,
                TaskCatalog.of(Set.of("t.Echo", "t.Other")),
                children,
                trips::add,
                new Waking() {
                    @Override
                    public void arm() {
                        wakerArmed.incrementAndGet();
                    }

                    @Override
                    public boolean park(Trip trip) {
                        return parking && parked.add(trip);
                    }

                    @Override
                    public void unpark() {
                        unparks.incrementAndGet();
                    }
                },
                events,
                "host1",
                metrics);
        metrics.watch(processes, children, dispatcher);
        children.start();
        loop = new Thread(dispatcher, "dispatcher-under-test");
        loop.setDaemon(true);
        loop.start();
    }

    /** A task of queue q as claim.lua would return it. */
    Trip.Claimed claimed(String id, int attempt) {
        return claimed(id, attempt, 0);
    }

    /** A task claimed for the prefetch buffer: it holds no slot under the queue's cap. */
    Trip.Claimed prefetched(String id, int attempt) {
        Trip.Claimed c = claimed(id, attempt);
        return new Trip.Claimed(c.queue(), c.id(), c.attempt(), false, c.json());
    }

    Trip.Claimed claimed(String id, int attempt, long timeoutMs) {
        return claimed(id, attempt, timeoutMs, "t.Echo");
    }

    /** A task of kind {@code task} claimed with a slot. */
    Trip.Claimed claimed(String id, int attempt, long timeoutMs, String task) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(new TaskMessage(
                    TaskMessage.VERSION,
                    id,
                    "q",
                    task,
                    Json.MAPPER.createArrayNode().add("x"),
                    false,
                    "client1",
                    timeoutMs,
                    RetryPolicy.NONE,
                    0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Trip.Claimed("q", id, attempt, true, json);
    }

    Trip nextTrip() throws InterruptedException {
        Trip t = trips.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "the dispatcher sent no round trip within " + WAIT);
        return t;
    }

    /**
     * The first trip that claims {@code count} tasks; trips before it (children still starting)
     * are answered with nothing claimed.
     */
    Trip awaitClaim(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Trip t = nextTrip();
            if (t.claimCount() == count) return t;
            answer(t, List.of());
            if (t.claimCount() == 0) continue;
            events.add(new WorkerEvent.Wake()); // it ran dry; say there is work again
        }
        return fail("no trip claimed " + count + " tasks within " + WAIT);
    }

    /**
     * With parking on, answers {@code claim} with {@code claimed}, and any claim after it with nothing
     * (a wake-up may have raced it), until the dispatcher parks a claim; returns that one.
     */
    Trip answerUntilParked(Trip claim, List<Trip.Claimed> claimed) throws InterruptedException {
        parking = true;
        answer(claim, claimed);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Trip p = parked.poll(20, TimeUnit.MILLISECONDS);
            if (p != null) return p;
            Trip t = trips.poll();
            if (t != null) answer(t, List.of());
        }
        return fail("the dispatcher parked no claim within " + WAIT);
    }

    Trip nextParked() throws InterruptedException {
        Trip t = parked.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "the dispatcher parked no claim within " + WAIT);
        return t;
    }

    /** The waker's report of a parked claim that ran and leased {@code claimed}. */
    void claimedOnWake(Trip parkedClaim, List<Trip.Claimed> claimed) {
        events.add(new WorkerEvent.ClaimedOnWake(
                parkedClaim,
                new Trip.Outcome(parkedClaim, claimed, List.of(), java.util.Map.of(), List.of(), List.of(), 0, null),
                System.nanoTime()));
    }

    /** Redis's answer to {@code trip}: these tasks claimed, nothing stale or lost. */
    void answer(Trip trip, List<Trip.Claimed> claimed) {
        answer(trip, claimed, List.of(), List.of());
    }

    void answer(Trip trip, List<Trip.Claimed> claimed, List<String> stale, List<String> lost) {
        events.add(new WorkerEvent.TripDone(
                new Trip.Outcome(trip, claimed, List.of(), java.util.Map.of(), stale, lost, 0, null)));
    }

    /** The trip failed, as when Redis is unreachable. */
    void failTrip(Trip trip) {
        events.add(new WorkerEvent.TripDone(
                Trip.Outcome.failed(trip, new RedisUnavailableException("Redis is down (test)", null))));
    }

    FakeChild.Handed nextHanded() throws InterruptedException {
        FakeChild.Handed h = handed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(h, "no task was handed to a child within " + WAIT);
        return h;
    }

    /** Answers trips with nothing claimed until one completes task {@code id}; returns that completion. */
    Completion awaitCompletion(String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Trip t = nextTrip();
            answer(t, List.of());
            for (List<Completion> runs : t.completions().values()) {
                for (Completion c : runs) if (c.id().equals(id)) return c;
            }
        }
        return fail("task " + id + " was not completed within " + WAIT);
    }

    /** Waits until the loop has handled every event and waits for the next: what its passes do is done. */
    void awaitIdle() throws InterruptedException {
        await(
                "the dispatcher waits for its next event",
                () -> events.isEmpty()
                        && loop.getState() == Thread.State.TIMED_WAITING); // its only wait is the events' poll
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not within " + WAIT + ": " + what);
            TimeUnit.MILLISECONDS.sleep(5); // the condition is another thread's state; nothing to block on
        }
    }

    @Override
    public void close() throws InterruptedException {
        dispatcher.abandon();
        loop.join(WAIT.toMillis());
        children.killAll();
    }
}
