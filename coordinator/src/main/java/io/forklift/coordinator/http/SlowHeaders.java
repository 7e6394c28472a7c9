package io.forklift.coordinator.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;

/**
 * Closes connections that trickle bytes without finishing a request's headers (one byte a second
 * resets an idle timeout forever): a connection that received bytes but began no new request in
 * two looks in a row, {@code period} apart, is closed. A client waiting in a long poll sends
 * nothing and is left alone; a slow body is the minimum data rate's to cut (an upload slower than
 * that over two periods is cut here too). Holds three numbers per open connection, nothing per
 * request or token.
 */
final class SlowHeaders implements Connection.Listener, AutoCloseable {
    private record Seen(long bytesIn, long messagesIn, int suspect) {}

    private final Map<Connection, Seen> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-slow-headers");
        t.setDaemon(true);
        return t;
    });

    SlowHeaders(Duration period) {
        timer.scheduleWithFixedDelay(this::sweep, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Seen(0, 0, 0));
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    private void sweep() {
        open.forEach((c, before) -> {
            long bytes = c.getBytesIn(), messages = c.getMessagesIn();
            boolean trickling = bytes > before.bytesIn() && messages == before.messagesIn();
            Seen now = new Seen(bytes, messages, trickling ? before.suspect() + 1 : 0);
            if (now.suspect() >= 2) c.close(); // bytes for two periods and still no request
            else open.replace(c, before, now);
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
