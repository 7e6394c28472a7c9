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
 * names them: one per JVM command line, so a new build or other JVM options get a new one, and an
 * archive can be out of date but never wrong for the command that finds it.
 */
public final class ClassArchives {
    private static final Duration UNUSED_FOR = Duration.ofDays(2); // older archives (other builds) are removed

    private ClassArchives() {}

    /** The default folder: one per user under the temp folder. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "forklift-cds-" + System.getProperty("user.name"));
    }

    /** The archive in {@code dir} of the JVM that {@code command} starts, named {@code <kind>-<digest>.jsa}. */
    public static Path fileOf(Path dir, String kind, List<String> command) {
        return dir.resolve(kind + "-" + key(command) + ".jsa");
    }

    /**
     * Whether a JVM of this feature release makes an AOT cache in one training run (JDK 25: JEP 514) and
     * starts from it (JEP 483): classes loaded and linked ahead, not only parsed as in an AppCDS archive.
     * A child's start to its hello took 0.78 times as long as from an AppCDS archive under JDK 17 (README,
     * Performance).
     */
    public static boolean makesAotCaches(int javaFeature) {
        return javaFeature >= 25;
    }

    /** The AOT cache in {@code dir} of the JVM that {@code command} starts, named {@code <kind>-<digest>.aot}. */
    public static Path aotCacheOf(Path dir, String kind, List<String> command) {
        return dir.resolve(kind + "-" + key(command) + ".aot");
    }

    /** The option that makes a JVM start from {@code cache}; one that cannot use it says so on stderr and starts without. */
    public static List<String> aotMapping(Path cache) {
        return List.of("-XX:AOTCache=" + cache);
    }

    /**
     * The options that make a JVM map {@code archive}, at the address the archives were written for. The
     * JDK's default (ArchiveRelocationMode 1) maps them at a random address and relocates every pointer in
     * them: 30 ms of a child's ~130 ms from its start to its hello with JDK 17 on this project's 2-core machine
     * (README, Performance), for a randomized address of class metadata that a JVM running trusted task code
     * does not need. JDK 25 starts as fast either way.
     */
    public static List<String> mapping(Path archive) {
        return List.of(
                "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-XX:SharedArchiveFile=" + archive);
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
    private static String key(List<String> command) {
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
