package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.daemon.LocalWorker;
import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.Crawler;
import io.forklift.examples.crawl.DemoSite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code forklift local --hosts 2}: each worker and its children run in a network namespace of their
 * own, reach Redis and the demo site across the bridge, and crawl the site exactly; closing the
 * cluster deletes the namespaces and the bridge. How pages/s scales with hosts is a benchmark's
 * figure ({@code forklift bench hosts}), not asserted here. Needs root; skips with a line without it.
 */
@Timeout(240)
class SimulatedHostsIT {
    private static final int HOSTS = 2;

    @Test
    void workersOnSimulatedHostsCrawlAcrossTheBridgeAndLeaveNothingBehind() throws Exception {
        if (!isRoot()) {
            System.out.println("SimulatedHostsIT skipped: network namespaces need root");
            Assumptions.abort("network namespaces need root");
        }
        String tag = "fl" + ProcessHandle.current().pid();
        LocalSettings settings = new LocalSettings(
                null,
                "hosts-it:",
                HOSTS,
                1,
                List.of("crawl"),
                Path.of("target/it-logs/simulated-hosts"),
                false,
                false,
                -1,
                HOSTS);
        try (LocalCluster cluster = new LocalCluster(settings)) {
            cluster.start();
            String ours = netns(ProcessHandle.current().pid());
            Set<String> spaces = new HashSet<>();
            Map<String, List<Long>> children = cluster.children();
            for (LocalWorker w : cluster.workersSnapshot()) {
                String space = netns(w.pid());
                assertNotEquals(ours, space, "worker " + cluster.workerId(w) + " runs in a namespace of its own");
                spaces.add(space);
                for (long child : children.get(cluster.workerId(w))) {
                    assertEquals(space, netns(child), "child " + child + " shares its worker's namespace");
                }
            }
            assertEquals(HOSTS, spaces.size(), "each worker on a host of its own: " + spaces);

            SimulatedHosts hosts = cluster.hosts();
            try (DemoSite site = DemoSite.start(300, 7, new DemoSite.Serving(hosts.address(), Duration.ofMillis(10)));
                    Forklift fl = Forklift.connect(ForkliftOptions.of(cluster.uri())
                            .withPrefix(cluster.prefix())
                            .withAuthkey(cluster.authkey()))) {
                Pool pool = fl.pool("crawl", 4 * HOSTS);
                CrawlSummary crawl = new Crawler(pool, site.root(), null).crawl(Duration.ofMinutes(3));
                pool.close();
                assertEquals(List.of(), crawl.differencesFrom(site.expected()), "the crawl across the bridge");
                assertEquals(HOSTS, crawl.perWorker().size(), "pages fetched on every host: " + crawl.perWorker());
                System.out.printf(
                        "simulated hosts: %d pages crawled from %d hosts %s; added latency: %s%n",
                        crawl.fetched(), HOSTS, crawl.perWorker(), hosts.latency());
            }
        }
        String namespaces = run("ip", "netns", "list");
        assertFalse(namespaces.contains(tag + "h"), "namespaces left behind: " + namespaces);
        assertFalse(run("ip", "-br", "link").contains(tag + "br"), "the bridge " + tag + "br was left behind");
    }

    private static String netns(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"))
                .toString();
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
