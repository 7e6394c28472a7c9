package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.RedisUnavailableException;
import io.forklift.redis.TaskScripts.Lease;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dispatcher with a claim parked behind the waker's wait ({@link Waking#park}), answered by the test. */
class ParkedClaimTest {
    @Test
    void aQueueThatRunsDryParksAClaimWhoseTasksGoStraightToChildren() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 0)) {
            Trip first = h.awaitClaim(2);
            h.awaitIdle(); // a plain arm of the pass that sent the first claim counts before, not after
            int armed = h.wakerArmed.get();
            Trip parked = h.answerUntilParked(first, List.of()); // the queue is dry
            assertEquals(2, parked.claimCount(), "the parked claim is for both idle children");
            assertFalse(parked.carriesWork());
            assertEquals(armed, h.wakerArmed.get(), "parked, not armed plain");

            h.claimedOnWake(parked, List.of(h.claimed("a", 1))); // a token came; 1 of 2: dry again
            FakeChild.Handed a = h.nextHanded();
            assertEquals("a", a.id(), "the task goes to a child with no round trip of its own");
            assertEquals(1, h.nextParked().claimCount(), "parked again, for the child still idle");

            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            Trip completing = h.nextTrip();
            assertEquals("a", completing.completions().get("q").get(0).id());
            assertFalse(completing.callsClaim(), "the parked claim stays the only one: " + completing);
            h.answer(completing, List.of());
            assertNull(h.parked.poll(300, TimeUnit.MILLISECONDS), "one claim parked at a time");
            assertEquals(0, h.unparks.get());
        }
    }

    @Test
    void aClaimWantedWhileParkedUnparksAndWaitsForTheParkedOneToReport() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 0)) {
            Trip parked = h.answerUntilParked(h.awaitClaim(2), List.of(h.claimed("a", 1)));
            FakeChild.Handed a = h.nextHanded();
            a.child().die(137); // a replacement starts: the dispatcher wants a claim for it
            Trip failing = h.nextTrip();
            assertEquals("a", failing.completions().get("q").get(0).id());
            assertFalse(failing.callsClaim(), "no claim overlaps the parked one: " + failing);
            h.answer(failing, List.of());
            DispatcherHarness.await("the parked claim is ended", () -> h.unparks.get() == 1);
            assertNull(h.trips.poll(300, TimeUnit.MILLISECONDS), "the claim waits for the parked one's report");

            h.claimedOnWake(parked, List.of()); // unparked, it ran and found nothing, before the new child counted
            assertEquals(2, h.nextTrip().claimCount(), "then the claim for the idle children goes");
            assertEquals(1, h.unparks.get(), "unparked once");
        }
    }

    @Test
    void aParkedClaimThatCameBackShortAfterAWakeParksAgain() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            Trip parked = h.answerUntilParked(h.awaitClaim(1), List.of());
            h.events.add(new WorkerEvent.Wake()); // work announced, before the parked claim ran
            DispatcherHarness.await("the parked claim is ended", () -> h.unparks.get() == 1);
            h.claimedOnWake(parked, List.of()); // it ran after the announcement and found nothing
            assertEquals(1, h.nextParked().claimCount(), "the queue is dry: parked again");
            assertNull(h.trips.poll(300, TimeUnit.MILLISECONDS), "no claim of its own");
        }
    }

    @Test
    void aParkedClaimThatDidNotCountIsAWakeUp() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            Trip parked = h.answerUntilParked(h.awaitClaim(1), List.of());
            h.events.add(new WorkerEvent.ClaimedOnWake(parked, null, System.nanoTime())); // fenced out
            assertEquals(1, h.nextTrip().claimCount(), "a claim goes at once: the token that woke it is used up");
        }
    }

    @Test
    void aParkedClaimThatFailedIsGivenBackByTheNextTrip() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            Trip parked = h.answerUntilParked(h.awaitClaim(1), List.of());
            RedisUnavailableException down = new RedisUnavailableException("connection reset", null);
            h.events.add(new WorkerEvent.ClaimedOnWake(parked, Trip.Outcome.failed(parked, down), System.nanoTime()));
            Trip next = h.nextTrip();
            assertEquals(
                    Map.of("q", List.of()),
                    next.held(),
                    "it may have run: the next trip gives back what this worker holds unknowingly");
            assertEquals(1, next.claimCount(), "and claims, as a wake-up would");
            assertNull(h.parked.poll(300, TimeUnit.MILLISECONDS), "nothing parks while that trip is out");
            h.answer(next, List.of());
            assertEquals(1, h.nextParked().claimCount(), "then it parks again");
        }
    }

    @Test
    void aDrainEndsAParkedClaimAndGivesBackWhatItLeased() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            Trip parked = h.answerUntilParked(h.awaitClaim(1), List.of());
            h.dispatcher.drain();
            DispatcherHarness.await("the parked claim is ended", () -> h.unparks.get() == 1);
            assertTrue(h.loop.isAlive(), "the parked claim may lease tasks: the drain waits for it");

            h.claimedOnWake(parked, List.of(h.claimed("late", 1)));
            Trip release = h.nextTrip();
            assertEquals(Map.of("q", List.of(new Lease("late", 1))), release.releases(), "given back, not run");
            assertTrue(h.handed.isEmpty(), "no child got it");
            h.answer(release, List.of());
            h.loop.join(5000);
            assertFalse(h.loop.isAlive(), "then the loop ends");
        }
    }
}
