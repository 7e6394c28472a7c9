package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.daemon.ClassArchiveFormat;
import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The children's class archive, made by a real training child and used by real child JVMs. */
class ChildArchiveIT {
    @TempDir
    Path dir;

    private final ChildLauncher launcher = new ChildLauncher(
            TaskCatalog.of(Set.of()), List.of("-Xms8m"), List.of(), 1 << 20, "archive-it", "localhost", "", "forklift");

    /** The AppCDS archive, whatever JDK runs the tests; ChildAotCacheIT tests the AOT cache. */
    private static final int APP_CDS = 17;

    private List<String> jarredCommand() throws Exception {
        return JarredClassPath.of(launcher.command(), dir);
    }

    @Test
    void workersThatDifferOnlyInIdAndHostShareOneArchive() {
        ChildLauncher other = new ChildLauncher(
                TaskCatalog.of(Set.of()),
                List.of("-Xms8m"),
                List.of(),
                1 << 20,
                "another-worker",
                "host-b",
                "",
                "forklift");
        ChildLauncher moreHeap = new ChildLauncher(
                TaskCatalog.of(Set.of()),
                List.of("-Xms16m"),
                List.of(),
                1 << 20,
                "archive-it",
                "localhost",
                "",
                "forklift");
        Path mine = ChildArchive.of(dir, launcher.command(), launcher.javaAt(), Set.of(), APP_CDS)
                .file();
        assertEquals(
                mine,
                ChildArchive.of(dir, other.command(), other.javaAt(), Set.of(), APP_CDS)
                        .file());
        assertNotEquals(
                mine,
                ChildArchive.of(dir, moreHeap.command(), moreHeap.javaAt(), Set.of(), APP_CDS)
                        .file());
    }

    @Test
    void anArchiveOfTheWorkersClassPathServesAChildWithTaskJarsAfterIt() throws Exception {
        List<String> jarred = jarredCommand();
        ChildArchive archive = archiveOf(jarred);
        archive.train();
        Path taskJar = dir.resolve("tasks-of-this-run.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(taskJar))) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.closeEntry();
        }
        List<String> cmd = new ArrayList<>(jarred);
        int cp = cmd.indexOf("-cp");
        cmd.set(cp + 1, cmd.get(cp + 1) + File.pathSeparator + taskJar);
        assertStartsFrom(archive, cmd);
    }

