package io.forklift.coordinator.http;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Request;

/**
 * One HTTP call that waits (a queue get or put, an event wait, a join) parked on the key that may
 * let it through, holding no thread and no Redis connection while it waits: each time {@link
 * ReadySignals} wakes it, it retries its non-blocking call on the {@code tries} executor; at its
 * deadline it makes that call once more as the last, whose answer or error (409 empty, say) is the
 * caller's. Tries of one call never overlap, and only a try answers, so a value taken is always
 * answered. A client that goes away ({@link Hangup}) stops waiting and takes nothing after; its
 * wait's {@link Abandon} then runs once, after any try under way, and is handed what that try took
 * if it could not be answered (a lock granted to nobody is given back there, a pipe message goes
 * back to the head of its inbox).
 */
final class ParkedCall implements ReadySignals.Waiter {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ParkedCall.class);

    /** The call's non-blocking attempt. */
    @FunctionalInterface
    interface Attempt {
        /**
         * The answer, or null while it must wait. Null when {@code last} only for a call that must
         * go on past its deadline (a condition wait re-taking its lock): it is tried again, as last.
         */
        Object attempt(boolean last) throws Exception;
    }

    /**
     * What an attempt answers to wait on, but look again after {@code in} even if nothing wakes it
     * (a lock waiter renews its place in the line on time, however long its lease).
     */
    record Later(Duration in) {}

    /** What a wait leaves behind when its client goes away: a place in a line, a value taken for nobody. */
    @FunctionalInterface
    interface Abandon {
        /** {@code unanswered}: what a try got that no one was answered with, or null. */
        void abandon(Object unanswered) throws Exception;

        Abandon NOTHING = unanswered -> {};
    }

    /**
     * What a parked call waits on: {@code key}, named on the ready channel when it may let callers
     * through; {@code all} when one readiness lets every caller through (an event set), not one
     * (a value put); its longest wait; its attempt; and what to undo if its client goes away.
     */
    record Wait(String key, boolean all, Duration timeout, Attempt attempt, Abandon abandon) {
        Wait(String key, boolean all, Duration timeout, Attempt attempt) {
            this(key, all, timeout, attempt, Abandon.NOTHING);
        }

        /** The same wait, each attempt made through {@code wrap}. */
        Wait around(UnaryOperator<ObjectRoutes.Checked<Object>> wrap) {
            return new Wait(
                    key,
                    all,
                    timeout,
                    last -> wrap.apply(() -> attempt.attempt(last)).get(),
                    abandon);
        }
    }

    private final Exchange exchange;
    private final Wait wait;
    private final ReadySignals signals;
    private final Executor tries;
    private final AtomicInteger wakes = new AtomicInteger();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean abandoned = new AtomicBoolean(); // its Abandon ran (at most once)
    private volatile boolean left; // the client went away before an answer
    private volatile boolean expired;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> look; // the next look a Later asked for
    private Hangup hangup; // guarded by this: set while the call waits, stopped before it answers

    private final ScheduledExecutorService timer;

    private ParkedCall(
            Exchange exchange, Wait wait, ReadySignals signals, Executor tries, ScheduledExecutorService timer) {
        this.exchange = exchange;
        this.wait = wait;
        this.signals = signals;
        this.tries = tries;
        this.timer = timer;
    }

    /**
     * Answers {@code ex} with {@code wait}'s attempt: at once when it gets through (or may not
     * wait, on the calling thread), else once it does or its timeout has passed.
     */
    static void start(Exchange ex, Wait wait, ReadySignals signals, Executor tries, ScheduledExecutorService timer) {
        if (wait.timeout().isZero()) {
            answer(ex, () -> wait.attempt().attempt(true));
            return;
        }
        ParkedCall call = new ParkedCall(ex, wait, signals, tries, timer);
        ex.request().addIdleTimeoutListener(idle -> false); // the wait ends it, not the idle timeout
        Request.addCompletionListener(ex.request(), failure -> call.leave());
        ex.request().addFailureListener(failure -> call.leave());
        synchronized (call) { // a try answers only once the watch is set (and stops it first)
            signals.add(wait.key(), call); // before the first try, so no readiness after it is missed
            call.hangup = Hangup.watch(ex, call::leave);
        }
        call.timeout = timer.schedule(call::expire, wait.timeout().toNanos(), TimeUnit.NANOSECONDS);
        if (call.done.get()) call.timeout.cancel(false);
        call.wake(); // the first try, on the tries' threads: a crowd arriving at once queues there, not on Redis
    }

    @Override
    public void wake() {
        if (wakes.getAndIncrement() == 0) {
            try {
                tries.execute(this::drain);
            } catch (RuntimeException rejected) {
                wakes.set(0); // shutting down
            }
        }
    }

    @Override
    public boolean idle() {
        return wakes.get() == 0;
    }

    private void expire() {
        expired = true;
        wake();
    }

    /** Tries until no wake is left unanswered; one drain at a time (the wake count guards it). */
    private void drain() {
        int seen;
        do {
            seen = wakes.get();
            if (done.get()) {
                if (left) abandon(null);
                return;
            }
            tryOnce();
        } while (wakes.addAndGet(-seen) != 0);
    }

    private void tryOnce() {
        boolean last = expired;
        Object[] got = new Object[1];
        ApiException failed = null;
        try {
            got[0] = ObjectRoutes.checked(() -> {
                try {
                    return wait.attempt().attempt(last);
                } catch (RuntimeException e) {
                    if (!last && poolBusy(e)) return null; // every connection busy past the timeout: not yet
                    throw e;
                }
            });
        } catch (ApiException e) {
            failed = e;
        } catch (RuntimeException e) {
            failed = ApiHandler.toApi(e);
        }
        if (failed == null && got[0] instanceof Later later) {
            lookIn(later.in());
            return;
        }
        if (failed == null && got[0] == null) return; // not yet: wait for the next wake
        // Redis out of reach for a moment (a timeout under load), or its pool busy (above): wait on,
        // as a blocked Java call does; the fallback retries within a second, the last try answers
        if (failed != null && !last && failed.status() == 503) return;
        synchronized (this) {
            if (!finish()) { // the client went away during this try
                abandon(got[0]); // only leave() finishes besides a try, and tries never overlap
                return;
            }
            if (hangup != null) hangup.stop();
        }
        if (failed != null) exchange.json(failed.status(), ApiHandler.errorBody(failed));
        else exchange.json(200, got[0]);
        signals.passOn(wait.key(), wait.all(), false);
    }

    /** Whether {@code e} is a Redis pool that lent no connection in time (a crowd under load), not a refusal. */
    private static boolean poolBusy(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause())
            if (c instanceof java.util.NoSuchElementException) return true;
        return false;
    }

    private void lookIn(Duration in) {
        ScheduledFuture<?> before = look;
        if (before != null) before.cancel(false);
        look = timer.schedule(this::wake, Math.max(in.toNanos(), 0), TimeUnit.NANOSECONDS);
        if (done.get()) look.cancel(false);
    }

    /** The client went away, or the exchange completed: stop waiting. */
    private void leave() {
        if (!finish()) return;
        signals.passOn(wait.key(), false, true); // a wake it may have had goes to the next
        if (wait.abandon() == Abandon.NOTHING) return;
        left = true;
        wake(); // the abandon runs on the tries' threads, after a try under way
    }

    private void abandon(Object unanswered) {
        if (!abandoned.compareAndSet(false, true)) return;
        try {
            ObjectRoutes.checked(() -> {
                wait.abandon().abandon(unanswered);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn(
                    "undoing the wait of a client that went away failed ({}); a lease ends what is left",
                    e.getMessage());
        }
    }

    /** Stops waiting; true for the one caller that gets to answer. */
    private boolean finish() {
        if (!done.compareAndSet(false, true)) return false;
        signals.remove(wait.key(), this);
        ScheduledFuture<?> t = timeout, l = look;
        if (t != null) t.cancel(false);
        if (l != null) l.cancel(false);
        return true;
    }

    /** Answers {@code ex} with what {@code call} returns or throws, as every object call answers. */
    static void answer(Exchange ex, ObjectRoutes.Checked<Object> call) {
        try {
            ex.json(200, ObjectRoutes.checked(call));
        } catch (ApiException e) {
            ex.json(e.status(), ApiHandler.errorBody(e));
        } catch (RuntimeException e) {
            ApiException api = ApiHandler.toApi(e);
            ex.json(api.status(), ApiHandler.errorBody(api));
        }
    }
}
