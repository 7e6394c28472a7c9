package io.forklift.daemon;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Prometheus registry and the Prometheus client's HTTP server that serves it at
 * {@code http://<host>:<port>/metrics}. Workers and coordinators each own one; port -1 keeps the
 * registry (so meters still count) but serves nothing, port 0 takes a free port.
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HTTPServer server;

    private MetricsServer(int port) {
        if (port < -1 || port > 65535)
            throw new IllegalArgumentException(
                    "--metrics-port must be 0-65535 (0 = any free port), or -1 to serve no metrics; got " + port);
        if (port == -1) {
            server = null;
            return;
        }
        try {
            server = HTTPServer.builder()
                    .port(port)
                    .registry(registry.getPrometheusRegistry())
                    .buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics on port " + port + " (" + e.getMessage()
                            + "); pass a free --metrics-port, 0 for any free port, or -1 to serve none",
                    e);
        }
    }

    /** Starts serving on {@code port}; throws {@link UncheckedIOException} saying what to do if the port is taken. */
    public static MetricsServer start(int port) {
        return new MetricsServer(port);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port metrics are served on, or -1 when none are served. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void close() {
        if (server != null) server.close();
        registry.close();
    }
}
