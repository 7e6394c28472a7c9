package io.forklift.daemon.options;

import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-host}, as the daemons take them (a picocli mixin); each
 * role has its own default port, and every role serves on 127.0.0.1 unless told otherwise.
 */
public final class MetricsOptions {
    @Option(
            names = "--metrics-port",
            defaultValue = "${env:FORKLIFT_METRICS_PORT}",
            description = "Port of the Prometheus endpoint /metrics; 0 = any free port, -1 = none; or "
                    + "FORKLIFT_METRICS_PORT. Default: 9464 for a worker, 9465 for a coordinator")
    Integer port;

    @Option(
            names = "--metrics-host",
            defaultValue = "${env:FORKLIFT_METRICS_HOST:-" + io.forklift.daemon.MetricsServer.DEFAULT_HOST + "}",
            description = "Address /metrics is served on; 0.0.0.0 for every interface (a container, a Prometheus "
                    + "on another host); or FORKLIFT_METRICS_HOST. Default: ${DEFAULT-VALUE}, this machine only")
    String host;

    /** The address to serve metrics on. */
    public String host() {
        return host;
    }

    /** The port given, else {@code roleDefault}. */
    public int port(int roleDefault) {
        return port != null ? port : roleDefault;
    }
}
