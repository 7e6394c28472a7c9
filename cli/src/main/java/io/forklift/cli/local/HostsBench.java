package io.forklift.cli.local;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.Crawler;
import io.forklift.examples.crawl.DemoSite;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forklift bench hosts}: the crawl demo on 1, 2, 4 … simulated worker hosts (network
 * namespaces; see {@link SimulatedHosts}) against a site whose every page takes {@code --page-delay},
 * one run after the other on a fresh cluster each. Prints pages per second for each and the ratio to
 * one host; the crawl is timed from its first submit to its last callback, the cluster's start-up
 * left out. Fails (exit 1) when a crawl does not match the site's own totals. Needs root.
 */
@Command(
        name = "hosts",
        mixinStandardHelpOptions = true,
        description = "Crawl the demo site from 1, 2, 4 … simulated worker hosts and print how pages/s scales.")
public final class HostsBench implements Callable<Integer> {
    @Option(
            names = "--hosts",
            split = ",",
            defaultValue = "1,2,4",
            description = "Host counts to run, one after the other. Default: ${DEFAULT-VALUE}")
    List<Integer> hostCounts;

    @Option(
            names = "--processes",
            defaultValue = "2",
            description = "Children of the worker on each host. Default: ${DEFAULT-VALUE}")
    int processes;

    @Option(names = "--pages", defaultValue = "1000", description = "Pages of the demo site. Default: ${DEFAULT-VALUE}")
    int pages;

    @Option(
            names = "--page-delay",
            defaultValue = "PT0.05S",
            description = "How long every page takes to answer. Default: ${DEFAULT-VALUE}")
    Duration pageDelay;

    @Option(
            names = "--seed",
            defaultValue = "" + DemoSite.DEFAULT_SEED,
            description = "Seed of the site. Default: ${DEFAULT-VALUE}")
    long seed;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** One run's figures. */
    record Run(
            int hosts,
            int children,
            long pages,
            double seconds,
            double pagesPerSecond,
            double middlePagesPerSecond,
            double meanFetchMillis,
            String latency) {}

    /** The runs of the last call, for tests that run the command in-process. */
    final List<Run> runs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        int failures = 0;
        for (int n : hostCounts) {
            if (n < 1) throw new IllegalArgumentException("--hosts takes counts of at least 1, not " + n);
            err.printf("bench hosts: %d host%s x %d children …%n", n, n == 1 ? "" : "s", processes);
            LocalSettings settings =
                    new LocalSettings(null, "bench-hosts:", n, processes, List.of("crawl"), null, false, false, -1, n);
            try (LocalCluster cluster = new LocalCluster(settings)) {
                cluster.start();
                SimulatedHosts hosts = cluster.hosts();
                try (DemoSite site = DemoSite.start(pages, seed, new DemoSite.Serving(hosts.address(), pageDelay));
                        Forklift fl = Forklift.connect(ForkliftOptions.of(cluster.uri())
                                .withPrefix(cluster.prefix())
                                .withAuthkey(cluster.authkey()))) {
                    Pool pool = fl.pool("crawl", 2 * n * processes);
                    Crawler crawler = new Crawler(pool, site.root(), null);
                    CrawlSummary summary;
                    double middle;
                    try (CrawlPace pace = new CrawlPace(crawler.ledger())) {
                        summary = crawler.crawl(Duration.ofMinutes(10));
                        middle = pace.middlePagesPerSecond(summary.fetched());
                    }
                    pool.close();
                    List<String> diffs = summary.differencesFrom(site.expected());
                    if (!diffs.isEmpty()) {
                        failures++;
                        err.println(
                                "bench hosts: the crawl DIFFERS from the site's totals: " + String.join("; ", diffs));
                    }
                    runs.add(new Run(
                            n,
                            n * processes,
                            summary.fetched(),
                            summary.duration().toNanos() / 1e9,
                            summary.pagesPerSecond(),
                            middle,
                            summary.meanFetchMillis(),
                            hosts.latency()));
                }
            }
        }
        print();
        return failures == 0 ? 0 : 1;
    }

    private void print() {
        out.printf(
                "%nCrawl of %,d pages (seed %d), every page %d ms, %d children per host; added latency: %s%n",
                pages,
                seed,
                pageDelay.toMillis(),
                processes,
                runs.isEmpty() ? "-" : runs.get(0).latency());
        out.println("  hosts  children   pages   seconds   pages/s   vs 1 host   middle 80%   vs 1 host   mean fetch");
        Run base = runs.stream().filter(r -> r.hosts() == 1).findFirst().orElse(null);
        for (Run r : runs) {
            out.printf(
                    "  %5d  %8d  %6d  %8.2f  %8.1f   %-9s   %10.1f   %-9s   %.1f ms%n",
                    r.hosts(),
                    r.children(),
                    r.pages(),
                    r.seconds(),
                    r.pagesPerSecond(),
                    ratio(r.pagesPerSecond(), base == null ? Double.NaN : base.pagesPerSecond()),
                    r.middlePagesPerSecond(),
                    ratio(r.middlePagesPerSecond(), base == null ? Double.NaN : base.middlePagesPerSecond()),
                    r.meanFetchMillis());
        }
        out.println("  (middle 80%: pages/s between 10% and 90% of the pages answered, the pace a long crawl keeps)");
    }

    private static String ratio(double value, double base) {
        return Double.isNaN(value) || Double.isNaN(base) ? "-" : String.format("%.2fx", value / base);
    }
}
