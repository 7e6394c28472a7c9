package io.forklift.cli.local;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link LocalCluster} starts. {@code redisUri} null starts an embedded Redis; {@code logDir} null logs to a
 * temporary folder. The coordinator serves metrics on {@code metricsPort}, worker i on
 * {@code metricsPort + i}; 0 gives each any free port, -1 serves none. {@code hosts} above 0 puts
 * worker i on simulated host ((i - 1) mod hosts) + 1. The coordinator serves its HTTP API on 127.0.0.1:{@code httpPort}
 * (chosen before start, see {@link HttpPorts}); -1 serves none.
 */
record LocalSettings(
        String redisUri,
        String prefix,
        int workers,
        int processes,
        List<String> queues,
        Path logDir,
        boolean coordinator,
        boolean pythonFetcher,
        int metricsPort,
        int hosts,
        int httpPort) {
    /** No simulated hosts: every worker on this machine's own network. */
    LocalSettings(
            String redisUri,
            String prefix,
            int workers,
            int processes,
            List<String> queues,
            Path logDir,
            boolean coordinator,
            boolean pythonFetcher,
            int metricsPort) {
        this(redisUri, prefix, workers, processes, queues, logDir, coordinator, pythonFetcher, metricsPort, 0);
    }

    /** No HTTP API: the coordinator serves metrics and housekeeping only. */
    LocalSettings(
            String redisUri,
            String prefix,
            int workers,
            int processes,
            List<String> queues,
            Path logDir,
            boolean coordinator,
            boolean pythonFetcher,
            int metricsPort,
            int hosts) {
        this(redisUri, prefix, workers, processes, queues, logDir, coordinator, pythonFetcher, metricsPort, hosts, -1);
    }

    /** The metrics port of worker {@code i} (1-based), or of the coordinator for 0. */
    int metricsPort(int i) {
        return metricsPort <= 0 ? metricsPort : metricsPort + i;
    }

    /** The options of the cluster's {@code forklift coordinator}, on {@code redisUri} and signing with {@code authkeyFile}. */
    List<String> coordinatorOptions(String redisUri, String id, Path authkeyFile) {
        return List.of(
                "--redis",
                redisUri,
                "--prefix",
                prefix,
                "--id",
                id,
                "--metrics-port",
                Integer.toString(metricsPort(0)),
                "--authkey-file",
                authkeyFile.toString(),
                "--http-port",
                Integer.toString(httpPort));
    }
}
