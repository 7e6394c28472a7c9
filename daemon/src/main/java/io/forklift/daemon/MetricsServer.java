package io.forklift.daemon;

import io.forklift.ForkliftException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/**
 * A Prometheus registry and the Prometheus client's HTTP server that serves it at
 * {@code http://<host>:<port>/metrics}, bound to one address: 127.0.0.1 unless the operator widens
 * it ({@code --metrics-host 0.0.0.0}), since the metrics name hosts, queues and tasks. Workers and
 * coordinators each own one; port -1 keeps the registry (so meters still count) but serves nothing,
 * port 0 takes a free port.
 */
public final class MetricsServer implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HTTPServer server;

    /** Where metrics are served unless {@code --metrics-host} says otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private MetricsServer(String host, int port) {
        if (port < -1 || port > 65535)
            throw new IllegalArgumentException(
                    "--metrics-port must be 0-65535 (0 = any free port), or -1 to serve no metrics; got " + port);
        if (port == -1) {
            server = null;
            return;
        }
        try {
            server = HTTPServer.builder()
                    .hostname(host)
                    .port(port)
                    .registry(registry.getPrometheusRegistry())
                    .buildAndStart();
        } catch (IOException e) {
            throw new ForkliftException(
                    "cannot serve metrics on " + host + ":" + port + " (" + e.getMessage()
                            + "); pass a free --metrics-port, 0 for any free port, or -1 to serve none, "
                            + "and a --metrics-host address of this machine",
                    e);
        }
    }

    /**
     * Starts serving on {@code host}:{@code port} ({@code host} null: {@value #DEFAULT_HOST}); throws
     * {@link ForkliftException} (one line on the command line) saying what to do if the port is taken or the address is not this machine's.
     */
    public static MetricsServer start(String host, int port) {
        return new MetricsServer(host == null ? DEFAULT_HOST : host, port);
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
