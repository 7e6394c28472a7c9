package io.forklift.worker;

import io.forklift.RetryPolicy;
import io.forklift.daemon.ClassArchiveFormat;
import io.forklift.daemon.ClassArchives;
import io.forklift.wire.Json;
import io.forklift.wire.TaskMessage;
import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AppCDS archive of the classes a child loads to start and run a task, so later children map
 * them instead of loading them from the jars: a child's start costs ~15 % less CPU. Under JDK 25 an AOT
 * cache instead, whose classes are linked too: the start to the hello takes 0.78 times as long as from
 * an archive under JDK 17. One per child command line (java, options, class path with each jar's size
 * and time), in the temp folder; made once, by a child that reads a set-up, says hello and runs one task,
 * in the background while the first children start without it. A JVM that finds it out of date says so
 * on stderr and runs without it, so it can be stale but never wrong.
 */
final class ChildArchive {
    private static final Logger log = LoggerFactory.getLogger(ChildArchive.class);
    private static final Duration TRAINING_LIMIT = Duration.ofSeconds(60);
    private static final String TRAINING_TASK = "io.forklift.worker.ArchiveTraining";

    private final Path file;
    private final List<String> command;
    private final int javaAt;
    private final Set<String> tasks; // the catalog's names: the training child loads their classes
    private final ClassArchiveFormat format;
    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet(); // one training per archive per JVM
    private volatile Process trainingChild; // while one trains

    private ChildArchive(Path file, List<String> command, int javaAt, Set<String> tasks, ClassArchiveFormat format) {
        this.file = file;
        this.command = command;
        this.javaAt = javaAt;
        this.tasks = Set.copyOf(tasks);
        this.format = format;
    }

    /**
     * The archive, in {@code dir}, of the child started by {@code command}: java at {@code javaAt}, of
     * feature release {@code javaFeature}, its class path after {@code -cp}; with the classes of the
     * catalog's {@code tasks} that the class path holds.
     */
    static ChildArchive of(Path dir, List<String> command, int javaAt, Set<String> tasks, int javaFeature) {
        ClassArchiveFormat format = ClassArchiveFormat.of(javaFeature);
        return new ChildArchive(format.fileOf(dir, "child", command), command, javaAt, tasks, format);
    }

    Path file() {
        return file;
    }

    /**
     * The options that make a child use the archive, once it exists; before that none, and the first
     * call starts making it in the background.
     */
    List<String> options() {
        if (Files.isReadable(file)) return format.mapping(file);
        if (TRAINING.add(file) && archivable()) {
            Thread t = new Thread(this::train, "child-archive");
            t.setDaemon(true);
            t.start();
        }
        return List.of();
    }

    /**
     * Runs a child with {@code -XX:ArchiveClassesAtExit} (or {@code -XX:AOTCacheOutput}: it makes the cache
     * in a JVM of its own as it exits): set-up, hello, one task, exit; then moves its archive in place.
     */
    void train() {
        Path partial = null;
        Path stderr = null;
        Thread stop = null;
        try {
            partial = ClassArchives.newRecording(file, "training-");
            List<String> cmd = new ArrayList<>(command);
            cmd.add(javaAt + 1, format.recording(partial));
            stderr = Files.createTempFile(file.getParent(), "training-", ".err");
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(stderr.toFile());
            builder.environment().keySet().removeAll(ChildLauncher.SECRETS); // as for every child
            Process child = builder.start();
            trainingChild = child;
            // A worker that exits while its training child runs (stopped right after it started) takes it along.
            stop = new Thread(this::stopTraining, "stop-archive-training");
            Runtime.getRuntime().addShutdownHook(stop);
            try (DataInputStream out = new DataInputStream(child.getInputStream());
                    DataOutputStream in = new DataOutputStream(child.getOutputStream())) {
                // the catalog's classes load (TaskRunner.preload); the training task is registered, but has no
                // class: its lookup runs, and fails
                Set<String> catalog = new HashSet<>(tasks);
                catalog.add(TRAINING_TASK);
                Frames.write(in, ChildProtocol.setup("", "forklift", catalog));
                Frames.write(in, ChildProtocol.task(1, trainingTask()));
                Frames.read(out); // hello
                Frames.read(out); // its failure reply: the task has no class, but the message and reply paths ran
            }
            if (!child.waitFor(TRAINING_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                throw new IOException("the training child did not exit within " + TRAINING_LIMIT.toSeconds() + " s");
            }
            if (child.exitValue() != 0 || Files.size(partial) == 0) {
                String said = Files.readString(stderr).strip();
                throw new IOException("the training child exited with " + child.exitValue()
                        + " and no archive; its stderr ends: " + said.substring(Math.max(0, said.length() - 500)));
            }
            ClassArchives.install(partial, file);
            log.info("children start from the class archive {} from now on", file);
        } catch (IOException | RuntimeException e) {
            log.warn("no class archive for children ({}); they start without one", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            trainingChild = null;
            try {
                if (stop != null) Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: the JVM is exiting
            }
            try {
                if (partial != null) Files.deleteIfExists(partial);
                if (stderr != null) Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // a leftover in the temp folder; a later ClassArchives.newRecording removes it once it is old
            }
        }
    }

    /** Kills the training child, if one runs, and waits for it: this worker ends, so no child of its may outlive it. */
    void stopTraining() {
        Process child = trainingChild;
        if (child == null) return;
        child.descendants().forEach(ProcessHandle::destroyForcibly); // the JVM making an AOT cache
        child.destroyForcibly();
        try {
            child.waitFor(5, TimeUnit.SECONDS); // reaped here, not left to whatever adopts it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The training child while one runs, for tests. */
    java.util.Optional<ProcessHandle> trainingChild() {
        Process child = trainingChild;
        return child == null ? java.util.Optional.empty() : java.util.Optional.of(child.toHandle());
    }

    private static String trainingTask() throws IOException {
        return Json.MAPPER.writeValueAsString(new TaskMessage(
                TaskMessage.VERSION,
                "archive-training-1",
                "archive-training",
                TRAINING_TASK,
                Json.MAPPER.createArrayNode().add(1),
                false,
                "archive-training",
                0,
                RetryPolicy.NONE,
                System.currentTimeMillis()));
    }

    /**
     * The JVM archives classes from jars only; a class path with a folder (a build's classes) has none.
     * A JVM refuses an AOT cache beside any {@code -Xshare} option, so a child given one gets none.
     */
    private boolean archivable() {
        List<String> folders = ClassArchives.folders(command);
        if (!folders.isEmpty()) log.debug("no class archive for children: their class path has folders {}", folders);
        boolean share =
                format == ClassArchiveFormat.AOT_CACHE && command.stream().anyMatch(o -> o.startsWith("-Xshare:"));
        if (share) log.info("no AOT cache for children: a JVM refuses one beside their -Xshare option");
        return folders.isEmpty() && !share;
    }
}
