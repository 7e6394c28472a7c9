package io.forklift.coordinator.http;

import io.forklift.redis.ReplyLists.Inbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;

/**
 * One {@code GET /v1/results?wait=…} blocked on the {@link ReplyPump}: answered with the first
 * replies popped for its client, or with none when its wait ends. No thread waits for it.
 */
final class LongPoll implements ReplyPump.Waiter {
    private final Exchange exchange;
    private final List<Inbox> inboxes;
    private final ResultViews views;
    private final ReplyPump pump;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    LongPoll(Exchange exchange, List<Inbox> inboxes, ResultViews views, ReplyPump pump) {
        this.exchange = exchange;
        this.inboxes = List.copyOf(inboxes);
        this.views = views;
        this.pump = pump;
    }

    void start(Duration wait, ScheduledExecutorService timer) {
        // a client that goes away stops waiting here too
        Request.addCompletionListener(exchange.request(), failure -> finish());
        exchange.request().addFailureListener(failure -> finish());
        exchange.request().addIdleTimeoutListener(idle -> false); // the wait below ends it, not the idle timeout
        pump.add(this);
        timeout = timer.schedule(this::expire, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Inbox> inboxes() {
        return inboxes;
    }

    @Override
    public boolean offer(Inbox inbox, List<String> replies) {
        if (!finish()) return false;
        exchange.json(200, Map.of("client", inbox.client(), "results", views.read(inbox, replies)));
        return true;
    }

    private void expire() {
        if (finish()) exchange.json(200, Map.of("client", inboxes.get(0).client(), "results", List.of()));
    }

    /** Stops waiting; true for the one caller that gets to answer. */
    private boolean finish() {
        if (!done.compareAndSet(false, true)) return false;
        pump.remove(this);
        ScheduledFuture<?> t = timeout;
        if (t != null) t.cancel(false);
        return true;
    }
}
