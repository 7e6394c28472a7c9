package io.forklift.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forklift.redis.ReplyLists.Inbox;
import io.forklift.wire.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/results/stream}: a client's results as Server-Sent Events, one {@code result}
 * event per reply ({@code id:} the task id), as its Java counterpart's callbacks would get them.
 * Writes never block: events gather while a write is under way and go out with the next. A comment
 * every 15 s keeps proxies from closing an idle stream and finds a client that left; a client that
 * reads too slowly (over 8 MB behind) is disconnected, and finds what it missed by id after it
 * reconnects, as the results stay in their queue's results hashes.
 */
final class EventStream implements ReplyPump.Waiter {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int MAX_BEHIND = 8 * 1024 * 1024;

    private final Exchange exchange;
    private final List<Inbox> inboxes;
    private final ResultViews views;
    private final ReplyPump pump;
    private final StringBuilder pending = new StringBuilder();
    private boolean writing;
    private boolean closed;
    private ScheduledFuture<?> heartbeat;

    EventStream(Exchange exchange, List<Inbox> inboxes, ResultViews views, ReplyPump pump) {
        this.exchange = exchange;
        this.inboxes = List.copyOf(inboxes);
        this.views = views;
        this.pump = pump;
    }

    /** Sends the headers and a {@code hello} event naming the client, then waits on the pump. */
    void start(ScheduledExecutorService timer) {
        if (!exchange.takeOver()) return;
        var response = exchange.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put("X-Accel-Buffering", "no");
        exchange.request().addIdleTimeoutListener(idle -> false); // heartbeats keep it busy
        exchange.request().addFailureListener(this::close);
        Request.addCompletionListener(exchange.request(), this::close);
        String client = inboxes.get(0).client();
        enqueue("retry: 2000\nevent: hello\ndata: {\"client\":\"" + client + "\",\"queues\":"
                + inboxes.stream().map(i -> "\"" + i.queue() + "\"").toList() + "}\n\n");
        pump.add(this);
        heartbeat = timer.scheduleWithFixedDelay(
                () -> enqueue(": ping\n\n"), HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Inbox> inboxes() {
        return inboxes;
    }

    @Override
    public boolean offer(Inbox inbox, List<String> replies) {
        synchronized (this) {
            if (closed) return false;
        }
        StringBuilder events = new StringBuilder();
        for (ObjectNode v : views.read(inbox, replies)) {
            try {
                events.append("id: ")
                        .append(v.get("id").asText())
                        .append("\nevent: result\ndata: ")
                        .append(Json.MAPPER.writeValueAsString(v))
                        .append("\n\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a result as JSON", e);
            }
        }
        return enqueue(events.toString());
    }

    /** Adds events and writes them unless a write is under way; false when the stream is closed. */
    private boolean enqueue(String events) {
        String chunk;
        synchronized (this) {
            if (closed) return false;
            pending.append(events);
            if (pending.length() > MAX_BEHIND) {
                log.warn(
                        "closing the result stream of client {}: it reads too slowly ({} characters behind)",
                        inboxes.get(0).client(),
                        pending.length());
                closeLocked(null);
                return true; // taken: what it missed stays in the results hashes
            }
            if (writing || pending.isEmpty()) return true;
            writing = true;
            chunk = pending.toString();
            pending.setLength(0);
        }
        exchange.response()
                .write(
                        false,
                        ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)),
                        Callback.from(
                                () -> {
                                    synchronized (this) {
                                        writing = false;
                                    }
                                    enqueue("");
                                },
                                this::close));
        return true;
    }

    private void close(Throwable why) {
        synchronized (this) {
            closeLocked(why);
        }
    }

    private void closeLocked(Throwable why) {
        if (closed) return;
        closed = true;
        pump.remove(this);
        if (heartbeat != null) heartbeat.cancel(false);
        if (why == null) exchange.response().write(true, ByteBuffer.allocate(0), exchange.callback());
        else exchange.callback().failed(why);
    }
}
