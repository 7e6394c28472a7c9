package io.forklift.coordinator;

import io.forklift.coordinator.http.HttpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The coordinator's HTTP API options (a picocli mixin); the API is off unless {@code --http-port} is given. */
public final class HttpOptions {
    @Option(
            names = "--http-port",
            defaultValue = "${env:FORKLIFT_HTTP_PORT}",
            description = "Serve the HTTP API, web status page and /openapi.json on this port (8470 is the "
                    + "documented one; 0 = any free port); or FORKLIFT_HTTP_PORT. Default: off")
    Integer port;

    @Option(
            names = "--http-host",
            defaultValue = "${env:FORKLIFT_HTTP_HOST:-" + HttpSettings.DEFAULT_HOST + "}",
            description =
                    "Address the API binds; 0.0.0.0 for every interface; or FORKLIFT_HTTP_HOST. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(
            names = "--http-max-body",
            defaultValue = "16777216",
            description = "Largest request body in bytes; a larger one gets 413. Default: ${DEFAULT-VALUE}")
    long maxBody;

    @Option(
            names = "--http-idle-timeout",
            defaultValue = "PT30S",
            description = "A connection that sends nothing this long is closed. Default: ${DEFAULT-VALUE}")
    Duration idleTimeout;

    @Option(
            names = "--http-min-data-rate",
            defaultValue = "1024",
            description =
                    "Bytes per second a request body must arrive at, or it gets 408 (0 = off). Default: ${DEFAULT-VALUE}")
    long minDataRate;

    @Option(
            names = "--http-max-wait",
            defaultValue = "PT5M",
            description = "Longest long poll a client may ask for. Default: ${DEFAULT-VALUE}")
    Duration maxWait;

    @Option(
            names = "--http-max-connections",
            defaultValue = "10000",
            description = "Connections served at once; further ones wait to be accepted. Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(
            names = "--http-keystore",
            description = "A PKCS#12 or JKS keystore with the server's certificate: serve HTTPS")
    Path keystore;

    @Option(
            names = "--http-keystore-password-file",
            description = "File holding the keystore's password; or FORKLIFT_HTTP_KEYSTORE_PASSWORD")
    Path keystorePasswordFile;

    @Option(
            names = "--http-insecure",
            description =
                    "Serve the API without an authkey, checking no token: anyone who reaches the port may "
                            + "submit tasks. Only for a machine you trust; the API refuses to start without an authkey otherwise")
    boolean insecure;

    public boolean enabled() {
        return port != null && port >= 0;
    }

    public int port() {
        return port == null ? -1 : port;
    }

    /** The validated settings; throws IllegalArgumentException naming the option that is wrong. */
    public HttpSettings settings() {
        String password = System.getenv("FORKLIFT_HTTP_KEYSTORE_PASSWORD");
        if (keystorePasswordFile != null) {
            try {
                password = Files.readString(keystorePasswordFile).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read --http-keystore-password-file " + keystorePasswordFile + ": " + e.getMessage());
            }
        }
        return new HttpSettings(
                host, port, maxBody, idleTimeout, minDataRate, maxWait, maxConnections, keystore, password, insecure);
    }
}
