package io.forklift.cli.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local coordinator's HTTP port: a free one chosen here for port 0, and the wait until it answers. */
final class HttpPorts {
    private HttpPorts() {}

    /** {@code port}, or for 0 a port free on 127.0.0.1 now (the coordinator binds it a moment later). */
    static int choose(int port) {
        if (port != 0) return port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1 for the HTTP API: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code url}/openapi.json answers 200; returns early if {@code coordinator} exits (its caller
     * reports the exit with its log), throws after {@code timeout}.
     */
    static void awaitUp(String url, Process coordinator, Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() - deadline < 0 && coordinator.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/openapi.json"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                last = notYet;
            }
            Thread.sleep(100); // polling a port that is not open yet: nothing to wait on but time
        }
        if (!coordinator.isAlive()) return;
        throw new IOException("the coordinator's HTTP API at " + url + " did not answer within " + timeout
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }
}
