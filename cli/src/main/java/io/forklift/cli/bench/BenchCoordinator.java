package io.forklift.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code forklift coordinator} JVM of the bench's own (default JVM settings) serving HTTP, so what
 * its process holds (RSS, threads, from /proc) is the coordinator's alone.
 */
final class BenchCoordinator implements AutoCloseable {
    final Process process;
    final BenchHttp http;
    private final Path log;

    private BenchCoordinator(Process process, BenchHttp http, Path log) {
        this.process = process;
        this.http = http;
        this.log = log;
    }

    /** Starts one and waits until it answers; {@code id} names it (and its wake list). */
    static BenchCoordinator start(String uri, String prefix, Path authkeyFile, String id) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("forklift-bench-coordinator-", ".log");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.forklift.cli.ForkliftCommand",
                        "coordinator",
                        "--redis",
                        uri,
                        "--prefix",
                        prefix,
                        "--id",
                        id,
                        "--metrics-port",
                        "-1",
                        "--authkey-file",
                        authkeyFile.toString(),
                        "--http-port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        String token =
                new io.forklift.coordinator.http.Tokens(io.forklift.wire.Authkey.fromFile(authkeyFile)).clusterToken();
        BenchHttp http = BenchHttp.to("http://127.0.0.1:" + port, token);
        BenchCoordinator c = new BenchCoordinator(p, http, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.get("/v1/whoami");
                return c;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    c.close();
                    throw notYet;
                }
                Thread.sleep(100); // a port that is not open yet: nothing to wait on but time
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Its resident memory, MB (VmRSS). */
    long rssMb() throws IOException {
        return status("VmRSS:") / 1024;
    }

    /** Its threads now. */
    long threads() throws IOException {
        return status("Threads:");
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(log);
    }
}
