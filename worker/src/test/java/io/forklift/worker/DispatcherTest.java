package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Lease;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher's state machine with fake children and fake round trips: no Redis, no processes.
 * Each test plays Redis's part by answering the trips the dispatcher sends.
 */
@Timeout(30)
class DispatcherTest {

    @Test
    void claimsForIdleChildrenAndCompletesWhatTheyFinish() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 0)) {
            Trip claim = h.awaitClaim(2);
            h.answer(claim, List.of(h.claimed("a", 1), h.claimed("b", 1)));
            FakeChild.Handed a = h.nextHanded();
            FakeChild.Handed b = h.nextHanded();
            assertEquals(
                    List.of("a", "b"), List.of(a.id(), b.id()).stream().sorted().toList());
            assertFalse(a.child() == b.child(), "one task per child");

            a.child().finish(a.id(), true, "{\"id\":\"" + a.id() + "\",\"ok\":true}");
            Trip next = h.nextTrip();
            List<Completion> done = next.completions().get("q");
            assertEquals(1, done.size(), next.toString());
            assertEquals(a.id(), done.get(0).id());
            assertEquals(1, done.get(0).attempt());
            assertEquals("client1", done.get(0).client(), "the reply goes to the submitter");
            assertEquals(-1, done.get(0).retryDelayMs());
            assertEquals(1, next.claimCount(), "the freed child is refilled in the same trip");
        }
    }

    @Test
    void oneTaskAfterAnotherRunsInTheChildThatFinishedLast() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(3, 0)) {
            h.answer(h.awaitClaim(3), List.of(h.claimed("a", 1)));
            FakeChild.Handed a = h.nextHanded();
            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            h.answer(h.nextTrip(), List.of());
            h.events.add(new WorkerEvent.Wake());
            h.answer(h.awaitClaim(3), List.of(h.claimed("b", 1)));
            FakeChild.Handed b = h.nextHanded();
            assertEquals(a.child().pid(), b.child().pid(), "b goes to a's child, warm, not to one idle longer");
        }
    }

    @Test
    void afterAClaimThatCameBackShortAFinishedRunIsCompletedWithoutClaimingUntilAWake() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 0)) {
            h.answer(h.awaitClaim(2), List.of(h.claimed("a", 1))); // asked 2, got 1: the queue is dry
            DispatcherHarness.await("the waker is armed", () -> h.wakerArmed.get() > 0);
            FakeChild.Handed a = h.nextHanded();
            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            Trip completing = h.nextTrip();
            assertEquals(1, completing.completions().get("q").size());
            assertEquals(0, completing.claimCount(), "a wake token says when work comes: " + completing);
            h.answer(completing, List.of());
            assertNull(h.trips.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS), "no claim until a wake");
            h.events.add(new WorkerEvent.Wake());
            assertEquals(2, h.nextTrip().claimCount(), "a wake claims for both idle children");
        }
    }

    @Test
    void aFreedChildStillAsksForASlotForABufferedTaskAfterAClaimThatCameBackShort() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 2)) {
            Trip first = h.nextTrip();
            while (first.claimCount() == 0) { // children still starting
                h.answer(first, List.of());
                first = h.nextTrip();
            }
            // a runs; p, a task of capped pool P1, is prefetched without a slot (P1 was full)
            Trip.Claimed p =
                    new Trip.Claimed("q", "P1", "p", 1, false, h.claimed("p", 1).json());
            h.answer(first, List.of(h.claimed("a", 1), p));
            FakeChild.Handed a = h.nextHanded();
            Trip asking = h.nextTrip(); // the idle child asks a slot for p; none is free: short, dry
            assertEquals(List.of(new Lease("p", 1)), asking.asks().get("q"), asking.toString());
            h.answer(asking, List.of());
            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            Trip completing = h.nextTrip();
            while (completing.completions().isEmpty()) { // a renewal first
                h.answer(completing, List.of());
                completing = h.nextTrip();
            }
            // a's slot is not P1's, so p cannot take it; no token will come for a task already leased here
            assertEquals(List.of(new Lease("p", 1)), completing.asks().get("q"), completing.toString());
        }
    }

    @Test
    void aLeaseReportedLostStopsItsChildAndNothingIsCompleted() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            h.answer(h.awaitClaim(1), List.of(h.claimed("a", 1)));
            FakeChild.Handed a = h.nextHanded();
            h.events.add(new WorkerEvent.Revoked("q", "a")); // renew now rather than in a third of the lease
            Trip renewal = h.nextTrip();
            assertEquals(Map.of("q", List.of(new Lease("a", 1))), renewal.renewals());
            h.answer(renewal, List.of(), List.of(), List.of("a"));
            DispatcherHarness.await("the child is killed", () -> a.child().killed());

            Trip after = h.awaitClaim(1); // a fresh child replaces the killed one and claims
            assertTrue(after.completions().isEmpty(), "a task whose lease is lost is never completed: " + after);
        }
    }

    @Test
    void aFailedTripIsCarriedAgainAndGivesBackWhatItMayHaveClaimed() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            h.answer(h.awaitClaim(1), List.of(h.claimed("a", 1)));
            FakeChild.Handed a = h.nextHanded();
            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            Trip carrying = h.nextTrip();
            assertEquals(1, carrying.claimCount());
            h.failTrip(carrying);

            Trip again = h.nextTrip();
            assertEquals(carrying.completions(), again.completions(), "the completion goes again");
            // Its claim may have run in Redis: the next claim gives back every lease of this worker in q
            // but those it holds (none) and those it completes in the same trip (a).
            assertEquals(Map.of("q", List.of("a")), again.held());
        }
    }

    @Test
    void queuesThatRunDryArmTheWakerAndAWakeClaimsAgain() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            h.answer(h.awaitClaim(1), List.of());
            DispatcherHarness.await("the waker is armed", () -> h.wakerArmed.get() > 0);
            assertNull(h.trips.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS), "no polling while idle");
            h.events.add(new WorkerEvent.Wake());
            assertEquals(1, h.nextTrip().claimCount(), "a wake claims again");
        }
    }

    @Test
    void aTaskPastItsTimeLimitIsKilledAndFailsAsATimeout() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            h.answer(h.awaitClaim(1), List.of(h.claimed("slow", 1, 100)));
            FakeChild.Handed slow = h.nextHanded();
            DispatcherHarness.await(
                    "the child is killed at its limit", () -> slow.child().killed());
            Completion failed = h.awaitCompletion("slow");
            assertTrue(failed.replyJson().contains("io.forklift.TaskTimeoutException"), failed.replyJson());
        }
    }

    @Test
    void aDrainGivesBackPrefetchedTasksAndEndsOnceRunningOnesAreCompleted() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            // An idle worker claims for its idle child first; the prefetch follows the slot it then holds.
            h.answer(h.awaitClaim(1), List.of(h.claimed("a", 1)));
            FakeChild.Handed a = h.nextHanded();
            h.answer(h.awaitClaim(1), List.of(h.prefetched("b", 1)));
            h.dispatcher.drain();
            Trip release = h.nextTrip();
            assertEquals(Map.of("q", List.of(new Lease("b", 1))), release.releases(), "the prefetched task goes back");
            assertEquals(0, release.claimCount(), "a draining worker claims nothing");
            h.answer(release, List.of());
            assertTrue(h.loop.isAlive(), "a task still runs");

            a.child().finish("a", true, "{\"id\":\"a\",\"ok\":true}");
            Trip last = h.nextTrip();
            assertEquals("a", last.completions().get("q").get(0).id());
            h.answer(last, List.of());
            h.loop.join(5000);
            assertFalse(h.loop.isAlive(), "the loop ends once everything is completed");
        }
    }

    @Test
    void anIdleWorkerDrainsAtOnceWhileItsRoundTripHangsOnADeadRedis() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 0)) {
            Trip claim = h.awaitClaim(1); // never answered: Redis is down and the fetcher keeps retrying
            assertFalse(claim.carriesWork());
            h.dispatcher.drain();
            h.loop.join(5000);
            assertFalse(h.loop.isAlive(), "nothing is owed to Redis, so the drain does not wait for the trip");
        }
    }

    @Test
    void aTaskClaimedAgainWhileHeldStopsItsOldAttempt() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(2, 0)) {
            h.answer(h.awaitClaim(2), List.of(h.claimed("a", 1)));
            FakeChild.Handed first = h.nextHanded();
            // Its lease ran out in Redis unnoticed here and a later claim hands it back as attempt 2.
            h.events.add(new WorkerEvent.Wake());
            Trip claim = h.awaitClaim(1);
            h.answer(claim, List.of(h.claimed("a", 2)));
            FakeChild.Handed second = h.nextHanded();
            assertEquals(2, second.attempt());
            DispatcherHarness.await(
                    "the old attempt's child is killed", () -> first.child().killed());
            assertFalse(second.child().killed());
            assertNotNull(second.child().runningTaskId());
        }
    }
}
