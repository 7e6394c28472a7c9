package io.forklift.cli.local;

import io.forklift.cli.ForkliftCommand;
import io.forklift.examples.crawl.Crawler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starting and stopping what {@code forklift local} runs besides the workers: the coordinator JVM,
 * the Python page fetcher's script, and the teardown of processes and folders.
 */
final class LocalProcesses {
    private LocalProcesses() {}

    /** {@code forklift coordinator} as a JVM of its own, with this JVM's class path and {@code options}, logging to {@code log}. */
    static Process coordinator(List<String> options, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ForkliftCommand.class.getName(),
                "coordinator"));
        cmd.addAll(options);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /**
     * Copies the Python page fetcher into {@code dir} and returns its allow-list entry, whose one
     * argument, {@code urlPlaceholder}, only a page of the loopback demo site fits.
     */
    static String pythonFetcher(Path dir, String urlPlaceholder) throws IOException {
        Path script = dir.resolve("fetch_page.py");
        try (InputStream in = Crawler.class.getResourceAsStream("fetch_page.py")) {
            Files.copy(
                    Objects.requireNonNull(in, "fetch_page.py is missing from the examples jar"),
                    script,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return "python3 " + script.toAbsolutePath() + " " + urlPlaceholder;
    }

    /** SIGTERM, then SIGKILL if {@code p} has not ended 15 s later, saying so on {@code report}. */
    static void stop(Process p, String what, PrintStream report) {
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                report.printf(
                        "forklift local: the %s (pid %d) did not stop within 15 s of SIGTERM; killing it%n",
                        what, p.pid());
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    static void deleteTree(Path dir, PrintStream report) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            report.println("forklift local: could not delete " + dir + ": " + e);
        }
    }
}
