package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Lease;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks waiting inside a busy child behind a short run ({@link Handoffs}), with fake children and
 * fake round trips: who waits, what starts when the run ahead ends, and what happens to a waiting
 * task when that run times out or its own lease is lost.
 */
@Timeout(30)
class HandoffsTest {
    private static final long SHORT = 20_000; // ns, a no-op's run in a child
    private static final long LONG = 5_000_000;

    @Test
    void aShortTaskGetsOneToWaitBehindItWhichStartsOnItsSlotAsItEnds() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            Trip claim = h.awaitClaim(1 + Handoffs.FOLLOWERS); // one to start, a line to follow it
            h.answer(claim, List.of(h.claimed("b", 1), h.prefetched("c", 1)));
            assertSame(child, h.nextHanded().child());
            FakeChild.Handed c = h.nextHanded();
            assertEquals("c", c.id());
            assertSame(child, c.child(), "c waits in the busy child");
            DispatcherHarness.await("c waits behind b", () -> List.of("c").equals(child.waitingTaskIds()));

            child.finish("b", true, SHORT, reply("b"));
            Trip next = h.nextTrip();
            assertEquals(List.of("b"), ids(next.completions().get("q")));
            assertEquals(
                    Map.of("q", List.of(new Lease("c", 1))),
                    next.started(),
                    "c started on b's slot, reported with b's completion");
            assertEquals("c", child.runningTaskId());
            assertNull(h.handed.poll(100, TimeUnit.MILLISECONDS), "c was not handed again");
            h.answer(next, List.of());

