package io.forklift.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the AppCDS archives and AOT caches of Forklift's JVMs (children, local workers) live and what
 * names them (with {@link ClassArchiveFormat}): one per JVM command line, so a new build or other JVM
 * options get a new one, and an archive can be out of date but never wrong for the command that finds it.
 */
public final class ClassArchives {
    private static final Duration UNUSED_FOR = Duration.ofDays(2); // older archives (other builds) are removed

    private ClassArchives() {}

    /** The default folder: one per user under the temp folder. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "forklift-cds-" + System.getProperty("user.name"));
    }

    /** The folders on {@code command}'s class path: the JVM archives classes from jars only, so none with a folder. */
    public static List<String> folders(List<String> command) {
        return classPath(command).stream()
                .filter(entry -> new File(entry).isDirectory())
                .toList();
    }

    /**
     * A new empty file beside {@code archive} for a JVM to record it into ({@code -XX:ArchiveClassesAtExit},
     * {@code -XX:AOTCacheOutput}), named {@code <prefix>…} with the archive's extension; first removes what
     * the archives of builds that are gone left there.
     */
    public static Path newRecording(Path archive, String prefix) throws IOException {
        Path dir = archive.getParent();
        Files.createDirectories(dir);
        removeUnused(dir);
        String name = archive.getFileName().toString();
        return Files.createTempFile(dir, prefix, name.substring(name.lastIndexOf('.')));
    }

    /** Puts a finished recording in place of {@code archive}: a JVM opening it sees the old or the new file whole. */
    public static void install(Path recording, Path archive) throws IOException {
        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes what in {@code dir} was not touched for two days: the archives of builds that are gone. */
    private static void removeUnused(Path dir) throws IOException {
        Instant before = Instant.now().minus(UNUSED_FOR);
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> classPath(List<String> command) {
        int cp = command.indexOf("-cp");
        return cp >= 0 && cp + 1 < command.size() ? List.of(command.get(cp + 1).split(File.pathSeparator)) : List.of();
    }

    /** A digest of the JVM's command line and of each class-path entry's size and time: a new build gets a new archive. */
    static String key(List<String> command) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // up to the main class: its arguments (a worker's id, its host) do not change what the JVM loads,
            // so one archive serves every worker on the machine and every run of `forklift local`
            int cp = command.indexOf("-cp");
            List<String> jvm = cp < 0 ? command : command.subList(0, Math.min(command.size(), cp + 3));
            sha.update(String.join("\n", jvm).getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath(command)) {
                File f = new File(entry);
                sha.update((entry + ":" + f.length() + ":" + f.lastModified() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
