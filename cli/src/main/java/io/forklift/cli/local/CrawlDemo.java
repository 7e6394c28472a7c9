package io.forklift.cli.local;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.Crawler;
import io.forklift.examples.crawl.DemoSite;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code forklift local --demo crawl}: serves a generated site, crawls it through the local cluster's
 * pool 'crawl', prints the summary and checks it against the site's own totals.
 */
record CrawlDemo(ForkliftOptions options, SimulatedHosts simulated, String python, PrintStream out, PrintStream err) {

    /** What the crawl found, what the site holds, and whether the two agree. */
    record Outcome(CrawlSummary summary, DemoSite.Expected expected, boolean matches) {}

    Outcome run(int pages, long seed, Duration pageDelay, int cap, Duration timeout) throws Exception {
        DemoSite.Serving serving = new DemoSite.Serving(
                simulated == null ? DemoSite.Serving.loopback().address() : simulated.address(), pageDelay);
        try (DemoSite site = DemoSite.start(pages, seed, serving);
                Forklift fl = Forklift.connect(options)) {
            out.printf(
                    "%nCrawling %s: a generated site of %,d pages (seed %d), pool 'crawl' capped at %d …%n",
                    site.root(), pages, seed, cap);
            Pool pool = fl.pool("crawl", cap);
            CrawlSummary summary = new Crawler(pool, site.root(), err, python).crawl(timeout);
            pool.close();
            summary.print(out);
            DemoSite.Expected expected = site.expected();
            List<String> diffs = summary.differencesFrom(expected);
            if (diffs.isEmpty()) {
                out.printf(
                        "  check             matches the site's own totals: %,d pages, %,d links, %d x 404,"
                                + " %d x 500, %d redirect loops%n",
                        expected.pages(),
                        expected.links(),
                        expected.notFound(),
                        expected.serverErrors(),
                        expected.redirectLoops());
            } else {
                out.println("  check             DIFFERS from the site's own totals: " + String.join("; ", diffs));
            }
            return new Outcome(summary, expected, diffs.isEmpty());
        }
    }
}
