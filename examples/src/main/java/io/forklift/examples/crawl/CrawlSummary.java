package io.forklift.examples.crawl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a {@link Crawler} run.
 *
 * @param fetched       URLs fetched, whatever the outcome
 * @param ok            of those, pages that answered 200
 * @param links         {@code href}s found on the 200 pages, duplicates and off-site links included
 * @param uniqueUrls    distinct same-site URLs found (the root included); each was fetched once
 * @param notFound      pages that answered 404
 * @param serverErrors  pages that answered 500
 * @param redirectLoops pages that redirected in a loop
 * @param otherErrors   any other status, a failed fetch (timeout, refused connection) or a failed submit
 * @param errorSamples  the first few of the other errors, described
 * @param perWorker     pages fetched by each worker daemon
 * @param workerOfPid   the worker of each child pid
 * @param perChild      pages fetched by each child process, by pid
 * @param fetchMillis   time the children spent fetching the pages that answered, summed
 */
public record CrawlSummary(
        long fetched,
        long ok,
        long links,
        long uniqueUrls,
        long notFound,
        long serverErrors,
        long redirectLoops,
        long otherErrors,
        List<String> errorSamples,
        Duration duration,
        Map<String, Long> perWorker,
        Map<Long, String> workerOfPid,
        Map<Long, Long> perChild,
        long fetchMillis) {

    public double pagesPerSecond() {
        double seconds = duration.toNanos() / 1e9;
        return seconds > 0 ? fetched / seconds : 0;
    }

    /** Mean time a child took to fetch a page (redirects included), as the child measured it. */
    public double meanFetchMillis() {
        long answered = fetched - otherErrors;
        return answered > 0 ? (double) fetchMillis / answered : 0;
    }

    /** The differences from what a complete crawl of {@code site} finds; empty when the crawl found exactly that. */
    public List<String> differencesFrom(DemoSite.Expected site) {
        List<String> diffs = new ArrayList<>();
        compare(diffs, "pages fetched", site.pages(), fetched);
        compare(diffs, "distinct URLs", site.pages(), uniqueUrls);
        compare(diffs, "200 pages", site.ok(), ok);
        compare(diffs, "links found", site.links(), links);
        compare(diffs, "404s", site.notFound(), notFound);
        compare(diffs, "500s", site.serverErrors(), serverErrors);
        compare(diffs, "redirect loops", site.redirectLoops(), redirectLoops);
        compare(diffs, "other errors", 0, otherErrors);
        return diffs;
    }

    private static void compare(List<String> diffs, String what, long expected, long actual) {
        if (expected != actual) diffs.add(what + ": expected " + expected + ", got " + actual);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("Crawl summary");
        out.printf("  pages fetched     %,d  (%,d distinct URLs found)%n", fetched, uniqueUrls);
        out.printf("  pages OK (200)    %,d%n", ok);
        out.printf("  links found       %,d%n", links);
        out.printf(
                "  errors            404: %,d   500: %,d   redirect loop: %,d   other: %,d%n",
                notFound, serverErrors, redirectLoops, otherErrors);
        for (String sample : errorSamples) out.printf("                    %s%n", sample);
        out.printf("  duration          %.2f s%n", duration.toNanos() / 1e9);
        out.printf("  rate              %,.0f pages/s%n", pagesPerSecond());
        out.printf("  mean fetch        %,.1f ms in a child%n", meanFetchMillis());
        out.println("  pages per worker");
        perWorker.forEach((worker, n) -> out.printf("    %-24s %,6d%n", worker, n));
        out.println("  pages per child");
        Map<String, List<Long>> pidsByWorker = new TreeMap<>();
        workerOfPid.forEach((pid, worker) ->
                pidsByWorker.computeIfAbsent(worker, w -> new ArrayList<>()).add(pid));
        pidsByWorker.forEach((worker, pids) -> pids.stream()
                .sorted()
                .forEach(pid -> out.printf("    pid %-8d on %-16s %,6d%n", pid, worker, perChild.get(pid))));
    }
}
