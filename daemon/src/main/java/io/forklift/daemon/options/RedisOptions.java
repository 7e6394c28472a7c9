package io.forklift.daemon.options;

import io.forklift.ForkliftOptions;
import io.forklift.redis.Redis;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --redis} and {@code --prefix}, as every command that talks to a running cluster takes them (a picocli mixin). */
public final class RedisOptions {
    @Option(
            names = "--redis",
            defaultValue = "${env:FORKLIFT_REDIS:-redis://127.0.0.1:6379}",
            description =
                    "Redis URI (redis://[user:password@]host:port[/db], rediss:// for TLS); or FORKLIFT_REDIS. Default: ${DEFAULT-VALUE}")
    String uri;

    @Option(
            names = "--prefix",
            defaultValue = ForkliftOptions.DEFAULT_PREFIX,
            description = "Key prefix of the cluster, so several clusters share one Redis. Default: ${DEFAULT-VALUE}")
    String prefix;

    public String uri() {
        return uri;
    }

    public String prefix() {
        return prefix;
    }

    /** A connection with a 2 s timeout and up to {@code maxConnections} connections. */
    public Redis connect(int maxConnections) {
        return Redis.connect(uri, prefix, Duration.ofSeconds(2), maxConnections);
    }
}
