package io.forklift.cli.local;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.DemoSite;
import io.forklift.examples.seeds.ProcessSeeds;
import io.forklift.examples.seeds.Seeds;
import io.forklift.examples.tickets.Tickets;
import io.forklift.examples.tutorial.ApplyAsyncExample;
import io.forklift.examples.tutorial.ImapUnorderedExample;
import io.forklift.examples.tutorial.MapExample;
import io.forklift.redis.Preflight;
import io.forklift.redis.Redis;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forklift local}: a whole cluster on this machine, for trying Forklift out. Starts an embedded
 * Redis (or uses {@code --redis}), a coordinator and W worker daemons as separate JVMs, prints what runs where, then
 * either waits until Ctrl-C or SIGTERM, or runs a demo ({@code --demo crawl}, {@code --demo tutorial},
 * {@code --demo seeds}, {@code --demo tickets})
 * and stops. Either way everything it started is stopped and its temporary folders are deleted.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run Redis, a coordinator and worker daemons on this machine; optionally run a demo against them.",
            "Without --demo it runs until Ctrl-C or SIGTERM, then stops everything it started."
        })
public final class LocalCommand implements Callable<Integer> {
    enum Demo {
        crawl,
        tutorial,
        seeds,
        tickets
    }

    @Option(names = "--redis", description = "Use this Redis instead of starting an embedded one")
    String redisUri;

    @Option(
            names = "--prefix",
            defaultValue = ForkliftOptions.DEFAULT_PREFIX,
            description = "Key prefix. Default: ${DEFAULT-VALUE}")
    String prefix;

    @Option(names = "--workers", defaultValue = "2", description = "Worker daemons (JVMs). Default: ${DEFAULT-VALUE}")
    int workers;

    @Option(
            names = "--hosts",
            defaultValue = "0",
            description = "Run the workers on N simulated hosts, one worker on each (instead of --workers): "
                    + "network namespaces joined by a bridge, where Redis and the demo site listen. Needs root")
    int hosts;

    @Option(
            names = "--processes",
            defaultValue = "2",
            description = "Children of each worker. Default: ${DEFAULT-VALUE}")
    int processes;

    @Option(
            names = "--queues",
            split = ",",
            defaultValue = "crawl,tutorial,default",
            description = "Queues the workers serve. Default: ${DEFAULT-VALUE}")
    List<String> queues;

    @Option(names = "--no-coordinator", description = "Do not start a coordinator (housekeeping)")
    boolean noCoordinator;

    @Option(names = "--demo", description = "Run a demo, print its results and stop: ${COMPLETION-CANDIDATES}")
    Demo demo;

    @Option(
            names = "--pages",
            defaultValue = "" + DemoSite.DEFAULT_PAGES,
            description = "Pages of the crawl demo's website. Default: ${DEFAULT-VALUE}")
    int pages;

    @Option(
            names = "--seed",
            defaultValue = "" + DemoSite.DEFAULT_SEED,
            description = "Seed of the crawl demo's website. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--page-delay",
            defaultValue = "PT0S",
            description = "How long every page of the crawl demo's website takes to answer. Default: ${DEFAULT-VALUE}")
    Duration pageDelay;

    @Option(
            names = "--pool",
            description = "The crawl pool's cluster-wide cap. Default: 2 x workers x processes (the rest is prefetch)")
    Integer poolSize;

