package io.forklift.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local worker's class archive, recorded and used by real JVMs (a main class in a jar stands for the worker). */
class WorkerArchiveIT {
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    /** java -XX:+UseSerialGC -cp <a jar holding ArchivedMain> ArchivedMain: the shape of LocalWorker's command. */
    private List<String> command() throws Exception {
        Path jar = dir.resolve("main.jar");
        if (!Files.exists(jar)) {
            String name = ArchivedMain.class.getName().replace('.', '/') + ".class";
            Path classes = Path.of(ArchivedMain.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(classes.resolve(name), out);
                out.closeEntry();
            }
        }
        return new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-cp", jar.toString(), ArchivedMain.class.getName()));
    }

    /** Starts {@code command} with the archive's options, as LocalWorker does. */
    private static Process start(WorkerArchive archive, List<String> command, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(1, archive.options());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private List<Path> files() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("main.jar"))
                    .toList();
        }
    }

    @Test
    void theFirstWorkerRecordsTheArchiveAsItExitsAndTheNextStartsFromIt() throws Exception {
        List<String> command = command();
        WorkerArchive first = WorkerArchive.of(dir, command);
        assertEquals("recording", first.state());
        Process p = start(first, command);
        String said = finish(p);
        first.ended(p.exitValue());
        assertTrue(Files.size(first.file()) > 10_000, "archive written; the JVM said: " + said);
        assertEquals(List.of(first.file()), files(), "the recording became the archive, nothing else is left");

        WorkerArchive next = WorkerArchive.of(dir, command);
        assertEquals("used", next.state());
        assertEquals(ClassArchiveFormat.APP_CDS.mapping(first.file()), next.options());
        // under -Xshare:on, a JVM that cannot map the archive exits with an error instead of starting without it
        List<String> strict = new ArrayList<>(command);
        strict.add(1, "-Xshare:on");
        Process q = start(next, strict);
        String out = finish(q);
        assertEquals(0, q.exitValue(), out);
        assertTrue(out.contains("started " + ArchivedMain.class.getName()), out);
    }

    @Test
    void aWorkerKilledWhileRecordingLeavesNoArchive() throws Exception {
        List<String> command = command();
        WorkerArchive archive = WorkerArchive.of(dir, command);
        Process p = start(archive, command, "wait");
        assertTrue(new String(p.getInputStream().readNBytes(7), StandardCharsets.UTF_8).startsWith("started"));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        archive.ended(p.exitValue());
        assertEquals(List.of(), files(), "no archive and no recording left");
        assertEquals("recording", WorkerArchive.of(dir, command).state(), "the next worker records again");
    }

    @Test
    void aClassPathWithFoldersRecordsNothing() throws Exception {
        Path classes = Path.of(ArchivedMain.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        WorkerArchive archive = WorkerArchive.of(
                dir, List.of(JAVA, "-XX:+UseSerialGC", "-cp", classes.toString(), ArchivedMain.class.getName()));
        assertEquals("none", archive.state());
        assertEquals(List.of(), archive.options());
        assertEquals(List.of(), files());
    }

    @Test
    void oneArchiveServesEveryWorkerOfABuildAndOtherJvmOptionsGetTheirOwn() throws Exception {
        List<String> command = command();
        List<String> withArgs = new ArrayList<>(command);
        withArgs.addAll(List.of("--id", "another-worker"));
        List<String> otherOptions = new ArrayList<>(command);
        otherOptions.add(1, "-Xmx64m");
        Path file = WorkerArchive.of(dir, command).file();
        assertEquals(file, WorkerArchive.of(dir, withArgs).file());
        assertNotEquals(file, WorkerArchive.of(dir, otherOptions).file());
    }
}
