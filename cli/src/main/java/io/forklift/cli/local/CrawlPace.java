package io.forklift.cli.local;

import io.forklift.examples.crawl.CrawlLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A crawl's pace in its middle: pages answered per second between the moments 10 % and 90 % of them
 * had been answered. A crawl's start (one root page, the frontier still small, fresh child JVMs still
 * compiling) and its end (the last pages of the longest link chains, most children idle) take about
 * the same time whatever the number of hosts, so the whole-crawl rate of a short crawl understates how
 * a long one scales; this is the rate a crawl that runs for hours would keep. Sampled every 10 ms.
 */
final class CrawlPace implements AutoCloseable {
    private static final long SAMPLE_MS = 10;

    private record Sample(long nanos, long answered) {}

    private final List<Sample> samples = new ArrayList<>(); // guarded by this
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crawl-pace");
        t.setDaemon(true);
        return t;
    });

    CrawlPace(CrawlLedger ledger) {
        sampler.scheduleAtFixedRate(
                () -> record(System.nanoTime(), ledger.answered()), 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void record(long nanos, long answered) {
        samples.add(new Sample(nanos, answered));
    }

    /** Pages per second between 10 % and 90 % of {@code total} answered; NaN for a crawl too short to tell. */
    synchronized double middlePagesPerSecond(long total) {
        Sample from = firstReaching(total / 10), to = firstReaching(total * 9 / 10);
        if (from == null || to == null || to.nanos() <= from.nanos()) return Double.NaN;
        return (to.answered() - from.answered()) / ((to.nanos() - from.nanos()) / 1e9);
    }

    private Sample firstReaching(long answered) {
        for (Sample s : samples) if (s.answered() >= answered) return s;
        return null;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
