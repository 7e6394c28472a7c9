package io.forklift.coordinator.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API on Jetty 12's core server: HTTP/1.1 (over TLS when given a keystore) on one address, a
 * small thread pool (handlers only make short Redis calls; waits for results hold no thread, see
 * {@link ReplyPump}), request bodies limited in size and in how slowly they may arrive, connections
 * capped and closed when silent, and every error Jetty raises itself (a malformed request line,
 * oversized headers) answered as JSON like the API's own.
 */
public final class HttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final ApiHandler handler;
    private final boolean tls;
    private final SlowHeaders slowHeaders;

    private HttpServer(
            Server server, ServerConnector connector, ApiHandler handler, boolean tls, SlowHeaders slowHeaders) {
        this.server = server;
        this.slowHeaders = slowHeaders;
        this.connector = connector;
        this.handler = handler;
        this.tls = tls;
    }

    /** Connections the kernel may hold for the acceptor: as many as a burst of clients opens. */
    static final int ACCEPT_QUEUE = 4096;

    /** Starts serving {@code api}; throws {@link UncheckedIOException} saying what to change when it cannot bind. */
    public static HttpServer start(Api api, HttpSettings settings) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        config.setRequestHeaderSize(16 * 1024);
        config.setIdleTimeout(settings.idleTimeout().toMillis());
        HttpConnectionFactory http = new HttpConnectionFactory(config);
        ServerConnector connector;
        if (settings.keystore() != null) {
            config.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.keystore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(settings.keystorePassword());
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, http.getProtocol()), http);
        } else {
            connector = new ServerConnector(server, http);
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        // The JDK's backlog of 50 overflows when hundreds of clients connect at once (a crawl's fleet, a
        // thousand parked acquirers): the kernel drops their handshakes and they retry for seconds or time
        // out. The kernel caps this at net.core.somaxconn.
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        SlowHeaders slowHeaders = new SlowHeaders(settings.idleTimeout());
        connector.addBean(slowHeaders);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        ApiHandler handler =
                new ApiHandler(api.router(), settings.insecure() ? null : api.tokens(), settings.maxBody());
        if (!settings.insecure() && api.tokens() == null) {
            throw new IllegalArgumentException(
                    "the HTTP API needs the cluster's authkey to check tokens "
                            + "(--authkey-file or FORKLIFT_AUTHKEY); --http-insecure serves it unchecked, for a trusted machine only");
        }
        SizeLimitHandler sizeLimit = new SizeLimitHandler(settings.maxBody(), -1);
        sizeLimit.setHandler(handler);
        server.setHandler(new MinimumDataRateHandler(sizeLimit, settings.minDataRate(), 0));
        server.setErrorHandler(new JsonErrors());
        try {
            server.start();
        } catch (Exception e) {
            slowHeaders.close();
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new UncheckedIOException(
                    "cannot serve the HTTP API on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                            + "); pass a free --http-port (0 for any) and an --http-host address of this machine",
                    e instanceof IOException io ? io : new IOException(e));
        }
        return new HttpServer(server, connector, handler, settings.keystore() != null, slowHeaders);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8470}. */
    public String url() {
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0")
                ? "127.0.0.1"
                : connector.getHost();
        return (tls ? "https" : "http") + "://" + host + ":" + port();
    }

    /** Requests refused with a 4xx since start. */
    public long refused() {
        return handler.refused();
    }

    @Override
    public void close() {
        slowHeaders.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed: " + e.getMessage(), e);
        }
    }

    /** Jetty's own errors (bad request lines, headers too large, bodies over the limit) as the API's JSON. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(
                Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String reason = message == null ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
            String error = switch (code) {
                case 413 -> "payload_too_large";
                case 408 -> "request_timeout";
                case 431 -> "headers_too_large";
                default -> code >= 500 ? "internal_error" : "bad_request";
            };
            String json = "{\"error\":\"" + error + "\",\"message\":" + quote(reason) + ",\"status\":" + code + "}";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        }

        private static String quote(String s) {
            try {
                return io.forklift.wire.Json.MAPPER.writeValueAsString(s);
            } catch (Exception e) {
                return "\"error\"";
            }
        }
    }
}