            child.finish("c", true, SHORT, reply("c"));
            assertTrue(h.awaitCompletion("c").replyJson().contains("\"c\""));
        }
    }

    @Test
    void aLongTaskGetsNoneToWaitBehindIt() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, LONG);
            Trip claim = h.awaitClaim(1); // a start only: nothing follows a long run
            h.answer(claim, List.of(h.claimed("b", 1), h.prefetched("c", 1)));
            assertEquals("b", h.nextHanded().id());
            assertNull(h.handed.poll(300, TimeUnit.MILLISECONDS), "c waits in the worker's buffer");
            assertEquals(List.of(), child.waitingTaskIds());

            child.finish("b", true, LONG, reply("b"));
            FakeChild.Handed c = h.nextHanded();
            assertEquals("c", c.id(), "c starts on the slot b freed, as a prefetched task does");
            assertSame(child, c.child());
        }
    }

    @Test
    void aWaitingTaskGoesToAnotherChildWhenTheRunAheadTimesOut() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild first = runFirst(h, SHORT);
            h.answer(h.awaitClaim(1 + Handoffs.FOLLOWERS), List.of(h.claimed("b", 1, 200), h.claimed("c", 1)));
            assertEquals("b", h.nextHanded().id());
            FakeChild.Handed waiting = h.nextHanded();
            assertSame(first, waiting.child(), "c waits behind b");

            FakeChild.Handed again = h.nextHanded(); // b times out: its child is killed, a fresh one starts
            assertTrue(first.killed());
            assertEquals("c", again.id());
            assertNotSame(first, again.child(), "c runs on the fresh child");
            assertEquals(1, again.attempt(), "c never started, so it is the same attempt");
            Completion b = h.awaitCompletion("b");
            assertTrue(b.replyJson().contains("io.forklift.TaskTimeoutException"), b.replyJson());
        }
    }

    @Test
    void aWaitingTaskWhoseLeaseIsLostStopsItsChildWhenTheRunAheadEnds() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            h.answer(h.awaitClaim(1 + Handoffs.FOLLOWERS), List.of(h.claimed("b", 1), h.claimed("c", 1)));
            h.nextHanded();
            h.nextHanded();
            h.events.add(new WorkerEvent.Revoked("q", "c")); // cancelled: renew now, and hear it is lost
            Trip renewal = h.nextTrip();
            h.answer(renewal, List.of(), List.of(), List.of("c"));
            assertTrue(!child.killed(), "b runs on: its lease is fine");

            child.finish("b", true, SHORT, reply("b"));
            DispatcherHarness.await("the child is stopped as it gets to c", child::killed);
            assertTrue(h.awaitCompletion("b").replyJson().contains("\"b\""), "b is completed");
        }
    }

    @Test
    void aLineOfWaitingTasksRunsInOrderAndGoesBackToTheBufferWhenItsChildDies() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            h.answer(
                    h.awaitClaim(1 + Handoffs.FOLLOWERS),
                    // c takes b's slot as b ends; d and e hold slots of their own, so they start anywhere
                    List.of(h.claimed("b", 1), h.prefetched("c", 1), h.claimed("d", 1), h.claimed("e", 1)));
            for (String id : List.of("b", "c", "d", "e")) {
                FakeChild.Handed handed = h.nextHanded();
                assertEquals(id, handed.id());
                assertSame(child, handed.child(), id + " goes to the one busy child");
            }
            DispatcherHarness.await(
                    "c, d and e wait behind b", () -> List.of("c", "d", "e").equals(child.waitingTaskIds()));

            child.finish("b", true, SHORT, reply("b"));
            Trip next = h.nextTrip();
            while (!next.completions().containsKey("q")) { // a claim made before b ended
                h.answer(next, List.of());
                next = h.nextTrip();
            }
            assertEquals(Map.of("q", List.of(new Lease("c", 1))), next.started(), "c took b's slot");
            h.answer(next, List.of());
            assertEquals("c", child.runningTaskId());
            assertEquals(List.of("d", "e"), child.waitingTaskIds());

            child.die(137); // killed with c running: d and e never started
            FakeChild.Handed d = h.nextHanded();
            FakeChild.Handed e = h.nextHanded();
            assertEquals(List.of("d", "e"), List.of(d.id(), e.id()), "back to the buffer, in order");
            assertNotSame(child, d.child(), "d runs on the fresh child");
            assertSame(d.child(), e.child(), "e waits behind d there: the kind is still short");
            assertEquals(1, d.attempt(), "d never started, so it is the same attempt");
            assertEquals(1, e.attempt());
            Completion c = h.awaitCompletion("c");
            assertTrue(c.replyJson().contains("io.forklift.ChildProcessDiedException"), c.replyJson());
        }
    }

    @Test
    void whatOnePassHandsAChildGoesOutInOneSend() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            assertEquals(1, child.sends(), "a went out alone");
            h.answer(
                    h.awaitClaim(1 + Handoffs.FOLLOWERS),
                    List.of(h.claimed("b", 1), h.claimed("c", 1), h.claimed("d", 1)));
            for (String id : List.of("b", "c", "d"))
                assertEquals(id, h.nextHanded().id());
            assertEquals(2, child.sends(), "b, and c and d to follow it, in one send");
        }
    }

    @Test
    void tasksHandedToAChildWhoseSendFailsEndWithItsExit() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            child.loseStdin(); // it exited; its exit event is still on its way
            h.answer(
                    h.awaitClaim(1 + Handoffs.FOLLOWERS),
                    List.of(h.claimed("b", 1), h.claimed("c", 1), h.claimed("d", 1)));
            DispatcherHarness.await(
                    "b handed to start, c and d to follow it",
                    () -> "b".equals(child.runningTaskId()) && List.of("c", "d").equals(child.waitingTaskIds()));
            assertNull(h.handed.poll(100, TimeUnit.MILLISECONDS), "nothing reached the child");

            child.die(137);
            FakeChild.Handed c = h.nextHanded();
            FakeChild.Handed d = h.nextHanded();
            assertEquals(List.of("c", "d"), List.of(c.id(), d.id()), "back to the buffer, in order");
            assertNotSame(child, c.child(), "c runs on the fresh child");
            assertEquals(1, c.attempt(), "c never started, so it is the same attempt");
            Completion b = h.awaitCompletion("b");
            assertTrue(b.replyJson().contains("io.forklift.ChildProcessDiedException"), b.replyJson());
        }
    }

    @Test
    void nothingWaitsBehindATaskOfAKindNotKnownToBeShort() throws Exception {
        try (DispatcherHarness h = new DispatcherHarness(1, 1)) {
            FakeChild child = runFirst(h, SHORT);
            h.answer(
                    h.awaitClaim(1 + Handoffs.FOLLOWERS),
                    List.of(h.claimed("b", 1), h.claimed("c", 1, 0, "t.Other"), h.claimed("d", 1)));
            assertEquals("b", h.nextHanded().id());
            assertEquals("c", h.nextHanded().id(), "c may wait behind b, a short run");
            assertNull(h.handed.poll(300, TimeUnit.MILLISECONDS), "d would wait behind c, whose length is unknown");
            assertEquals(List.of("c"), child.waitingTaskIds());
        }
    }

    /** Runs task a on the only child, which reports it ran for {@code runNanos}; returns the child. */
    private static FakeChild runFirst(DispatcherHarness h, long runNanos) throws InterruptedException {
        h.answer(h.awaitClaim(1), List.of(h.claimed("a", 1)));
        FakeChild.Handed a = h.nextHanded();
        a.child().finish("a", true, runNanos, reply("a"));
        return a.child();
    }

    private static String reply(String id) {
        return "{\"id\":\"" + id + "\",\"ok\":true}";
    }

    private static List<String> ids(List<Completion> completions) {
        return completions.stream().map(Completion::id).toList();
    }
}