    @Option(
            names = "--python",
            description =
                    "Fetch the crawl demo's pages with a Python (standard library) fetcher run through exec tasks")
    boolean python;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "Give up on a demo after this long. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(
            names = "--metrics-port",
            defaultValue = "9460",
            description = "Prometheus /metrics of the coordinator on this port, "
                    + "worker i on this port + i; 0 = any free ports, -1 = none. Default: ${DEFAULT-VALUE}")
    int metricsPort;

    @Option(
            names = "--http-port",
            defaultValue = "8470",
            description = "Port of the coordinator's HTTP API and web status page (on 127.0.0.1); 0 = any free "
                    + "port, -1 = none. Default: ${DEFAULT-VALUE}")
    int httpPort;

    @Option(
            names = "--logs",
            description = "Keep worker logs in this folder. Default: a temporary folder, deleted on exit")
    Path logDir;

    @Option(names = "--no-lock", description = "Ticket demo: sell without the lock, and count the oversell")
    boolean noLock;

    @Option(
            names = "--pause",
            description =
                    "Ticket demo: SIGSTOP one buyer while it holds the lock, past the lock's lease, then resume it")
    boolean pause;

    /** The last crawl demo's summary and the site's own totals, for tests that run the command in-process. */
    CrawlSummary crawlSummary;

    DemoSite.Expected crawlExpected;
    /** What the seeds demo printed, for tests. */
    Seeds.Results seedsResults;
    /** What the ticket demo sold, for tests. */
    Tickets.Results ticketResults;

    /** What the seeds' Process examples saw, for tests. */
    io.forklift.examples.seeds.ProcessSeeds.Results processSeedsResults;

    Map<String, List<Long>> children;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (hosts > 0) workers = hosts;
        if (workers < 1 || processes < 1 || hosts < 0)
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--workers and --processes must be at least 1, --hosts at least 0");
        String demoQueue = demo == Demo.crawl ? "crawl" : "tutorial";
        if (demo != null && !queues.contains(demoQueue)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--queues must include the demo's queue '" + demoQueue + "'");
        }
        if (redisUri != null) {
            // before anything starts: a Redis that is down or unfit is one line, not workers failing one by one
            try (Redis redis = Redis.connect(redisUri, prefix, Duration.ofSeconds(2), 1)) {
                Preflight.check(redis);
            }
        }
        LocalCluster cluster = new LocalCluster(new LocalSettings(
                redisUri,
                prefix,
                workers,
                processes,
                queues,
                logDir,
                !noCoordinator,
                python,
                metricsPort,
                hosts,
                HttpPorts.choose(httpPort)));
        Thread hook = new Thread(
                () -> {
                    err.println("forklift local: stopping …");
                    cluster.close(err);
                    err.println("forklift local: stopped");
                },
                "forklift-local-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            err.printf(
                    "forklift local: starting %s and %d worker%s with %d children each …%n",
                    redisUri == null ? "an embedded redis-server" : "workers against " + redisUri,
                    workers,
                    workers == 1 ? "" : "s",
                    processes);
            cluster.start();
            children = cluster.children();
            ClusterBanner.print(out, cluster, metricsPort, workers, queues, prefix);
            if (demo == null) {
                out.println("Ready. Ctrl-C or SIGTERM stops everything.");
                new CountDownLatch(1).await(); // until the shutdown hook ends the JVM
                return 0;
            }
            return switch (demo) {
                case crawl -> crawl(cluster);
                case tutorial -> tutorial(cluster);
                case seeds -> seeds(cluster);
                case tickets -> tickets(cluster);
            };
        } finally {
            // after a demo (or a failed start): stop here, unless a signal's shutdown hook is already doing it
            if (removeHook(hook)) {
                err.println("forklift local: stopping …");
                cluster.close(err);
                err.println(
                        "forklift local: stopped; every process it started has ended and its temporary folders are deleted");
            }
        }
    }

    private int crawl(LocalCluster cluster) throws Exception {
        int cap = poolSize != null ? poolSize : 2 * workers * processes;
        CrawlDemo.Outcome outcome = new CrawlDemo(options(cluster), cluster.hosts(), cluster.pythonCommand(), out, err)
                .run(pages, seed, pageDelay, cap, timeout);
        crawlSummary = outcome.summary();
        crawlExpected = outcome.expected();
        return outcome.matches() ? 0 : 1;
    }

    private int tutorial(LocalCluster cluster) throws Exception {
        try (Forklift fl = Forklift.connect(options(cluster))) {
            out.println();
            ApplyAsyncExample.run(fl, out);
            out.println();
            MapExample.run(fl, out);
            out.println();
            ImapUnorderedExample.run(fl, out, err);
        }
        return 0;
    }

    /** The seeds' Queue, Pipe and Manager examples, as pool tasks on queue 'tutorial'; then their Process examples. */
    private int seeds(LocalCluster cluster) throws Exception {
        try (Forklift fl = Forklift.connect(options(cluster))) {
            out.println();
            seedsResults = Seeds.run(fl, out);
            out.println();
            processSeedsResults = ProcessSeeds.run(fl, out);
        }
        return 0;
    }

    /** The ticket sale; the lock's lease (3 s) needs a Redis timeout of at most a third of it. */
    private int tickets(LocalCluster cluster) throws Exception {
        try (Forklift fl = Forklift.connect(options(cluster).withTimeout(Tickets.LEASE.dividedBy(3)))) {
            out.println();
            ticketResults = Tickets.run(fl, out, !noLock, pause);
        }
        boolean exact = noLock || ticketResults.sold() == Tickets.TICKETS;
        return exact ? 0 : 1;
    }

    /** How a demo connects: to the cluster's Redis, under its prefix, signing with its authkey. */
    private ForkliftOptions options(LocalCluster cluster) throws java.io.IOException {
        return ForkliftOptions.of(cluster.uri()).withPrefix(prefix).withAuthkey(cluster.authkey());
    }

    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false; // the hook is already stopping everything
        }
    }
}
