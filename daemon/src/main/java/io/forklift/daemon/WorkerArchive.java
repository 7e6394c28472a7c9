package io.forklift.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The AppCDS archive of a local worker's JVM ({@link LocalWorker}): the classes it loaded in a whole
 * run, so later workers map them instead of loading them from the jars. A worker started before the
 * archive exists records it as it exits ({@code -XX:ArchiveClassesAtExit}, ~1 s more at its exit), into
 * a file of its own that becomes the archive once it has ended by itself; a worker killed, or one
 * that crashed, leaves none. Measured with {@code forklift bench}: the worker serves ~0.5–1 s sooner,
 * and its children, which start beside its JIT, sooner too (README, Performance).
 */
final class WorkerArchive {
    private final Path file;
    private final boolean mapped; // this run maps the archive
    private final Path recording; // where this run records it, if it does; null otherwise

    private WorkerArchive(Path file, boolean mapped, Path recording) {
        this.file = file;
        this.mapped = mapped;
        this.recording = recording;
    }

    /** The archive in {@code dir} of the worker JVM {@code command} starts (java, options, -cp, main class). */
    static WorkerArchive of(Path dir, List<String> command) {
        Path file = ClassArchiveFormat.APP_CDS.fileOf(dir, "worker", command);
        if (!ClassArchives.folders(command).isEmpty()) return new WorkerArchive(file, false, null);
        if (Files.isReadable(file)) return new WorkerArchive(file, true, null);
        try {
            return new WorkerArchive(file, false, ClassArchives.newRecording(file, "recording-worker-"));
        } catch (IOException e) {
            return new WorkerArchive(file, false, null); // an unwritable temp folder: it starts as it would without
        }
    }

    /** The JVM options: map the archive, record it at exit, or none (a class path with folders: a build's classes). */
    List<String> options() {
        if (mapped) return ClassArchiveFormat.APP_CDS.mapping(file);
        return recording != null ? List.of(ClassArchiveFormat.APP_CDS.recording(recording)) : List.of();
    }

    /** Whether this run maps the archive ({@code used}), records it ({@code recording}), or neither ({@code none}). */
    String state() {
        return mapped ? "used" : recording != null ? "recording" : "none";
    }

    /**
     * The worker's JVM ended with {@code exitCode}: a recording it finished becomes the archive. A JVM
     * ended by a signal (killed, or crashed while writing) may have left it cut short, so it is dropped.
     */
    void ended(int exitCode) {
        if (recording == null || !Files.exists(recording)) return;
        try {
            if (exitCode < 128 && Files.size(recording) > 0) {
                ClassArchives.install(recording, file);
            }
            Files.deleteIfExists(recording);
        } catch (IOException e) {
            // left in the temp folder; the next ClassArchives.newRecording removes it once it is old
        }
    }

    Path file() {
        return file;
    }
}
