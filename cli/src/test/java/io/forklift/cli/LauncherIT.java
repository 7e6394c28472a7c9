package io.forklift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code forklift} launcher runs its JVM with the serial collector unless {@code FORKLIFT_JAVA_OPTS}
 * names a collector itself (two would stop the JVM: "Multiple garbage collectors selected"). Run on
 * the packaged build, as a user runs it; the JVM prints the flags it took.
 */
@Timeout(60)
class LauncherIT {

    @Test
    void theJvmRunsTheSerialCollectorByDefault() throws Exception {
        String flags = flagsWith("-XX:+PrintCommandLineFlags");
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags);
    }

    @Test
    void aCollectorNamedInTheOptionsReplacesIt() throws Exception {
        for (String gc : List.of("-XX:+UseG1GC", "-XX:+UseParallelGC")) {
            String flags = flagsWith("-XX:+PrintCommandLineFlags " + gc);
            assertTrue(flags.contains(gc), flags);
            assertFalse(flags.contains("-XX:+UseSerialGC"), flags);
        }
    }

    @Test
    void theImagesLauncherPicksTheCollectorTheSameWay() {
        String here = RepoFiles.text("forklift");
        String image = RepoFiles.text("docker/forklift");
        for (String line : here.lines().filter(l -> l.contains("gc=")).toList()) {
            assertTrue(image.contains(line), "docker/forklift lacks the line: " + line);
        }
        assertTrue(image.contains("exec java $gc ${FORKLIFT_JAVA_OPTS:-}"), "docker/forklift does not pass $gc");
    }

    /** The JVM flags {@code ./forklift --version} ran with, given these FORKLIFT_JAVA_OPTS. */
    private static String flagsWith(String javaOpts) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(RepoFiles.path("forklift").toString(), "--version").redirectErrorStream(true);
        pb.environment().put("FORKLIFT_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "./forklift --version did not end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("forklift 0.1.0"), out);
        return out.lines().filter(l -> l.contains("-XX:")).collect(Collectors.joining(" "));
    }
}
