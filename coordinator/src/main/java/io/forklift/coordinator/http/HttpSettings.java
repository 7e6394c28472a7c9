package io.forklift.coordinator.http;

import io.forklift.daemon.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the coordinator serves its API, validated once at start-up with errors that name the option.
 *
 * @param host            address to bind (127.0.0.1 unless told otherwise)
 * @param port            port; 0 for any free one
 * @param maxBody         largest request body; a larger one gets 413
 * @param idleTimeout     a connection silent this long is closed (a slow client's headers too)
 * @param minDataRate     bytes per second a request body must arrive at, or it gets 408
 * @param maxWait         longest long poll a client may ask for
 * @param maxConnections  connections served at once; more wait to be accepted
 * @param keystore        a PKCS#12 or JKS keystore: TLS on; null for plain HTTP
 * @param keystorePassword its password
 * @param insecure        serve without an authkey (no token checked): only for a trusted machine
 */
public record HttpSettings(
        String host,
        int port,
        long maxBody,
        Duration idleTimeout,
        long minDataRate,
        Duration maxWait,
        int maxConnections,
        Path keystore,
        String keystorePassword,
        boolean insecure) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public HttpSettings {
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("--http-port must be 0-65535 (0 = any free port), got " + port);
        if (maxBody < 1024 || maxBody > 1L << 30)
            throw new IllegalArgumentException("--http-max-body must be 1024 to 1073741824 bytes, got " + maxBody);
        Limits.between(
                "--http-idle-timeout",
                idleTimeout,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                "a connection silent this long is closed");
        Limits.between("--http-max-wait", maxWait, Duration.ofSeconds(1), Duration.ofHours(1), "the longest long poll");
        if (minDataRate < 0)
            throw new IllegalArgumentException(
                    "--http-min-data-rate must be 0 (off) or more bytes/s, got " + minDataRate);
        if (maxConnections < 16)
            throw new IllegalArgumentException("--http-max-connections must be at least 16, got " + maxConnections);
        if (keystore != null && !Files.isReadable(keystore)) {
            throw new IllegalArgumentException("--http-keystore " + keystore + " cannot be read");
        }
    }

    /** Loopback, any port, defaults elsewhere: for tests and {@code forklift bench}. */
    public static HttpSettings local(int port) {
        return new HttpSettings(
                DEFAULT_HOST,
                port,
                16L << 20,
                Duration.ofSeconds(30),
                1024,
                Duration.ofMinutes(5),
                10_000,
                null,
                null,
                false);
    }

    public HttpSettings withInsecure(boolean insecure) {
        return new HttpSettings(
                host,
                port,
                maxBody,
                idleTimeout,
                minDataRate,
                maxWait,
                maxConnections,
                keystore,
                keystorePassword,
                insecure);
    }

    public HttpSettings withMaxBody(long maxBody) {
        return new HttpSettings(
                host,
                port,
                maxBody,
                idleTimeout,
                minDataRate,
                maxWait,
                maxConnections,
                keystore,
                keystorePassword,
                insecure);
    }

    public HttpSettings withIdleTimeout(Duration idle) {
        return new HttpSettings(
                host, port, maxBody, idle, minDataRate, maxWait, maxConnections, keystore, keystorePassword, insecure);
    }

    public HttpSettings withKeystore(Path keystore, String password) {
        return new HttpSettings(
                host, port, maxBody, idleTimeout, minDataRate, maxWait, maxConnections, keystore, password, insecure);
    }
}
