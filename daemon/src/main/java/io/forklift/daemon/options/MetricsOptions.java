package io.forklift.daemon.options;

import picocli.CommandLine.Option;

/** {@code --metrics-port}, as the daemons take it (a picocli mixin); each role has its own default port. */
public final class MetricsOptions {
    @Option(
            names = "--metrics-port",
            defaultValue = "${env:FORKLIFT_METRICS_PORT}",
            description = "Port of the Prometheus endpoint /metrics; 0 = any free port, -1 = none; or "
                    + "FORKLIFT_METRICS_PORT. Default: 9464 for a worker, 9465 for a coordinator")
    Integer port;

    /** The port given, else {@code roleDefault}. */
    public int port(int roleDefault) {
        return port != null ? port : roleDefault;
    }
}
