package io.forklift.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code redis-server} an embedded server runs, and why. In order: {@code FORKLIFT_REDIS_SERVER}
 * (a path, or {@code bundled}); a {@code redis-server} 7.0 or newer on the PATH; the static build that
 * {@code org.signal:embedded-redis} ships. A distribution's build comes before the bundled one because
 * the bundled one is linked statically with musl's malloc, which maps and unmaps memory as task messages
 * are stored and freed: in {@code forklift bench} Debian's jemalloc build of the same 7.0.15 spends ~65 %
 * less Redis CPU per task and carries ~1.8 times the tasks per second (README, Performance).
 *
 * @param path the binary to run
 * @param description what it is, for banners: path, version and allocator, or why the bundled one runs
 */
public record RedisBinary(Path path, String description) {
    static final String BUNDLED = "redis-server-7.0.15-linux-amd64";
    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.\\S*");
    private static final Pattern MALLOC = Pattern.compile("malloc=(\\S+)");
    private static RedisBinary chosen;

    /** The binary for this JVM, chosen once from its environment. */
    public static synchronized RedisBinary get() throws IOException {
        if (chosen == null) chosen = choose(System.getenv());
        return chosen;
    }

    /** Chooses from the given environment ({@code FORKLIFT_REDIS_SERVER} and {@code PATH}). */
    static RedisBinary choose(Map<String, String> env) throws IOException {
        String override = env.getOrDefault("FORKLIFT_REDIS_SERVER", "").strip();
        if (override.equals("bundled")) return bundled("FORKLIFT_REDIS_SERVER=bundled");
        if (!override.isEmpty()) {
            Path path = Path.of(override);
            return new RedisBinary(path, path + " " + version(path).orElse("(its --version did not answer)"));
        }
        String skipped = "no redis-server on the PATH";
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "redis-server");
            if (!Files.isExecutable(candidate)) continue;
            Optional<String> version = version(candidate);
            if (version.isPresent() && atLeast7(version.get())) {
                return new RedisBinary(candidate, candidate + " " + version.get());
            }
            skipped =
                    candidate + " is " + version.orElse("silent on --version") + ", older than the 7.0 Forklift needs";
            break; // the PATH's first redis-server is the one a shell would run; a later one is not looked for
        }
        return bundled(skipped + "; a distribution's build (apt-get install redis-server) spends ~65 % less"
                + " Redis CPU per task, for ~1.8x the bench's throughput");
    }

    private static RedisBinary bundled(String why) throws IOException {
        return new RedisBinary(extractBundled(), "the bundled static redis-server 7.0.15, malloc=libc (" + why + ")");
    }

    /** "7.0.15, malloc=jemalloc-5.3.0" from {@code redis-server --version}, or empty if it did not say. */
    static Optional<String> version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            Matcher v = VERSION.matcher(out);
            if (!v.find()) return Optional.empty();
            Matcher m = MALLOC.matcher(out);
            return Optional.of(v.group().substring(2) + (m.find() ? ", " + m.group() : ""));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean atLeast7(String version) {
        Matcher v = VERSION.matcher("v=" + version);
        return v.lookingAt() && Integer.parseInt(v.group(1)) >= 7;
    }

    /** The bundled binary, copied once out of the jar into a cache folder that later runs reuse. */
    private static Path extractBundled() throws IOException {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")
                || !System.getProperty("os.arch").matches("amd64|x86_64")) {
            throw new IOException("the bundled redis-server is for Linux x86_64; install redis-server 7 (it is taken"
                    + " from the PATH), set FORKLIFT_REDIS_SERVER to a redis-server binary, or pass --redis URI");
        }
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "forklift-" + System.getProperty("user.name"));
        Path target = cache.resolve(BUNDLED);
        if (Files.isExecutable(target)) return target;
        Files.createDirectories(cache);
        Path partial = Files.createTempFile(cache, BUNDLED, ".part");
        try (InputStream in = RedisBinary.class.getResourceAsStream("/" + BUNDLED)) {
            if (in == null) throw new IOException(BUNDLED + " is not on the class path (org.signal:embedded-redis)");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        partial.toFile().setExecutable(true);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
