package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.DemoSite;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code forklift local}: the crawl demo crawls the whole generated site through real worker JVMs,
 * and SIGTERM stops every process it started and deletes its temporary folders.
 */
@ExtendWith(RedisExtension.class)
@Timeout(180)
class LocalCommandIT {
    private static final Pattern PID = Pattern.compile("\\bpid (\\d+)");
    private static final Pattern CHILDREN = Pattern.compile("children pid ([\\d, ]+?)\\s{2,}");
    private static final Pattern TEMP = Pattern.compile("temporary folders (.+?)\\s{2,}\\(deleted on exit\\)");

    @Test
    void theCrawlDemoCrawlsTheWholeSiteAndCountsEveryKindOfError(TestRedis redis) {
        LocalCommand command = new LocalCommand();
        int status = new CommandLine(command)
                .execute(
                        "--redis",
                        redis.uri(),
                        "--prefix",
                        redis.prefix("crawl"),
                        "--workers",
                        "2",
                        "--processes",
                        "2",
                        "--demo",
                        "crawl",
                        "--logs",
                        "target/it-logs/local-crawl",
                        "--http-port",
                        "0");

        DemoSite.Expected site = command.crawlExpected;
        CrawlSummary crawl = command.crawlSummary;
        assertNotNull(crawl, "no crawl summary; exit status " + status + ", see target/it-logs/local-crawl");
        assertEquals(DemoSite.DEFAULT_PAGES, site.pages(), "the generated site is reachable as a whole");
        assertTrue(
                site.notFound() > 0 && site.serverErrors() > 0 && site.redirectLoops() > 0,
                "the site has every kind of error: " + site);
        assertEquals(site.pages(), crawl.fetched());
        assertEquals(site.pages(), crawl.uniqueUrls());
        assertEquals(site.ok(), crawl.ok());
        assertEquals(site.notFound(), crawl.notFound(), "404s");
        assertEquals(site.serverErrors(), crawl.serverErrors(), "500s");
        assertEquals(site.redirectLoops(), crawl.redirectLoops(), "redirect loops");
        assertEquals(0, crawl.otherErrors(), "other errors: " + crawl.errorSamples());
        assertEquals(site.links(), crawl.links());
        assertEquals(List.of(), crawl.differencesFrom(site));
        assertEquals(0, status, "the command's exit status");

        // the pages were fetched in the children of the workers it started, and those are gone now
        Set<Long> children = new HashSet<>();
        command.children.values().forEach(children::addAll);
        assertEquals(4, children.size(), "children: " + command.children);
        assertTrue(
                children.containsAll(crawl.perChild().keySet()),
                "fetched in " + crawl.perChild().keySet() + ", children " + children);
        assertEquals(
                crawl.fetched(),
                crawl.perChild().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(command.children.keySet(), crawl.perWorker().keySet(), "both workers fetched pages");
        children.forEach(pid -> assertFalse(alive(pid), "child " + pid + " outlived forklift local"));
    }

    @Test
    void sigtermStopsEveryProcessItStartedAndDeletesItsTemporaryFolders() throws Exception {
        Path log = Path.of("target", "it-logs", "local-sigterm.stderr");
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process local = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.forklift.cli.ForkliftCommand",
                        "local",
                        "--workers",
                        "2",
                        "--processes",
                        "1",
                        "--http-port",
                        "0")
                .redirectError(log.toFile())
                .start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            List<String> printed = readUntilReady(local, log);
            String all = String.join("\n", printed);
            Set<Long> pids = new HashSet<>();
            for (Matcher m = PID.matcher(all); m.find(); ) pids.add(Long.parseLong(m.group(1)));
            for (Matcher m = CHILDREN.matcher(all); m.find(); ) {
                Arrays.stream(m.group(1).split(",\\s*")).map(Long::parseLong).forEach(pids::add);
            }
            Matcher temp = TEMP.matcher(all);
            assertTrue(temp.find(), "no temporary folders printed:\n" + all);
            List<Path> folders = Arrays.stream(temp.group(1).trim().split("\\s+"))
                    .map(Path::of)
                    .toList();

            started.addAll(local.descendants().toList());
            Set<Long> descendants =
                    new HashSet<>(started.stream().map(ProcessHandle::pid).toList());
            assertEquals(
                    8,
                    pids.size(),
                    "redis-server, a coordinator, 2 workers, 2 children, 2 spare Process JVMs expected in:\n" + all);
            assertEquals(descendants, pids, "the processes it printed are not the processes it runs");
            assertEquals(2, folders.size(), "folders: " + folders);
            folders.forEach(f -> assertTrue(Files.isDirectory(f), f + " does not exist while it runs"));

            local.destroy(); // SIGTERM
            assertTrue(local.waitFor(60, TimeUnit.SECONDS), "forklift local did not exit within 60 s of SIGTERM");
            assertEquals(143, local.exitValue(), "exit status after SIGTERM (128 + 15)");
            assertEquals(
                    List.of(),
                    leftBehind(started),
                    "processes that outlived forklift local; its stderr:\n" + Files.readString(log));
            folders.forEach(f -> assertFalse(Files.exists(f), f + " was left behind"));
            assertTrue(Files.readString(log).contains("forklift local: stopped"), "no stop message in " + log);
        } finally {
            if (local.isAlive()) {
                local.descendants().forEach(ProcessHandle::destroyForcibly);
                local.destroyForcibly();
            }
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Its stdout up to the "Ready." line; the rest is drained in the background so it never blocks on a full pipe. */
    private static List<String> readUntilReady(Process local, Path stderr) throws InterruptedException, IOException {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) lines.add(line);
                    } catch (IOException ended) {
                        // the process ended
                    }
                },
                "local-stdout");
        reader.setDaemon(true);
        reader.start();
        List<String> printed = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                printed.add(line);
                if (line.startsWith("Ready.")) return printed;
            } else if (!local.isAlive()) {
                break;
            }
        }
        fail("forklift local did not get ready; it printed:\n" + String.join("\n", printed) + "\nstderr:\n"
                + Files.readString(stderr));
        return printed;
    }

    /**
     * Those of {@code processes} still there, described: running ones at once; zombies (ended, not yet
     * collected) only if init has not collected them within 10 s either.
     */
    private static List<String> leftBehind(List<ProcessHandle> processes) throws InterruptedException {
        List<String> running = processes.stream()
                .filter(p -> p.isAlive() && !stat(p).startsWith("Z"))
                .map(LocalCommandIT::describe)
                .toList();
        if (!running.isEmpty()) return running;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException notYet) {
                break; // the deadline has passed for all of them
            }
        }
        return processes.stream()
                .filter(ProcessHandle::isAlive)
                .map(LocalCommandIT::describe)
                .toList();
    }

    private static String describe(ProcessHandle p) {
        return "pid " + p.pid() + " (state, ppid: " + stat(p) + "; "
                + p.info().commandLine().orElse("?") + ")";
    }

    /** Its state and parent's pid from /proc/pid/stat, e.g. "Z 1"; "" once it is gone. */
    private static String stat(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[0] + " " + fields[1];
        } catch (IOException gone) {
            return "";
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
