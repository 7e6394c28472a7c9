package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forklift.daemon.ClassArchiveFormat;
import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The children's AOT cache under JDK 25, made by a real training child and used by real child JVMs of a
 * JDK 25 found beside the one that runs the tests (Temurin 25 on the project's machines).
 */
class ChildAotCacheIT {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @TempDir
    Path dir;

    private final ChildLauncher launcher = new ChildLauncher(
            TaskCatalog.of(Set.of()), List.of("-Xms8m"), List.of(), 1 << 20, "aot-it", "localhost", "", "forklift");
    private List<String> command; // the launcher's, jarred, run by the JDK 25

    @BeforeEach
    void jdk25() throws IOException {
        Optional<Path> java = javaOf25OrNewer();
        assumeTrue(java.isPresent(), "no JDK 25 or newer under /usr/lib/jvm: the AOT cache is not tested here");
        command = JarredClassPath.of(launcher.command(), dir);
        command.set(launcher.javaAt(), java.get().toString());
    }

    @Test
    void aTrainedCacheIsMadeOnceAndChildrenStartFromIt() throws Exception {
        String square = io.forklift.worker.tasks.Square.class.getName();
        ChildArchive cache = ChildArchive.of(dir, command, launcher.javaAt(), Set.of(square), 25);
        assertTrue(cache.file().toString().endsWith(".aot"), cache.file().toString());
        cache.train();
        assertTrue(Files.size(cache.file()) > 1_000_000, "cache " + cache.file() + " written");
        assertEquals(ClassArchiveFormat.AOT_CACHE.mapping(cache.file()), cache.options());
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.toString().contains("training")).toList(),
                    "no leftovers");
        }
        // AOTMode=on: a JVM that cannot use the cache exits with an error instead of starting without it
        Path classLog = dir.resolve("class-load.log");
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(launcher.javaAt() + 1, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache.file()));
        cmd.add(cmd.indexOf("-cp"), "-Xlog:class+load=info:file=" + classLog); // after the command's -Xlog:disable
        Process child = new ProcessBuilder(cmd).start();
        byte[] hello;
        try (DataInputStream out = new DataInputStream(child.getInputStream());
                DataOutputStream in = new DataOutputStream(child.getOutputStream())) {
            Frames.write(in, ChildProtocol.setup("", "forklift", Set.of(square)));
            hello = Frames.read(out);
        } // then its stdin ends, and it exits
        String stderr = new String(child.getErrorStream().readAllBytes());
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(ChildProtocol.readChild(hello) instanceof ChildProtocol.Hello, "hello: " + stderr);
        assertEquals(0, child.exitValue(), "stderr: " + stderr);
        String loaded = Files.readAllLines(classLog).stream()
                .filter(line -> line.contains(" " + square + " "))
                .findFirst()
                .orElse(square + " was not loaded");
        assertTrue(loaded.contains("source: shared objects file"), loaded);
    }

    @Test
    void aChildGivenAnXshareOptionGetsNoCacheAndNoTraining() throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(launcher.javaAt() + 1, "-Xshare:auto"); // a JVM refuses an AOT cache beside it
        ChildArchive cache = ChildArchive.of(dir, cmd, launcher.javaAt(), Set.of(), 25);
        assertEquals(List.of(), cache.options());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("child-archive")));
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of(), files.filter(f -> !f.toString().endsWith(".jar")).toList(), "nothing trained");
        }
    }

    /** The java of a JDK 25 or newer in /usr/lib/jvm, if one is there. */
    private static Optional<Path> javaOf25OrNewer() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> jdks = Files.list(jvms)) {
            return jdks.filter(jdk -> feature(jdk) >= 25)
                    .map(jdk -> jdk.resolve("bin/java"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }
    }

    private static int feature(Path jdk) {
        try {
            Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0; // not a JDK
        }
    }
}
