package io.forklift.daemon.options;

import io.forklift.ForkliftOptions;
import io.forklift.redis.Redis;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --redis} and {@code --prefix}, as every command that talks to a running cluster takes them (a picocli mixin). */
public final class RedisOptions {
    @Option(
            names = "--redis",
            defaultValue = "${env:FORKLIFT_REDIS:-redis://127.0.0.1:6379}",
            description =
                    "Redis URI (redis://[user:password@]host:port[/db], rediss:// for TLS, redis+cluster://host:port[,host:port] for a Redis Cluster); or FORKLIFT_REDIS. Default: ${DEFAULT-VALUE}")
    String uri;

    @Option(
            names = "--prefix",
            defaultValue = ForkliftOptions.DEFAULT_PREFIX,
            description = "Key prefix of the cluster, so several clusters share one Redis. Default: ${DEFAULT-VALUE}")
    String prefix;

    @Option(
            names = "--redis-password-file",
            description = "File holding the Redis password, so it shows neither in ps nor in the environment; "
                    + "it takes the place of any password in --redis")
    Path passwordFile;

    /** The Redis URI, with the password from {@code --redis-password-file} when one is given. */
    public String uri() {
        if (passwordFile == null) return uri;
        String password;
        try {
            password = Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read --redis-password-file " + passwordFile + ": " + e.getMessage());
        }
        try {
            URI given = new URI(uri);
            String user = given.getUserInfo() == null ? "" : given.getUserInfo().replaceFirst(":.*", "");
            return new URI(
                            given.getScheme(),
                            user + ":" + password,
                            given.getHost(),
                            given.getPort(),
                            given.getPath(),
                            null,
                            null)
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + Redis.masked(uri) + "' is not a Redis URI: " + e.getReason());
        }
    }

    public String prefix() {
        return prefix;
    }

    /** A connection with a 2 s timeout and up to {@code maxConnections} connections. */
    public Redis connect(int maxConnections) {
        return Redis.connect(uri(), prefix, Duration.ofSeconds(2), maxConnections);
    }
}
