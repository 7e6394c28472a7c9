package io.forklift.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on loopback: a distribution's build of 7.0 or newer where the PATH
 * has one, else the static binary that the {@code org.signal:embedded-redis} Maven package ships, so nothing
 * has to be installed by hand ({@link RedisBinary}).
 * Durable by default (AOF with fsync always, {@code noeviction}), as FAULTS.md asks of test servers.
 *
 * <p>The caller owns the process: {@link #close()} stops it and deletes a data folder this class
 * created. {@link #kill()} and {@link #restart()} exist for fault tests.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int port;
    private final List<String> extraArgs;
    private volatile Process process;
    private final Thread stopAtExit = new Thread(this::destroyAtExit, "stop-embedded-redis");

    private EmbeddedRedis(Path binary, Path dataDir, boolean ownsDataDir, int port, List<String> extraArgs) {
        this.binary = binary;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server on a free loopback port with a fresh temporary data folder. */
    public static EmbeddedRedis start(String... extraArgs) throws IOException {
        return start(null, 0, extraArgs);
    }

    /**
     * Starts a server.
     *
     * @param dataDir folder for the AOF; null for a temporary one that {@link #close()} deletes
     * @param port    port on 127.0.0.1; 0 picks a free one
     * @param extraArgs further {@code redis-server} arguments, e.g. {@code "--requirepass", "s3cret"}
     */
    public static EmbeddedRedis start(Path dataDir, int port, String... extraArgs) throws IOException {
        boolean owns = dataDir == null;
        Path dir = owns ? Files.createTempDirectory("forklift-redis-") : Files.createDirectories(dataDir);
        EmbeddedRedis redis = new EmbeddedRedis(binary(), dir, owns, port == 0 ? freePort() : port, List.of(extraArgs));
        // The server belongs to this JVM: if the JVM ends without close() (Ctrl-C, SIGTERM), so does the server.
        Runtime.getRuntime().addShutdownHook(redis.stopAtExit);
        try {
            redis.launch();
        } catch (IOException e) {
            Runtime.getRuntime().removeShutdownHook(redis.stopAtExit);
            if (owns) {
                // keep the log: it says why the server did not start
                String log = Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "";
                deleteTree(dir);
                throw new IOException(
                        e.getMessage().replaceFirst("; see .*", "") + "; its log ends: "
                                + log.substring(Math.max(0, log.length() - 600)).strip(),
                        e);
            }
            throw e;
        }
        return redis;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Which binary runs, for banners: path, version and allocator. */
    public String server() throws IOException {
        return RedisBinary.get().description();
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash would: whatever the AOF holds survives. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the server again on the same port and data folder (after {@link #kill()} or {@link #stop()}). */
    public void restart() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("redis-server " + pid() + " is still running; stop or kill it first");
        }
        launch();
    }

    /** SIGTERM and wait: Redis flushes the AOF and exits. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * For an owner whose own shutdown hook stops this server after what uses it: the server's hook, which
     * kills it the moment the JVM begins to exit, is removed, so it does not pull Redis from under workers
     * that are still draining. Only for an owner with such a hook.
     */
    public EmbeddedRedis stoppedByOwner() {
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
        return this;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        if (ownsDataDir) deleteTree(dataDir);
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // closed from another shutdown hook: nothing to remove
        }
    }

    private void destroyAtExit() {
        Process p = process;
        if (p != null && p.isAlive()) p.destroyForcibly();
        if (ownsDataDir) {
            try {
                deleteTree(dataDir);
            } catch (IOException ignored) {
                // the JVM is exiting; a leftover temporary folder is all that is lost
            }
        }
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dataDir.toString(),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--maxmemory-policy",
                "noeviction",
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--logfile",
                dataDir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("redis.stdout").toFile()))
                .start();
        awaitReady();
    }

    /** Waits until the port answers; a server that needs a password still answers -NOAUTH, which counts. */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "redis-server exited with " + process.exitValue() + "; see " + dataDir.resolve("redis.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                int first = in.read();
                if (first == '+' || first == '-') {
                    byte[] rest = in.readNBytes(6);
                    if (!new String(rest, StandardCharsets.US_ASCII).startsWith("LOADIN")) return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(20); // polling a port that is not open yet: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server to start", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("redis-server did not answer on port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + dataDir.resolve("redis.log"));
    }

    /** The {@code redis-server} this JVM runs: see {@link RedisBinary} for which and why. */
    public static Path binary() throws IOException {
        return RedisBinary.get().path();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
