package io.forklift.cli.local;

import io.forklift.ForkliftOptions;
import io.forklift.coordinator.http.Tokens;
import io.forklift.daemon.LocalWorker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code forklift local} prints once its cluster runs: every process, where its log is, how to reach it. */
final class ClusterBanner {
    private ClusterBanner() {}

    static void print(
            PrintStream out, LocalCluster cluster, int metricsPort, int workers, List<String> queues, String prefix)
            throws IOException {
        out.println("forklift local is running:");
        if (cluster.embedded() != null) {
            out.printf(
                    "  redis-server      pid %d   %s   (embedded, data in %s)%n                    %s%n",
                    cluster.embedded().pid(),
                    cluster.uri(),
                    cluster.embedded().dataDir(),
                    cluster.embedded().server());
        } else {
            out.printf("  redis             %s%n", cluster.uri());
        }
        if (cluster.coordinator() != null) {
            out.printf(
                    "  coordinator       pid %d   log %s%s%n",
                    cluster.coordinator().pid(),
                    cluster.coordinatorLog(),
                    metricsPort > 0 ? "   metrics http://127.0.0.1:" + metricsPort + "/metrics" : "");
        }
        Map<String, List<Long>> kids = cluster.children();
        Map<String, List<Long>> spares = cluster.processJvms();
        for (LocalWorker w : cluster.workersSnapshot()) {
            String id = cluster.workerId(w);
            out.printf(
                    "  worker %-10s pid %d   children pid %s   spare Process JVM pid %s   log %s%n",
                    id,
                    w.pid(),
                    kids.getOrDefault(id, List.of()).stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(", ")),
                    spares.getOrDefault(id, List.of()).stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(", ")),
                    w.log());
        }
        if (metricsPort > 0) {
            out.printf(
                    "  metrics           workers on ports %d-%d; try the dashboard's queries with "
                            + "prometheus --config.file=grafana/prometheus-local.yml%n",
                    metricsPort + 1, metricsPort + workers);
        }
        SimulatedHosts simulated = cluster.hosts();
        if (simulated != null) {
            out.printf(
                    "  hosts             %d network namespaces, worker i on host i, bridge %s; added latency: %s%n",
                    simulated.count(), simulated.address().getHostAddress(), simulated.latency());
        }
        out.printf("  queues            %s   key prefix %s%n", String.join(",", queues), prefix);
        List<Path> temp = cluster.temporaryFolders();
        if (!temp.isEmpty()) {
            out.printf(
                    "  temporary folders %s   (deleted on exit)%n",
                    temp.stream().map(Path::toString).collect(Collectors.joining(" ")));
        }
        out.printf(
                "  watch it          ./forklift status --redis %s%s%n",
                cluster.uri(), ForkliftOptions.DEFAULT_PREFIX.equals(prefix) ? "" : " --prefix " + prefix);
        out.printf(
                "  authkey           %s (your programs need it: export FORKLIFT_AUTHKEY=\"$(cat %s)\")%n",
                cluster.authkeyFile(), cluster.authkeyFile());
        if (cluster.httpUrl() != null) {
            String token = new Tokens(cluster.authkey()).clusterToken();
            String url = cluster.httpUrl();
            out.printf("  HTTP API          %s/v1/…   OpenAPI %s/openapi.json%n", url, url);
            out.printf("  token             %s   (export FORKLIFT_TOKEN=%s)%n", token, token);
            out.printf("  status page       %s/#token=%s%n", cluster.httpUrl(), token);
        }
    }
}
