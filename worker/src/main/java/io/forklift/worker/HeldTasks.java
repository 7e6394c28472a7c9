package io.forklift.worker;

import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The tasks this worker holds leases on, and what the next round trip owes Redis about them: tasks
 * running in children, tasks prefetched into the buffer (some of them handed to a busy child, to
 * start there as its run ends and take that run's slot), when each lease runs out by this worker's
 * clock, which leases are due for renewal, which are to be given back (a drain), and in which queues
 * a round trip whose reply was lost may have leased tasks this worker does not know of. Used from
 * the dispatcher thread only.
 */
final class HeldTasks {
    private final Map<String, Running> running = new HashMap<>();
    // Every buffered task by id, and those not handed to a child in claim order: the dispatcher looks for a
    // follower or a startable task after every event, so it must not scan past the tasks waiting in children.
    private final Map<String, Place> buffer = new LinkedHashMap<>();
    private final NavigableMap<Long, Trip.Accepted> unhanded = new TreeMap<>();
    private long nextPlace;
    private final Map<String, Child> handed = new HashMap<>(); // buffered tasks waiting inside a busy child
    private final Slots slots = new Slots();
    private final LeaseDeadlines deadlines;
    private final long renewEveryNanos;
    private long nextRenewalNanos;
    private Map<String, List<Lease>> releases = new LinkedHashMap<>();
    private final Set<String> unsureQueues = new LinkedHashSet<>();
    private boolean renewOnReconnect; // a round trip failed since the last one that arrived

    HeldTasks(Duration lease) {
        this.deadlines = new LeaseDeadlines(lease);
        // Renewing at a third of the lease leaves two chances before a lease runs out.
        this.renewEveryNanos = lease.toNanos() / 3;
    }

    /** Tasks leased here: running or prefetched. */
    int count() {
        return running.size() + buffer.size();
    }

    /** Whether a drain may end: nothing runs, waits or is still to be given back. */
    boolean settled() {
        return running.isEmpty() && buffer.isEmpty() && releases.isEmpty();
    }

    /** Whether this worker holds the lease of task {@code id} (running or prefetched). */
    boolean holds(String id) {
        return deadlines.holds(id);
    }

    /** A task claimed by a round trip sent at {@code sentNanos} waits for a child. */
    void buffer(Trip.Accepted task, long sentNanos) {
        // The first lease after holding none: its renewal is due a third of a lease from now, not at once.
        if (count() == 0) nextRenewalNanos = sentNanos + renewEveryNanos;
        Place place = new Place(nextPlace++, task);
        Place old = buffer.put(task.claimed().id(), place);
        if (old != null) unhanded.remove(old.order()); // claimed again: one place in the line
        unhanded.put(place.order(), task);
        if (task.claimed().slotted()) slots.slotted(task.claimed().id());
        deadlines.leased(List.of(task.claimed().id()), sentNanos);
    }

    /** The slots under the queues' caps, as this worker holds them. */
    Slots slots() {
        return slots;
    }

    /** The first buffered task that may start now (it holds a slot, or takes one a run freed); null if none. */
    Trip.Accepted nextStartable() {
        for (java.util.Iterator<Trip.Accepted> it = unhanded.values().iterator(); it.hasNext(); ) {
            Trip.Accepted a = it.next();
            if (slots.tryStart(a.claimed())) {
                it.remove();
                buffer.remove(a.claimed().id());
                return a;
            }
        }
        return null;
    }

    /** Buffered tasks a claim granted a slot. */
    void granted(List<String> ids) {
        for (String id : ids) if (buffer.containsKey(id)) slots.slotted(id);
    }

    /** Up to {@code idle} buffered tasks without a slot, per queue, to ask a slot for: idle children could start them. */
    Map<String, List<Lease>> asks(int idle) {
        Map<String, List<Lease>> asks = new LinkedHashMap<>();
        int n = 0;
        for (Trip.Accepted a : unhanded.values()) {
            if (n == idle) break;
            if (slots.holdsSlot(a.claimed().id())) continue;
            asks.computeIfAbsent(a.claimed().queue(), q -> new ArrayList<>())
                    .add(a.claimed().lease());
            n++;
        }
        return asks;
    }

    /**
     * How many more tasks of {@code queue} may be prefetched here: {@code perRun} to follow each run in it
     * (a short run's line of followers, or one) and one per buffered task holding a slot, less buffered ones
     * still waiting for a slot: no more in reserve than its own runs can pass their slots to.
     */
    int successors(String queue, int perRun) {
        int n = 0;
        for (Running r : running.values()) if (r.queue().equals(queue)) n += perRun;
        for (Trip.Accepted a : unhanded.values()) {
            if (a.claimed().queue().equals(queue))
                n += slots.holdsSlot(a.claimed().id()) ? 1 : -1;
        }
        return Math.max(0, n);
    }

    Running run(Trip.Accepted task, Child child, long deadlineNanos) {
        Running r = new Running(task, child, deadlineNanos);
        running.put(task.claimed().id(), r);
        return r;
    }

    /**
     * A buffered task to wait inside {@code head}'s child behind it and the tasks {@code waiting} there, now handed
     * there; null if none, or if a task waiting there is not of a {@code shortKind}. One holding a slot keeps it while
     * it waits; one without takes the slot of the task ahead as it ends, so all ahead must be of its queue and pool.
     */
    Trip.Accepted follower(Running head, List<String> waiting, Predicate<String> shortKind) {
        if (unhanded.isEmpty()) return null;
        String key = head.task().claimed().slotKey();
        for (String id : waiting) {
            Place place = buffer.get(id);
            if (place == null) continue;
            Trip.Accepted a = place.task();
            if (!shortKind.test(a.message().task())) return null; // nothing waits behind a long run
            if (!a.claimed().slotKey().equals(key)) key = null; // mixed: only tasks with a slot of their own join
        }
        for (java.util.Iterator<Trip.Accepted> it = unhanded.values().iterator(); it.hasNext(); ) {
            Trip.Accepted a = it.next();
            Trip.Claimed c = a.claimed();
            if (slots.holdsSlot(c.id()) || c.slotKey().equals(key)) {
                it.remove();
                handed.put(c.id(), head.child());
                return a;
            }
        }
        return null;
    }

    /** The task that waited in a child starts there, on the slot of the run that just ended; null if its lease is lost. */
    Trip.Accepted startHanded(String id) {
        if (handed.remove(id) == null) return null;
        Place place = buffer.remove(id);
        if (place == null) return null;
        if (!slots.tryStart(place.task().claimed())) throw new IllegalStateException("task " + id + " found no slot");
        return place.task();
    }

    /** The child {@code id} was handed to ended before starting it: it waits in the buffer again; false if it was not there. */
    boolean unhand(String id, Child child) {
        if (id == null || !handed.remove(id, child)) return false;
        Place place = buffer.get(id);
        if (place != null) unhanded.put(place.order(), place.task()); // back in its place in the line
        return true;
    }

    /** The busy child a buffered task waits in, or null. */
    Child handedTo(String id) {
        return handed.get(id);
    }

    Running running(String id) {
        return running.get(id);
    }

    Collection<Running> running() {
        return running.values();
    }

    /**
     * The task no longer runs here (it ended, timed out or is given back); null if it was not running.
     * Its completion or give-back goes with the next trip, so its slot may pass to a prefetched task.
     */
    Running stop(String id) {
        deadlines.forget(id);
        Running r = running.remove(id);
        if (r != null) slots.freed(r.task().claimed().slotKey());
        return r;
    }

    /** The lease is gone (and its slot with it): the task leaves the buffer or the running set; the running entry, or null. */
    Running lose(String id) {
        Place place = buffer.remove(id);
        if (place != null) unhanded.remove(place.order());
        handed.remove(id);
        slots.forget(id);
        deadlines.forget(id);
        return running.remove(id);
    }

    /** Tasks whose lease ran out by this worker's clock at {@code nowNanos}; they are no longer held. */
    List<String> expired(long nowNanos) {
        return deadlines.expired(nowNanos);
    }

    /** Renew at the next round trip rather than at the usual time (a revocation was announced). */
    void renewSoon() {
        nextRenewalNanos = System.nanoTime();
    }

    /** Every lease held here, per queue, once a third of the lease has passed since the last renewal; else none. */
    Map<String, List<Lease>> renewalsDue(long nowNanos) {
        if (nowNanos - nextRenewalNanos < 0 || count() == 0) return Map.of();
        nextRenewalNanos = nowNanos + renewEveryNanos;
        Map<String, List<Lease>> renewals = new LinkedHashMap<>();
        forEachHeld(
                c -> renewals.computeIfAbsent(c.queue(), q -> new ArrayList<>()).add(c.lease()));
        return renewals;
    }

    /** Leases renewed by a round trip sent at {@code sentNanos}. */
    void renewed(Map<String, List<Lease>> renewals, long sentNanos) {
        List<String> ids = new ArrayList<>();
        renewals.values().forEach(leases -> leases.forEach(l -> ids.add(l.id())));
        deadlines.renewed(ids, sentNanos);
    }

    /** A draining worker runs no more prefetched tasks, but those waiting in a child: they are to go back to the queue. */
    void releaseBuffered() {
        for (Trip.Accepted a : unhanded.values()) {
            buffer.remove(a.claimed().id());
            release(a.claimed());
            slots.forget(a.claimed().id());
            deadlines.forget(a.claimed().id());
        }
        unhanded.clear();
    }

    /** A lease to give back at the next round trip. */
    void release(Trip.Claimed task) {
        releases.computeIfAbsent(task.queue(), q -> new ArrayList<>()).add(task.lease());
    }

    /** Whether the next round trip has leases to give back, known or unknown. */
    boolean owesGiveBack() {
        return !releases.isEmpty() || !unsureQueues.isEmpty();
    }

    /** The leases to give back, for a round trip; they are then its to deliver. */
    Map<String, List<Lease>> takeReleases() {
        Map<String, List<Lease>> taken = releases;
        releases = new LinkedHashMap<>();
        return taken;
    }

    /**
     * For each queue where a lost reply may have leased tasks unknown here, the ids held there, with those {@code
     * completing} in the same trip (a NOSCRIPT re-run may complete them after the claim); claim.lua gives back the rest.
     */
    Map<String, List<String>> takeHeld(Map<String, List<Completion>> completing) {
        Map<String, List<String>> held = new LinkedHashMap<>();
        for (String q : unsureQueues) {
            List<String> ids = new ArrayList<>();
            completing.getOrDefault(q, List.of()).forEach(c -> ids.add(c.id()));
            held.put(q, ids);
        }
        forEachHeld(c -> {
            List<String> ids = held.get(c.queue());
            if (ids != null) ids.add(c.id());
        });
        unsureQueues.clear();
        return held;
    }

    /**
     * A round trip failed: its give-backs go with the next one, and since its claim may have run in Redis all the
     * same (a hung server runs what it buffered), the next trip gives back what this worker holds unknowingly there.
     */
    void tripFailed(Trip trip) {
        renewOnReconnect = true;
        slots.restore(trip.started());
        trip.releases()
                .forEach((q, leases) ->
                        releases.computeIfAbsent(q, k -> new ArrayList<>()).addAll(leases));
        unsureQueues.addAll(trip.held().keySet());
        if (trip.claimCount() > 0) unsureQueues.add(trip.claimQueue());
    }

    /** A round trip came back: after failed ones, renew at once, before housekeeping takes a lease that ran out meanwhile. */
    void tripArrived() {
        if (renewOnReconnect) renewSoon();
        renewOnReconnect = false;
    }

    /** Every task leased here: running in a child, then waiting in the prefetch buffer. */
    private void forEachHeld(Consumer<Trip.Claimed> action) {
        for (Running r : running.values()) action.accept(r.task().claimed());
        for (Place p : buffer.values()) action.accept(p.task().claimed());
    }

    /** A buffered task and its place in the line of tasks claimed here. */
    private record Place(long order, Trip.Accepted task) {}
}
