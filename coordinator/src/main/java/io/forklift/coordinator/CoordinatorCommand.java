package io.forklift.coordinator;

import io.forklift.ForkliftOptions;
import io.forklift.coordinator.http.Api;
import io.forklift.coordinator.http.HttpServer;
import io.forklift.coordinator.http.HttpSettings;
import io.forklift.daemon.MetricsServer;
import io.forklift.daemon.options.AuthkeyOptions;
import io.forklift.daemon.options.IdOption;
import io.forklift.daemon.options.MetricsOptions;
import io.forklift.daemon.options.RedisOptions;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.Preflight;
import io.forklift.redis.Redis;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code forklift coordinator}: runs housekeeping (requeue tasks whose lease ran out, promote retries,
 * forget long-gone workers, cap the dead lists) while it holds the leader lease, and serves cluster-wide metrics. Several may run; one does housekeeping at a time. Clients and workers do not need it to
 * submit, claim or complete; without one, a dead worker's tasks wait until one runs.
 */
@Command(
        name = "coordinator",
        mixinStandardHelpOptions = true,
        description = "Run housekeeping (requeue the tasks of dead or hung workers), serve cluster metrics and, "
                + "with --http-port, the HTTP API and web status page.")
public final class CoordinatorCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Mixin
    IdOption id;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    AuthkeyOptions authkey;

    @Mixin
    HttpOptions http;

    private static final Logger log = LoggerFactory.getLogger(CoordinatorCommand.class);

    @Option(
            names = "--metrics-queues",
            defaultValue = "100",
            description =
                    "Most queues with /metrics series of their own (the busiest active ones); the rest are summed "
                            + "under queue=\"(other)\". Default: ${DEFAULT-VALUE}")
    int metricsQueues;

    @Option(
            names = "--interval",
            defaultValue = "PT1S",
            description = "How often housekeeping runs, PT0.1S to PT10M. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Option(
            names = "--max-attempts",
            defaultValue = "3",
            description =
                    "A task whose lease ran out this many times is dead-lettered instead of requeued. Default: ${DEFAULT-VALUE}")
    int maxAttempts;

    @Option(
            names = "--result-ttl",
            defaultValue = "PT1H",
            description = "How long failure replies are kept, PT5S to P365D. Default: ${DEFAULT-VALUE}")
    Duration resultTtl;

    @Option(
            names = "--outage-grace",
            defaultValue = "PT10S",
            description = "After Redis comes back from an outage, how long leases that ran out meanwhile are left "
                    + "for their workers to renew before they are requeued (workers reconnect with up to 5 s of "
                    + "backoff). Default: ${DEFAULT-VALUE}")
    Duration outageGrace;

    @Option(
            names = "--dead-max",
            defaultValue = "" + HousekeepingConfig.DEFAULT_DEAD_MAX,
            description = "Dead letters kept per queue, the newest; housekeeping drops older ones and logs how many. "
                    + "Default: ${DEFAULT-VALUE}")
    int deadMax;

    @Override
    public Integer call() throws Exception {
        HousekeepingConfig config = new HousekeepingConfig(interval, maxAttempts, resultTtl, outageGrace, deadMax);
        io.forklift.daemon.Limits.between("--metrics-queues", metricsQueues, 1, 100_000, "");
        String me = id.id();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        io.forklift.wire.Authkey key = authkey.authkey();
        HttpSettings httpSettings = http.enabled() ? http.settings() : null;
        if (httpSettings != null && key == null && !httpSettings.insecure()) {
            throw new IllegalArgumentException(
                    "--http-port needs the cluster's authkey (--authkey-file or FORKLIFT_AUTHKEY) "
                            + "to check tokens and sign tasks; --http-insecure serves the API unchecked, for a trusted machine only");
        }
        try (Redis conn = redis.connect(2);
                Redis apiConn = redis.connect(httpSettings == null ? 1 : 32);
                MetricsServer metricsServer = MetricsServer.start(metrics.host(), metrics.port(9465));
                ObjectStore objects = httpSettings == null
                        ? null
                        : ObjectStore.connect(
                                redis.uri(),
                                redis.prefix(),
                                Duration.ofSeconds(2),
                                ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
                Api api = httpSettings == null
                        ? null
                        : new Api(apiConn, me, key, resultTtl, httpSettings.maxWait(), objects);
                HttpServer httpServer = api == null ? null : HttpServer.start(api, httpSettings)) {
            Preflight.check(conn);
            if (httpServer != null) {
                log.info(
                        "HTTP API, status page and /openapi.json at {}/ ({}){}",
                        httpServer.url(),
                        key == null
                                ? "UNCHECKED: --http-insecure, no authkey"
                                : "bearer tokens; forklift token cluster prints the cluster's",
                        httpSettings.host().equals(HttpSettings.DEFAULT_HOST)
                                ? ""
                                : "; bound to " + httpSettings.host());
            }
            Housekeeper housekeeper = new Housekeeper(conn, me, config, key);
            ClusterMetrics cluster = new ClusterMetrics(metricsServer.registry(), me, conn, housekeeper, metricsQueues);
            ScheduledExecutorService scheduler =
                    Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "housekeeping"));
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        housekeeper.tick();
                        cluster.sample();
                    },
                    0,
                    interval.toMillis(),
                    TimeUnit.MILLISECONDS);
            log.info(
                    "coordinator {} (pid {}) running housekeeping every {} ms on {}; metrics: {}",
                    me,
                    ProcessHandle.current().pid(),
                    interval.toMillis(),
                    conn.where(),
                    metricsServer.port() < 0
                            ? "off"
                            : "http://" + InetAddress.getLocalHost().getHostName() + ":" + metricsServer.port()
                                    + "/metrics");
            stop.await();
            scheduler.shutdown();
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            log.info(
                    "coordinator {} stopped: {} tasks requeued, {} dead-lettered",
                    me,
                    housekeeper.requeued(),
                    housekeeper.deadLettered());
        }
        return 0;
    }
}