    @Test
    void aClassPathWithFoldersGetsNoArchiveAndNoTraining() throws Exception {
        ChildArchive archive = archiveOf(launcher.command()); // test classes: folders
        assertEquals(List.of(), archive.options());
        // a training would have started its thread before options() returned, and runs for a JVM's start at least
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("child-archive")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing trained");
        }
    }

    /** What a child said: its first frame, its stderr and its exit code. */
    private record Run(byte[] first, String stderr, int exit) {}

    /** Runs the child command with a set-up and no task: until its hello and the end of its stdin. */
    private static Run run(List<String> cmd) throws Exception {
        Process child = new ProcessBuilder(cmd).start();
        try (DataOutputStream in = new DataOutputStream(child.getOutputStream())) {
            Frames.write(in, ChildProtocol.setup("", "forklift", Set.of()));
        } // after its hello, it reads the end of stdin and exits
        byte[] first = Frames.read(new DataInputStream(child.getInputStream()));
        String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        return new Run(first, stderr, child.exitValue());
    }

    @Test
    void aWorkerThatEndsWhileItsTrainingChildRunsTakesItAlong() throws Exception {
        ChildArchive archive = archiveOf(jarredCommand());
        Thread training = new Thread(archive::train, "training-under-test");
        training.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (archive.trainingChild().isEmpty() && training.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5); // the child starts in the training thread: there is no event to wait on
        }
        ProcessHandle child = archive.trainingChild().orElseThrow(() -> new AssertionError("no training child ran"));

        archive.stopTraining(); // what the worker's shutdown hook runs
        assertFalse(child.isAlive(), "the training child " + child.pid() + " is gone, reaped");
        training.join(30_000);
        assertFalse(Files.exists(archive.file()), "a stopped training leaves no archive");
    }

    @Test
    void aTrainedArchiveIsMadeOnceAndChildrenStartFromIt() throws Exception {
        List<String> jarred = jarredCommand();
        ChildArchive archive = archiveOf(jarred);
        archive.train();
        assertTrue(Files.size(archive.file()) > 100_000, "archive " + archive.file() + " written");
        assertEquals(ClassArchiveFormat.APP_CDS.mapping(archive.file()), archive.options());
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.toString().contains("training")).toList(),
                    "no leftovers");
        }
        assertStartsFrom(archive, new ArrayList<>(jarred));
    }

    /** The child {@code cmd} starts and says hello mapping the archive: under -Xshare:on, a JVM that cannot exits with an error. */
    private void assertStartsFrom(ChildArchive archive, List<String> cmd) throws Exception {
        cmd.addAll(launcher.javaAt() + 1, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive.file()));
        Run run = run(cmd);
        assertTrue(ChildProtocol.readChild(run.first()) instanceof ChildProtocol.Hello, "hello: " + run.stderr());
        assertEquals(0, run.exit(), "stderr: " + run.stderr());
    }

    @Test
    void anOutOfDateArchiveIsReportedOnStderrAndTheChildStartsWithoutIt() throws Exception {
        List<String> jarred = jarredCommand();
        ChildArchive archive = archiveOf(jarred);
        archive.train();
        Path stale = dir.resolve("stale.jsa");
        Files.copy(archive.file(), stale);
        // the archive was made with another class path: a JVM cannot use it
        List<String> cmd = new ArrayList<>(jarred);
        int cp = cmd.indexOf("-cp");
        Path other = Files.createDirectory(dir.resolve("other-classes"));
        cmd.set(cp + 1, other + File.pathSeparator + cmd.get(cp + 1));
        cmd.add(launcher.javaAt() + 1, "-XX:SharedArchiveFile=" + stale);
        Run run = run(cmd);
        assertTrue(ChildProtocol.readChild(run.first()) instanceof ChildProtocol.Hello, "the first frame is its hello");
        assertTrue(run.stderr().contains("[warning][cds"), "the JVM's warning went to stderr: " + run.stderr());
        assertEquals(0, run.exit());
    }

    /** The archive in this test's folder of a child started by {@code command}, with no task classes. */
    private ChildArchive archiveOf(List<String> command) {
        return ChildArchive.of(dir, command, launcher.javaAt(), Set.of(), APP_CDS);
    }

    @Test
    void theCatalogsTaskClassesAreArchivedAndChildrenLoadThemFromIt() throws Exception {
        List<String> jarred = jarredCommand();
        String square = io.forklift.worker.tasks.Square.class.getName();
        ChildArchive archive = ChildArchive.of(dir, jarred, launcher.javaAt(), Set.of(square), APP_CDS);
        archive.train();
        Path classLog = dir.resolve("class-load.log");
        List<String> cmd = new ArrayList<>(jarred);
        cmd.addAll(launcher.javaAt() + 1, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive.file()));
        cmd.add(cmd.indexOf("-cp"), "-Xlog:class+load=info:file=" + classLog); // after the command's -Xlog:disable
        Process child = new ProcessBuilder(cmd).start();
        try (DataInputStream out = new DataInputStream(child.getInputStream());
                DataOutputStream in = new DataOutputStream(child.getOutputStream())) {
            Frames.write(in, ChildProtocol.setup("", "forklift", Set.of(square)));
            Frames.read(out); // hello
        } // then its stdin ends, and it exits
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        String loaded = Files.readAllLines(classLog).stream()
                .filter(line -> line.contains(" " + square + " "))
                .findFirst()
                .orElse(square + " was not loaded");
        assertTrue(loaded.contains("source: shared objects file"), loaded);
    }
}
